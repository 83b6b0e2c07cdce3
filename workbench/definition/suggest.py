"""A definition suggested from a file's headers and values, and a definition checked against a file.

The list's shape decides what the suggestion does with its columns: without an organisation
column it is a list of private persons (address, phone and e-mail belong to the person);
with organisations and person names, organisations with contact persons; with organisations
only, no persons are made. Match keys follow from what the list holds, and every date column
gets the format its values are written in.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from workbench.definition.model import Definition
from workbench.definition.schema import default
from workbench.errors import DefinitionError
from workbench.fields import HEADER_TARGETS, MAX_VALUES, MEANING_TARGET, TARGETS, header_key
from workbench.standardise._common import ascii_fold, clean_many

PERSONS, ORGANISATIONS_WITH_PERSONS, ORGANISATIONS = ("persons", "organisations_with_persons",
                                                      "organisations")
_PERSON_NAMES = ("person_last_name", "person_full_name", "person_first_name")
# Fields only an organisation has: in a list of private persons a column that looks like one
# (a 7-digit number read as a KvK number, a web address) is left for the analyst to map.
_ORGANISATION_ONLY = ("org_kvk_number", "org_website", "org_move_date", "department_name",
                      "contact_job_title", "delivery_address_line", "delivery_postcode",
                      "delivery_city")
# On a private person the organisation's e-mail and phone columns are the person's own.
_TO_PERSON = {"org_email": "contact_email", "org_phone": "contact_phone"}
_TO_ORGANISATION = {"contact_email": "org_email", "contact_phone": "org_phone"}
DATE_FIELDS = ("person_birth_date", "org_move_date")


def suggest_columns(headers: list[str], meanings: dict[str, str] | None = None) -> dict[str, str]:
    """Suggest target -> column from header names (nl/en synonyms), then from detected meanings."""
    from rapidfuzz import fuzz, process

    chosen: dict[str, str] = {}
    used: set[str] = set()
    keys = {h: header_key(h) for h in headers}
    for header, key in keys.items():  # exact synonyms first: they are never wrong
        target = HEADER_TARGETS.get(key)
        if target and target not in chosen:
            chosen[target] = header
            used.add(header)
    choices = list(HEADER_TARGETS)
    for header, key in keys.items():  # then close spellings ("Bedrijfs naam", "Postcode NL")
        if header in used or not key:
            continue
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=88)
        if hit and HEADER_TARGETS[hit[0]] not in chosen:
            chosen[HEADER_TARGETS[hit[0]]] = header
            used.add(header)
    for header, meaning in (meanings or {}).items():  # finally what the values look like
        target = MEANING_TARGET.get(meaning)
        if header not in used and target and target not in chosen:
            chosen[target] = header
            used.add(header)
    _one_address_per_line(chosen)
    return {t.name: chosen[t.name] for t in TARGETS if t.name in chosen}


def _one_address_per_line(chosen: dict[str, str]) -> None:
    """Street columns read as precisely as the list allows (changes ``chosen``)."""
    if "org_address_line" in chosen and "org_street" in chosen:
        chosen.pop("org_address_line")  # separate street columns are more precise
    if "org_address_line" in chosen and "org_house_number" in chosen:
        # "address_1" beside "street_number": the line is the street, the number is apart
        chosen["org_street"] = chosen.pop("org_address_line")
    for k in range(2, MAX_VALUES + 1):
        # "Address 2" without a postcode or place of its own is the first address's second
        # line (a building name, "2nd floor"), not a second address
        line = f"org_address_line_{k}"
        if line in chosen and f"org_postcode_{k}" not in chosen and f"org_city_{k}" not in chosen:
            chosen.pop(line)


def list_shape(columns: dict[str, str]) -> str:
    """What a list holds, from its mapped columns: persons, organisations with persons, or
    organisations. A KvK number names an organisation only when its header says so (a column
    of 7-digit numbers may be anything)."""
    kvk = columns.get("org_kvk_number")
    if "org_name" not in columns and not (kvk and HEADER_TARGETS.get(header_key(kvk))
                                          == "org_kvk_number"):
        return PERSONS
    if any(name in columns for name in _PERSON_NAMES):
        return ORGANISATIONS_WITH_PERSONS
    return ORGANISATIONS


def _shaped(columns: dict[str, str], shape: str) -> dict[str, str]:
    """The columns as the shape reads them (contact details moved to whom they belong)."""
    out = dict(columns)
    if shape == PERSONS:
        for target in _ORGANISATION_ONLY:
            out.pop(target, None)
        moves = _TO_PERSON
    elif shape == ORGANISATIONS:
        moves = _TO_ORGANISATION
    else:
        moves = {}
    for source, target in moves.items():
        if source in out and target not in out:
            out[target] = out.pop(source)
    order = [t.name for t in TARGETS]
    return dict(sorted(out.items(), key=lambda item: order.index(item[0])))


def _match_keys(columns: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Organisation and person keys for what the list holds: an exact key only where the list
    has its value, then the fuzzy comparison."""
    org = (*(("kvk",) if "org_kvk_number" in columns else ()), "fuzzy")
    person = (*(("bsn",) if "person_bsn" in columns else ()),  # one number per citizen
              *(("email",) if "contact_email" in columns else ()),
              *(("person_id",) if "person_crm_id" in columns else ()), "fuzzy")
    return org, person


