"""Profile an incoming table: per column fill rate, patterns, detected meaning and invalid values.

All work is done per distinct value, not per row, so 100,000 rows take seconds. Meanings are
detected from the values; the header name only breaks ties between meanings that fit about
equally well. BSN and birth-date values are masked wherever values are shown.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import itertools
import json
import operator
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.atomic import atomic_write_text
from workbench.fields import header_meanings
from workbench.privacy import mask_value

TOP = 5
PATTERN_TOP = 10  # patterns kept per column (the report charts them)
DETECT_SAMPLE = 1000  # distinct values used to choose a meaning; validity uses all of them
STRUCTURED_MIN = 0.5  # share of values that must fit a structured meaning (postcode, e-mail...)
NAME_MIN = 0.3  # share of values found in a name list (city, first or last name)
ORG_MIN = 0.2  # share of values carrying a legal form or a word like "Holding"
TIE = 0.1  # scores closer than this are a tie, broken by the header name

MEANINGS = (
    "postcode", "house_number", "street_house_number", "city", "kvk_number", "vestigingsnummer",
    "bsn", "iban", "phone", "mobile", "email", "url", "date", "gender", "salutation", "initials",
    "first_name", "last_name", "name_prefix", "organisation_name", "legal_form", "free_text",
    "empty",
)

# --------------------------------------------------------------------------- value tests

_POSTCODE = re.compile(r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}", re.I)
_POSTCODE_LIKE = re.compile(r"\d{3,5} ?[A-Z]{1,3}|[1-9]\d{3}", re.I)
_FOUR_DIGITS = re.compile(r"\d{4}")
_HOUSE_NUMBER = re.compile(r"[1-9]\d{0,4}(?:\s*[-/]?\s*[A-Z0-9]{1,4}|\s+bis|\s+hs)?", re.I)
_HOUSE_NUMBER_LIKE = re.compile(
    r"\d{1,5}(?:\s*[-/]\s*[A-Z0-9]{1,4}|\s?[A-Z]\d?|\s+(?:bis|hs|huis|rd|zw|bg))?", re.I)
_STREET_HOUSE = re.compile(
    r"[^\W\d_][\w'.\- ]*?\s+[1-9]\d{0,4}(?:\s*[-/]?\s*[A-Z0-9]{1,4}|\s+bis|\s+hs)?", re.I)
_STREET_LIKE = re.compile(
    r"[^\W\d_][\w'.\- ]*?\s+\d{1,5}"
    r"(?:\s*[-/]\s*[A-Z0-9]{1,4}|\s?[A-Z]\d?|\s+(?:bis|hs|huis|rd|zw|bg))?", re.I)
_DIGITS_ONLY = re.compile(r"\d+")
_ID_SEPARATORS = re.compile(r"[\s.\-]")
_EMAIL = re.compile(r"[^@\s<>(),;:\"]+@(?:[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?\.)+[A-Z]{2,}", re.I)
_URL = re.compile(r"(?:https?://)?(?:www\.)?[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}(?:[/:?#]\S*)?",
                  re.I)
_PHONE_CHARS = re.compile(r"\+?[\d\s()./-]{6,22}")
_PHONE_STRIP = re.compile(r"[\s()./-]")
_NL_NUMBER = re.compile(r"(?:\+31|0031|0)(?:\(0\))?(\d{9})")
_IBAN_LIKE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9 ]{10,32}", re.I)
_INITIALS = re.compile(r"(?:(?:[A-Z]|Th|Ch|Ph|Chr|IJ|Tj|Sj)\.\s?){1,6}|[A-Z]{1,3}", re.U)
_NAME = re.compile(r"['’]?[^\W\d_](?:[^\W\d_]|[ '\-.’])*", re.U)  # 's-Gravenhage
_TEXT = re.compile(r"\S")
_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
     (0, 1, 2)),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?"), (2, 1, 0)),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), (0, 1, 2)),
)
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*")

GENDERS = frozenset({"m", "v", "f", "x", "o", "u", "man", "vrouw", "male", "female", "men",
                     "onbekend", "unknown", "anders", "other", "divers", "mannelijk",
                     "vrouwelijk", "heer", "dame"})
SALUTATIONS = frozenset({
    "dhr", "dhr.", "de heer", "heer", "mevr", "mevr.", "mevrouw", "mw", "mw.", "mr", "mr.",
    "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "dr", "dr.", "ir", "ir.", "ing", "ing.",
    "prof", "prof.", "drs", "drs.", "mr. dr.", "beste", "geachte heer", "geachte mevrouw",
    "geachte", "sir", "madam", "familie", "fam", "fam.", "heer/mevrouw", "dhr./mevr.",
    "mevr./dhr.", "de heer/mevrouw",
})
NAME_PREFIXES = frozenset({
    "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "van de", "van der", "van den",
    "van het", "van 't", "in 't", "in het", "in de", "op de", "op den", "op het", "op 't",
    "uit de", "uit den", "uit het", "aan de", "aan den", "bij de", "onder de", "over de",
    "voor de", "voor den", "v.", "v.d.", "vd", "v.d", "la", "le", "du", "d'", "di", "da",
    "von", "von der", "el", "al", "del", "dos", "das", "van 'T", "de la", "de le", "van de la",
})
LEGAL_FORMS = frozenset({
    "bv", "b.v.", "b.v", "nv", "n.v.", "vof", "v.o.f.", "v.o.f", "cv", "c.v.", "eenmanszaak",
    "stichting", "vereniging", "coöperatie", "cooperatie", "coöperatie u.a.", "u.a.", "ua",
    "maatschap", "kerkgenootschap", "onderlinge waarborgmaatschappij", "owm", "b.a.", "w.a.",
    "besloten vennootschap", "naamloze vennootschap", "commanditaire vennootschap",
    "vennootschap onder firma", "ltd", "ltd.", "gmbh", "inc", "inc.", "llc", "plc", "sa",
    "s.a.", "bvba", "sarl", "ag", "kg", "ohg", "se",
})
# Words that make a value an organisation name rather than a person or a place.
_ORG_WORDS = re.compile(
    r"(?:^|[\s(,&])(?:b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|holding|beheer|groep|group|"
    r"stichting|vereniging|coöperatie|cooperatie|u\.a\.|installatie\w*|bouw\w*|bakkerij|"
    r"advies|consultancy|services|diensten|techniek|transport|logistiek|handel\w*|"
    r"makelaar\w*|accountants?|advocaten|notaris\w*|garage|autobedrijf|zorg|"
    r"gemeente|school|praktijk|winkel|restaurant|café|cafe|hotel|international|nederland|"
    r"ltd|gmbh|inc|international|solutions|software|media|design|studio|partners|"
    r"en zn\.?|& zn\.?|& co\.?|company)(?=$|[\s),.&])", re.I)


@functools.cache
def _places() -> frozenset[str]:
    """Dutch place names (casefolded) from the PC4 list of countrystatecity-postal-codes."""
    try:
        from countrystatecity_postal_codes import get_postcodes_of_country

        names = {p.localityName for p in get_postcodes_of_country("NL") if p.localityName}
    except Exception:  # a missing data file must not stop the profile; names then score 0
        names = set()
    extra = {"Den Haag", "The Hague", "Den Bosch", "'s-Hertogenbosch", "Amsterdam", "Rotterdam",
             "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen"}
    return frozenset(n.casefold() for n in names | extra)


@functools.cache
def _person_names() -> tuple[frozenset[str], frozenset[str]]:
    """Dutch first and last names (casefolded) from Faker's nl_NL provider."""
    try:
        from faker.providers.person.nl_NL import Provider
    except Exception:  # Faker missing: names then score 0 and fall back to free text
        return frozenset(), frozenset()
    first = {n.casefold() for n in (*Provider.first_names_male, *Provider.first_names_female)}
    last: set[str] = set()
    for name in Provider.last_names:
        last.add(name.casefold())
        last.add(_strip_prefix(name.casefold()))
    return frozenset(first), frozenset(last)


