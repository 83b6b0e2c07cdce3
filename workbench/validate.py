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


NO_NAME = "no organisation name and no last name"


def row_rejections(std: pd.DataFrame, problems: pd.DataFrame,
                   reject_fields: tuple[str, ...] | None = None) -> pd.Series:
    """Reason per row that cannot be loaded whatever the CRM holds (None for good rows)."""
    if reject_fields is None:
        from workbench.definition import REJECT_INVALID

        reject_fields = REJECT_INVALID
    reasons: dict[int, list[str]] = {}
    by_row = pd.Series(std.index, index=std["source_row"].to_numpy())
    if not problems.empty:
        # an invalid value outside ``reject_fields`` (a birth date, a second e-mail) costs only
        # that value, which stays listed in problems.csv
        errors = problems[(problems["severity"] == "error")
                          & problems["field"].isin(reject_fields)]
        for row, field, problem in zip(errors["source_row"], errors["field"], errors["problem"],
                                       strict=True):
            label = TARGET_BY_NAME[field].label if field in TARGET_BY_NAME else field
            reasons.setdefault(int(by_row[row]), []).append(f"{label}: {problem}")
    has_org = _filled(std["org_name"]) | _filled(std["org_kvk_number"])
    has_person = _filled(std["person_last_name"])
    for idx in std.index[~has_org & ~has_person]:
        reasons.setdefault(idx, []).append(NO_NAME)
    out = pd.Series(None, index=std.index, dtype=object)
    for idx, texts in reasons.items():
        out[idx] = "; ".join(texts)
    return out


def existing_only(std: pd.DataFrame, rejections: pd.Series) -> pd.Series:
    """True for rows refused only for a missing last name that may still be an existing person.

    A row with a first name (or initials) but no last name cannot create a person, yet it can
    update one the CRM (or an earlier row of the file) already has: such rows go on to matching
    and are refused afterwards only if nobody is found.
    """
    first = _filled(std["person_first_name"])
    if "person_initials" in std:
        first |= _filled(std["person_initials"])
    return rejections.eq(NO_NAME) & first


def move_dates(mapped: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The move date of each row as an ISO date, and a rejection reason where it is no date."""
    empty = pd.Series(None, index=mapped.index, dtype=object)
    if "org_move_date" not in mapped:
        return empty, empty.copy()
    raw = mapped["org_move_date"]
    filled = _filled(raw)
    from workbench.standardise.dates import parse_date

    iso = raw.where(filled).map(lambda v: _iso(parse_date(v)) if isinstance(v, str) else None)
    bad = filled & iso.isna()
    reasons = empty.copy()
    reasons[bad] = "Move date: '" + raw[bad].astype(str) + "' is not a date (use 31-12-2026)"
    return iso.astype(object), reasons


def _iso(date: object) -> str | None:
    return date.isoformat() if date is not None else None


def has_address(std: pd.DataFrame) -> pd.Series:
    """True where a row has a usable visiting or postal address (postcode + number, or street + number + city)."""
    number = _filled(std["org_house_number"])
    return number & (_filled(std["org_postcode"]) | (_filled(std["org_street"]) & _filled(std["org_city"])))


def extra_contacts(mapped: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Department names and delivery addresses, standardised; a reason where one is unusable."""
    from workbench.standardise import city, postcode, split_address

    out = pd.DataFrame(index=mapped.index)
    reasons = pd.Series(None, index=mapped.index, dtype=object)
    name = mapped["department_name"] if "department_name" in mapped else \
        pd.Series(None, index=mapped.index, dtype=object)
    out["department_name"] = name.where(_filled(name)).map(
        lambda v: " ".join(str(v).split()) if isinstance(v, str) else None)
    empty = pd.Series(None, index=mapped.index, dtype=object)
    line = mapped.get("delivery_address_line", empty)
    pc = mapped.get("delivery_postcode", empty)
    place = mapped.get("delivery_city", empty)
    parts = split_address(line)
    codes = postcode(pc)
    out["delivery_street"] = parts["street"]
    out["delivery_house_number"] = parts["house_number"]
    out["delivery_house_number_addition"] = parts["house_number_addition"]
    out["delivery_postcode"] = codes["postcode"]
    out["delivery_city"] = city(place)["city"]
    given = _filled(line) | _filled(pc) | _filled(place)
    bad = given & (codes["postcode"].isna() | parts["house_number"].isna())
    for idx in out.index[bad]:
        problem = codes.at[idx, "problem"] or parts.at[idx, "problem"] or \
            "a delivery address needs a postcode and a house number"
        reasons[idx] = f"Delivery address: {problem}"
    return out, reasons
