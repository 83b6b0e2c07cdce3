"""Apply an import definition to a read file, and the logic behind the mapping screen."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.definition import (
    ORG_KEYS,
    PERSON_KEYS,
    POLICIES,
    Definition,
    check_against_headers,
    load_definition,
)
from workbench.fields import TARGET_BY_NAME, TARGETS
from workbench.labels import field_label, label
from workbench.privacy import mask_value
from workbench.validate import USABLE_ADDRESS

NONE = "(none)"  # the dropdown choice for "no column"

# What standardisation does to each field: shown next to the mapping so nothing is a surprise.
TRANSFORMS: dict[str, str] = {
    "org_name": "tidy spaces and case; legal form (B.V., V.O.F.) recognised",
    "org_kvk_number": "8 digits; a lost leading zero restored",
    "org_address_line": "split into street, house number, addition",
    "org_street": "tidy spaces and case",
    "org_house_number": "number; an addition (12a, 12-3) split off",
    "org_house_number_addition": "upper case, no separators",
    "org_postcode": "1234 AB",
    "org_city": "canonical place name ('s-Gravenhage for Den Haag)",
    "org_country": "ISO code (NL)",
    "org_phone": "E.164 (+31…), default country from the definition",
    "org_email": "lower case, checked",
    "org_website": "host name, no http:// or trailing slash",
    "person_salutation": "gender from the salutation (Dhr. → M, Mevr. → F)",
    "person_initials": "J.P.",
    "person_first_name": "tidy spaces and case",
    "person_name_prefix": "lower case (van der)",
    "person_last_name": "tussenvoegsel split off (de Vries → de + Vries)",
    "person_full_name": "split into initials, first name, prefix, last name",
    "person_gender": "M / F / X",
    "person_birth_date": "ISO date (masked in reports)",
    "person_bsn": "nine digits, 11-test (masked in reports)",
    "contact_job_title": "tidy spaces",
    "contact_email": "lower case, checked",
    "contact_phone": "E.164 (+31…)",
    "contact_mobile": "E.164 (+316…)",
}

# Fields that stand for others: a full-name column gives the last name, an address line the
# street and number.
_PROVIDES = {"org_address_line": ("org_street", "org_house_number", "org_house_number_addition"),
             "person_full_name": ("person_last_name", "person_first_name", "person_initials",
                                  "person_name_prefix"),
             "person_salutation": ("person_gender",)}


def apply_definition(raw: pd.DataFrame, definition: Definition,
                     source: str | None = None) -> pd.DataFrame:
    """The file's values under CRM field names (source_row kept; a fixed value replaces the file's)."""
    headers = [c for c in raw.columns if c != "source_row"]
    check_against_headers(definition, headers, source)
    mapped = pd.DataFrame({"source_row": raw["source_row"].to_numpy()}, index=raw.index)
    for target, column in definition.columns.items():
        mapped[target] = raw[column].to_numpy(dtype=object)
    for target, value in definition.fixed.items():
        # "instead of a column": fixed wins over the file; definition.defaults fill new records.
        # A field of the target CRM only goes to its import file (workbench/crm/target_fields.py)
        if target in TARGET_BY_NAME:
            mapped[target] = value
    return mapped


def headers_of(raw: pd.DataFrame) -> list[str]:
    """The file's column names (without the added ``source_row``)."""
    return [str(c) for c in raw.columns if c != "source_row"]


def _provided(definition: Definition) -> set[str]:
    """Targets that get a value: mapped, fixed, or derived from a combined column."""
    have = set(definition.columns) | set(definition.fixed) | set(definition.defaults)
    for target in list(have):
        have.update(_PROVIDES.get(target, ()))
    return have


def address_fields(provided: set[str]) -> tuple[str, ...]:
    """The group of the usable-address rule (``validate.USABLE_ADDRESS``) the mapping gives
    whole, else the one it comes closest to (postcode + house number when it gives none)."""
    return max(USABLE_ADDRESS, key=lambda group: (all(t in provided for t in group),
                                                  sum(t in provided for t in group) / len(group)))


def provided_through(definition: Definition) -> dict[str, str]:
    """Target -> the mapped field that gives it (house number from an address line …)."""
    given = set(definition.columns) | set(definition.fixed) | set(definition.defaults)
    return {part: whole for whole in given for part in _PROVIDES.get(whole, ())
            if part not in given}


