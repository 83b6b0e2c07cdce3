"""Row checks before matching: refused rows get a reason the analyst can act on."""
from __future__ import annotations

import pandas as pd

from workbench.fields import TARGET_BY_NAME


def _filled(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype("string").str.strip() != "")


def blank_rows(raw: pd.DataFrame) -> pd.Series:
    """True for rows with no value at all."""
    values = raw.drop(columns=["source_row"])
    return ~values.notna().any(axis=1) if len(values.columns) else pd.Series(True, index=raw.index)


def row_rejections(std: pd.DataFrame, problems: pd.DataFrame) -> pd.Series:
    """Reason per row that cannot be loaded whatever the CRM holds (None for good rows)."""
    reasons: dict[int, list[str]] = {}
    by_row = pd.Series(std.index, index=std["source_row"].to_numpy())
    if not problems.empty:
        errors = problems[problems["severity"] == "error"]
        for row, field, problem in zip(errors["source_row"], errors["field"], errors["problem"],
                                       strict=True):
            label = TARGET_BY_NAME[field].label if field in TARGET_BY_NAME else field
            reasons.setdefault(int(by_row[row]), []).append(f"{label}: {problem}")
    has_org = _filled(std["org_name"]) | _filled(std["org_kvk_number"])
    has_person = _filled(std["person_last_name"])
    for idx in std.index[~has_org & ~has_person]:
        reasons.setdefault(idx, []).append("no organisation name and no last name")
    out = pd.Series(None, index=std.index, dtype=object)
    for idx, texts in reasons.items():
        out[idx] = "; ".join(texts)
    return out


def has_address(std: pd.DataFrame) -> pd.Series:
    """True where a row has a usable visiting or postal address (postcode + number, or street + number + city)."""
    number = _filled(std["org_house_number"])
    return number & (_filled(std["org_postcode"]) | (_filled(std["org_street"]) & _filled(std["org_city"])))