def suggest_date_formats(columns: dict[str, str], values: pd.DataFrame | None
                         ) -> dict[str, str]:
    """Date field -> the format its column's values are written in (where they say)."""
    from workbench.standardise.dates import infer_date_format

    if values is None:
        return {}
    found = {target: infer_date_format(values[columns[target]]) for target in DATE_FIELDS
             if target in columns and columns[target] in values}
    return {target: fmt for target, fmt in found.items() if fmt}


@lru_cache(maxsize=1)
def _regions() -> dict[str, frozenset[str]]:
    """A region's code or name, folded ("nsw", "new south wales") -> the countries it is in."""
    import pycountry

    out: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        for word in (sub.code.partition("-")[2], sub.name):
            out.setdefault(ascii_fold(word), set()).add(sub.country_code)
    return {word: frozenset(codes) for word, codes in out.items()}


def _region_country(column: pd.Series) -> str | None:
    """The one country whose regions (states, provinces) nearly all of a column's values name."""
    texts = pd.Series(clean_many(column.to_numpy(dtype=object)), dtype=object).dropna()
    counts = texts.map(ascii_fold).value_counts()
    if len(counts) < 3 or len(counts) > 200:  # a handful of regions, not free text
        return None
    votes: dict[str, int] = {}
    for word, n in counts.items():
        for code in _regions().get(word, ()):
            votes[code] = votes.get(code, 0) + int(n)
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 0.9 * counts.sum():
        return None
    if len(ranked) > 1 and ranked[1][1] >= 0.5 * counts.sum():
        return None  # the region words fit two countries alike
    return ranked[0][0]


def suggest_country(columns: dict[str, str], values: pd.DataFrame | None) -> str | None:
    """The country of a list without a country column, where its values say so: its postcodes
    are not Dutch and one column names the regions of one country ("nsw", "vic": Australia)."""
    from workbench.standardise.postcode import valid_postcodes

    if values is None or "org_country" in columns or "org_postcode" not in columns:
        return None
    codes = pd.Series(clean_many(values[columns["org_postcode"]].to_numpy(dtype=object)),
                      dtype=object).dropna()
    if not len(codes) or valid_postcodes(list(codes)).mean() >= 0.5:
        return None  # Dutch postcodes: a Dutch list (foreign rows need a country column)
    used = set(columns.values())
    for header in values.columns:
        if header != "source_row" and header not in used:
            if found := _region_country(values[header]):
                return found
    return None


def suggest_definition(headers: list[str], meanings: dict[str, str] | None = None,
                       name: str = "incoming", values: pd.DataFrame | None = None
                       ) -> Definition:
    """A definition for a file with these headers (and ``values``, the file itself, when given:
    its date formats), shaped by what the list holds."""
    columns = suggest_columns(headers, meanings)
    shape = list_shape(columns)
    columns = _shaped(columns, shape)
    org_keys, person_keys = _match_keys(columns)
    country = suggest_country(columns, values)
    # a country the values name is the list's own: every row is read as an address there
    fixed = {"org_country": country} if country else {}
    defaults = {} if "org_country" in columns or country else {"org_country": "NL"}
    return Definition(name=name, columns=columns, fixed=fixed, defaults=defaults,
                      org_keys=org_keys, person_keys=person_keys,
                      import_persons=shape != ORGANISATIONS,
                      default_region=country or default("default_region"),
                      date_formats=suggest_date_formats(columns, values))


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