def _required_reasons(definition: Definition) -> dict[str, str]:
    """Target -> the catalogue key of why it is required (``required.*``, screen_sentences)."""
    need: dict[str, str] = {}
    if definition.creates("organisations"):
        need["org_name"] = "required.new_org_name"
        for target in address_fields(_provided(definition)):
            need[target] = "required.new_org_address"
    else:
        need["org_name"] = "required.org_by_name"
    if "kvk" in definition.org_keys:
        need["org_kvk_number"] = "required.org_key_kvk"
    if "name" in definition.org_keys:
        need["org_name"] = "required.org_key_name"
    if "address" in definition.org_keys:
        need["org_postcode"] = "required.org_key_address"
        need["org_house_number"] = "required.org_key_address"
    if definition.import_persons:
        need["person_last_name"] = "required.persons_imported"
    if definition.import_persons and "email" in definition.person_keys:
        need["contact_email"] = "required.person_key_email"
    if definition.import_persons and "name_gender" in definition.person_keys:
        need["person_gender"] = "required.person_key_name_gender"
        need["person_initials"] = "required.person_key_name_gender"
    return {t.name: need[t.name] for t in TARGETS if t.name in need}


def required_fields(definition: Definition, lang: str | None = None) -> dict[str, str]:
    """Target -> why it is required (in ``lang``), for the chosen match keys and actions."""
    return {target: label(key, lang) for target, key in _required_reasons(definition).items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a mapping, shown on the mapping screen as soon as it arises."""

    target: str | None
    message: str
    severity: str = "error"  # "error" blocks a run; "warning" is worth a look


def mapping_problems(definition: Definition, headers: list[str],
                     lang: str | None = None) -> list[Problem]:
    """What is wrong with the definition for a file with these headers, most serious first
    (said in ``lang``)."""
    problems: list[Problem] = []
    provided = _provided(definition)
    for target, column in definition.columns.items():
        if column not in headers:
            problems.append(Problem(target, label("mapping.no_column", lang, column=column,
                                                  field=field_label(target, lang))))
    for target, key in _required_reasons(definition).items():
        if target in provided:
            continue
        values = {"field": field_label(target, lang), "why": label(key, lang)}
        if "_key_" in key:  # a key without its field finds nothing, but the run still works
            problems.append(Problem(target, label("mapping.required_key", lang, **values),
                                    "warning"))
        else:
            problems.append(Problem(target, label("mapping.required", lang, **values)))
    used: dict[str, list[str]] = {}
    for target, column in definition.columns.items():
        used.setdefault(column, []).append(target)
    for column, targets in used.items():
        if len(targets) > 1:
            labels = ", ".join(field_label(t, lang) for t in targets)
            problems.append(Problem(targets[-1], label("mapping.column_twice", lang,
                                                       column=column, fields=labels), "warning"))
    if "org_address_line" in definition.columns and "org_street" in definition.columns:
        problems.append(Problem("org_street", label("mapping.line_and_street", lang), "warning"))
    if "always_new" in definition.person_keys and len(definition.person_keys) > 1:
        problems.append(Problem(None, label("mapping.always_new", lang), "warning"))
    return sorted(problems, key=lambda p: p.severity != "error")


def header_differences(definition: Definition, headers: list[str]) -> tuple[list[str], list[str]]:
    """(columns the definition uses that the file lacks, file columns the definition does not use)."""
    used = list(dict.fromkeys(definition.columns.values()))
    missing = [c for c in used if c not in headers]
    new = [h for h in headers if h not in set(used)]
    return missing, new


def fit_to_headers(definition: Definition, headers: list[str]) -> Definition:
    """The definition without the mappings of columns this file does not have."""
    return replace(definition, columns={t: c for t, c in definition.columns.items()
                                        if c in headers})


def preview_values(raw: pd.DataFrame, definition: Definition, n: int = 3) -> dict[str, list[str]]:
    """Target -> the first ``n`` values after mapping and standardisation, as shown to the user."""
    from workbench.standardise import StandardiseOptions, standardise_frame

    usable = fit_to_headers(definition, headers_of(raw))
    head = raw.head(max(n * 4, 20))  # a few more rows than shown: empty cells are skipped
    mapped = apply_definition(head, usable)
    from workbench.multivalue import spread_values

    mapped, _ = spread_values(mapped, head, usable.columns)  # "a ::: b": a is the first value
    options = StandardiseOptions(default_region=definition.default_region,
                                 lookup_city_from_postcode=definition.lookup_city_from_postcode,
                                 blocked_prefixes=definition.blocked_prefixes)
    std, _ = standardise_frame(mapped, options)
    out: dict[str, list[str]] = {}
    for target in TARGETS:
        name = target.name
        if name not in usable.columns and name not in usable.fixed:
            out[name] = []
            continue
        if name == "org_address_line":
            parts = std[["org_street", "org_house_number", "org_house_number_addition"]]
            series = parts.astype("string").fillna("").agg(" ".join, axis=1).str.strip()
        elif name == "person_full_name":
            parts = std[["person_initials", "person_name_prefix", "person_last_name"]]
            series = parts.astype("string").fillna("").agg(" ".join, axis=1).str.split().str.join(" ")
        elif name == "person_salutation":
            series = std["person_gender"]
        elif name in std.columns:
            series = std[name]
        else:
            series = mapped[name]
        values = [str(v) for v in series.tolist() if v is not None and not pd.isna(v)
                  and str(v).strip()]
        if name == "person_bsn":  # a screen shows a BSN as reports do: masked
            values = [str(mask_value(v)) for v in values]
        out[name] = values[:n]
    return out


def _target_only(values: dict[str, str]) -> dict[str, str]:
    return {t: v for t, v in values.items() if t not in TARGET_BY_NAME}


def definition_from_state(base: Definition, state: dict[str, Any]) -> Definition:
    """A definition from the mapping screen's state (keys not given keep ``base``'s values)."""
    columns = {t: c for t, c in state.get("columns", base.columns).items() if c and c != NONE}
    # the screen shows the CRM fields; the target CRM's own fields of ``base`` are kept
    fixed = {**_target_only(base.fixed), **{
        t: str(v).strip() for t, v in state.get("fixed", base.fixed).items()
        if v is not None and str(v).strip()}}
    defaults = {**_target_only(base.defaults), **{
        t: str(v).strip() for t, v in state.get("defaults", base.defaults).items()
        if v is not None and str(v).strip()}}
    org_keys = tuple(k for k in ORG_KEYS if k in state.get("org_keys", base.org_keys))
    person_keys = tuple(k for k in PERSON_KEYS if k in state.get("person_keys", base.person_keys))
    policy = state.get("update_policy", base.update_policy)
    if policy not in POLICIES:
        raise ValueError(f"update policy {policy!r} (use {', '.join(POLICIES)})")
    simple = {k: state[k] for k in ("name", "create_new", "update_existing", "import_persons",
                                    "lookup_city_from_postcode", "postal_is_visiting")
              if k in state}
    if isinstance(base.create_new, dict) and simple.get("create_new") == \
            base.creates("organisations"):
        del simple["create_new"]  # the checkbox shows organisations: a per-entity setting stays
    return replace(base, columns=columns, fixed=fixed, defaults=defaults, org_keys=org_keys,
                   person_keys=person_keys, update_policy=policy, **simple)


def definition_file(folder: str | Path, name: str) -> Path:
    """Where a definition called ``name`` is saved: ``<folder>/<name>.yml`` (a safe file name)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip()).strip("._")
    if not stem:
        raise ValueError("a definition needs a name (letters, digits, '-', '_' or '.')")
    return Path(folder) / f"{stem}.yml"


