"""The one table of an import definition's settings: section, key, kind, default and choices.

Reading a YAML structure, writing it back and every error message follow from ``SETTINGS``;
the layout of a saved definition is the order of this table.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.crm.model import EXTRA_ENTITIES
from workbench.fields import CRM_TABLES, TARGET_BY_NAME, TARGETS
from workbench.labels import DEFAULT_LANGUAGE, LANGUAGES
from workbench.match.exact import key_names
from workbench.standardise.dates import DATE_FORMATS
from workbench.standardise.names import DEFAULT_PREFIXES

# the match keys a definition may name: the registry's, in its order (workbench/match/exact.py)
ORG_KEYS = key_names("organisation")
PERSON_KEYS = key_names("person")
POLICIES = ("overwrite", "fill_empty", "leave")
UNDECIDED = ("skip", "new")
# hand-set points, weights fitted unsupervised (EM), or learnt from the analyst's decisions
CLASSIFIERS = ("points", "ecm", "logistic")
INHERITABLE = ("address", "phone")
# Fields whose invalid value refuses the whole row: the names, without which a row names nobody.
# An invalid value elsewhere (a KvK number, an e-mail, a postcode, a birth date) costs only that
# value, listed in problems.csv; the row keeps its other evidence for matching. A new
# organisation left without a usable address is refused by its own rule (validate.py).
REJECT_INVALID = ("org_name", "person_last_name", "person_full_name")
# The entities ``actions.create_new`` may switch one by one (AFAS sets it per import).
CREATE_ENTITIES = ("organisations", "persons")
# Columns an export file has besides the CRM table's own.
EXPORT_EXTRA_COLUMNS = ("run_id", "source_row", "changed_fields")


@dataclass(frozen=True)
class Setting:
    """One key of a definition file: where it sits, what it holds and what it is when left out."""

    section: str  # dotted path of the section holding the key, "" for the top level
    key: str
    attr: str  # the Definition attribute ("thresholds.match": a field of a nested object)
    kind: str  # one of KINDS: how the value is checked and converted
    default: Any
    choices: tuple[str, ...] = ()  # allowed values of a "choice" / "choice_list" / "choice_map"
    # left out of a saved file while at its default: keys added later, so that older definition
    # files save exactly as they were read
    saved_when_set: bool = False

    @property
    def where(self) -> str:
        """The key as the analyst writes it in messages: ``actions.create_new``."""
        return f"{self.section}.{self.key}" if self.section else self.key


SETTINGS: tuple[Setting, ...] = (
    Setting("", "name", "name", "text", "incoming"),
    # the analyst's language on the screens, in the profile (workbench/labels.py) and in the
    # sentences of the output files (workbench/messages.py): en or nl
    Setting("", "language", "language", "choice", DEFAULT_LANGUAGE, LANGUAGES, saved_when_set=True),
    Setting("", "columns", "columns", "field_map", {}),  # target field -> file column
    # target -> value replacing the file's; a target is a CRM field, or a field of the target
    # CRM beyond them (declared by its layout or under extra_fields): its header or key
    Setting("", "fixed", "fixed", "target_map", {}),
    Setting("", "defaults", "defaults", "target_map", {}),  # target -> value for new records
    # fields of the target CRM the layout does not declare: header -> entity (org, person,
    # contact), or -> {entity: ..., codes: [...]}; their values come from fixed / defaults
    Setting("", "extra_fields", "extra_fields", "extra_fields", {}, saved_when_set=True),
    # match keys are tried in order; what a key settles is final
    Setting("match", "organisation", "org_keys", "choice_list", ("kvk", "fuzzy"), ORG_KEYS),
    Setting("match", "person", "person_keys", "choice_list", ("email", "fuzzy"), PERSON_KEYS),
    # a pair scoring at least `match` is the same record, below `review` a different one; each
    # a percentage ("85%") or, as before, a number from 0 to 1; saved as the number
    Setting("match.thresholds", "match", "thresholds.match", "share", 0.9),
    Setting("match.thresholds", "review", "thresholds.review", "share", 0.5),
    Setting("match", "undecided", "undecided", "choice", "skip", UNDECIDED),
    Setting("match", "classifier", "classifier", "choice", "ecm", CLASSIFIERS),
    # true / false for all, or per entity: {organisations: true, persons: false}
    Setting("actions", "create_new", "create_new", "entity_flags", True, CREATE_ENTITIES),
    Setting("actions", "update_existing", "update_existing", "flag", True),
    Setting("actions", "update_policy", "update_policy", "choice", "fill_empty", POLICIES),
    Setting("actions", "field_policies", "field_policies", "choice_map", {}, POLICIES),
    Setting("actions", "import_persons", "import_persons", "flag", True),
    # the CRM wizards' "postadres is bezoekadres" for new records
    Setting("actions", "postal_is_visiting", "postal_is_visiting", "flag", True),
    Setting("actions", "inherit", "inherit", "choice_list", (), INHERITABLE),
    # a new contact without an address of its own takes its organisation's (AFAS's step 11)
    Setting("actions", "contact_address_from_organisation", "contact_address_from_organisation",
            "flag", True, saved_when_set=True),
    Setting("actions", "erase_when_empty", "erase_when_empty", "field_list", ()),
    Setting("actions", "reject_invalid", "reject_invalid", "field_list", REJECT_INVALID),
    Setting("export", "headers", "export_headers", "header_map", {}),  # "table.column" -> header
    # the CRM whose import wizard gets the change set too (a name from `workbench profiles` or a
    # layout file), in OUT/<name>/ beside the canonical files
    Setting("export", "target", "target", "text", "workbench", saved_when_set=True),
    # the first new number of the target's series (e.g. "CT000101"); "" keeps the layout's
    Setting("export", "number_series", "number_series", "text", "", saved_when_set=True),
    Setting("standardise", "lookup_city_from_postcode", "lookup_city_from_postcode", "flag", False),
    Setting("standardise", "default_region", "default_region", "text", "NL"),
    # date field -> how the file writes its dates ("person_birth_date: yyyymmdd"): inferred from
    # the values when the definition is suggested, so a re-run reads them the same way
    Setting("standardise", "date_formats", "date_formats", "choice_map", {}, tuple(DATE_FORMATS)),
    # prefixes that are part of the surname in this list ("Le Nguyen"): never split off
    Setting("standardise", "blocked_prefixes", "blocked_prefixes", "choice_list", (),
            DEFAULT_PREFIXES, saved_when_set=True),
)
SETTING_BY_ATTR: dict[str, Setting] = {s.attr: s for s in SETTINGS}


def default(attr: str) -> Any:
    """The value of a setting when the file leaves it out."""
    return SETTING_BY_ATTR[attr].default


def nearest(word: Any, known: Iterator[str] | list[str] | tuple[str, ...]) -> str | None:
    """The known name closest to a misspelt one, if any is close (only a short text can be)."""
    if not isinstance(word, str) or len(word) > 100:
        return None
    hits = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return hits[0] if hits else None


def _unknown(word: Any, known: list[str] | tuple[str, ...]) -> str:
    hint = nearest(word, known)
    return f"did you mean '{hint}'?" if hint else f"use {', '.join(known)}"


def _shown(value: Any) -> str:
    """A value as quoted in a message: short, so a hostile file cannot flood the terminal."""
    if isinstance(value, dict):
        return "'key: value' lines"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _at(setting: Setting, name: Any) -> str:
    """Where a key inside a map setting is, for messages: ``fixed.org_country``."""
    text = str(name) if isinstance(name, (str, int, float)) else type(name).__name__
    return f"{setting.where}.{text if len(text) <= 60 else text[:57] + '...'}"


class _Skip:
    """Marks a value that was refused: the setting keeps its default."""


SKIP = _Skip()
Problems = list[str]


def _text(value: Any, setting: Setting, problems: Problems) -> Any:
    if isinstance(value, str):
        return value
    problems.append(f"{setting.where}: expected text, got {_shown(value)}; put it in quotes")
    return SKIP


def _flag(value: Any, setting: Setting, problems: Problems) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "yes", "no"}:
        # Quoted, "false" would be a non-empty text, i.e. true: refused rather than guessed.
        problems.append(f"{setting.where}: {_shown(value)} is text in quotes; "
                        "write true or false without quotes")
    else:
        problems.append(f"{setting.where}: expected true or false, got {_shown(value)}")
    return SKIP


def _entity_flags(value: Any, setting: Setting, problems: Problems) -> Any:
    """One flag for every entity, or a flag per entity ({organisations: true, persons: false})."""
    if not isinstance(value, dict):
        return _flag(value, setting, problems)
    before = len(problems)
    for name, flag in value.items():
        if name not in setting.choices:
            problems.append(f"{setting.where}: unknown entity {_shown(name)}; "
                            f"{_unknown(name, setting.choices)}")
        elif not isinstance(flag, bool):
            problems.append(f"{_at(setting, name)}: expected true or false, got {_shown(flag)}")
    return SKIP if len(problems) > before else dict(value)


_PERCENT = re.compile(r"\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*")


def share_of(value: Any) -> float | None:
    """A threshold as a share of 1: ``85%`` is 0.85, and a number from 0 to 1 is itself (as
    definitions wrote it before percentages); None for anything else."""
    if isinstance(value, str):
        found = _PERCENT.fullmatch(value)
        percent = float(found.group(1).replace(",", ".")) if found else -1.0
        return from_percent(percent) if 0 <= percent <= 100 else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    return None


def from_percent(percent: float) -> float:
    """A percentage as a threshold's share of 1 (85 -> 0.85), as the classifier compares scores."""
    return round(float(percent) / 100, 4)


