"""The profile judges values by the standardisers' rules, not by checks of its own.

Each case is a value the old profile's own check judged the other way; the standardiser's rule
won when the checks were given one home.
"""
from __future__ import annotations

import pandas as pd
import pytest

from workbench import standardise as std
from workbench.profile import VALID, detect_meaning, phone_kind, profile_frame


@pytest.mark.parametrize(("meaning", "value", "valid"), [
    ("postcode", "1234-AB", True),  # the postcode standardiser drops the dash
    ("postcode", "1234.ab", True),
    ("kvk_number", "12345678.0", True),  # Excel's float of a KvK number
    ("mobile", "612345678", True),  # a mobile number that lost its 0 in Excel
    ("email", "jan@gmail.con", False),  # the e-mail standardiser flags the domain typo
    ("date", "1990.03.02", True),  # the one date reader takes dots in ISO order too
    ("date", "02031990", True),
    ("gender", "X", False),  # left empty with a warning by the gender standardiser
    ("salutation", "beste", False),  # says neither Dhr. nor Mevr.
    ("name_prefix", "v.d.", False),  # not a tussenvoegsel the name standardiser splits off
    ("legal_form", "Holding", True),  # the organisation standardiser's list of forms
    ("legal_form", "SA", False),
    ("initials", "j.p.", True),  # the initials standardiser tidies lower case
    ("city", "1e Exloërmond", True),  # a real place with a digit in its name
])
def test_value_judged_by_the_standardiser(meaning: str, value: str, valid: bool) -> None:
    assert VALID[meaning](value) is valid


def test_phone_kind_follows_the_phone_standardiser() -> None:
    values = ["06-12345678", "020-1234567", "612345678", "0123456789", "+44 20 7946 0958"]
    out = std.phone(pd.Series(values))
    expected = [None if p is not None else "mobile" if t == "mobile" else "phone"
                for t, p in zip(out["phone_type"], out["problem"], strict=True)]
    assert [phone_kind(v) for v in values] == expected


def test_invalid_counts_are_the_standardisers_problems() -> None:
    frame = pd.DataFrame({"source_row": range(1, 7),
                          "Postcode": ["1234 AB", "1234-AB", "123", "1234 SA", "5611AA", "-"],
                          "KvK": ["12345678", "1234567", "12345678.0", "00000000", "87654321",
                                  "23456789"]})
    columns = {c["name"]: c for c in profile_frame(frame)["columns"]}
    for name, standardiser in (("Postcode", std.postcode), ("KvK", std.kvk_number)):
        out = standardiser(frame[name])
        # invalid: refused (no value, or an error), as the run refuses it; a warning keeps it
        refused = int((out["severity"].eq("error") | out.iloc[:, 0].isna()).sum())
        kept = int(out["severity"].eq("warning").sum())
        assert columns[name]["invalid_count"] == refused, name
        assert columns[name]["doubtful_count"] == kept, name
    assert columns["Postcode"]["invalid_examples"] == ["123", "1234 SA", "-"]
    assert columns["KvK"]["invalid_examples"] == ["00000000"]
    assert columns["KvK"]["doubtful_examples"] == ["1234567"]


def test_dashed_postcodes_make_a_postcode_column() -> None:
    assert detect_meaning("Code", {"1234-AB": 1, "5611-AA": 1, "9711-AB": 1}) == "postcode"


def test_gender_and_salutation_columns_stay_apart() -> None:
    # the salutation standardiser reads "M" as Dhr., the gender one "Dhr." as M
    assert detect_meaning("Kolom", {"M": 3, "V": 2, "X": 1}) == "gender"
    assert detect_meaning("Kolom", {"Dhr.": 3, "Mevr.": 2, "De heer": 1}) == "salutation"
