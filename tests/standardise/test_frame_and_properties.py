"""standardise_frame on a small mapped frame, plus property tests of the standardisers."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.fields import CONTACT_FIELDS, ORG_FIELDS, PERSON_FIELDS
from workbench.standardise import (
    StandardiseOptions,
    org_name,
    phone,
    postcode,
    standardise_frame,
)
from workbench.standardise._common import PLACEHOLDERS
from workbench.standardise.phone import parse_phone


def mapped() -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": [2, 3, 4, 5],
        "org_name": ["Bakkerij Jansen B.V.", "bakkerij jansen bv", None, ""],
        "org_address_line": ["Hoofdstraat 12a", None, "Postbus 5", "Kerkweg"],
        "org_house_number": [None, "7-2", None, None],
        "org_street": [None, "Kerkstr.", None, None],
        "org_postcode": ["1234ab", "1234 AB", "12", "2491 AB"],
        "org_city": ["Den Haag", "s gravenhage", None, "x"],
        "org_phone": ["070-1234567", "abc", None, "06-12345678"],
        "person_full_name": ["Dhr. J.P. van der Berg", "mevr. drs. A. de Wit", None, "Jan De"],
        "person_gender": [None, "V", "X", None],
        "person_birth_date": ["02-03-1985", "31-02-1985", None, "1985-03-02"],
        "contact_mobile": ["0612345678", "020-1234567", None, None],
    }, index=[10, 11, 12, 13])


def test_frame_columns_and_values():
    std, problems = standardise_frame(mapped())
    for column in [*ORG_FIELDS, *PERSON_FIELDS, *CONTACT_FIELDS, "org_legal_form",
                   "org_name_key", "org_pc4", "org_po_box", "org_city_key", "org_street_key",
                   "person_last_name_key", "person_title", "source_row"]:
        assert column in std.columns, column
    assert list(std.index) == [10, 11, 12, 13]
    assert std["org_name_key"].tolist() == ["bakkerij jansen", "bakkerij jansen", None, None]
    assert std["org_street"].tolist() == ["Hoofdstraat", "Kerkstr.", "Postbus", "Kerkweg"]
    assert std["org_street_key"].tolist()[:2] == ["hoofdstraat", "kerkstraat"]
    assert std["org_house_number"].tolist() == ["12", "7", "5", None]
    assert std["org_house_number_addition"].tolist() == ["A", "2", None, None]
    assert std["org_po_box"].tolist() == [False, False, True, False]
    assert std["org_pc4"].tolist() == ["1234", "1234", None, "2491"]
    assert std["org_city"].tolist()[:2] == ["'s-Gravenhage", "'s-Gravenhage"]
    assert std["person_last_name"].tolist() == ["Berg", "Wit", None, "De"]
    assert std["person_name_prefix"].tolist() == ["van der", "de", None, None]
    assert std["person_gender"].tolist() == ["M", "F", None, None]
    assert std["person_title"].tolist() == [None, "drs.", None, None]
    assert std["person_last_name_key"].tolist() == ["berg", "wit", None, "de"]
    assert std["contact_mobile"].tolist() == ["+31612345678", "+31201234567", None, None]
    assert std["org_kvk_number"].isna().all()  # absent in the input, present in the output
    assert list(problems.columns) == ["source_row", "field", "value", "problem", "severity"]
    found = set(zip(problems["source_row"], problems["field"], problems["severity"],
                    strict=True))
    assert found == {
        (3, "org_phone", "warning"), (3, "person_birth_date", "error"),
        (3, "contact_mobile", "warning"), (4, "org_postcode", "error"),
        (4, "person_gender", "warning"), (5, "org_address_line", "error"),
        (5, "person_full_name", "warning"),  # "Jan De": a last name that is a prefix word
    }
    birth = problems[problems["field"] == "person_birth_date"].iloc[0]
    assert birth["value"] == "**-**-****" and "1985" not in birth["problem"]


def test_frame_city_from_postcode():
    std, problems = standardise_frame(mapped(), StandardiseOptions(lookup_city_from_postcode=True))
    assert std["org_city"].tolist()[3] == "'s-Gravenhage"
    assert ((problems["field"] == "org_city") & (problems["source_row"] == 5)).any()


def test_frame_foreign_postcode_not_checked():
    frame = pd.DataFrame({"source_row": [1], "org_postcode": ["1000"], "org_country": ["België"],
                          "org_phone": ["02 555 12 12"]})
    std, problems = standardise_frame(frame)
    assert (std["org_country"][0], std["org_postcode"][0]) == ("BE", "1000")
    assert std["org_phone"][0] == "+3225551212"
    assert problems.empty


def test_frame_separate_name_columns():
    frame = pd.DataFrame({"source_row": [1, 2], "person_first_name": ["jan", "Anna"],
                          "person_last_name": ["De", "Vries"], "person_name_prefix": [None, "de"],
                          "person_salutation": ["Dhr.", "Mevrouw"], "person_initials": ["", "a"]})
    std, _ = standardise_frame(frame)
    assert std["person_first_name"].tolist() == ["Jan", "Anna"]
    assert std["person_last_name"].tolist() == ["De", "Vries"]
    assert std["person_name_prefix"].tolist() == [None, "de"]
    assert std["person_initials"].tolist() == ["J.", "A."]
    assert std["person_gender"].tolist() == ["M", "F"]


def test_frame_empty():
    std, problems = standardise_frame(pd.DataFrame({"source_row": pd.Series([], dtype=int)}))
    assert len(std) == 0 and len(problems) == 0


postcodes = st.builds(lambda d, l1, l2, sep: f"{d}{sep}{l1}{l2}",
                      st.integers(1000, 9999), st.sampled_from("ABCEFGHKLMNPRTVWXZ"),
                      st.sampled_from("ABCEFGHKLMNPRTVWXZ"), st.sampled_from(["", " ", "-", "  "]))


@settings(max_examples=60, deadline=None)
@given(postcodes)
def test_postcode_idempotent(raw):
    once = postcode(pd.Series([raw]))["postcode"][0]
    assert once is not None
    assert postcode(pd.Series([once]))["postcode"][0] == once


forms = st.sampled_from(["B.V.", "BV", "bv", "b.v.", "B.V", "B. V.", "N.V.", "nv"])
# a name that is only a placeholder ("none", "onbekend") counts as missing, so it is no name
words = st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8), min_size=1,
                 max_size=3).map(" ".join).filter(lambda w: w not in PLACEHOLDERS)


@settings(max_examples=60, deadline=None)
@given(words, forms, forms, st.booleans())
def test_org_key_ignores_legal_form_spelling_and_case(name, form_a, form_b, upper):
    a = f"{name} {form_a}"
    b = f"{form_b} {name.upper() if upper else name}"
    keys = org_name(pd.Series([a, b, name]))["name_key"].tolist()
    assert keys[0] == keys[1] == keys[2]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["06", "010", "020", "070", "030", "058", "088", "097"]),
       st.integers(0, 99_999_999), st.sampled_from(["", " ", "-"]))
def test_phone_fast_path_agrees_with_library(lead, rest, sep):
    raw = f"{lead}{sep}{rest:0{10 - len(lead)}d}"
    fast = phone(pd.Series([raw])).iloc[0]
    slow = parse_phone(raw, "NL")
    assert (fast["phone"], fast["phone_type"], fast["severity"]) == (slow[0], slow[1], slow[3])
    if fast["severity"] is None:
        assert fast["phone"].startswith("+") and fast["phone"][1:].isdigit()
