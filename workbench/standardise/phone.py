"""Phone numbers -> E.164 with the ``phonenumbers`` library, NL as the default country."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from workbench.messages import say

from ._common import PROBLEM_COLUMNS, distinct_texts, fullmatches, map_joined, ok, warning

COLUMNS = ("phone", "phone_type")
_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed",
}
_NOISE = r"\(0\)|[\s\-./()]"  # "+31 (0)6 1234 5678": the (0) is a national prefix, not a digit
_OTHER_DESCS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                "uan", "voicemail")


def parse_phone(text: str, region: str | None = "NL") -> tuple:
    """Parse one phone number with phonenumbers; return (e164, type, problem, severity)."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        # keep what was typed: a warning, because a human can still dial or fix it
        return warning(say("phone.unreadable", value=text), text, None)
    if not phonenumbers.is_valid_number(number):
        unassigned = _unassigned_dutch(str(number.national_number)) \
            if number.country_code == _NL_CODE else None
        return unassigned(text) if unassigned else warning(
            say("phone.invalid", value=text), text, None)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    kind = _TYPES.get(phonenumbers.number_type(number), "other")
    if number.extension:
        return warning(say("phone.extension", value=text, extension=number.extension),
                       e164, kind)
    return ok(e164, kind)


_NL_CODE = 31
_NL_NATIONAL = re.compile(r"[1-9]\d{8}")  # every Dutch geographic and mobile number: nine digits


def _unassigned_dutch(nsn: str):
    """For a well-formed Dutch number in a range not assigned today (06-9..., 067...): a function
    giving its E.164 form with a warning, so that one number is written one way; else None."""
    if not _NL_NATIONAL.fullmatch(nsn):
        return None
    kind = "mobile" if nsn[0] == "6" else None

    def written(text: str) -> tuple:
        return warning(say("phone.unassigned", value=text, number=f"+31{nsn}"),
                       f"+31{nsn}", kind)
    return written


@lru_cache(maxsize=32)
def _fast_patterns(region: str) -> tuple[str, str, str, str, str] | None:
    """Regexes for the common national/international spellings of one region, from its metadata."""
    md = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if md is None or md.national_prefix is None or md.mobile is None or md.fixed_line is None:
        return None
    cc = str(md.country_code)
    lead = rf"^(?:\+{cc}|00{cc}|{re.escape(md.national_prefix)})([1-9]\d{{3,14}})$"
    others = [getattr(md, name) for name in _OTHER_DESCS]
    other = "|".join(f"(?:{d.national_number_pattern})" for d in others
                     if d is not None and d.national_number_pattern)
    return (lead, md.general_desc.national_number_pattern, md.mobile.national_number_pattern,
            md.fixed_line.national_number_pattern, other or "(?!)")


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    """A compiled pattern, cached (the metadata patterns are strings)."""
    return re.compile(pattern)


def phone(s: pd.Series, region: str | None = "NL") -> pd.DataFrame:
    """Normalise phone numbers to E.164; columns phone, phone_type, problem, severity."""
    codes, texts = distinct_texts(s)
    table = phone_table(texts, region)
    out = table[codes] if len(codes) else table[:0]
    return pd.DataFrame(out, index=s.index, columns=[*COLUMNS, *PROBLEM_COLUMNS])


def phone_table(texts: list[str], region: str | None = "NL") -> np.ndarray:
    """:func:`phone` of each distinct cleaned text (:func:`distinct_texts`): an object array, one
    row a text and a last row of None (for code -1)."""
    table = np.full((len(texts) + 1, len(COLUMNS) + len(PROBLEM_COLUMNS)), None, dtype=object)
    todo = np.ones(len(texts), dtype=bool)
    patterns = _fast_patterns(region) if region else None
    if patterns is not None and texts:
        todo[_settle_usual(texts, table, region, patterns)] = False
    for idx in np.flatnonzero(todo).tolist():
        table[idx] = parse_phone(texts[idx], region)
    return table


# the characters of _NOISE's class: every space (as \s: str.isspace) and - . / ( )
_NOISE_CHARS = dict.fromkeys([*(c for c in range(0x3001) if chr(c).isspace()), *map(ord, "-./()")])


