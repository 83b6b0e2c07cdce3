"""City names: canonical spelling (``Den Haag`` -> ``'s-Gravenhage``), keys, PC4 lookup."""
from __future__ import annotations

import re
from functools import lru_cache

import countrystatecity_postal_codes as postal_codes
import pandas as pd

from ._common import ascii_fold, error, ok, per_distinct, tidy_case

# Everyday names for places whose official (BAG) name differs; keyed by city_key.
ALIASES: dict[str, str] = {
    "den haag": "'s-Gravenhage", "the hague": "'s-Gravenhage", "s gravenhage": "'s-Gravenhage",
    "gravenhage": "'s-Gravenhage", "den bosch": "'s-Hertogenbosch",
    "s hertogenbosch": "'s-Hertogenbosch", "hertogenbosch": "'s-Hertogenbosch",
    "bosch": "'s-Hertogenbosch", "adam": "Amsterdam", "a dam": "Amsterdam",
    "r dam": "Rotterdam", "rdam": "Rotterdam",
}
_NON_KEY = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d")


def _key(text: str) -> str:
    # apostrophes vanish ("'s-Gravenhage" -> "s gravenhage"); other punctuation becomes a space
    return _NON_KEY.sub(" ", ascii_fold(text).replace("'", "")).strip()


@lru_cache(maxsize=1)
def _pc4_table() -> dict[str, str]:
    """PC4 -> locality name, from countrystatecity-postal-codes (loaded once per process)."""
    return {p.code: p.localityName for p in postal_codes.get_postcodes_of_country("NL")}


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """city_key -> official spelling, from the PC4 table plus the aliases."""
    names = {_key(name): name for name in _pc4_table().values()}
    names.update(ALIASES)
    return names


def _parse(text: str) -> tuple:
    # "1e Exloërmond" is a real place, so digits alone are not wrong: only a postcode is
    if re.search(r"\d{4}\s?[A-Za-z]{2}\b", text) or re.fullmatch(r"[\d\s]+", text):
        return error(f"city '{text}' contains a postcode or number, not a place name",
                     None, None)
    key = _key(text)
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
    table = _pc4_table()
    return pc4.map(lambda code: table.get(code) if isinstance(code, str) else None).astype(object)
