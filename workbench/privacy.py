"""Masking of personal identifiers (BSN, birth dates) in reports and logs, and the test that
finds them by their content, whatever a column is called."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from stdnum.nl import bsn as _bsn

_DIGITS = re.compile(r"\d")
_SEPARATORS = re.compile(r"[\s.\-]")

# Fields whose values are never shown in full outside the change set itself.
SENSITIVE_FIELDS = frozenset({"person_birth_date", "birth_date", "person_bsn", "bsn"})

# Share of a column's values that must be nine-digit numbers, and of those the share that must
# pass the 11-test, to call the column BSNs: one random nine-digit number (a phone without its
# 0) in 11 passes it, so three in ten is no chance, and a list's typos do not hide its BSNs.
# One distinct value passing by chance is not enough, unless it is the only one.
BSN_SHAPED_MIN = 0.5
BSN_PASS_MIN = 0.3
# Share of a column's values that must be dates a person alive may be born on (1900 up to
# twelve years ago) to call the column birth dates.
BIRTH_DATE_MIN = 0.5
_YOUNGEST = 12
_OLDEST = 1900


def mask_value(value: object) -> object:
    """Mask a BSN or birth date: keep its shape, hide its digits (``1985-03-02`` -> ``****-**-**``)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    return _DIGITS.sub("*", str(value))


def looks_like_bsn(value: object) -> bool:
    """Whether a value is a BSN by its content: nine digits (spaces, dots, dashes aside) that
    pass the 11-test, whatever its column is called."""
    return isinstance(value, str) and (n := _nine_digits(value)) is not None and _bsn.is_valid(n)


def masked_frame(frame: pd.DataFrame, columns: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of a frame for a report: ``columns`` masked whole, and every other cell that is a
    BSN by its content (one typed into a phone column)."""
    out = frame.copy()
    for column in out.columns:
        if column == "source_row":
            continue
        values = out[column].astype(object)
        hide = np.ones(len(out), dtype=bool) if column in columns else \
            np.fromiter((looks_like_bsn(v) for v in values), dtype=bool, count=len(out))
        if hide.any():
            out[column] = values.where(~hide, values.map(mask_value))
    return out


def _nine_digits(value: str) -> str | None:
    compact = _SEPARATORS.sub("", value)
    return compact if len(compact) == 9 and compact.isdigit() else None


def _birth_like(value: str, latest: int) -> bool:
    # imported here: the standardisers import this module for mask_value
    from workbench.standardise.dates import date_parts

    parts = date_parts(value.strip())
    return parts is not None and (parts[3] or _OLDEST <= parts[0] <= latest)


def _share(hits: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float(weights[hits].sum() / total) if total else 0.0


def sensitive_content(values: Sequence[str], weights: Sequence[int] | None = None) -> str | None:
    """``"bsn"`` or ``"birth_date"`` when a column's (distinct) values say it holds them, else
    None; ``weights`` are the rows per value."""
    if not len(values):
        return None
    w = np.ones(len(values), dtype=np.int64) if weights is None else np.asarray(weights)
    nine = [_nine_digits(str(v)) for v in values]
    shaped = np.fromiter((n is not None for n in nine), dtype=bool, count=len(values))
    if _share(shaped, w) >= BSN_SHAPED_MIN:
        passing = np.fromiter((n is not None and _bsn.is_valid(n) for n in nine), dtype=bool,
                              count=len(values))
        if (_share(passing, w) >= BSN_PASS_MIN * _share(shaped, w)
                and (passing.sum() >= 2 or passing.sum() == shaped.sum())):
            return "bsn"
    latest = dt.date.today().year - _YOUNGEST
    born = np.fromiter((_birth_like(str(v), latest) for v in values), dtype=bool,
                       count=len(values))
    return "birth_date" if _share(born, w) >= BIRTH_DATE_MIN else None

