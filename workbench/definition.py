"""The import definition: a named, saved YAML file holding mapping, fixed values, match keys and actions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench.atomic import atomic_write_text
from workbench.errors import DefinitionError
from workbench.fields import CRM_TABLES, TARGET_BY_NAME, TARGETS

ORG_KEYS = ("kvk", "name", "address", "fuzzy")
PERSON_KEYS = ("email", "person_id", "name_gender", "name_gender_email", "name_gender_birth_date",
               "name_gender_mobile", "name_gender_phone", "fuzzy", "always_new")
POLICIES = ("overwrite", "fill_empty", "leave")
UNDECIDED = ("skip", "new")
# hand-set points, weights fitted unsupervised (EM), or learnt from the analyst's decisions
CLASSIFIERS = ("points", "ecm", "logistic")
INHERITABLE = ("address", "phone")
# Fields whose invalid value refuses the whole row; an invalid value elsewhere (a birth date, a
# website, a second e-mail) costs only that value, listed in problems.csv.
REJECT_INVALID = ("org_name", "org_kvk_number", "org_address_line", "org_street",
                  "org_house_number", "org_postcode", "org_city", "org_email", "contact_email",
                  "person_last_name", "person_full_name")


@dataclass(frozen=True)
class Thresholds:
    """Score bands: at or above ``match`` is the same record, below ``review`` is different."""

    match: float = 0.9
    review: float = 0.5


@dataclass(frozen=True)
class Definition:
    """How one kind of incoming file becomes CRM changes."""

    name: str = "incoming"
    columns: dict[str, str] = field(default_factory=dict)  # target field -> file column
    fixed: dict[str, str] = field(default_factory=dict)  # target -> value overriding the file
    defaults: dict[str, str] = field(default_factory=dict)  # target -> value for new records
    org_keys: tuple[str, ...] = ("kvk", "fuzzy")  # tried in order; what a key settles is final
    person_keys: tuple[str, ...] = ("email", "fuzzy")
    thresholds: Thresholds = Thresholds()
    undecided: str = "skip"  # what batch does with a pair in the review band
    classifier: str = "points"  # how comparison levels become a score (CLASSIFIERS)
    create_new: bool = True  # insert organisations / persons that are not found
    update_existing: bool = True
    update_policy: str = "fill_empty"  # default per-field policy for existing records
    field_policies: dict[str, str] = field(default_factory=dict)  # target -> policy
    import_persons: bool = True
    postal_is_visiting: bool = True  # the CRM wizards' "postadres is bezoekadres" for new records
    inherit: tuple[str, ...] = ()  # "address" / "phone": a new contact takes its organisation's
    reject_invalid: tuple[str, ...] = REJECT_INVALID  # invalid here -> the row is rejected
    erase_when_empty: tuple[str, ...] = ()  # targets whose empty incoming value clears the CRM's
    export_headers: dict[str, str] = field(default_factory=dict)  # "table.column" -> header
    lookup_city_from_postcode: bool = False
    default_region: str = "NL"

    def policy_for(self, target: str) -> str:
        """The update policy of one target field."""
        return self.field_policies.get(target, self.update_policy)

    def to_dict(self) -> dict[str, Any]:
        """The definition as the plain structure saved in YAML."""
        return {
            "name": self.name,
            "columns": dict(self.columns),
            "fixed": dict(self.fixed),
            "defaults": dict(self.defaults),
            "match": {
                "organisation": list(self.org_keys),
                "person": list(self.person_keys),
                "thresholds": asdict(self.thresholds),
                "undecided": self.undecided,
                "classifier": self.classifier,
            },
            "actions": {
                "create_new": self.create_new,
                "update_existing": self.update_existing,
                "update_policy": self.update_policy,
                "field_policies": dict(self.field_policies),
                "import_persons": self.import_persons,
                "postal_is_visiting": self.postal_is_visiting,
                "inherit": list(self.inherit),
                "erase_when_empty": list(self.erase_when_empty),
                "reject_invalid": list(self.reject_invalid),
            },
            "export": {"headers": dict(self.export_headers)},
            "standardise": {
                "lookup_city_from_postcode": self.lookup_city_from_postcode,
                "default_region": self.default_region,
            },
        }

    def to_yaml(self) -> str:
        """The definition as YAML text."""
        header = "# Import definition for the workbench: review it, then reuse it with --definition\n"
        return header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> Path:
        """Write the definition to ``path`` as YAML (atomically)."""
        return atomic_write_text(path, self.to_yaml())


def _str_map(value: Any, section: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{section}: expected 'field: value' lines")
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}


def definition_from_dict(data: dict[str, Any], *, source: str | None = None) -> Definition:
    """Build a definition from its YAML structure, reporting every problem at once."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["the file does not hold a definition (expected keys such as "
                               "'columns', 'match', 'actions')"], file=source)
    known = {"name", "columns", "fixed", "defaults", "match", "actions", "standardise", "export"}
    for key in data:
        if key not in known:
            problems.append(f"unknown section '{key}' (known: {', '.join(sorted(known))})")
    columns = _str_map(data.get("columns") or {}, "columns", problems)
    fixed = _str_map(data.get("fixed") or {}, "fixed", problems)
    defaults = _str_map(data.get("defaults") or {}, "defaults", problems)
    for section, mapping in (("columns", columns), ("fixed", fixed), ("defaults", defaults)):
        for target in mapping:
            if target not in TARGET_BY_NAME:
                problems.append(f"{section}: '{target}' is not a CRM field "
                                f"(known: {', '.join(t.name for t in TARGETS)})")
    match = data.get("match") or {}
    actions = data.get("actions") or {}
    std = data.get("standardise") or {}
    org_keys = tuple(match.get("organisation", Definition.org_keys))
    person_keys = tuple(match.get("person", Definition.person_keys))
    for key in org_keys:
        if key not in ORG_KEYS:
            problems.append(f"match.organisation: unknown key '{key}' (use {', '.join(ORG_KEYS)})")
    for key in person_keys:
        if key not in PERSON_KEYS:
            problems.append(f"match.person: unknown key '{key}' (use {', '.join(PERSON_KEYS)})")
    th = match.get("thresholds") or {}
    try:
        thresholds = Thresholds(float(th.get("match", Thresholds.match)),
                                float(th.get("review", Thresholds.review)))
        if not 0 <= thresholds.review <= thresholds.match <= 1:
            problems.append("match.thresholds: need 0 <= review <= match <= 1")
    except (TypeError, ValueError):
        problems.append("match.thresholds: 'match' and 'review' must be numbers between 0 and 1")
        thresholds = Thresholds()
    undecided = str(match.get("undecided", Definition.undecided))
    if undecided not in UNDECIDED:
        problems.append(f"match.undecided: '{undecided}' (use {', '.join(UNDECIDED)})")
    classifier = str(match.get("classifier", Definition.classifier))
    if classifier not in CLASSIFIERS:
        problems.append(f"match.classifier: '{classifier}' (use {', '.join(CLASSIFIERS)})")
    policy = str(actions.get("update_policy", Definition.update_policy))
    field_policies = _str_map(actions.get("field_policies") or {}, "field_policies", problems)
    for target, pol in [("update_policy", policy), *field_policies.items()]:
        if pol not in POLICIES:
            problems.append(f"actions: policy '{pol}' for {target} (use {', '.join(POLICIES)})")
    inherit = tuple(actions.get("inherit") or ())
    for item in inherit:
        if item not in INHERITABLE:
            problems.append(f"actions.inherit: '{item}' (use {', '.join(INHERITABLE)})")
    erase = tuple(actions.get("erase_when_empty") or ())
    for target in erase:
        if target not in TARGET_BY_NAME:
            problems.append(f"actions.erase_when_empty: '{target}' is not a CRM field")
    reject_invalid = tuple(actions.get("reject_invalid", REJECT_INVALID) or ())
    for target in reject_invalid:
        if target not in TARGET_BY_NAME:
            problems.append(f"actions.reject_invalid: '{target}' is not a CRM field")
    export = data.get("export") or {}
    headers = _str_map(export.get("headers") or {}, "export.headers", problems)
    for key in headers:
        table, _, column = key.partition(".")
        if table not in CRM_TABLES or column not in (*CRM_TABLES[table], "run_id", "source_row",
                                                      "changed_fields"):
            problems.append(f"export.headers: '{key}' is not 'table.column' of a CRM table")
    if problems:
        raise DefinitionError(problems, file=source)
    return Definition(
        name=str(data.get("name") or "incoming"),
        columns=columns,
        fixed=fixed,
        org_keys=org_keys,
        person_keys=person_keys,
        thresholds=thresholds,
        undecided=undecided,
        classifier=classifier,
        create_new=bool(actions.get("create_new", True)),
        update_existing=bool(actions.get("update_existing", True)),
        update_policy=policy,
        field_policies=field_policies,
        import_persons=bool(actions.get("import_persons", True)),
        postal_is_visiting=bool(actions.get("postal_is_visiting", True)),
        inherit=inherit,
        erase_when_empty=erase,
        reject_invalid=reject_invalid,
        export_headers=headers,
        defaults=defaults,
        lookup_city_from_postcode=bool(std.get("lookup_city_from_postcode", False)),
        default_region=str(std.get("default_region", "NL")),
    )