def _strip_prefix(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0] in {"van", "de", "der", "den", "het", "'t", "te", "ten",
                                          "ter", "in", "op", "v.", "v.d."}:
        words.pop(0)
    return " ".join(words)


def _compact(value: str) -> str:
    return _ID_SEPARATORS.sub("", value)


def _is_postcode(v: str) -> bool:
    return _POSTCODE.fullmatch(v) is not None


def _like_postcode(v: str) -> bool:
    return _POSTCODE_LIKE.fullmatch(v) is not None


def _is_kvk(v: str) -> bool:
    c = _compact(v)
    return len(c) == 8 and c.isdigit()


def _like_kvk(v: str) -> bool:
    c = _compact(v)
    return 7 <= len(c) <= 8 and c.isdigit()


def _is_vestiging(v: str) -> bool:
    c = _compact(v)
    return len(c) == 12 and c.isdigit()


def _like_vestiging(v: str) -> bool:
    c = _compact(v)
    return 11 <= len(c) <= 12 and c.isdigit()


def _is_bsn(v: str) -> bool:
    from stdnum.nl import bsn

    c = _compact(v)
    return len(c) in (8, 9) and c.isdigit() and bsn.is_valid(c)


def _is_iban(v: str) -> bool:
    from stdnum import iban

    return _IBAN_LIKE.fullmatch(v) is not None and iban.is_valid(v)


def _like_iban(v: str) -> bool:
    return _IBAN_LIKE.fullmatch(v) is not None


