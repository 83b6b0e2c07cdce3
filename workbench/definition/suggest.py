"""A definition suggested from a file's headers and values, and a definition checked against a file."""
from __future__ import annotations

from workbench.definition.model import Definition
from workbench.errors import DefinitionError
from workbench.fields import HEADER_TARGETS, MEANING_TARGET, TARGETS, header_key


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
