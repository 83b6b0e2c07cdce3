"""The import definition as a frozen object; its defaults and its saved layout come from ``SETTINGS``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench.atomic import atomic_write_text
from workbench.definition.schema import default, write_settings


def _default(attr: str) -> Any:
    """The dataclass default of one setting (a fresh dict each time for the maps)."""
    value = default(attr)
    return field(default_factory=dict) if isinstance(value, dict) else field(default=value)


@dataclass(frozen=True)
class Thresholds:
    """Score bands: at or above ``match`` is the same record, below ``review`` is different."""

    match: float = _default("thresholds.match")
    review: float = _default("thresholds.review")


@dataclass(frozen=True)
class Definition:
    """How one kind of incoming file becomes CRM changes (see ``schema.SETTINGS`` for each key)."""

    name: str = _default("name")
    language: str = _default("language")  # "en" or "nl": screens, labels, profile
    columns: dict[str, str] = _default("columns")  # target field -> file column
    fixed: dict[str, str] = _default("fixed")  # target -> value overriding the file
    defaults: dict[str, str] = _default("defaults")  # target -> value for new records
    extra_fields: dict[str, dict] = _default("extra_fields")  # target's own fields: header -> spec
    org_keys: tuple[str, ...] = _default("org_keys")  # tried in order; what a key settles is final
    person_keys: tuple[str, ...] = _default("person_keys")
    thresholds: Thresholds = Thresholds()
    undecided: str = _default("undecided")  # what batch does with a pair in the review band
    classifier: str = _default("classifier")  # how comparison levels become a score
    # insert organisations / persons not found: one flag, or one per entity (creates())
    create_new: bool | dict[str, bool] = _default("create_new")
    update_existing: bool = _default("update_existing")
    update_policy: str = _default("update_policy")  # default per-field policy for existing records
    field_policies: dict[str, str] = _default("field_policies")  # target -> policy
    import_persons: bool = _default("import_persons")
    postal_is_visiting: bool = _default("postal_is_visiting")
    inherit: tuple[str, ...] = _default("inherit")  # "address" / "phone" a new contact takes
    # a new contact without an address takes its organisation's (also when inherit omits it)
    contact_address_from_organisation: bool = _default("contact_address_from_organisation")
    reject_invalid: tuple[str, ...] = _default("reject_invalid")  # invalid here -> row rejected
    erase_when_empty: tuple[str, ...] = _default("erase_when_empty")  # empty clears the CRM's
    export_headers: dict[str, str] = _default("export_headers")  # "table.column" -> header
    target: str = _default("target")  # CRM layout of the wizard files (workbench: none)
    number_series: str = _default("number_series")  # first new number, e.g. "CT000101"
    lookup_city_from_postcode: bool = _default("lookup_city_from_postcode")
    default_region: str = _default("default_region")
    date_formats: dict[str, str] = _default("date_formats")  # date field -> DATE_FORMATS key
    blocked_prefixes: tuple[str, ...] = _default("blocked_prefixes")  # part of the surname here

    def creates(self, entity: str) -> bool:
        """Whether records of ``entity`` ("organisations", "persons") not found are created."""
        if isinstance(self.create_new, dict):
            return bool(self.create_new.get(entity, True))
        return bool(self.create_new)

    def policy_for(self, target: str) -> str:
        """The update policy of one target field."""
        return self.field_policies.get(target, self.update_policy)

    def to_dict(self) -> dict[str, Any]:
        """The definition as the plain structure saved in YAML."""
        return write_settings(self)

    def to_yaml(self) -> str:
        """The definition as YAML text."""
        header = "# Import definition for the workbench: review it, then reuse it with --definition\n"
        return header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> Path:
        """Write the definition to ``path`` as YAML (atomically); refused if it would not load."""
        from workbench.definition.load import definition_from_dict  # load builds on this module

        # A definition built in code or on the mapping screen passes the loader's checks too,
        # so a saved file is always one that `--definition` accepts.
        definition_from_dict(self.to_dict(), source=str(path))
        return atomic_write_text(path, self.to_yaml())


def build_definition(values: dict[str, Any]) -> Definition:
    """A definition from checked attribute values (``thresholds.match`` style for nested ones)."""
    flat = {attr: value for attr, value in values.items() if "." not in attr}
    bands = {attr.partition(".")[2]: value for attr, value in values.items()
             if attr.startswith("thresholds.")}
    return Definition(**flat, thresholds=Thresholds(**bands))
