"""Country names and codes (Dutch, English, ISO2/ISO3) -> ISO 3166 alpha-2."""
from __future__ import annotations

import pandas as pd
import phonenumbers

from ._common import ascii_fold, error, ok, per_distinct

# phonenumbers ships the list of ISO2 region codes; no need for another dependency
_ISO2 = frozenset(phonenumbers.SUPPORTED_REGIONS)

_NAMES: dict[str, str] = {
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
    "nld": "NL", "ned": "NL", "niederlande": "NL", "pays-bas": "NL", "pays bas": "NL",
    "belgie": "BE", "belgium": "BE", "bel": "BE", "belgien": "BE", "belgique": "BE",
    "duitsland": "DE", "germany": "DE", "deutschland": "DE", "deu": "DE", "bondsrepubliek duitsland": "DE",
    "frankrijk": "FR", "france": "FR", "fra": "FR",
    "luxemburg": "LU", "luxembourg": "LU", "lux": "LU",
    "verenigd koninkrijk": "GB", "united kingdom": "GB", "engeland": "GB", "england": "GB",
    "groot-brittannie": "GB", "great britain": "GB", "uk": "GB", "gbr": "GB",
    "verenigde staten": "US", "united states": "US", "usa": "US", "amerika": "US",
    "spanje": "ES", "spain": "ES", "italie": "IT", "italy": "IT", "oostenrijk": "AT",
    "austria": "AT", "zwitserland": "CH", "switzerland": "CH", "denemarken": "DK",
    "denmark": "DK", "polen": "PL", "poland": "PL", "zweden": "SE", "sweden": "SE",
    "noorwegen": "NO", "norway": "NO", "portugal": "PT", "ierland": "IE", "ireland": "IE",
    "curacao": "CW", "aruba": "AW", "suriname": "SR", "turkije": "TR", "turkey": "TR",
    "marokko": "MA", "morocco": "MA", "china": "CN", "japan": "JP",
}


def _parse(text: str) -> tuple:
    key = ascii_fold(text).strip(". ")
    if key in _NAMES:
        return ok(_NAMES[key])
    if len(key) == 2 and key.upper() in _ISO2:
        return ok(key.upper())
    return error(f"country '{text}' is not a country name or ISO code this tool knows", None)


def country(s: pd.Series) -> pd.DataFrame:
    """Map country names/codes to ISO2 (``Nederland`` -> ``NL``); columns country, problem, severity."""
    return per_distinct(s, _parse, ("country",))
