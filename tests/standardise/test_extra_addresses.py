"""Addresses 2 .. 5 in ``standardise_frame`` (like the first, problems per column); fast paths."""
from __future__ import annotations

import importlib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.standardise import ADDRESS_EXTRA_FIELDS, StandardiseOptions, standardise_frame
from workbench.standardise._common import clean_text, ok

website_module = importlib.import_module("workbench.standardise.website")

# (address line, postcode, city) -> (street, number, addition, postcode, city)
CASES = [
    (("Hoofdstraat 12a", "1234ab", "Den Haag"), ("Hoofdstraat", "12", "A", "1234 AB", None)),
    (("Kerkstr. 7-2", "1234 AB", None), ("Kerkstr", "7", "2", "1234 AB", None)),
    (("Postbus 5", "2491-ab", None), ("Postbus", "5", None, "2491 AB", None)),
    (("1e Jan Steenstraat 4 hs", " 1072  nd", "AMSTERDAM"),
     ("1e Jan Steenstraat", "4", "HS", "1072 ND", "Amsterdam")),
    (("Plein 1940-1945 3", None, None), ("Plein 1940-1945", "3", None, None, None)),
    ((None, "3511 AB", "utrecht"), (None, None, None, "3511 AB", "Utrecht")),
    ((None, None, None), (None, None, None, None, None)),
    (("", "-", "n.v.t."), (None, None, None, None, None)),
]


def _expected_like_first(line, pc, city):
    """The first address's standardisation of the same values (the reference)."""
    std, _ = standardise_frame(pd.DataFrame({"source_row": [1], "org_address_line": [line],
                                             "org_postcode": [pc], "org_city": [city]}))
    return tuple(std.iloc[0][f] for f in ("org_street", "org_house_number",
                                          "org_house_number_addition", "org_postcode",
                                          "org_city"))


@pytest.mark.parametrize("k", [2, 3, 4, 5])
@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_extra_address_standardised_like_first(k, raw, expected):
    line, pc, city = raw
    frame = pd.DataFrame({"source_row": [1], f"org_address_line_{k}": [line],
                          f"org_postcode_{k}": [pc], f"org_city_{k}": [city]})
    std, _ = standardise_frame(frame)
    got = tuple(std.iloc[0][f"{f}_{k}"] for f in ("org_street", "org_house_number",
                                                 "org_house_number_addition", "org_postcode",
                                                 "org_city"))
    assert got == _expected_like_first(line, pc, city)
    street, number, addition, postcode, city_out = expected
    assert (got[0], got[1], got[2], got[3]) == (street, number, addition, postcode)
    if city_out is not None:
        assert got[4] == city_out


def test_address_extra_fields_names():
    assert len(ADDRESS_EXTRA_FIELDS) == 20
    assert ADDRESS_EXTRA_FIELDS[:5] == ("org_street_2", "org_house_number_2",
                                        "org_house_number_addition_2", "org_postcode_2",
                                        "org_city_2")
    assert ADDRESS_EXTRA_FIELDS[-1] == "org_city_5"


def test_only_mapped_addresses_add_columns():
    std, _ = standardise_frame(pd.DataFrame({"source_row": [1], "org_postcode_3": ["1234ab"]}))
    extra = [c for c in std.columns if c in ADDRESS_EXTRA_FIELDS]
    assert extra == ["org_street_3", "org_house_number_3", "org_house_number_addition_3",
                     "org_postcode_3", "org_city_3"]
    assert std.loc[0, "org_postcode_3"] == "1234 AB"
    assert std.loc[0, "org_postcode"] is None  # the first address is untouched


# (column, value) -> the problem is reported on that column, with that severity
PROBLEM_CASES = [
    ("org_postcode_2", "12", "error"),
    ("org_postcode_4", "1234 SA", "error"),
    ("org_address_line_3", "Kerkweg", "error"),
    ("org_address_line_5", "12 Kerkweg", "error"),
    ("org_address_line_2", "Postbus 5 a", "warning"),
    ("org_address_line_2", "Hoofdstraat 12 t/m 14", "warning"),
]


@pytest.mark.parametrize(("column", "value", "severity"), PROBLEM_CASES)
def test_extra_address_problems_name_their_column(column, value, severity):
    frame = pd.DataFrame({"source_row": [7], "org_address_line": ["Hoofdstraat 1"],
                          "org_postcode": ["1234 AB"], column: [value]})
    _, problems = standardise_frame(frame)
    assert list(problems["field"]) == [column]
    assert problems.loc[0, "source_row"] == 7
    assert problems.loc[0, "value"] == value
    assert problems.loc[0, "severity"] == severity


def test_foreign_second_postcode_not_checked():
    frame = pd.DataFrame({"source_row": [1], "org_country": ["BE"],
                          "org_postcode_2": ["1000"], "org_city_2": ["Brussel"]})
    std, problems = standardise_frame(frame)
    assert std.loc[0, "org_postcode_2"] == "1000"
    assert problems.empty


def test_extra_city_from_postcode_warns_on_its_column():
    frame = pd.DataFrame({"source_row": [1, 2], "org_postcode_2": ["2511 AB", None],
                          "org_city_2": ["Amsterdam", "Utrecht"]})
    std, problems = standardise_frame(frame, StandardiseOptions(lookup_city_from_postcode=True))
    first, _ = standardise_frame(
        frame.rename(columns={"org_postcode_2": "org_postcode", "org_city_2": "org_city"}),
        StandardiseOptions(lookup_city_from_postcode=True))
    assert list(std["org_city_2"]) == list(first["org_city"])
    assert set(problems["field"]) <= {"org_city_2"}


def test_addresses_kept_in_order_per_row():
    frame = pd.DataFrame({
        "source_row": [1, 2],
        "org_address_line": ["Hoofdstraat 1", "Dorpsweg 3"],
        "org_address_line_2": ["Kerkstraat 2", None],
        "org_address_line_3": [None, "Molenweg 9b"],
    })
    std, problems = standardise_frame(frame)
    assert list(std["org_street_2"]) == ["Kerkstraat", None]
    assert list(std["org_street_3"]) == [None, "Molenweg"]
    assert list(std["org_house_number_addition_3"]) == [None, "B"]
    assert problems.empty


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXY.-/:hw0 @?#", max_size=30))
def test_website_fast_path_agrees_with_parser(text):
    cleaned = clean_text(text)
    if cleaned is None:
        return
    done, (hosts,) = website_module._fast(pd.Series([cleaned], dtype=object))
    if done[0]:
        assert website_module._parse(cleaned) == ok(hosts[0])
