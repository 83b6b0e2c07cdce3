"""City names: canonical spelling (``Den Haag`` -> ``'s-Gravenhage``), keys, PC4 lookup."""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import countrystatecity_postal_codes as postal_codes
import numpy as np
import pandas as pd

from workbench.messages import say

from ._common import ascii_fold, clean_text, error, ok, per_distinct, tidy_case

# Everyday names for places whose official (BAG) name differs; keyed by city_key.
ALIASES: dict[str, str] = {
    "den haag": "'s-Gravenhage", "the hague": "'s-Gravenhage", "s gravenhage": "'s-Gravenhage",
    "gravenhage": "'s-Gravenhage", "den bosch": "'s-Hertogenbosch",
    "s hertogenbosch": "'s-Hertogenbosch", "hertogenbosch": "'s-Hertogenbosch",
    "bosch": "'s-Hertogenbosch", "adam": "Amsterdam", "a dam": "Amsterdam",
    "r dam": "Rotterdam", "rdam": "Rotterdam",
    # two places called Bergen: the province in brackets, as the BAG writes it
    "bergen nh": "Bergen (NH)", "bergen n h": "Bergen (NH)", "bergen noord holland": "Bergen (NH)",
    "bergen l": "Bergen (L)", "bergen lb": "Bergen (L)", "bergen li": "Bergen (L)",
    "bergen limburg": "Bergen (L)",
}
# Spellings in the shipped PC4 table that differ from the BAG's.
_TABLE_FIXES = {"Bergen L": "Bergen (L)"}
_QUALIFIER = re.compile(r"\s*\([^)]*\)$")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d")
_PLACE_MARKS = frozenset(" '-./(),&")
_ORDINAL = re.compile(r"^\d{1,2}(?:e|ste|de)\b", re.I)  # 1e, 2de, 3ste Exloërmond
_NUMBER = re.compile(r"\d+")


def _key(text: str) -> str:
    # apostrophes vanish ("'s-Gravenhage" -> "s gravenhage"); other punctuation becomes a space
    return _NON_KEY.sub(" ", ascii_fold(text).replace("'", "")).strip()


@lru_cache(maxsize=1)
def pc4_places() -> dict[str, str]:
    """PC4 -> locality name, from countrystatecity-postal-codes (loaded once per process)."""
    return {p.code: _TABLE_FIXES.get(p.localityName, p.localityName)
            for p in postal_codes.get_postcodes_of_country("NL")}


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """city_key -> official spelling, from the PC4 table plus the aliases."""
    names = {_key(name): name for name in pc4_places().values()}
    names.update(ALIASES)
    return names


def is_known_place(name: str) -> bool:
    """Whether ``name`` is a Dutch place of the PC4 table or a known alias (``Den Haag``)."""
    return _key(name) in _known_names()


def _parse(text: str) -> tuple:
    # "1e Exloërmond" is a real place, so digits alone are not wrong: only a postcode is
    key = _key(text)
    # (checked on the key too: "00¼AA" folds to the postcode-like key "0014aa")
    if any(re.search(r"\d{4}\s?[A-Za-z]{2}\b", t) or re.fullmatch(r"[\d\s]+", t)
           for t in (text, key)):
        return error(say("city.postcode", value=text), None, None)
    if not any(c.isalpha() for c in key):
        return error(say("city.no_letters", value=text), None, None)
    # Dutch place names hold letters, spaces, ' - . / (a/d), a province in brackets
    # ("Bergen (NH)") and an ordinal in front ("2e Valthermond"); nothing else
    odd = sorted({c for c in text if not (c.isalpha() or c.isdigit() or c in _PLACE_MARKS)})
    if odd:
        shown = ", ".join(f"'{c}'" for c in odd)
        return error(say("city.odd_marks", value=text, marks=shown), None, None)
    # on the key too, as for the postcode: "A²" folds to "a2"
    number = _NUMBER.search(_ORDINAL.sub("", text)) or _NUMBER.search(_ORDINAL.sub("", key))
    if number is not None:
        return error(say("city.number", value=text, number=number.group()), None, None)
    canonical = _known_names().get(key)
    if canonical is not None:
        return ok(canonical, _key(canonical))
    return ok(tidy_case(text), key)


def city(s: pd.Series) -> pd.DataFrame:
    """Canonical city names; columns city, city_key (lower-case ascii), problem, severity."""
    return per_distinct(s, _parse, ("city", "city_key"))


def city_key(s: pd.Series) -> pd.Series:
    """Return the lower-case ascii comparison key of each city name."""
    return city(s)["city_key"]


def city_for_pc4(pc4: pd.Series) -> pd.Series:
    """Return the locality of each PC4 (``1011`` -> ``Amsterdam``), None when unknown."""
    table = pc4_places()
    found = pc4.map(table).astype(object)
    return found.where(found.notna(), None)


def resolve_by_pc4(city_name: pd.Series, pc4: pd.Series) -> pd.Series:
    """Qualify an ambiguous place by its PC4: ``Bergen`` at 1861 -> ``Bergen (NH)``.

    Only where the PC4's place is the same name plus a qualifier in brackets (``Bergen (L)``,
    ``Hengelo (Gld)``); every other city is returned as it is.
    """
    table = pc4_places()
    looked_up = pc4.map(table)  # a dict lookup per row, done by pandas in bulk
    qualified = looked_up.isin(_qualified_names()).to_numpy()
    if not qualified.any():
        return city_name
    base = looked_up[qualified].astype(str).str.replace(_QUALIFIER, "", regex=True)
    same = (city_key(city_name[qualified]) == city_key(base)).to_numpy(dtype=bool)
    rows = np.flatnonzero(qualified)[same]
    out = city_name.astype(object).copy()
    out.iloc[rows] = looked_up.iloc[rows].to_numpy(dtype=object)
    return out


@lru_cache(maxsize=1)
def _qualified_names() -> frozenset[str]:
    """The places of the PC4 table with a qualifier in brackets: ``Bergen (NH)``, ``Hengelo (Gld)``."""
    return frozenset(name for name in pc4_places().values() if name.endswith(")"))


def prefer_crm_spelling(city_name: pd.Series, pc4: pd.Series,
                        crm_places: Mapping[str, str]) -> pd.Series:
    """Use the CRM's spelling of a place for that PC4 where it is the same place spelled otherwise.

    ``crm_places`` maps PC4 -> the CRM's most common city spelling there. A row keeps its own
    city when the CRM's place for that PC4 is another place (a PC4 can span several villages),
    or when the CRM has no city for it; missing cities stay missing (lookup is another option).
    """
    if not crm_places or not len(city_name):
        return city_name
    crm = pc4.map(dict(crm_places)).astype(object)
    crm = crm.where(crm.notna(), None)
    candidate = crm.notna() & city_name.notna()
    if not candidate.any():
        return city_name
    mine = city_key(city_name.where(candidate, None))
    theirs = city_key(crm.where(candidate, None))
    same = (candidate & (mine == theirs) & (city_name != crm)).to_numpy(dtype=bool)
    out = city_name.astype(object).copy()
    out[same] = crm[same].map(lambda text: clean_text(text)).to_numpy(dtype=object)
    return out