def percent_of(share: float) -> float:
    """A threshold's share of 1 as the percentage the analyst sees (0.85 -> 85.0)."""
    return round(share * 100, 1)


def _share(value: Any, setting: Setting, problems: Problems) -> Any:
    share = share_of(value)
    if share is not None:
        return share
    # a bare 85 could be meant as 85% or be a slip for 0.85: asked, not guessed
    hint = f"; write {value:g}% for a percentage" if isinstance(value, (int, float)) and \
        not isinstance(value, bool) and 1 < value <= 100 else ""
    problems.append(f"{setting.where}: expected a percentage such as 85% or a number between "
                    f"0 and 1, got {_shown(value)}{hint}")
    return SKIP


def _choice(value: Any, setting: Setting, problems: Problems) -> Any:
    if isinstance(value, str) and value in setting.choices:
        return value
    problems.append(f"{setting.where}: {_shown(value)} is not allowed; "
                    f"{_unknown(value, setting.choices)}")
    return SKIP


def _items(value: Any, setting: Setting, problems: Problems) -> list[Any] | None:
    if isinstance(value, list):
        return value
    problems.append(f"{setting.where}: expected a list such as [a, b], got {_shown(value)}")
    return None


def _choice_list(value: Any, setting: Setting, problems: Problems) -> Any:
    items = _items(value, setting, problems)
    if items is None:
        return SKIP
    bad = [item for item in items if not isinstance(item, str) or item not in setting.choices]
    for item in bad:
        problems.append(f"{setting.where}: unknown value {_shown(item)}; "
                        f"{_unknown(item, setting.choices)}")
    return SKIP if bad else tuple(items)


