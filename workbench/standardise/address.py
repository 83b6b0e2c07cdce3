"""Address lines: street, house number and addition (toevoeging) split apart; street keys.

Additions are upper-cased throughout (``12a`` -> ``A``, ``bis`` -> ``BIS``, ``hs`` -> ``HS``),
the way PostNL and the BAG write them, so equal additions compare equal.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import usaddress

from workbench.messages import say

from ._common import (
    ascii_fold,
    by_country,
    error,
    ok,
    per_distinct,
    tidy_case,
    warning,
)
from .country import NUMBER_FIRST, STREET_FIRST

ADDRESS_COLUMNS = ("street", "house_number", "house_number_addition", "po_box")
_PO_BOX_WORDS = {
    "postbus": "Postbus", "pb": "Postbus", "p.b.": "Postbus", "po box": "Postbus",
    "p.o. box": "Postbus", "p.o.box": "Postbus", "antwoordnummer": "Antwoordnummer",
}
_YEAR_RANGE = re.compile(r"\d{4}-\d{4}")  # "Plein 1940-1945 3": part of the street name
_ORDINAL = re.compile(r"\d{1,2}(?:e|ste|de)", re.IGNORECASE)  # "2e Kostverlorenkade"
_NUMBER = re.compile(r"(\d{1,5})(.*)")
_HOUSE_NUMBER = re.compile(r"(\d{1,5})\s*(.*)")
_EXCEL_FLOAT = re.compile(r"(\d+)\.0+")
_SPACED_DASH = re.compile(r"\s*([-/])\s*")
_RANGE = re.compile(r"(?:T/M|TM|TOT)\s*\d+")
_MAX_ADDITION = 6  # BAG: one letter plus up to four characters; allow a little slack


def _tight_dashes(text: str) -> str:
    """``text`` with the spaces around its dashes and slashes gone (``12 - A`` -> ``12-A``)."""
    # most lines hold neither: two searches in C cost less than the substitution's set-up
    return _SPACED_DASH.sub(r"\1", text) if "-" in text or "/" in text else text


def _addition(raw: str) -> str | None:
    """Return a tidy, upper-case addition or None; separators between number and addition go."""
    text = _tight_dashes(raw).strip(" -/.,").upper()
    return text or None


def _addition_problem(text: str, number: str, addition: str | None) -> tuple | None:
    if addition is None:
        return None
    if _RANGE.fullmatch(addition):
        return warning(say("address.range", value=text, number=number),
                       None)
    if len(addition.replace(" ", "")) > _MAX_ADDITION:
        return warning(say("address.long_addition", value=text, addition=addition),
                       addition)
    return None


def _parse_line(text: str) -> tuple:
    tokens = _tight_dashes(text.replace(",", " ")).split()
    if not tokens:
        return error(say("address.empty", value=text), None, None, None, False)
    for i in range(1, len(tokens)):
        token = tokens[i]
        if not token[0].isdecimal() or _YEAR_RANGE.fullmatch(token):  # not '¹'
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if _ORDINAL.fullmatch(token) and len(following) >= 4 and following[0].isalpha():
            continue  # "Van Hallstraat 2e Dwarsstraat 4": an ordinal inside the street name
        number, rest = _NUMBER.match(token).groups()
        street = " ".join(tokens[:i])
        addition = _addition(" ".join([rest, *tokens[i + 1:]]))
        break
    else:
        if tokens[0][0].isdigit():
            return error(say("address.number_first", value=text),
                         None, None, None, False)
        return error(say("address.no_number", value=text), tidy_case(text), None, None,
                     False)
    po_box_word = _PO_BOX_WORDS.get(street.lower())
    if po_box_word is not None:
        if addition is not None:
            return warning(say("address.po_box_addition", value=text, po_box=po_box_word, number=number),
                           po_box_word, number, addition, True)
        return ok(po_box_word, number, None, True)
    street = tidy_case(street.rstrip(" ./-"))  # "0/. 0": no separator left at its end
    if not street:  # ". 0": nothing but punctuation before the number is no street
        return error(say("address.number_first", value=text), None, None, None, False)
    problem = _addition_problem(text, number, addition)
    if problem is not None:
        return (street, number, problem[0], False, *problem[1:])
    return ok(street, number, addition, False)


def _plain_lines(texts: pd.Series) -> tuple[np.ndarray, list]:
    """The lines ``_parse_line`` reads as words and then one number of up to five ASCII digits
    (``Dorpsstraat 12``), settled as it settles them: no comma, dash or slash (nothing to
    tighten), no word but the first starting with a digit (the number is the first such one),
    no addition, no PO box, a street left after its tidying; the rest go to ``_parse_line``."""
    done = np.zeros(len(texts), dtype=bool)
    streets, numbers = [], []
    for i, text in enumerate(texts.tolist()):
        if "," in text or "-" in text or "/" in text:
            continue
        *words, number = text.split() or [""]
        if not words or not (number.isascii() and number.isdigit() and len(number) <= 5) or any(
                w[0].isdecimal() for w in words[1:]):
            continue
        street = " ".join(words)
        if street.lower() in _PO_BOX_WORDS:
            continue
        street = tidy_case(street.rstrip(" ./-"))
        if street:
            done[i] = True
            streets.append(street)
            numbers.append(number)
    n = len(streets)
    return done, [_objects(streets), _objects(numbers), _objects([None] * n),
                  _objects([False] * n)]


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def split_address(s: pd.Series) -> pd.DataFrame:
    """Split address lines into street, house_number, house_number_addition, po_box (+ problem)."""
    out = per_distinct(s, _parse_line, ADDRESS_COLUMNS,
                       missing=(None, None, None, False, None, None), fast=_plain_lines)
    out["po_box"] = out["po_box"].astype(bool)
    return out


def _parse_house_number(text: str) -> tuple:
    if m := _EXCEL_FLOAT.fullmatch(text):
        return ok(m[1], None)
    match = _HOUSE_NUMBER.fullmatch(text)
    if match is None:
        return error(say("house_number.no_number", value=text), None, None)
    number = match[1]
    addition = _addition(match[2])
    problem = _addition_problem(text, number, addition)
    if problem is not None:
        return (number, *problem)
    return ok(number, addition)


# --- addresses of other countries: the row's country decides the order of street and number ---

_LEADING_NUMBER = re.compile(
    r"(?:(?P<unit>(?:flat|unit|apt|apartment|suite|ste|studio|room)\.?\s*[\w-]+)[,\s]+)?"
    r"(?P<number>\d{1,6}[A-Za-z]?(?:-\d{1,6}[A-Za-z]?)?)[,\s]+(?P<street>\D.*)", re.IGNORECASE)
_US_STREET = ("StreetNamePreModifier", "StreetNamePreDirectional", "StreetNamePreType",
              "StreetName", "StreetNamePostType", "StreetNamePostDirectional")
_US_UNIT = ("OccupancyType", "OccupancyIdentifier")


def _kept_as_given(text: str, country: str) -> tuple:
    """An address this tool cannot read for its country: one street line, with a warning."""
    return warning(say("address.foreign", value=text, country=country), " ".join(text.split()), None, None, False)


def _parse_us(text: str) -> tuple | None:
    try:
        parts, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return None
    if kind == "PO Box" and parts.get("USPSBoxID"):
        return ok("PO Box", parts["USPSBoxID"], None, True)
    street = " ".join(parts[k] for k in _US_STREET if k in parts)
    if kind != "Street Address" or not parts.get("AddressNumber") or not street:
        return None
    unit = " ".join(parts[k] for k in _US_UNIT if k in parts)
    return ok(street, parts["AddressNumber"], _addition(unit), False)


def _parse_number_first(text: str) -> tuple | None:
    match = _LEADING_NUMBER.fullmatch(" ".join(text.replace(",", ", ").split()))
    if match is None:
        return None
    street = match["street"].strip(" ,")
    unit = _addition(match["unit"] or "")
    number = _NUMBER.match(match["number"])
    addition = _addition(number[2]) if number[2] else unit
    return ok(street, number[1], addition, False)


def _parse_foreign(text: str, country: str) -> tuple:
    readers = []
    if country in NUMBER_FIRST:
        readers = [_parse_us] if country == "US" else []
        readers.append(_parse_number_first)
    elif country in STREET_FIRST:
        readers = [_parse_street_first]
    else:  # a country whose order this tool does not know: either order
        readers = [_parse_street_first, _parse_number_first]
    for read in readers:
        parsed = read(text)
        if parsed is not None:
            return parsed
    return _kept_as_given(text, country)


def _parse_street_first(text: str) -> tuple | None:
    parsed = _parse_line(text)
    return None if parsed[-1] == "error" else parsed


def split_address_in(s: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """Split address lines read by each row's country (ISO2; missing is Dutch).

    Dutch lines as :func:`split_address`; a line of another country is read street-first or
    number-first as that country writes it, and kept as given (one street line, a warning) when
    it cannot be read: never an error.
    """
    out = by_country(s, countries, split_address, _parse_foreign, ADDRESS_COLUMNS,
                     (None, None, None, False, None, None))
    out["po_box"] = out["po_box"].astype(bool)
    return out


def split_house_number(s: pd.Series) -> pd.DataFrame:
    """Split a house-number column (``12A``, ``12-3``); columns house_number, house_number_addition."""
    return per_distinct(s, _parse_house_number, ("house_number", "house_number_addition"))


def addition(s: pd.Series) -> pd.DataFrame:
    """Tidy a separate addition column (upper case, no leading dash); columns house_number_addition."""
    return per_distinct(s, lambda text: ok(_addition(text)), ("house_number_addition",))


# Abbreviations in street names; applied to the ascii-folded lower-case text.
# The English street types at the end of a name first (USPS / Royal Mail spellings), so that
# the Dutch rules below do not read "Main Dr" as a doctor or "Smith Ln" as a laan.
_ENGLISH_TYPES = {"street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr",
                  "lane": "ln", "boulevard": "blvd", "court": "ct", "place": "pl",
                  "square": "sq", "highway": "hwy", "parkway": "pkwy", "terrace": "ter",
                  "crescent": "cres", "circle": "cir", "close": "cl", "gardens": "gdns"}
_ENGLISH_TYPE = re.compile(r"\s(" + "|".join(sorted({*_ENGLISH_TYPES, *_ENGLISH_TYPES.values()},
                                                    key=len, reverse=True)) + r")\.?$")
_KEY_RULES = [
    (re.compile(r"(?<=\w)strasse\b"), "straat"),  # Hauptstraße / Hauptstr. (after ß -> ss)
    (re.compile(r"\bstrasse\b"), "straat"),
    (re.compile(r"(?<=\w)str\b\.?"), "straat"),  # Hoofdstr. -> hoofdstraat
    (re.compile(r"\bstr\b\.?"), "straat"),
    (re.compile(r"(?<=\w)ln\b\.?"), "laan"),
    (re.compile(r"\bln\b\.?"), "laan"),
    (re.compile(r"\bv\.\s*"), "van "),
    (re.compile(r"\bburg\b\.?\s*"), "burgemeester "),
    (re.compile(r"\bst\.\s*"), "sint "),
    (re.compile(r"\bmr\b\.?\s*"), "meester "),
    (re.compile(r"\bdr\b\.?\s*"), "dokter "),
    (re.compile(r"\bprof\b\.?\s*"), "professor "),
    (re.compile(r"\bgen\b\.\s*"), "generaal "),
    (re.compile(r"\bpr\b\.\s*"), "prins "),
    (re.compile(r"'"), ""),
    (re.compile(r"[^a-z0-9]+"), " "),
    # "Hoofd straat" and "Hoofdstraat" are the same street
    (re.compile(r"\s+(straat|laan|weg|plein|kade|gracht|singel|dijk|park|dreef|steeg)\b"),
     r"\1"),
]


def _street_key(text: str) -> tuple:
    key = ascii_fold(text.replace("ß", "ss"))
    tail = ""
    if (english := _ENGLISH_TYPE.search(key)) and english.start() > 0:
        # the street type is set aside while the Dutch rules run on the name before it
        tail, key = " " + _ENGLISH_TYPES.get(english[1], english[1]), key[:english.start()]
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return ok((key.strip() + tail).strip() or None)


def street_key(s: pd.Series) -> pd.Series:
    """Return a comparison key per street: lower-case ascii, abbreviations expanded, no punctuation."""
    return per_distinct(s, _street_key, ("street_key",))["street_key"]
