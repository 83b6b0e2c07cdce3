"""Value tests of the profile: does a value look meant as a meaning, and is it a valid one?

"Looks meant as" (detection) is the profile's own, loose on purpose: a 7-digit KvK number still
makes a KvK column and is then reported as invalid. "Valid" is never decided here: it is the
standardiser's rule (``workbench.standardise``), a value the standardiser keeps without a problem.
Every test takes many distinct values at once and returns a boolean array.
"""
from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from workbench import standardise as std
from workbench.labels import label, language_of, meaning_label
from workbench.standardise._common import clean_text

Many = Callable[[Sequence[str]], np.ndarray]

_POSTCODE_LIKE = re.compile(r"\d{3,5}[\s.\-]?[A-Z]{1,3}|[1-9]\d{3}", re.I)
_HOUSE_NUMBER_LIKE = re.compile(
    r"\d{1,5}(?:\s*[-/]\s*[A-Z0-9]{1,4}|\s?[A-Z]\d?|\s+(?:bis|hs|huis|rd|zw|bg))?", re.I)
_STREET_LIKE = re.compile(
    r"[^\W\d_][\w'.\- ]*?\s+\d{1,5}"
    r"(?:\s*[-/]\s*[A-Z0-9]{1,4}|\s?[A-Z]\d?|\s+(?:bis|hs|huis|rd|zw|bg))?", re.I)
_ID_SEPARATORS = re.compile(r"[\s.\-]")
_URL_START = ("http://", "https://", "www.")
_PHONE_CHARS = re.compile(r"\+?[\d\s()./-]{6,22}")
_IBAN_LIKE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9 ]{10,32}", re.I)
_INITIALS_LIKE = re.compile(r"(?:(?:[A-Z]|Th|Ch|Ph|Chr|IJ|Tj|Sj)\.\s?){1,6}|[A-Z]{1,3}", re.U)
_NAME = re.compile(r"['’]?[^\W\d_](?:[^\W\d_]|[ '\-.’])*", re.U)  # 's-Gravenhage
_TEXT = re.compile(r".*\S.*", re.S)
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*")
# eight digits with a year of this or the last century first or last (yyyymmdd, ddmmyyyy)
_COMPACT_DATE_LIKE = re.compile(r"(?:19|20)\d{6}|\d{4}(?:19|20)\d{2}")
_FOUR_DIGITS = re.compile(r"\d{4}")


def matches(pattern: re.Pattern[str], values: Sequence[str]) -> np.ndarray:
    """Whether ``pattern`` matches each whole value."""
    # map() over a bound method: no Python frame per value.
    return np.fromiter(map(operator.is_not, map(pattern.fullmatch, values),
                           itertools.repeat(None)), dtype=bool, count=len(values))


def each(test: Callable[[str], bool], values: Sequence[str]) -> np.ndarray:
    """``test`` of each value, as a boolean array."""
    return np.fromiter(map(test, values), dtype=bool, count=len(values))


def _compact_digits(values: Sequence[str], low: int, high: int) -> np.ndarray:
    compact = std.map_joined(values, lambda text: _ID_SEPARATORS.sub("", text))
    return np.fromiter((low <= len(c) <= high and c.isdigit() for c in compact), dtype=bool,
                       count=len(values))


def _kept(standardiser: Callable[[pd.Series], pd.DataFrame], *columns: str) -> Many:
    def valid(values: Sequence[str]) -> np.ndarray:
        out = standardiser(pd.Series(list(values), dtype=object))
        return std.kept_without_problem(out, columns or None)

    return valid


def phone_kinds(values: Sequence[str]) -> np.ndarray:
    """``"mobile"``, ``"phone"`` or None (the standardiser finds a problem) per value."""
    types = std.phone_types(values)
    return np.where(types == "mobile", "mobile",
                    np.where(pd.isna(types), None, "phone")).astype(object)


def phone_kind(value: str) -> str | None:
    """Return ``"mobile"``, ``"phone"`` or ``None`` (not a valid number), NL as default country."""
    return phone_kinds([value])[0]


def _like_phone(values: Sequence[str]) -> np.ndarray:
    digits = _digit_counts(values)
    out = matches(_PHONE_CHARS, values) & ~matches(_DATE_LIKE, values) & (digits >= 9) & (
        digits <= 15)
    # A bare 9-digit number that passes the 11-test is a BSN, not a phone that lost its zero.
    return out & ~std.bare_bsns(values)