def _field_name(name: Any, where: str, problems: Problems) -> bool:
    """Whether ``name`` is a CRM field; a problem naming the nearest field when it is not."""
    if isinstance(name, str) and name in TARGET_BY_NAME:
        return True
    known = [t.name for t in TARGETS]
    hint = nearest(name, known)
    advice = f"did you mean '{hint}'?" if hint else f"known: {', '.join(known)}"
    problems.append(f"{where}: {_shown(name)} is not a CRM field ({advice})")
    return False


def _field_list(value: Any, setting: Setting, problems: Problems) -> Any:
    items = _items(value, setting, problems)
    if items is None:
        return SKIP
    ok = [_field_name(item, setting.where, problems) for item in items]
    return tuple(items) if all(ok) else SKIP


def _mapping(value: Any, setting: Setting, problems: Problems) -> dict[Any, Any] | None:
    if isinstance(value, dict):
        return value
    problems.append(f"{setting.where}: expected 'key: value' lines, got {_shown(value)}")
    return None


def _cell_text(value: Any, where: str, problems: Problems) -> str | None:
    """A value of a map as text: numbers are fine (a header "2024"), a yes/no or a list is not."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    advice = "; YAML reads yes/no/true/false/on/off as a flag, put it in quotes" \
        if isinstance(value, bool) else ""
    problems.append(f"{where}: expected text, got {_shown(value)}{advice}")
    return None


def _text_map(value: Any, setting: Setting, problems: Problems,
              name_ok: Callable[[Any], bool]) -> Any:
    """Name -> text, each name checked by ``name_ok`` (which says what is wrong with it)."""
    mapping = _mapping(value, setting, problems)
    if mapping is None:
        return SKIP
    out: dict[str, str] = {}
    before = len(problems)
    for name, item in mapping.items():
        if item is None:  # an empty line in the file: no mapping for that field
            continue
        text = _cell_text(item, _at(setting, name), problems)
        if name_ok(name) and text is not None:
            out[name] = text
    return SKIP if len(problems) > before else out


def _field_map(value: Any, setting: Setting, problems: Problems) -> Any:
    return _text_map(value, setting, problems,
                     lambda name: _field_name(name, setting.where, problems))


def _target_map(value: Any, setting: Setting, problems: Problems) -> Any:
    """Like a field map, but a name that is no CRM field may be one of the target CRM's own:
    those are checked by :func:`check_target_names` once the whole file is read."""
    def name_ok(name: Any) -> bool:
        if isinstance(name, str) and name.strip():
            return True
        problems.append(f"{setting.where}: {_shown(name)} is not a field name")
        return False

    return _text_map(value, setting, problems, name_ok)


def _extra_fields(value: Any, setting: Setting, problems: Problems) -> Any:
    """Header -> {entity, codes}: the target's own fields a definition declares."""
    mapping = _mapping(value, setting, problems)
    if mapping is None:
        return SKIP
    out: dict[str, dict[str, Any]] = {}
    before = len(problems)
    for header, spec in mapping.items():
        where = _at(setting, header)
        spec = {"entity": spec} if isinstance(spec, str) else spec
        if not isinstance(header, str) or not isinstance(spec, dict):
            problems.append(f"{where}: expected 'header: entity' or 'header: {{entity: person, "
                            "codes: [...]}}'")
            continue
        for key in spec:
            if key not in ("entity", "codes"):
                problems.append(f"{where}: unknown key {_shown(key)}; use entity, codes")
        entity, codes = spec.get("entity"), spec.get("codes", [])
        if entity not in EXTRA_ENTITIES:
            problems.append(f"{where}.entity: {_shown(entity)} is not allowed; "
                            f"use {', '.join(EXTRA_ENTITIES)}")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            problems.append(f"{where}.codes: expected a list of codes in quotes")
        elif header in TARGET_BY_NAME:
            problems.append(f"{where}: a CRM field; no need to declare it")
        else:
            out[header] = {"entity": entity, "codes": list(codes)} if codes else {"entity": entity}
    return SKIP if len(problems) > before else out


