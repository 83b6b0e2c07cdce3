"""Country names and codes in any language (pycountry's ISO 3166 names and translations) -> alpha-2.

Which countries write the house number after the street and which before it is decided here too,
so that every address reader asks one place.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pycountry

from workbench.messages import say

from ._common import ascii_fold, error, ok, per_distinct

# Everyday names pycountry does not carry (it has "Netherlands", "Nederland", "Allemagne" ...).
_EVERYDAY: dict[str, str] = {
    "holland": "NL", "the netherlands": "NL", "ned": "NL", "pays bas": "NL",
    "bel": "BE", "bondsrepubliek duitsland": "DE", "engeland": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "schotland": "GB", "great britain": "GB", "uk": "GB",
    "groot brittannie": "GB", "britain": "GB", "usa": "US", "u s a": "US", "u s": "US",
    "america": "US", "amerika": "US", "united states": "US", "verenigde staten": "US",
    "vs": "US", "lux": "LU", "curacao": "CW",
    # the one-letter codes of the international vehicle register (the oval sticker): "D" on a
    # German address is Germany
    "d": "DE", "b": "BE", "f": "FR", "l": "LU", "a": "AT", "i": "IT", "e": "ES", "p": "PT",
    "s": "SE", "n": "NO", "h": "HU",
}
# Languages whose names win when two languages give one name to two countries.
# (Reading all ~120 of pycountry's languages takes seconds; these are the lists' languages.)
_LANGUAGES = ("nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "pl", "tr")
# Countries that write "Hoofdstraat 12"; the others listed write "12 Main Street".
STREET_FIRST = frozenset({
    "NL", "BE", "DE", "AT", "CH", "LU", "DK", "NO", "SE", "FI", "IS", "PL", "CZ", "SK", "HU",
    "SI", "HR", "RS", "BA", "ME", "MK", "AL", "BG", "RO", "GR", "IT", "ES", "PT", "LI", "EE",
    "LV", "LT", "TR", "CW", "AW", "SR", "SX", "BQ", "MX", "AR", "BR", "CL", "CO", "PE", "UY",
})
NUMBER_FIRST = frozenset({
    "US", "CA", "GB", "IE", "FR", "AU", "NZ", "MC", "ZA", "IN", "SG", "MY", "PH", "IL", "HK",
    "JE", "GG", "IM", "PR", "MT",
})


def _fold(text: str) -> str:
    return " ".join(ascii_fold(text.replace("ß", "ss")).replace("-", " ").replace(".", " ").split())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded name (any language), alpha-2 and alpha-3 -> alpha-2; built once per process."""
    table: dict[str, str] = {}
    countries = list(pycountry.countries)
    locales = Path(pycountry.LOCALES_DIR)
    translators = [str]  # the English names, as pycountry gives them
    for language in _LANGUAGES:
        try:
            translators.append(gettext.translation("iso3166-1", str(locales),
                                                   languages=[language]).gettext)
        except OSError:
            continue
    for translate in translators:
        for c in countries:
            for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if name:
                    table.setdefault(_fold(translate(name)), c.alpha_2)
    for c in countries:
        table.setdefault(c.alpha_3.lower(), c.alpha_2)
        table[c.alpha_2.lower()] = c.alpha_2
    table.update(_EVERYDAY)
    return table


def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of a country name or code in any language, None when unknown."""
    key = _fold(text).strip(". ")
    return _names().get(key) or _names().get(key.removeprefix("the "))


def _parse(text: str) -> tuple:
    code = country_code(text)
    if code is not None:
        return ok(code)
    return error(say("country.unknown", value=text), None)


def country(s: pd.Series) -> pd.DataFrame:
    """Map country names/codes to ISO2 (``Nederland`` -> ``NL``); columns country, problem, severity."""
    return per_distinct(s, _parse, ("country",))
