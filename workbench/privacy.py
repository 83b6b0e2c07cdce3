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
