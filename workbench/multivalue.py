"""Cells that hold several values and phones labelled per row, spread over a field's columns.

Google Contacts writes all e-mail addresses (or phones) of one label in one cell, joined by
``" ::: "``, and says per row what kind of phone a "Phone 1 - Value" is in "Phone 1 - Type"
(older exports) or "Phone 1 - Label" (newer ones): "Mobile", "Work", "* Mobile" (the star marks
the primary one). Here, after the columns became fields and before standardising, a split cell
gives its first value to the field its column is mapped to and the others to the 2nd-5th
columns of that field (``contact_email_2`` ..), a phone labelled Mobile goes to the mobiles,
and a value beyond the fifth is listed as a problem, never dropped without a word.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from workbench.fields import MAX_VALUES

SEPARATOR = ":::"
# The fields a row may give up to MAX_VALUES times (standardise.MULTI_VALUED): <field>_2 .. _5.
FAMILIES = ("contact_email", "org_email", "contact_phone", "contact_mobile", "org_phone")
PHONES = ("contact_phone", "contact_mobile", "org_phone")
# Labels (folded, the primary star removed) that make a phone a mobile, in Google's words and
# the Dutch ones of a Dutch account.
MOBILE_LABELS = frozenset({"mobile", "mobiel", "cell", "gsm", "iphone", "mobile phone",
                           "mobiele telefoon"})
_NOUNS = {"contact_email": "e-mail address", "org_email": "e-mail address",
          "contact_phone": "phone number", "org_phone": "phone number",
          "contact_mobile": "mobile number"}
_SPLIT = re.compile(r"\s*:::\s*")
_GOOGLE_VALUE = re.compile(r"(.+?)\s*-\s*value", re.I)
_PROBLEM_COLUMNS = ("source_row", "field", "value", "problem", "severity")


def family_of(field: str) -> str | None:
    """The field a 2nd-5th column belongs to (``contact_email_3`` -> ``contact_email``), or
    the field itself; None for fields that take one value."""
    base, _, k = field.rpartition("_")
    if base in FAMILIES and k.isdigit() and 2 <= int(k) <= MAX_VALUES:
        return base
    return field if field in FAMILIES else None


def slots_of(family: str) -> list[str]:
    """The columns of a field, in order: ``contact_email``, ``contact_email_2`` .. ``_5``."""
    return [family, *(f"{family}_{k}" for k in range(2, MAX_VALUES + 1))]


def label_columns(headers: Sequence[str], columns: Mapping[str, str]) -> dict[str, str]:
    """Phone field -> the column that labels it per row ("Phone 1 - Value" -> "Phone 1 - Type"
    or "Phone 1 - Label"), for the phone fields mapped to such a column."""
    by_folded = {str(h).strip().casefold(): str(h) for h in headers}
    out: dict[str, str] = {}
    for field, header in columns.items():
        if family_of(field) not in PHONES or not (m := _GOOGLE_VALUE.fullmatch(str(header))):
            continue
        for word in ("type", "label"):
            if (found := by_folded.get(f"{m[1]} - {word}".casefold())) is not None:
                out[field] = found
                break
    return out


def _values(cell: object) -> list[str]:
    if not isinstance(cell, str) or not cell.strip():
        return []
    return [v for v in _SPLIT.split(cell.strip()) if v]


def _is_mobile(label: str) -> bool:
    return label.strip().lstrip("*").strip().casefold() in MOBILE_LABELS


def _destinations(field: str, values: list[str], label: object) -> list[str]:
    """Per value, the field it belongs to: a labelled phone goes by its label."""
    own = family_of(field) or field
    labels = _values(label)
    if own not in PHONES or not labels:
        return [own] * len(values)
    # one label for the cell, or one per value when Google joined the labels too
    per_value = labels if len(labels) == len(values) else [labels[0]] * len(values)
    return ["contact_mobile" if _is_mobile(lab)
            else ("contact_phone" if own == "contact_mobile" else own) for lab in per_value]


def _rows_to_spread(mapped: pd.DataFrame, fields: list[str], raw: pd.DataFrame,
                    labels: dict[str, str]) -> np.ndarray:
    """Rows with a cell of several values or a phone its label sends elsewhere."""
    todo = np.zeros(len(mapped), dtype=bool)
    for field in fields:
        text = mapped[field].astype("string")
        todo |= text.str.contains(SEPARATOR, regex=False).fillna(False).to_numpy(dtype=bool)
    for field, column in labels.items():
        label = raw[column].astype("string").str.strip().str.lstrip("*").str.strip()
        mobile = label.str.casefold().isin(MOBILE_LABELS).fillna(False).to_numpy(dtype=bool)
        given = label.fillna("").ne("").to_numpy(dtype=bool)
        filled = mapped[field].astype("string").fillna("").str.strip().ne("").to_numpy(
            dtype=bool)
        moves = ~mobile & given if family_of(field) == "contact_mobile" else mobile
        todo |= moves & filled
    return todo


def _spread_row(cells: dict[str, np.ndarray], label_cells: dict[str, np.ndarray],
                fields: list[str], i: int) -> list[tuple[str, str, str]]:
    """Spread row ``i`` of ``cells`` (field -> values, changed in place; new 2nd-5th columns
    added); returns the values beyond the fifth as (value, field it came from, family)."""
    # family -> (value, field it came from): a field's own values first, those its label sent
    # from another field after them
    own_values: dict[str, list[tuple[str, str]]] = {}
    moved: dict[str, list[tuple[str, str]]] = {}
    touched: set[str] = set()
    for field in fields:
        values = _values(cells[field][i])
        dests = _destinations(field, values, label_cells[field][i] if field in label_cells
                              else None)
        own = family_of(field) or field
        if len(values) > 1 or any(d != own for d in dests):
            touched.update({own, *dests})
        for value, dest in zip(values, dests, strict=True):
            (own_values if dest == own else moved).setdefault(dest, []).append((value, field))
    size = len(cells[fields[0]])
    left_out = []
    # only the fields this row splits or moves are laid out again, in a fixed order
    for family in (f for f in FAMILIES if f in touched):
        placed = own_values.get(family, []) + moved.get(family, [])
        for slot, (value, _) in zip(slots_of(family), placed, strict=False):
            cells.setdefault(slot, np.full(size, None, dtype=object))[i] = value
        for slot in slots_of(family)[len(placed):]:
            if slot in cells:
                cells[slot][i] = None
        left_out.extend((value, field, family) for value, field in placed[MAX_VALUES:])
    return left_out


def spread_values(mapped: pd.DataFrame, raw: pd.DataFrame, columns: Mapping[str, str]
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mapped frame with several-value cells split over a field's 2nd-5th columns and
    labelled phones moved to their kind, and the problems (values beyond the fifth, left out).

    ``columns``: the definition's field -> file column, to find Google's phone labels in
    ``raw``. ``mapped`` is not changed; rows without such cells keep their values as mapped.
    """
    fields = [f for family in FAMILIES for f in slots_of(family) if f in mapped.columns]
    labels = label_columns([c for c in raw.columns if c != "source_row"],
                           {f: c for f, c in columns.items() if f in fields})
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in _PROBLEM_COLUMNS})
    todo = _rows_to_spread(mapped, fields, raw, labels) if fields else np.zeros(0, bool)
    if not todo.any():
        return mapped, empty
    out = mapped.copy()
    cells = {f: out[f].to_numpy(dtype=object).copy() for f in fields}
    label_cells = {f: raw[c].to_numpy(dtype=object) for f, c in labels.items()}
    source_rows = out["source_row"].to_numpy() if "source_row" in out else \
        np.arange(1, len(out) + 1)
    problems: list[tuple] = []
    for i in np.flatnonzero(todo):
        problems.extend((source_rows[i], field, value,
                         f"{_NOUNS[family]} '{value}' left out: a row keeps at most {MAX_VALUES}",
                         "warning") for value, field, family in _spread_row(cells, label_cells,
                                                                             fields, i))
    for field, values in cells.items():
        out[field] = values
    found = pd.DataFrame(problems, columns=list(_PROBLEM_COLUMNS)) if problems else empty
    return out, found