def load_definition(path: str | Path) -> Definition:
    """Read an import definition from a YAML file."""
    path = Path(path)
    if not path.exists():
        raise DefinitionError([f"definition file not found: {path}"], file=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DefinitionError([f"not valid YAML{where}"], file=str(path)) from None
    return definition_from_dict(data, source=str(path))


def header_key(header: str) -> str:
    """Fold a header for synonym lookup: lowercase, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"[_\-./:()]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


_SYNONYMS: dict[str, str] = {}
for _t in TARGETS:
    for _s in (_t.name, _t.label, *_t.synonyms):
        _SYNONYMS.setdefault(header_key(_s), _t.name)

# Profile meanings that point to a target when the header says nothing useful.
_MEANING_TARGET = {
    "postcode": "org_postcode", "street_house_number": "org_address_line",
    "house_number": "org_house_number", "city": "org_city", "kvk_number": "org_kvk_number",
    "email": "contact_email", "phone": "org_phone", "mobile": "contact_mobile",
    "url": "org_website", "organisation_name": "org_name", "salutation": "person_salutation",
    "gender": "person_gender", "initials": "person_initials", "first_name": "person_first_name",
    "last_name": "person_last_name", "name_prefix": "person_name_prefix",
}


def suggest_columns(headers: list[str], meanings: dict[str, str] | None = None) -> dict[str, str]:
    """Suggest target -> column from header names (nl/en synonyms), then from detected meanings."""
    from rapidfuzz import fuzz, process

    chosen: dict[str, str] = {}
    used: set[str] = set()
    keys = {h: header_key(h) for h in headers}
    for header, key in keys.items():  # exact synonyms first: they are never wrong
        target = _SYNONYMS.get(key)
        if target and target not in chosen:
            chosen[target] = header
            used.add(header)
    choices = list(_SYNONYMS)
    for header, key in keys.items():  # then close spellings ("Bedrijfs naam", "Postcode NL")
        if header in used or not key:
            continue
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=88)
        if hit and _SYNONYMS[hit[0]] not in chosen:
            chosen[_SYNONYMS[hit[0]]] = header
            used.add(header)
    for header, meaning in (meanings or {}).items():  # finally what the values look like
        target = _MEANING_TARGET.get(meaning)
        if header not in used and target and target not in chosen:
            chosen[target] = header
            used.add(header)
    if "org_address_line" in chosen and "org_street" in chosen:
        chosen.pop("org_address_line")  # separate street columns are more precise
    return {t.name: chosen[t.name] for t in TARGETS if t.name in chosen}


def suggest_definition(headers: list[str], meanings: dict[str, str] | None = None,
                       name: str = "incoming") -> Definition:
    """A definition for a file with these headers, with the default actions."""
    columns = suggest_columns(headers, meanings)
    defaults = {} if "org_country" in columns else {"org_country": "NL"}
    return Definition(name=name, columns=columns, defaults=defaults)


def check_against_headers(definition: Definition, headers: list[str],
                          source: str | None = None) -> list[str]:
    """Columns of the file the definition does not use (raises when it needs missing ones)."""
    missing = [f"'{col}' (for {target})" for target, col in definition.columns.items()
               if col not in headers]
    if missing:
        raise DefinitionError(
            [f"the file has no column {m}" for m in missing]
            + [f"the file's columns are: {', '.join(headers)}"], file=source)
    return [h for h in headers if h not in set(definition.columns.values())]
