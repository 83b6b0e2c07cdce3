"""Masking of personal identifiers (BSN, birth dates) in reports and logs."""
from __future__ import annotations

import re

import pandas as pd

_DIGITS = re.compile(r"\d")

# Fields whose values are never shown in full outside the change set itself.
SENSITIVE_FIELDS = frozenset({"person_birth_date", "birth_date", "person_bsn", "bsn"})


def mask_value(value: object) -> object:
    """Mask a BSN or birth date: keep its shape, hide its digits (``1985-03-02`` -> ``****-**-**``)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    return _DIGITS.sub("*", str(value))


def mask_frame(frame: pd.DataFrame, fields: frozenset[str] = SENSITIVE_FIELDS) -> pd.DataFrame:
    """Return a copy of ``frame`` with every sensitive column masked."""
    out = frame.copy()
    for column in out.columns:
        if column in fields or any(str(column).endswith(f"_{f}") for f in fields):
            out[column] = out[column].map(mask_value)
    return out