def check_target_names(values: dict[str, Any], problems: Problems) -> None:
    """Every name under fixed / defaults is a CRM field or a target's own field (declared by a
    shipped layout, by the definition's target layout, or under extra_fields); which target's is
    checked when the run knows its target (workbench/crm/target_fields.py)."""
    from workbench.crm.target_fields import declared_names

    names = [(SETTING_BY_ATTR[a], n) for a in ("fixed", "defaults") for n in values.get(a, {})
             if n not in TARGET_BY_NAME]
    if not names:
        return
    target = values.get("target")
    declared = declared_names(target) | set(values.get("extra_fields", {}))
    for setting, name in names:
        if name not in declared:
            known = [t.name for t in TARGETS] + sorted(declared)
            hint = nearest(name, known)
            advice = f"did you mean '{hint}'?" if hint else \
                "a field of the target CRM is declared under extra_fields"
            problems.append(f"{setting.where}: {_shown(name)} is not a CRM field ({advice})")


def _choice_map(value: Any, setting: Setting, problems: Problems) -> Any:
    """Field -> one of the setting's choices (an update policy, a date format)."""
    mapping = _mapping(value, setting, problems)
    if mapping is None:
        return SKIP
    before = len(problems)
    for name, policy in mapping.items():
        where = _at(setting, name)
        _field_name(name, setting.where, problems)
        if not isinstance(policy, str) or policy not in setting.choices:
            problems.append(f"{where}: {_shown(policy)} is not allowed; "
                            f"{_unknown(policy, setting.choices)}")
    return SKIP if len(problems) > before else dict(mapping)