def _without_noise(text: str) -> str:
    """``text`` with what _NOISE matches removed, at C speed: "(0)" (which cannot overlap
    itself, so replace finds the ones the pattern finds, left to right), then its class."""
    return text.replace("(0)", "").translate(_NOISE_CHARS)


def _settle_usual(texts: list[str], table: np.ndarray, region: str,
                  patterns: tuple[str, str, str, str, str]) -> np.ndarray:
    """Fill ``table`` for the ordinary numbers of ``region`` from the library's own metadata
    patterns; return the indices settled. The per-number parser (~40 us each) sees the rest."""
    lead, general, mobile, fixed, other = patterns
    # the separators go in one C call over all numbers at once
    bare = map_joined(texts, _without_noise)
    lead_search = _compiled(lead).search
    nsns = [m[1] if (m := lead_search(t)) else None for t in bare]
    known = np.flatnonzero(pd.notna(np.asarray(nsns, dtype=object)))
    sub = [nsns[i] for i in known.tolist()]
    is_mobile, is_fixed, is_general, is_other = (fullmatches(_compiled(p), sub)
                                                 for p in (mobile, fixed, general, other))
    cc = "+" + str(phonenumbers.country_code_for_region(region))
    clear = is_general & (is_mobile ^ is_fixed) & ~is_other
    table[known[clear], 0] = [cc + sub[i] for i in np.flatnonzero(clear).tolist()]
    table[known[clear], 1] = np.where(is_mobile[clear], "mobile", "fixed")
    # premium, toll-free, pager ...: the library checks those types before fixed and mobile
    special = is_general & is_other
    table[known[special], 0] = [cc + sub[i] for i in np.flatnonzero(special).tolist()]
    table[known[special], 1] = "other"
    # a number of this country outside its general pattern, or of no known type, is not
    # valid: the library says the same (is_valid_number) after ~40 us of parsing
    invalid = ~is_general | ~(is_mobile | is_fixed | is_other)
    for i in np.flatnonzero(invalid).tolist():
        row, nsn = known[i], sub[i]
        unassigned = _unassigned_dutch(nsn) if cc == f"+{_NL_CODE}" else None
        table[row] = unassigned(texts[row]) if unassigned else warning(
            say("phone.invalid", value=texts[row]), texts[row], None)
    return known


# A Dutch number written with digits and separators only becomes "N" + its first four national
# digits (when it has nine): that prefix decides validity and type, so one call of phone() per
# prefix serves every number sharing it (checked against phone() in the tests). Two
# substitutions with plain replacements: group references would run Python per match.
_SHAPE = re.compile(r"\+?[\d\s()./-]{6,22}", re.ASCII)
_STRIP = re.compile(r"[\s()./-]")
_NL_HEAD = re.compile(r"(?<![^\x00])(?:\+31|0031|0)(?=\d{9}(?![^\x00]))", re.ASCII)
_NL_TAIL = re.compile(r"(?<=N\d{4})\d{5}(?![^\x00])", re.ASCII)


def phone_types(values: Sequence[str], region: str | None = "NL") -> np.ndarray:
    """The phone_type :func:`phone` gives each value (mobile, fixed, other), None where it
    reports a problem; an object array."""
    kinds = np.full(len(values), None, dtype=object)
    todo = np.ones(len(values), dtype=bool)
    if region == "NL" and len(values):
        keys = map_joined(values, lambda text: _NL_TAIL.sub("", _NL_HEAD.sub(
            "N", _STRIP.sub("", text))))
        keyed = np.fromiter(
            (len(k) == 5 and k[0] == "N" and m is not None
             for k, m in zip(keys, map(_SHAPE.fullmatch, values), strict=True)),
            dtype=bool, count=len(values))
        if keyed.any():
            codes, uniques = pd.factorize(np.asarray(keys, dtype=object)[keyed])
            kinds[keyed] = _types([f"0{key[1:]}00000" for key in uniques.tolist()],
                                  region)[codes]
            todo = ~keyed
    rest = np.flatnonzero(todo)
    if len(rest):
        kinds[rest] = _types([values[i] for i in rest.tolist()], region)
    return kinds


def _types(values: list[str], region: str | None) -> np.ndarray:
    out = phone(pd.Series(values, dtype=object), region)
    return out["phone_type"].where(out["problem"].isna(), None).to_numpy(dtype=object)
