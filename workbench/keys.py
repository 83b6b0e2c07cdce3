"""Match keys: the same standardised comparison values for CRM records and incoming rows."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from workbench.standardise.email import GENERIC_MAIL_DOMAINS

# Words too common in Dutch organisation names to block on.
_COMMON_TOKENS = frozenset({
    "de", "het", "van", "en", "der", "den", "te", "ter", "ten", "the", "and", "zn", "groep",
    "holding", "nederland", "bv", "nv", "vof", "cv", "stichting", "vereniging", "bakkerij",
    "installatietechniek", "bouw", "advies", "services", "service", "techniek", "handel",
})


def _per_value(series: pd.Series, op: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``op`` (a text operation that keeps NA as NA) on a ``string`` series, run once per
    distinct value: many rows share a value."""
    codes, uniques = pd.factorize(series)
    done = op(pd.Series(uniques.array, dtype="string")).array
    return pd.Series(done.take(codes, allow_fill=True), index=series.index, name=series.name)


def _domain(series: pd.Series) -> pd.Series:
    dom = _per_value(series.astype("string"), lambda s: s.str.extract(
        r"@([^@\s]+)$", expand=False).str.lower())
    return dom.where(~dom.isin(GENERIC_MAIL_DOMAINS))


def _web_domain(series: pd.Series) -> pd.Series:
    return _per_value(series.astype("string"), lambda s: s.str.lower().str.replace(
        r"^(https?://)?(www\.)?", "", regex=True).str.extract(r"^([^/\s]+)", expand=False))


_SPACES = re.compile(r"\s+")


def _tokens(name_key: str | None) -> tuple[str | None, str | None]:
    if not isinstance(name_key, str):
        return None, None
    words = [w for w in _SPACES.split(name_key) if len(w) >= 3 and w not in _COMMON_TOKENS]
    if not words:
        words = [w for w in name_key.split() if w] or [None]
    return words[0], max(words, key=lambda w: len(w or ""))


def _blank_to_na(series: pd.Series) -> pd.Series:
    """Text without surrounding spaces as pandas ``string``; empty text and missing values NA."""
    if series.dtype == object:
        # strip each distinct text once (codes -1 are None, NaN and NA); only when every
        # distinct value is text, since factorize would fold 1, 1.0 and True into one value
        codes, uniques = pd.factorize(series.to_numpy())
        if len(uniques) == 0 or pd.api.types.infer_dtype(uniques, skipna=False) == "string":
            stripped = pd.array([u.strip() or pd.NA for u in uniques], dtype="string")
            return pd.Series(stripped.take(codes, allow_fill=True), index=series.index,
                             name=series.name)
    s = series.astype("string").str.strip()
    return s.mask(s == "")


# The part of a foreign postcode that names an area, as PC4 does in the Netherlands: the outward
# code in Britain, Ireland and Canada ("SW1A 1AA" -> "SW1A"), the five-digit ZIP in the US.
_AREA = {"GB": r"^(\S+)\s", "IE": r"^(\S+)\s", "CA": r"^(\S+)\s", "US": r"^(\d{5})"}


def _addition_key(series: pd.Series) -> pd.Series:
    """Additions compared without punctuation or spaces: ``Apt. 5`` and ``APT 5`` agree."""
    return _blank_to_na(_per_value(_blank_to_na(series), lambda s: s.str.upper().str.replace(
        r"[^0-9A-Z]", "", regex=True)))


