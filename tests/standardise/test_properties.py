"""Property tests: every public standardiser never raises on any text and is idempotent."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workbench.standardise import (
    addition,
    birth_date,
    bsn,
    btw,
    city,
    city_key,
    country,
    email,
    gender,
    gender_from_salutation,
    iban,
    initials,
    kvk_number,
    last_name_key,
    org_name,
    phone,
    postcode,
    salutation,
    split_address,
    split_house_number,
    split_person_name,
    split_prefix,
    street_key,
    vestigingsnummer,
    website,
)
from workbench.standardise._common import PLACEHOLDERS
from workbench.standardise.phone import parse_phone


def _first(func: Callable, column: str) -> Callable[[pd.Series], pd.Series]:
    return lambda s: func(s)[column]


def _join(*parts: object) -> str | None:
    text = " ".join(str(p) for p in parts if isinstance(p, str) and p)
    return text or None


def _address(s: pd.Series) -> pd.Series:
    out = split_address(s)
    return pd.Series([_join(a, b, c) for a, b, c in zip(
        out["street"], out["house_number"], out["house_number_addition"], strict=True)],
        index=s.index, dtype=object)


def _house_number(s: pd.Series) -> pd.Series:
    out = split_house_number(s)
    return pd.Series([_join(a, b) for a, b in zip(out["house_number"],
                                                  out["house_number_addition"], strict=True)],
                     index=s.index, dtype=object)


def _prefix(s: pd.Series) -> pd.Series:
    out = split_prefix(s)
    return pd.Series([_join(a, b) for a, b in zip(out["name_prefix"], out["last_name"],
                                                  strict=True)], index=s.index, dtype=object)


# name -> a function from a Series of text to the standard text it produces (to feed back in)
STANDARDISERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "postcode": _first(postcode, "postcode"),
    "split_address": _address,
    "split_house_number": _house_number,
    "addition": _first(addition, "house_number_addition"),
    "street_key": street_key,
    "city": _first(city, "city"),
    "city_key": city_key,
    "country": _first(country, "country"),
    "birth_date": _first(birth_date, "birth_date"),
    "email": _first(email, "email"),
    "bsn": _first(bsn, "bsn"),
    "btw": _first(btw, "btw"),
    "iban": _first(iban, "iban"),
    "kvk_number": _first(kvk_number, "kvk_number"),
    "vestigingsnummer": _first(vestigingsnummer, "vestigingsnummer"),
    "gender": _first(gender, "gender"),
    "gender_from_salutation": gender_from_salutation,
    "salutation": _first(salutation, "salutation"),
    "initials": _first(initials, "initials"),
    "last_name_key": last_name_key,
    "split_prefix": _prefix,
    "org_name": _first(org_name, "name"),
    "org_name_key": _first(org_name, "name_key"),
    "phone": _first(phone, "phone"),
    "website": _first(website, "website"),
}

# Text as lists hold it: letters, digits, the punctuation of names and addresses, accents.
listy = st.text(alphabet=st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-,'/@()&+:éëöï")),
    max_size=30)
anything = st.one_of(st.text(max_size=40), listy)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _frame_of_outputs(func: Callable, values: list) -> pd.DataFrame:
    return func(pd.Series(values, dtype=object))


PUBLIC_FRAMES = [postcode, split_address, split_house_number, addition, city, country,
                 birth_date, email, bsn, btw, iban, kvk_number, vestigingsnummer, gender,
                 salutation, initials, split_prefix, split_person_name, org_name, phone, website]


@pytest.mark.parametrize("func", PUBLIC_FRAMES, ids=lambda f: f.__name__)
@SETTINGS
@given(st.lists(st.one_of(st.none(), anything), max_size=6))
def test_never_raises_and_reports_problems(func, values):
    out = _frame_of_outputs(func, values)
    assert len(out) == len(values)
    assert set(out["severity"].dropna()) <= {"error", "warning"}
    # a problem always has a severity, and an error never leaves a value behind
    assert (out["problem"].notna() == out["severity"].notna()).all()


@pytest.mark.parametrize("name", sorted(STANDARDISERS))
@SETTINGS
@given(anything)
@example(". 0")  # punctuation and a number: no street (found by hypothesis)
def test_idempotent(name, text):
    func = STANDARDISERS[name]
    once = func(pd.Series([text], dtype=object))
    twice = func(once.astype(object))
    assert once.tolist() == twice.tolist()


FAST_PATHS = {
    "kvk_number": (kvk_number, "workbench.standardise.identifiers", "_parse_kvk"),
    "postcode": (postcode, "workbench.standardise.postcode", "_parse"),
    "website": (website, "workbench.standardise.website", "_parse"),
    "email": (email, "workbench.standardise.email", "_parse"),
}
near_misses = st.text(alphabet=st.sampled_from(list("0123456789 .-ABsdaz:/@wnlhtp")), max_size=14)


@pytest.mark.parametrize("name", sorted(FAST_PATHS))
@SETTINGS
@given(st.one_of(near_misses, listy))
def test_vectorised_fast_path_agrees_with_parser(name, text):
    import importlib

    func, module, parser = FAST_PATHS[name]
    clean = " ".join(text.split())
    if not clean or clean.lower() in PLACEHOLDERS:
        return
    got = func(pd.Series([text], dtype=object)).iloc[0].tolist()
    expected = list(getattr(importlib.import_module(module), parser)(clean))
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["06", "066", "067", "0800", "0900", "0909", "085", "088", "091", "084",
                        "+31 6", "0031 6", "+31 (0)6"]),
       st.integers(0, 99_999_999), st.sampled_from(["", " ", "-"]), st.integers(6, 10))
def test_phone_fast_path_agrees_with_library_on_special_numbers(lead, rest, sep, width):
    raw = f"{lead}{sep}{rest:0{width}d}"[:24]
    fast = phone(pd.Series([raw])).iloc[0]
    slow = parse_phone(raw, "NL")
    assert (fast["phone"], fast["phone_type"], fast["severity"]) == (slow[0], slow[1], slow[3])