def _only(where: np.ndarray, test: Many, values: Sequence[str]) -> np.ndarray:
    """``test`` of the values ``where`` marks (False elsewhere): detection need not ask the
    standardiser about values that cannot be meant as the meaning."""
    out = np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(where)
    if len(rows):
        out[rows] = test([values[i] for i in rows.tolist()])
    return out


def _digit_counts(values: Sequence[str]) -> np.ndarray:
    return np.fromiter((sum(map(str.isdigit, v)) for v in values), dtype=np.int64,
                       count=len(values))


def _like_mobile(values: Sequence[str]) -> np.ndarray:
    return _only(_digit_counts(values) >= 9, VALID_MANY["mobile"], values)


def _like_bsn(values: Sequence[str]) -> np.ndarray:
    return _only(_compact_digits(values, 8, 9), VALID_MANY["bsn"], values)


def _like_salutation(values: Sequence[str]) -> np.ndarray:
    # "M" and "vrouw" are read as salutations too, but they make a gender column
    short = each(lambda v: len(v) <= 40 and not any(map(str.isdigit, v)), values)
    return _only(short & ~each(std.is_gender_word, values), VALID_MANY["salutation"], values)


def _like_email(values: Sequence[str]) -> np.ndarray:
    return each(lambda v: "@" in v and " " not in v, values)


def _like_url(values: Sequence[str]) -> np.ndarray:
    return each(lambda v: "@" not in v and v.lower().startswith(_URL_START), values)


def _is_text(values: Sequence[str]) -> np.ndarray:
    return matches(_TEXT, values)


def _is_name(values: Sequence[str]) -> np.ndarray:
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return matches(_NAME, values) & (lengths <= 80)


def four_digits(values: Sequence[str]) -> np.ndarray:
    """Whether each value is four digits (a PC4 postcode or a year)."""
    return matches(_FOUR_DIGITS, values)


def _valid_dates(values: Sequence[str]) -> np.ndarray:
    """Whether each value is a date, read the way the column writes its dates."""
    fmt = std.infer_date_format(values) or "dd-mm-yyyy"
    return each(lambda v: std.parse_date(v, fmt) is not None, values)


# meaning -> whether each value is a valid one: the standardiser keeps it without a problem.
VALID_MANY: dict[str, Many] = {
    "email": _kept(std.email),
    "url": _kept(std.website),
    "iban": _kept(std.iban),
    "bsn": _kept(std.bsn),
    "vestigingsnummer": _kept(std.vestigingsnummer),
    "kvk_number": std.valid_kvk_numbers,
    "postcode": std.valid_postcodes,
    "mobile": lambda values: std.phone_types(values) == "mobile",
    "phone": lambda values: pd.notna(std.phone_types(values)).astype(bool),
    "date": lambda values: _valid_dates(values),
    "street_house_number": _kept(std.split_address, "street", "house_number"),
    "house_number": _kept(std.split_house_number),
    "gender": _kept(std.gender),
    "salutation": _kept(std.salutation, "salutation", "title"),
    "legal_form": lambda values: each(std.is_legal_form, values),
    "name_prefix": lambda values: each(std.is_name_prefix, values),
    "initials": _kept(std.initials),
    "city": _kept(std.city),
    # no standardiser judges a first or last name alone: letters, spaces, - ' . only
    "first_name": _is_name,
    "last_name": _is_name,
    "organisation_name": _is_text,
    "free_text": _is_text,
}

# meaning -> whether each value looks meant as one (detection), for the structured meanings.
LOOKS_LIKE: dict[str, Many] = {
    "email": _like_email,
    "url": _like_url,
    "iban": lambda values: matches(_IBAN_LIKE, values),
    "bsn": _like_bsn,
    "vestigingsnummer": lambda values: _compact_digits(values, 11, 12),
    "kvk_number": lambda values: _compact_digits(values, 7, 8),
    "postcode": lambda values: matches(_POSTCODE_LIKE, values),
    "mobile": _like_mobile,
    "phone": _like_phone,
    "date": lambda values: matches(_DATE_LIKE, values) | matches(_COMPACT_DATE_LIKE, values),
    "street_house_number": lambda values: matches(_STREET_LIKE, values),
    "house_number": lambda values: matches(_HOUSE_NUMBER_LIKE, values) & each(
        lambda v: v[:1].isdigit(), values),
    "gender": lambda values: each(std.is_gender_word, values),
    "salutation": _like_salutation,
    "legal_form": VALID_MANY["legal_form"],
    "name_prefix": VALID_MANY["name_prefix"],
    "initials": lambda values: matches(_INITIALS_LIKE, values),
}