def postcode_keys(std: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Comparison postcode and area (PC4) per row; a foreign one carries its country (``DE 10115``)
    so that a German and an American postcode of the same digits never agree."""
    postcode = _blank_to_na(std["org_postcode"]).str.upper()
    pc4 = _blank_to_na(std["org_pc4"]) if "org_pc4" in std else pd.Series(
        pd.NA, index=std.index, dtype="string")
    if "org_country" not in std:
        return postcode, pc4
    country = _blank_to_na(std["org_country"]).str.upper()
    foreign = (country.notna() & (country != "NL")).to_numpy(dtype=bool)
    if not foreign.any():
        return postcode, pc4
    zip5 = postcode.str.extract(r"^(\d{5})(?:-\d{4})?$", expand=False)
    code = postcode.where(~country.eq("US").fillna(False) | zip5.isna(), zip5)
    area = code.copy()
    for land, pattern in _AREA.items():
        rows = country.eq(land).fillna(False)
        area = area.where(~rows, code.str.extract(pattern, expand=False))
    postcode = postcode.where(~foreign, country + " " + code)
    pc4 = pc4.where(~foreign, country + " " + area)
    return postcode, pc4


def org_keys(std: pd.DataFrame) -> pd.DataFrame:
    """Organisation comparison values from a standardised frame (org_* columns)."""
    out = pd.DataFrame(index=std.index)
    out["name_key"] = _blank_to_na(std["org_name_key"])
    # each distinct name split once: many rows share a name
    codes, names = pd.factorize(out["name_key"])
    split = [_tokens(v) for v in names.astype(object)] + [(None, None)]
    tokens = [split[c] for c in codes]  # code -1 (no name) takes the last entry
    out["name_token"] = pd.array([t[0] for t in tokens], dtype="string")
    out["name_long"] = pd.array([t[1] for t in tokens], dtype="string")
    out["kvk"] = _blank_to_na(std["org_kvk_number"])
    out["postcode"], out["pc4"] = postcode_keys(std)
    out["house_number"] = _blank_to_na(std["org_house_number"])
    out["addition"] = _addition_key(std["org_house_number_addition"])
    out["street_key"] = _blank_to_na(std["org_street_key"])
    out["city_key"] = _blank_to_na(std["org_city_key"])
    out["phone"] = _blank_to_na(std["org_phone"]).where(
        std["org_phone"].astype("string").str.startswith("+"))
    out["email_domain"] = _domain(std["org_email"])
    out["web_domain"] = _web_domain(std["org_website"])
    out["po_box"] = std["org_po_box"].eq(True)
    return out


def person_keys(std: pd.DataFrame) -> pd.DataFrame:
    """Person comparison values from a standardised frame (person_* and contact_* columns)."""
    out = pd.DataFrame(index=std.index)
    out["last_name_key"] = _blank_to_na(std["person_last_name_key"])
    out["initials"] = _per_value(_blank_to_na(std["person_initials"]),
                                 lambda s: s.str.replace(".", "", regex=False))
    out["first_name"] = _per_value(_blank_to_na(std["person_first_name"]), lambda s: s.str.lower())
    out["first_initial"] = _per_value(out["first_name"], lambda s: s.str[0]).fillna(
        _per_value(out["initials"], lambda s: s.str[0].str.lower()))
    out["gender"] = _blank_to_na(std["person_gender"])
    out["birth_date"] = _blank_to_na(std["person_birth_date"])
    out["email"] = _per_value(_blank_to_na(std["contact_email"]), lambda s: s.str.lower())
    if "contact_email_is_role" in std:  # info@ / sales@ belong to the organisation, not a person
        out["email"] = out["email"].mask(std["contact_email_is_role"].eq(True))
    out["mobile"] = _blank_to_na(std["contact_mobile"])
    out["phone"] = _blank_to_na(std["contact_phone"])
    if "person_crm_id" in std:
        out["person_crm_id"] = _blank_to_na(std["person_crm_id"])
    # the BSN as the 11-test left it (a key of its own; never compared, never shown)
    out["bsn"] = _blank_to_na(std["person_bsn"]) if "person_bsn" in std else pd.Series(
        pd.NA, index=std.index, dtype="string")
    # blocking keys that survive one typo in the surname or in one part of the birth date
    out["birth_year"] = _per_value(out["birth_date"], lambda s: s.str[:4])
    _person_address(out, std)
    return out


PERSON_ADDRESS_COLUMNS = ("p_postcode", "p_house_number", "p_addition", "p_street_key",
                          "p_city_key", "p_po_box")


def _person_address(out: pd.DataFrame, std: pd.DataFrame) -> None:
    """The person's own address: the row's address when the row names no organisation.

    With an organisation the address on the row is the organisation's, which says nothing about
    where the person lives, so it is left out of the person comparison.
    """
    own = pd.Series(True, index=std.index)
    for col in ("org_name", "org_kvk_number"):
        if col in std:
            own &= _blank_to_na(std[col]).isna().to_numpy()
    keep = own.to_numpy()

    def take(col: str) -> pd.Series:
        if col not in std:
            return pd.Series(pd.NA, index=std.index, dtype="string")
        return _blank_to_na(std[col]).where(keep)

    out["p_postcode"] = (postcode_keys(std)[0] if "org_postcode" in std
                         else take("org_postcode")).where(keep)
    out["p_house_number"] = take("org_house_number")
    out["p_addition"] = _addition_key(take("org_house_number_addition"))
    out["p_street_key"] = take("org_street_key")
    out["p_city_key"] = take("org_city_key")
    po_box = std["org_po_box"] if "org_po_box" in std else pd.Series(False, index=std.index)
    out["p_po_box"] = po_box.eq(True) & keep
    # a broad name key (first letters of surname and first name) for persons on their own only:
    # inside an organisation the organisation already narrows the search
    last3 = _per_value(out["last_name_key"], lambda s: s.str.replace(" ", "", regex=False).str[:3])
    out["name_k3"] = (last3 + "|" + _per_value(out["first_name"], lambda s: s.str[:3])).where(keep)