def save_named(definition: Definition, folder: str | Path, name: str) -> Path:
    """Save the definition under ``name`` in the definitions folder; returns the file."""
    path = definition_file(folder, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return replace(definition, name=name).save(path)


def list_definitions(folder: str | Path) -> list[str]:
    """Names of the definitions saved in the folder."""
    folder = Path(folder)
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def load_named(folder: str | Path, name: str, headers: list[str],
               lang: str | None = None) -> tuple[Definition, list[str]]:
    """Load a saved definition for a file; messages (in ``lang``) say which columns are missing
    or new."""
    definition = load_definition(definition_file(folder, name))
    missing, new = header_differences(definition, headers)
    messages = []
    if missing:
        lost = [f"'{c}' ({', '.join(field_label(t, lang) for t, col in definition.columns.items() if col == c)})"
                for c in missing]
        messages.append(label("mapping.missing_columns", lang, columns=", ".join(lost)))
    if new:
        messages.append(label("mapping.new_columns", lang,
                              columns=", ".join(f"'{c}'" for c in new)))
    return fit_to_headers(definition, headers), messages


def list_name(input_path: str | Path) -> str:
    """The name a list's definition is saved under: the file's name without its extension."""
    return Path(input_path).stem


def saved_for_list(definitions_dir: str | Path, input_path: str | Path) -> Path:
    """Where 02 saves this list's definition: ``<definitions_dir>/<list name>.yml``."""
    return definition_file(definitions_dir, list_name(input_path))


def definition_for_list(input_path: str | Path, definitions_dir: str | Path,
                        definition_path: str | Path | None = None,
                        lang: str | None = None) -> tuple[Path | None, str]:
    """The definition 03-05 use and a line (in ``lang``) saying which: the one given, else the
    one saved for this list in 02, else none (one is suggested from the file, as 02 does before
    saving)."""
    if definition_path:
        return Path(definition_path), label("definition.given", lang, path=definition_path)
    saved = saved_for_list(definitions_dir, input_path)
    if saved.exists():
        return saved, label("definition.saved", lang, path=saved)
    return None, label("definition.suggested", lang, path=saved)


def saved_message(saved: Path, definitions_dir: str | Path, input_path: str | Path,
                  lang: str | None = None) -> str:
    """What 02 says after saving: where, and which file 03-05 use when it is another one."""
    for_list = saved_for_list(definitions_dir, input_path)
    other = "" if saved == for_list else label("definition.other_name", lang, for_list=for_list,
                                                name=repr(list_name(input_path)))
    return label("definition.saved_as", lang, path=saved) + other