@functools.lru_cache(maxsize=65536)
def _phone_kind_cached(key: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(key, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return "mobile"
    return "phone"


def phone_kind(value: str) -> str | None:
    """Return ``"mobile"``, ``"phone"`` or ``None`` (not a valid number), NL as default country."""
    if _PHONE_CHARS.fullmatch(value) is None:
        return None
    digits = _PHONE_STRIP.sub("", value)
    match = _NL_NUMBER.fullmatch(digits)
    if match:
        # Dutch numbering is decided by the first four digits and the length, so one
        # phonenumbers call per prefix serves every number that shares it (fast on 100k rows).
        national = match.group(1)
        return _phone_kind_cached("0" + national[:4] + "00000")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    # A national number without its leading 0 (612345678) lost it in Excel: not valid as is.
    return _phone_kind_cached(digits) if digits.startswith("+") else None


def _is_phone(v: str) -> bool:
    return phone_kind(v) is not None


def _is_mobile(v: str) -> bool:
    return phone_kind(v) == "mobile"


def _like_phone(v: str) -> bool:
    if _PHONE_CHARS.fullmatch(v) is None or _like_date(v):
        return False
    digits = sum(ch.isdigit() for ch in v)
    if not 9 <= digits <= 15:
        return False
    # A bare 9-digit number that passes the 11-test is a BSN, not a phone that lost its zero.
    return not (v.isdigit() and len(v) == 9 and v[0] != "0" and _is_bsn(v))


def _is_email(v: str) -> bool:
    return _EMAIL.fullmatch(v) is not None


def _like_email(v: str) -> bool:
    return "@" in v and " " not in v.strip()


def _is_url(v: str) -> bool:
    return "@" not in v and _URL.fullmatch(v) is not None


def _like_url(v: str) -> bool:
    low = v.lower()
    return "@" not in v and (low.startswith(("http://", "https://", "www.")))


def _is_date(v: str) -> bool:
    for pattern, order in _DATE_FORMATS:
        match = pattern.fullmatch(v)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            try:
                dt.date(year, month, day)
            except ValueError:
                return False
            return 1800 <= year <= 2200
    return False


def _like_date(v: str) -> bool:
    return _DATE_LIKE.fullmatch(v) is not None


def _is_gender(v: str) -> bool:
    return v.casefold() in GENDERS


def _is_salutation(v: str) -> bool:
    return v.casefold() in SALUTATIONS


def _is_initials(v: str) -> bool:
    return _INITIALS.fullmatch(v) is not None


def _is_prefix(v: str) -> bool:
    return v.casefold() in NAME_PREFIXES


def _is_legal_form(v: str) -> bool:
    return v.casefold() in LEGAL_FORMS


def _is_name(v: str) -> bool:
    return _NAME.fullmatch(v) is not None and len(v) <= 80


def _is_house_number(v: str) -> bool:
    return _HOUSE_NUMBER.fullmatch(v) is not None


def _like_house_number(v: str) -> bool:
    return _HOUSE_NUMBER_LIKE.fullmatch(v) is not None and v[:1].isdigit()


def _is_street_house(v: str) -> bool:
    return _STREET_HOUSE.fullmatch(v) is not None


def _like_street_house(v: str) -> bool:
    return _STREET_LIKE.fullmatch(v) is not None


def _in_places(v: str) -> bool:
    return v.casefold() in _places()


def _in_first_names(v: str) -> bool:
    return v.split(" ")[0].casefold() in _person_names()[0]


def _in_last_names(v: str) -> bool:
    low = v.casefold()
    last = _person_names()[1]
    return low in last or _strip_prefix(low) in last


def _is_organisation(v: str) -> bool:
    return _ORG_WORDS.search(v) is not None


def _is_text(v: str) -> bool:
    return _TEXT.search(v) is not None


Predicate = Callable[[str], bool]

# meaning -> (detect: the value looks like it is meant as this, valid: it is a correct one).
# Detection uses the loose test, so a 7-digit KvK number still makes a KvK column, and is
# then reported as invalid.
STRUCTURED: dict[str, tuple[Predicate, Predicate]] = {
    "email": (_like_email, _is_email),
    "url": (_like_url, _is_url),
    "iban": (_like_iban, _is_iban),
    "bsn": (_is_bsn, _is_bsn),
    "vestigingsnummer": (_like_vestiging, _is_vestiging),
    "kvk_number": (_like_kvk, _is_kvk),
    "postcode": (_like_postcode, _is_postcode),
    "mobile": (_is_mobile, _is_mobile),
    "phone": (_like_phone, _is_phone),
    "date": (_like_date, _is_date),
    "street_house_number": (_like_street_house, _is_street_house),
    "house_number": (_like_house_number, _is_house_number),
    "gender": (_is_gender, _is_gender),
    "salutation": (_is_salutation, _is_salutation),
    "legal_form": (_is_legal_form, _is_legal_form),
    "name_prefix": (_is_prefix, _is_prefix),
    "initials": (_is_initials, _is_initials),
}
# Textual meanings: detected from name lists, valid when the value looks like a name.
TEXTUAL: dict[str, tuple[Predicate, Predicate, float]] = {
    "city": (_in_places, _is_name, NAME_MIN),
    "first_name": (_in_first_names, _is_name, NAME_MIN),
    "last_name": (_in_last_names, _is_name, NAME_MIN),
    "organisation_name": (_is_organisation, _is_text, ORG_MIN),
}
VALID: dict[str, Predicate] = {
    **{m: tests[1] for m, tests in STRUCTURED.items()},
    **{m: tests[1] for m, tests in TEXTUAL.items()},
    "free_text": _is_text,
}
# Order of preference when scores tie and the header does not help: most specific first.
PRIORITY = (*STRUCTURED, *TEXTUAL, "free_text")

_SENSITIVE_HEADER = re.compile(r"geboorte|birth|\bdob\b|bsn|burgerservice|sofi", re.I)

_PATTERN_TABLE = {
    **{c: "9" for c in range(ord("0"), ord("9") + 1)},
    **{c: ("A" if chr(c).isupper() else "a") for c in range(0x41, 0x250) if chr(c).isalpha()},
}
_UPPER_RUN = re.compile(r"A{5,}")
_LOWER_RUN = re.compile(r"a{5,}")


def value_pattern(value: str) -> str:
    """Return the shape of a value: digits -> 9, capitals -> A, others -> a, letter runs cut to 4."""
    shape = value.translate(_PATTERN_TABLE)
    # A plain substring test is much cheaper than running the regex on every value.
    if "aaaaa" in shape:
        shape = _LOWER_RUN.sub("aaaa", shape)
    if "AAAAA" in shape:
        shape = _UPPER_RUN.sub("AAAA", shape)
    return shape


def _share(items: list[tuple[str, int]], test: Predicate, total: int) -> float:
    if not total:
        return 0.0
    return sum(count for value, count in items if test(value)) / total


def detect_meaning(name: str, counts: dict[str, int]) -> str:
    """Return the meaning of a column from its value counts; the header only breaks ties."""
    if not counts:
        return "empty"
    # counts come most frequent first (see _counts), so this samples the common values.
    items = list(itertools.islice(counts.items(), DETECT_SAMPLE))
    total = sum(count for _, count in items)
    hints = header_meanings(name)

    def pick(scores: dict[str, float]) -> str:
        best = max(scores.values())
        close = [m for m in PRIORITY if m in scores and scores[m] >= best - TIE]
        hinted = [m for m in close if m in hints]
        return (hinted or [m for m in close if scores[m] == best] or close)[0]

    scores = {m: _share(items, detect, total) for m, (detect, _) in STRUCTURED.items()}
    # A mobile column is also a phone column; call it mobile only when nearly all are mobile.
    # A header that says mobile decides as long as most values are mobiles.
    if "mobile" in hints and scores["mobile"] >= STRUCTURED_MIN:
        return "mobile"
    if scores["mobile"] < 0.9 * scores["phone"]:
        scores["mobile"] = 0.0
    # Four-digit numbers are PC4 postcodes or years, not house numbers; postcode only by header.
    if _share(items, lambda v: _FOUR_DIGITS.fullmatch(v) is not None, total) >= 0.8:
        scores["house_number"] = 0.0
        if "postcode" not in hints:
            scores["postcode"] = 0.0
    fitting = {m: s for m, s in scores.items() if s >= STRUCTURED_MIN}
    if fitting:
        return pick(fitting)
    text_scores = {m: _share(items, detect, total) for m, (detect, _, _) in TEXTUAL.items()}
    fitting = {m: s for m, s in text_scores.items() if s >= TEXTUAL[m][2]}
    if fitting:
        return pick(fitting)
    # Lists are incomplete: a header that names a textual meaning decides when values are names.
    for meaning in ("first_name", "last_name", "city", "organisation_name"):
        if meaning in hints and _share(items, TEXTUAL[meaning][1], total) >= STRUCTURED_MIN:
            return meaning
    return "free_text"


# --------------------------------------------------------------------------- many values at once

_SEP = "\x00"  # joins values into one string, so one C call does the work of a million
_NORMALISE_JOINED = re.compile(r"(?:[^\w\x00]|_)+", re.U)


def _joined(values: list[str], work: Callable[[str], str]) -> list[str]:
    """Apply a text-to-text ``work`` to every value through one joined string."""
    text = _SEP.join(values)
    if text.count(_SEP) != max(len(values) - 1, 0):
        return [work(v) for v in values]  # a value holds the separator itself: one by one
    out = work(text).split(_SEP)
    return out if len(out) == len(values) else [work(v) for v in values]


def _patterns_of(values: list[str]) -> list[str]:
    """:func:`value_pattern` of every value, in one pass."""

    def work(text: str) -> str:
        shape = text.translate(_PATTERN_TABLE)
        return _LOWER_RUN.sub("aaaa", _UPPER_RUN.sub("AAAA", shape))

    return _joined(values, work)


def _normalised_of(values: list[str]) -> list[str]:
    """Lower case without spaces and punctuation, for duplicates after normalisation."""
    return _joined(values, lambda text: _NORMALISE_JOINED.sub("", text.casefold()))


def _matches(pattern: re.Pattern[str], values: list[str]) -> np.ndarray:
    # map() over a bound method: no Python frame per value.
    return np.fromiter(map(operator.is_not, map(pattern.fullmatch, values),
                           itertools.repeat(None)), dtype=bool, count=len(values))


def _each(test: Predicate, values: list[str]) -> np.ndarray:
    return np.fromiter(map(test, values), dtype=bool, count=len(values))


def _digits_of_length(values: list[str], sizes: tuple[int, ...]) -> np.ndarray:
    compact = _joined(values, lambda text: _ID_SEPARATORS.sub("", text))
    lengths = np.fromiter(map(len, compact), dtype=np.int64, count=len(values))
    digits = np.fromiter(map(str.isdigit, compact), dtype=bool, count=len(values))
    return np.isin(lengths, sizes) & digits


# A Dutch number (after removing spaces and punctuation) becomes "N" + its first four digits:
# that prefix and the length decide validity and kind, so one phonenumbers call serves all.
# Two substitutions with plain replacements: group references would run Python per match.
_NL_HEAD = re.compile(r"(?<![^\x00])(?:\+31|0031|0)(?=\d{9}(?![^\x00]))")
_NL_TAIL = re.compile(r"(?<=N\d{4})\d{5}(?![^\x00])")


def _key_kind(key: str) -> str | None:
    if key.startswith("N"):
        return _phone_kind_cached("0" + key[1:] + "00000")
    if key.startswith("00"):
        key = "+" + key[2:]
    return _phone_kind_cached(key) if key.startswith("+") else None


def _phone_kinds(values: list[str]) -> np.ndarray:
    """:func:`phone_kind` of every value (object array of "mobile", "phone" or None)."""
    shaped = _matches(_PHONE_CHARS, values)
    keys = _joined(values, lambda text: _NL_TAIL.sub("", _NL_HEAD.sub(
        "N", _PHONE_STRIP.sub("", text))))
    codes, uniques = pd.factorize(np.asarray(keys, dtype=object))
    kinds = np.asarray([_key_kind(k) for k in uniques.tolist()] + [None], dtype=object)[codes]
    kinds[~shaped] = None
    return kinds


def _valid_many(meaning: str, values: list[str]) -> np.ndarray:
    """Whether each value is a valid one of ``meaning`` (same answers as ``VALID[meaning]``)."""
    if meaning == "postcode":
        return _matches(_POSTCODE, values)
    if meaning == "kvk_number":
        return _digits_of_length(values, (8,))
    if meaning == "vestigingsnummer":
        return _digits_of_length(values, (12,))
    if meaning in ("phone", "mobile"):
        kinds = _phone_kinds(values)
        if meaning == "mobile":
            return kinds == "mobile"
        return kinds != None  # noqa: E711 (element-wise on an object array)
    if meaning == "email":
        return _matches(_EMAIL, values)
    if meaning == "url":
        return _matches(_URL, values) & np.fromiter(("@" not in v for v in values), dtype=bool,
                                                     count=len(values))
    if meaning == "street_house_number":
        return _matches(_STREET_HOUSE, values)
    if meaning == "house_number":
        return _matches(_HOUSE_NUMBER, values)
    if meaning == "initials":
        return _matches(_INITIALS, values)
    if meaning in ("city", "first_name", "last_name"):
        return _matches(_NAME, values) & (np.fromiter(map(len, values), dtype=np.int64,
                                                      count=len(values)) <= 80)
    if meaning == "organisation_name":
        return _matches(_TEXT_ANY, values)
    return _each(VALID[meaning], values)


_TEXT_ANY = re.compile(r".*\S.*", re.S)


# --------------------------------------------------------------------------- the profile


def _factorize(series: pd.Series, clean: bool) -> tuple[np.ndarray, list[str]]:
    """Row codes (-1 for empty) and the distinct values as stripped text, in order of appearance."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    values = uniques.tolist()
    if clean and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        stripped = values
    else:
        stripped = [str(v).strip() for v in values]
    if stripped is not values and stripped != values or "" in stripped:
        # Frames not made by read_table may hold "" or padded text: merge equal stripped values.
        merged, texts = pd.factorize(pd.Series([v or None for v in stripped], dtype=object),
                                     use_na_sentinel=True)
        codes = np.append(merged, -1)[codes]
        values = texts.tolist()
    return codes.astype(np.int64, copy=False), values


def _length_histogram(lengths: np.ndarray, counts: np.ndarray) -> list[list[int]]:
    """``[low, high, rows]`` per length band; single lengths when there are few."""
    if not len(lengths):
        return []
    low, high = int(lengths.min()), int(lengths.max())
    width = max(1, -(-(high - low + 1) // 30))  # at most 30 bands
    bands = np.bincount((lengths - low) // width, weights=counts).astype(np.int64)
    return [[low + i * width, min(high, low + (i + 1) * width - 1), int(n)]
            for i, n in enumerate(bands.tolist()) if n]


def _column_profile(name: str, values: list[str], counts: np.ndarray,
                    rows: int) -> dict[str, Any]:
    """The profile of one column from its distinct values and their row counts."""
    filled = int(counts.sum())
    # Most frequent first, ties in order of appearance: one sort serves every "top" list.
    order = np.argsort(-counts, kind="stable")
    meaning = detect_meaning(name, {values[i]: int(counts[i])
                                    for i in order[:DETECT_SAMPLE].tolist()})
    patterns = _patterns_of(values)
    pattern_codes, pattern_names = pd.factorize(pd.Series(patterns, dtype=object))
    pattern_counts = np.bincount(pattern_codes, weights=counts,
                                 minlength=len(pattern_names)).astype(np.int64)
    invalid_mask = np.zeros(len(values), dtype=bool)
    if meaning not in ("empty", "free_text"):
        invalid_mask = ~_valid_many(meaning, values)
    invalid_count = int(counts[invalid_mask].sum())
    mask = _is_sensitive(name, meaning)

    def shown(value: str) -> str:
        return str(mask_value(value)) if mask else value

    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    worst = order[invalid_mask[order]][:TOP] if invalid_count else order[:0]
    return {
        "name": str(name),
        "fill_rate": round(filled / rows, 4) if rows else 0.0,
        "filled": filled,
        "distinct": len(values),
        "top_values": [[shown(values[i]), int(counts[i])] for i in order[:TOP].tolist()],
        "patterns": [[str(pattern_names[i]), int(pattern_counts[i])]
                     for i in np.argsort(-pattern_counts, kind="stable")[:PATTERN_TOP].tolist()],
        "min_length": int(lengths.min()) if len(values) else None,
        "max_length": int(lengths.max()) if len(values) else None,
        "length_histogram": _length_histogram(lengths, counts),
        "meaning": meaning,
        "confidence": round(1 - invalid_count / filled, 4) if filled else 1.0,
        "invalid_count": invalid_count,
        "invalid_examples": [shown(values[i]) for i in worst.tolist()],
        # Distinct values found in more than one row: for identifiers, a sign of duplicates.
        "repeated_values": int((counts > 1).sum()),
        "masked": mask,
    }


def _is_sensitive(name: str, meaning: str) -> bool:
    return meaning == "bsn" or _SENSITIVE_HEADER.search(str(name)) is not None


def profile_column(name: str, series: pd.Series, rows: int) -> dict[str, Any]:
    """Return the profile of one column (``rows`` = the non-blank rows of the table)."""
    codes, values = _factorize(series, clean=False)
    counts = np.bincount(codes[codes >= 0], minlength=len(values))
    return _column_profile(name, values, counts, rows)


def _group(codes: list[np.ndarray], rows: int,
           recode: Callable[[int, np.ndarray], np.ndarray] | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Rows that share every code with an earlier row: (their positions, their group ids).

    ``recode(column, codes)`` may turn a column's codes into other ones (normalised values)
    for the rows still in play only.
    """
    positions = np.arange(rows)
    group = np.zeros(rows, dtype=np.int64)
    # Column by column, most varied first: after it only rows that still share a key are
    # kept, so a unique column ends the work early.
    for index in sorted(range(len(codes)), key=lambda i: -int(codes[i].max(initial=-1))):
        column = codes[index][positions]
        if recode is not None:
            column = recode(index, column)
        group, _ = pd.factorize(group * (int(column.max(initial=-1)) + 2) + (column + 1))
        shared = np.bincount(group)[group] > 1
        positions, group = positions[shared], group[shared]
        group, _ = pd.factorize(group)
        if not len(positions):
            break
    return positions, group


def _duplicates(codes: list[np.ndarray], values: list[list[str]], rows: int,
                source_rows: np.ndarray) -> dict[str, Any]:
    if not rows or not codes:
        return {"exact": 0, "normalised": 0, "examples": []}
    positions, group = _group(codes, rows)
    exact = int(pd.Series(group).duplicated(keep="first").sum())

    def normalised(index: int, column: np.ndarray) -> np.ndarray:
        # Normalise only the distinct values of the rows still in play.
        seen = np.zeros(len(values[index]), dtype=bool)
        seen[column[column >= 0]] = True
        used = np.flatnonzero(seen)
        keys = _normalised_of([values[index][i] for i in used.tolist()])
        key_codes, _ = pd.factorize(np.asarray([k or None for k in keys], dtype=object),
                                    use_na_sentinel=True)
        lookup = np.full(len(values[index]) + 1, -1, dtype=np.int64)
        lookup[used] = key_codes
        return lookup[column]  # -1 (empty) picks the last entry, which stays -1

    positions, group = _group(codes, rows, normalised)
    later = pd.Series(group).duplicated(keep="first").to_numpy()
    source = source_rows[positions]
    first_of: dict[int, int] = {}
    examples: list[list[int]] = []
    for key, row, is_later in zip(group.tolist(), source.tolist(), later.tolist(), strict=True):
        if not is_later:
            first_of[key] = row
        elif len(examples) < TOP:
            examples.append([int(first_of[key]), int(row)])
    return {"exact": exact, "normalised": int(later.sum()), "examples": examples}


def profile_frame(df: pd.DataFrame, *, file: str | None = None,
                  progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None
                  ) -> dict[str, Any]:
    """Profile a frame from :func:`workbench.read.read_table`: columns, meanings, duplicates."""
    columns = [c for c in df.columns if c != "source_row"]
    info = df.attrs.get("read_info") or {}
    if file is None:
        file = info.get("file")
    clean = bool(info)  # read_table gives stripped text or None: no second cleaning needed
    factorized = {c: _factorize(df[c], clean) for c in columns}
    if columns:
        filled_any = np.zeros(len(df), dtype=bool)
        for codes, _ in factorized.values():
            filled_any |= codes >= 0
        blank = ~filled_any
    else:
        blank = np.ones(len(df), dtype=bool)
    keep = ~blank
    if "source_row" in df.columns:
        source_rows = df["source_row"].to_numpy()[keep]
    else:
        source_rows = np.arange(1, len(df) + 1)[keep]
    rows = int(keep.sum())
    profiles = []
    kept_codes: list[np.ndarray] = []
    kept_values: list[list[str]] = []
    steps: Iterable[Any] = columns if progress is None else progress(columns)
    for name in steps:
        codes, values = factorized.pop(name)
        codes = codes[keep] if not keep.all() else codes
        counts = np.bincount(codes[codes >= 0], minlength=len(values))
        profiles.append(_column_profile(name, values, counts, rows))
        kept_codes.append(codes)
        kept_values.append(values)
    profile = {
        "file": file,
        "rows": int(len(df)),
        "blank_rows": int(blank.sum()),
        "read": {k: info[k] for k in ("format", "encoding", "delimiter", "sheet", "export")
                 if info.get(k) is not None},
        "columns": profiles,
        "duplicates": _duplicates(kept_codes, kept_values, rows, source_rows),
    }
    profile["warnings"] = [*info.get("warnings", []), *profile_warnings(profile)]
    return profile


LOW_FILL = 0.5  # a column filled in fewer rows than this is worth a warning
# Meanings that identify one organisation or person: a value in two rows is worth a look.
_IDENTIFIERS = frozenset({"kvk_number", "vestigingsnummer", "bsn", "iban", "email"})


def profile_warnings(profile: dict[str, Any]) -> list[str]:
    """Return what an analyst should look at first: invalid values, empty columns, duplicates."""
    out: list[str] = []
    if profile["blank_rows"]:
        out.append(f"{profile['blank_rows']:,} blank row(s); they are kept with their "
                   "source_row and skipped.")
    for col in profile["columns"]:
        name = col["name"]
        if col["meaning"] == "empty":
            out.append(f"Column '{name}' is empty.")
            continue
        if col["invalid_count"]:
            examples = ", ".join(f"'{v}'" for v in col["invalid_examples"][:3])
            out.append(f"Column '{name}' ({col['meaning'].replace('_', ' ')}): "
                       f"{col['invalid_count']:,} invalid value(s), e.g. {examples}.")
        if col.get("repeated_values") and col["meaning"] in _IDENTIFIERS:
            top = col["top_values"][0]
            out.append(f"Column '{name}' ({col['meaning'].replace('_', ' ')}): "
                       f"{col['repeated_values']:,} value(s) occur in more than one row, e.g. "
                       f"'{top[0]}' ({top[1]:,} rows).")
        if col["fill_rate"] < LOW_FILL:
            out.append(f"Column '{name}' is filled in only {col['fill_rate']:.0%} of the rows.")
    dup = profile["duplicates"]
    if dup["exact"] or dup["normalised"]:
        out.append(f"{dup['exact']:,} row(s) repeat an earlier row exactly; "
                   f"{dup['normalised']:,} once case, spaces and punctuation are ignored.")
    return out


def profile_table(profile: dict[str, Any]) -> pd.DataFrame:
    """Return one row per column of a profile, for display in a notebook."""
    records = []
    for col in profile["columns"]:
        records.append({
            "column": col["name"],
            "meaning": col["meaning"],
            "confidence": col["confidence"],
            "fill_rate": col["fill_rate"],
            "filled": col["filled"],
            "distinct": col["distinct"],
            "invalid": col["invalid_count"],
            "top_value": col["top_values"][0][0] if col["top_values"] else None,
            "top_pattern": col["patterns"][0][0] if col["patterns"] else None,
            "min_length": col["min_length"],
            "max_length": col["max_length"],
            "invalid_examples": ", ".join(col["invalid_examples"]),
        })
    return pd.DataFrame.from_records(records, columns=[
        "column", "meaning", "confidence", "fill_rate", "filled", "distinct", "invalid",
        "top_value", "top_pattern", "min_length", "max_length", "invalid_examples"])


# --------------------------------------------------------------------------- the report


def fill_rate_figure(profile: dict[str, Any]) -> Any:
    """The fill rate per column as a chart (a PNG in a notebook; ``.figure`` is the Figure)."""
    # Figure + FigureCanvasAgg instead of pyplot: no global backend switch in a notebook.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [c["name"] for c in profile["columns"]][::-1]
    rates = [c["fill_rate"] * 100 for c in profile["columns"]][::-1]
    figure = Figure(figsize=(7, max(1.5, 0.3 * len(names) + 0.8)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(range(len(names)), rates, color="#3b7dd8")
    axes.set_yticks(range(len(names)), [n[:40] for n in names], fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel("filled (% of non-blank rows)")
    axes.bar_label(bars, fmt="%.0f%%", fontsize=7, padding=2)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    from workbench.report import Chart

    return Chart(figure)  # a bare Figure shows only as text without pyplot's inline backend


def _fill_rate_chart(profile: dict[str, Any]) -> str:
    """Return a horizontal bar chart of the fill rates as a base64 PNG."""
    return base64.b64encode(fill_rate_figure(profile)._repr_png_()).decode("ascii")


def _svg_bar(share: float, width: int = 160) -> str:
    filled = max(0.0, min(1.0, share)) * width
    return (f'<svg width="{width}" height="10" role="img" aria-label="{share:.0%}">'
            f'<rect width="{width}" height="10" fill="#e6e6e6"/>'
            f'<rect width="{filled:.1f}" height="10" fill="#3b7dd8"/></svg>')


def _svg_pattern_bars(patterns: list[list[Any]], filled: int) -> str:
    """Horizontal bars of the most frequent patterns, as inline SVG (one per pattern)."""
    if not patterns or not filled:
        return ""
    row, label, bar = 16, 170, 200
    top = max(c for _, c in patterns)
    items = []
    for i, (pattern, count) in enumerate(patterns):
        y = i * row
        width = bar * count / top if top else 0
        text = str(pattern) if len(str(pattern)) <= 24 else str(pattern)[:23] + "…"
        items.append(
            f'<text x="{label - 4}" y="{y + 12}" text-anchor="end" font-family="monospace" '
            f'font-size="11">{html.escape(text)}</text>'
            f'<rect x="{label}" y="{y + 3}" width="{width:.1f}" height="11" fill="#3b7dd8"/>'
            f'<text x="{label + width + 4:.1f}" y="{y + 12}" font-size="10">'
            f'{count / filled:.0%}</text>')
    height = row * len(patterns) + 4
    return (f'<figure><figcaption>pattern frequencies</figcaption>'
            f'<svg width="{label + bar + 50}" height="{height}" role="img" '
            f'aria-label="pattern frequencies">{"".join(items)}</svg></figure>')


def _svg_length_histogram(histogram: list[list[int]]) -> str:
    """Columns of rows per value length, as inline SVG."""
    if not histogram:
        return ""
    width, height, gap = 260, 70, 1
    top = max(n for _, _, n in histogram)
    step = width / len(histogram)
    bars = []
    for i, (low, high, n) in enumerate(histogram):
        h = max(1.0, (height - 14) * n / top)
        label = f"{low}" if low == high else f"{low}-{high}"
        bars.append(f'<rect x="{i * step:.1f}" y="{height - 14 - h:.1f}" '
                    f'width="{max(step - gap, 1):.1f}" height="{h:.1f}" fill="#7aa6e0">'
                    f'<title>length {label}: {n:,} rows</title></rect>')
    first, last = histogram[0][0], histogram[-1][1]
    return (f'<figure><figcaption>value length (characters)</figcaption>'
            f'<svg width="{width}" height="{height}" role="img" aria-label="length histogram">'
            f'{"".join(bars)}<text x="0" y="{height - 2}" font-size="10">{first}</text>'
            f'<text x="{width}" y="{height - 2}" font-size="10" text-anchor="end">{last}</text>'
            f'</svg></figure>')


def _pairs_table(title: str, pairs: Iterable[list[Any]]) -> str:
    rows = "".join(f"<tr><td><code>{html.escape(str(v))}</code></td><td>{int(c):,}</td></tr>"
                   for v, c in pairs)
    return (f"<table><tr><th>{html.escape(title)}</th><th>count</th></tr>{rows}</table>"
            if rows else f"<p>{html.escape(title)}: none</p>")


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:60em}
table{border-collapse:collapse;margin:.4em 1em .8em 0;display:inline-table;vertical-align:top}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;font-size:.9em}
section{border-top:1px solid #ddd;margin-top:1.2em}
.meaning{font-weight:bold;color:#1d5fa8}.bad{color:#b00020}
.warnings{background:#fff4e5;border-left:4px solid #e69500;padding:.4em 1em;margin:1em 0}
figure{display:inline-block;margin:.2em 1.2em .6em 0;vertical-align:top}
figcaption{font-size:.8em;color:#555}
"""


def column_html(col: dict[str, Any]) -> str:
    """Return the HTML section of one column: meaning, fill, charts, top values, invalid ones."""
    esc = html.escape
    parts: list[str] = []
    invalid = "".join(f"<li><code>{esc(str(v))}</code></li>" for v in col["invalid_examples"])
    parts += [
        f"<section><h3>{esc(col['name'])}</h3>",
        f"<p><span class=\"meaning\">{esc(col['meaning'])}</span> "
        f"(confidence {col['confidence']:.0%})"
        + (" &middot; values masked" if col.get("masked") else "") + "</p>",
        f"<p>filled {col['filled']:,} ({col['fill_rate']:.1%}) {_svg_bar(col['fill_rate'])}"
        f" &middot; distinct {col['distinct']:,} &middot; length "
        f"{col['min_length']}&ndash;{col['max_length']}</p>",
        _svg_pattern_bars(col["patterns"], col["filled"]),
        _svg_length_histogram(col.get("length_histogram") or []),
        "<br>",
        _pairs_table("pattern", col["patterns"][:TOP]),
        _pairs_table("top value", col["top_values"]),
    ]
    if col["invalid_count"]:
        parts.append(f"<p class=\"bad\">{col['invalid_count']:,} invalid for "
                     f"{esc(col['meaning'])}, for example:</p><ul>{invalid}</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def render_html(profile: dict[str, Any]) -> str:
    """Return the profile as a self-contained HTML page (inline chart, no external files)."""
    esc = html.escape
    dup = profile["duplicates"]
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>Profile of {esc(str(profile.get('file') or 'table'))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Profile of {esc(str(profile.get('file') or 'table'))}</h1>",
    ]
    warnings = profile.get("warnings") or []
    if warnings:
        items = "".join(f"<li>{esc(str(w))}</li>" for w in warnings)
        parts.append(f'<div class="warnings" id="warnings"><h2>Warnings ({len(warnings)})</h2>'
                     f"<ul>{items}</ul></div>")
    read = profile.get("read") or {}
    how = ", ".join(f"{k} {esc(repr(v) if k == 'delimiter' else str(v))}"
                    for k, v in read.items())
    parts += [
        "<h2>Overview</h2><table>",
        f"<tr><th>read as</th><td>{how}</td></tr>" if how else "",
        f"<tr><th>file</th><td>{esc(str(profile.get('file') or ''))}</td></tr>",
        f"<tr><th>rows</th><td>{profile['rows']:,}</td></tr>",
        f"<tr><th>blank rows</th><td>{profile['blank_rows']:,}</td></tr>",
        f"<tr><th>columns</th><td>{len(profile['columns']):,}</td></tr>",
        f"<tr><th>exact duplicate rows</th><td>{dup['exact']:,}</td></tr>",
        f"<tr><th>duplicates ignoring case, spaces, punctuation</th>"
        f"<td>{dup['normalised']:,}</td></tr>",
        "</table>",
    ]
    if dup["examples"]:
        examples = ", ".join(f"{a} = {b}" for a, b in dup["examples"])
        parts.append(f"<p>Examples (source rows): {esc(examples)}</p>")
    if profile["columns"]:
        parts.append("<h2>Fill rate</h2>")
        parts.append(f'<img alt="fill rate per column" '
                     f'src="data:image/png;base64,{_fill_rate_chart(profile)}">')
    parts.append("<h2>Columns</h2>")
    parts += [column_html(col) for col in profile["columns"]]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_profile(profile: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``profile.json`` and a self-contained ``profile.html`` into ``out_dir``."""
    out = Path(out_dir)
    json_path = atomic_write_text(out / "profile.json",
                                  json.dumps(profile, ensure_ascii=False, indent=2) + "\n")
    html_path = atomic_write_text(out / "profile.html", render_html(profile))
    return json_path, html_path


LARGE = 100_000  # rows from which the notebook shows a progress bar


def progress_bar(rows: int, *, minimum: int = LARGE) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """Return a tqdm wrapper for ``profile_frame(progress=...)`` on large tables, else None."""
    if rows < minimum:
        return None
    from tqdm.auto import tqdm

    return lambda items: tqdm(items, desc="profiling columns", unit="column")


__all__ = ["profile_frame", "profile_warnings", "column_html", "fill_rate_figure",
           "progress_bar", "write_profile", "profile_table", "profile_column", "detect_meaning",
           "value_pattern", "phone_kind", "render_html", "MEANINGS"]