def valid_many(meaning: str, values: Sequence[str]) -> np.ndarray:
    """Whether each value is a valid one of ``meaning`` (the standardiser's rule)."""
    return VALID_MANY[meaning](values)


def _one(meaning: str) -> Callable[[str], bool]:
    return lambda value: bool(VALID_MANY[meaning]([value])[0])


# meaning -> per-value test (one value at a time: for notebooks and tests, slow on many).
VALID: dict[str, Callable[[str], bool]] = {meaning: _one(meaning) for meaning in VALID_MANY}


# meaning -> its standardiser: the one that gives an invalid value its reason
_STANDARDISER: dict[str, Callable[[pd.Series], pd.DataFrame]] = {
    "email": std.email, "url": std.website, "iban": std.iban, "bsn": std.bsn,
    "vestigingsnummer": std.vestigingsnummer, "kvk_number": std.kvk_number,
    "postcode": std.postcode, "street_house_number": std.split_address,
    "house_number": std.split_house_number, "gender": std.gender, "salutation": std.salutation,
    "initials": std.initials, "city": std.city, "phone": std.phone,
}
# why a value is not one of a meaning no standardiser judges alone: the catalogue key of the
# sentence (workbench/screen_sentences.py; ``{value}`` is the value)
_WHY: dict[str, str] = {
    "mobile": "why.mobile",
    "date": "why.date",
    "legal_form": "why.legal_form",
    "name_prefix": "why.name_prefix",
    "first_name": "why.name_characters",
    "last_name": "why.name_characters",
}


def meaning_text(meaning: str, lang: str | None = None) -> str:
    """A meaning in a sentence: ``kvk number`` in English (as always), ``KvK-nummer`` in Dutch."""
    return meaning_label(meaning, lang) if language_of(lang) == "nl" else meaning.replace("_", " ")


def _why_generic(meaning: str, text: str, lang: str | None) -> str:
    """Why ``text`` is not a ``meaning`` when no standardiser says (in ``lang``)."""
    if meaning in _WHY:
        return label(_WHY[meaning], lang, value=text)
    return label("why.not_valid", lang, value=text, meaning=meaning_text(meaning, lang))


def _address_lines_in(countries: Sequence[str | None]) -> Callable[[pd.Series], pd.DataFrame]:
    """The run's reading of address lines, each value by its row's country (missing: Dutch)."""
    from workbench.standardise.address import split_address_in

    return lambda s: split_address_in(s, pd.Series(list(countries), index=s.index, dtype=object))


def verdicts(meaning: str, values: Sequence[str], lang: str | None = None,
             countries: Sequence[str | None] | None = None
             ) -> tuple[np.ndarray, list[str | None]]:
    """Per value: ``"error"`` (invalid: the run refuses it), ``"warning"`` (kept, doubtful) or
    None (valid), and the reason (in ``lang``), from the standardiser's own problem where it has
    one.

    ``countries``: per value, the country (ISO2) of its row; an address line is read by it.
    """
    severity = np.full(len(values), None, dtype=object)
    reasons: list[str | None] = [None] * len(values)
    standardiser = _STANDARDISER.get(meaning)
    if meaning == "street_house_number" and countries is not None:
        standardiser = _address_lines_in(countries)
        valid = _kept(standardiser, "street", "house_number")(values)
        countries = [countries[i] for i in np.flatnonzero(~valid).tolist()]
        standardiser = _address_lines_in(countries)
    else:
        valid = valid_many(meaning, values)
    bad = np.flatnonzero(~valid)
    texts = [values[i] for i in bad.tolist()]
    if standardiser is not None and texts:
        out = standardiser(pd.Series(texts, dtype=object))
        problems = out["problem"].to_numpy(dtype=object)
        levels = out["severity"].to_numpy(dtype=object)
    else:
        problems = levels = np.full(len(texts), None, dtype=object)
    kinds = std.phone_types(texts) if meaning == "mobile" and texts else [None] * len(texts)
    for i, text, problem, level, kind in zip(bad.tolist(), texts, problems, levels, kinds,
                                             strict=True):
        # a standardiser's warning keeps the value (the run loads it); anything else is refused
        severity[i] = "warning" if level == "warning" else "error"
        if isinstance(problem, str):
            reasons[i] = problem
        elif clean_text(text) is None:
            reasons[i] = label("why.empty_cell", lang, value=text)
        elif isinstance(kind, str):
            reasons[i] = label("why.landline" if kind == "fixed" else "why.not_mobile", lang,
                               value=text)
        else:
            reasons[i] = _why_generic(meaning, text, lang)
    return severity, reasons