def _export_column(key: Any) -> bool:
    table, _, column = str(key).partition(".")
    return table in CRM_TABLES and column in (*CRM_TABLES[table], *EXPORT_EXTRA_COLUMNS)


def _header_map(value: Any, setting: Setting, problems: Problems) -> Any:
    from workbench.export import csv_safe  # the formula rule of exported values, in one place

    mapping = _mapping(value, setting, problems)
    if mapping is None:
        return SKIP
    out: dict[str, str] = {}
    before = len(problems)
    for key, item in mapping.items():
        where = _at(setting, key)
        if not _export_column(key):
            problems.append(f"{setting.where}: {_shown(key)} is not 'table.column' of a CRM table")
        text = None if item is None else _cell_text(item, where, problems)
        if text is not None and csv_safe(text) != text:
            problems.append(f"{where}: header {_shown(text)} starts like a spreadsheet formula "
                            "(= + - @); choose a header that does not")
        elif text is not None:
            out[str(key)] = text
    return SKIP if len(problems) > before else out


KINDS: dict[str, Callable[[Any, Setting, Problems], Any]] = {
    "text": _text, "flag": _flag, "entity_flags": _entity_flags, "share": _share, "choice": _choice,
    "choice_list": _choice_list, "field_list": _field_list, "field_map": _field_map,
    "choice_map": _choice_map, "header_map": _header_map, "target_map": _target_map,
    "extra_fields": _extra_fields,
}
# What an empty key ("inherit:" with nothing after it) means, per kind; None: it is a problem.
_EMPTY: dict[str, Any] = {"choice_list": (), "field_list": (), "field_map": {},
                          "choice_map": {}, "header_map": {}, "target_map": {},
                          "extra_fields": {}}


def _children(section: str) -> list[str]:
    """Names of the sections directly inside ``section``."""
    prefix = f"{section}." if section else ""
    names = [s.section[len(prefix):].split(".")[0] for s in SETTINGS
             if s.section.startswith(prefix) and s.section != section]
    return list(dict.fromkeys(names))


def _read_value(setting: Setting, value: Any, problems: Problems) -> Any:
    if value is None:
        if setting.kind == "text":
            return setting.default
        if setting.kind in _EMPTY:
            return _EMPTY[setting.kind]
        problems.append(f"{setting.where}: no value given")
        return SKIP
    return KINDS[setting.kind](value, setting, problems)


def read_section(data: dict[Any, Any], section: str, problems: Problems) -> dict[str, Any]:
    """Attribute -> checked value for the keys given in ``data`` (one section and those inside)."""
    settings = [s for s in SETTINGS if s.section == section]
    children = _children(section)
    known = [*(s.key for s in settings), *children]
    for key in data:
        if key not in known:
            inside = f"{section}: " if section else ""
            what = "key" if section else "section"
            problems.append(f"{inside}unknown {what} {_shown(key)}; {_unknown(key, known)}")
    values: dict[str, Any] = {}
    for child in children:
        inner = data.get(child)
        path = f"{section}.{child}" if section else child
        if inner is None:
            continue
        if not isinstance(inner, dict):
            problems.append(f"{path}: expected 'key: value' lines, got {_shown(inner)}")
            continue
        values.update(read_section(inner, path, problems))
    for setting in settings:
        if setting.key in data:
            value = _read_value(setting, data[setting.key], problems)
            if value is not SKIP:
                values[setting.attr] = value
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def write_settings(definition: Any) -> dict[str, Any]:
    """Every setting of ``definition`` in the nested layout of a definition file."""
    out: dict[str, Any] = {}
    for setting in SETTINGS:
        value: Any = definition
        for part in setting.attr.split("."):
            value = getattr(value, part)
        if setting.saved_when_set and value == setting.default:
            continue
        target = out
        for part in filter(None, setting.section.split(".")):
            target = target.setdefault(part, {})
        target[setting.key] = _plain(value)
    return out
