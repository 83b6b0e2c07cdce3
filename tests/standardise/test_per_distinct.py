"""Standardising once per distinct value gives what standardising each cell alone gives: the
same values and the same problems, repeats and missing cells included."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.standardise import (
    StandardiseOptions,
    city,
    email,
    kvk_number,
    org_name,
    phone,
    postcode,
    shared_parses,
    split_address,
    standardise_frame,
    website,
)
from workbench.standardise import organisation as org
from workbench.standardise._common import clean_many, clean_text
from workbench.validate import has_organisation_name

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# values as a purchased list repeats them: the same text, the same text untidy, empty cells
CELLS = st.sampled_from([
    None, math.nan, "", "  ", "-", "n.v.t.", "1234AB", " 1234 ab", "1234 SA", "0612345678",
    "06-12345678", "+31 20 123 4567", "020 123 45 67", "123456782", "jan@Example.nl",
    "jan@example.nl ", "piet@gmial.com", "info@bakkerij-de-vries-en-zonen-uit-utrecht.nl",
    "www.foo.nl", "https://foo.nl/", "Jansen B.V.", "jansen  bv", "Stichting De Boog",
    "Holding B.V.", "12345678", "1234567", "Den Haag", "den  haag", "Hoofdstraat 12a",
    "Aimée\u2019s Bakkerij V.O.F.", "x\ty",
])
STANDARDISERS = [postcode, email, phone, org_name, website, kvk_number, city, split_address]


@pytest.mark.parametrize("func", STANDARDISERS, ids=lambda f: f.__name__)
@SETTINGS
@given(st.lists(CELLS, min_size=1, max_size=12))
def test_once_per_distinct_value_is_each_cell_alone(func, cells):
    together = func(pd.Series(cells, dtype=object))
    alone = pd.concat([func(pd.Series([c], dtype=object)) for c in cells], ignore_index=True)
    assert together.reset_index(drop=True).to_dict("list") == alone.to_dict("list")


@pytest.mark.parametrize("func", STANDARDISERS, ids=lambda f: f.__name__)
def test_a_run_that_shares_its_parses_gives_the_same(func):
    cells = pd.Series(["1234AB", None, "jansen bv", "1234AB", " 0612345678", "-"] * 3,
                      dtype=object)
    alone = func(cells)
    with shared_parses():
        func(cells.iloc[::-1])  # the profile asks first, in another order
        shared = func(cells)
    assert shared.to_dict("list") == alone.to_dict("list")


untidy = st.lists(st.sampled_from(
    list("ab AB.-?") + ["  ", "\t", "\n", "\xa0", "\u3000", "\u2019", "`", "\u00b4", "\x00",
                        "nvt", "NULL", "é"]), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(untidy, st.none(), st.just(math.nan), st.integers()), max_size=20))
def test_clean_many_is_clean_text_of_each(values):
    assert clean_many(values).tolist() == [clean_text(v) for v in values]


def _strip_forms_by_trying_each(folded: str) -> tuple[str, list[str]]:
    """Legal forms stripped by trying every form in order on the whole name (no lookups)."""
    found: list[str] = []
    rest, changed = folded, True
    while changed and rest:
        changed = False
        for form, pattern in org._BACK:
            match = pattern.search(rest)
            if match and match.start() > 0:
                found.append(form)
                rest = rest[:match.start()].rstrip(" ,-")
                changed = True
                break
        for form, pattern in org._FRONT:
            match = pattern.match(rest)
            if match and match.end() < len(rest):
                found.append(form)
                rest = rest[match.end():].lstrip(" ,-")
                changed = True
                break
    return rest, found


WORDS = ["bv", "b.v.", "b v", "nv", "n.v.", "vof", "v.o.f.", "cv", "c.v.", "stichting", "stg",
         "ver.", "cooperatie u.a.", "u.a.", "ua", "maatschap", "emz", "gmbh", "ltd", "inc.",
         "b.v.b.a.", "holding", "i.o.", "b.v. i.o.", "&", "en", "fa.", "zn", "jansen", "de",
         "0", "(", ")", "-", ","]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
       st.lists(st.sampled_from([" ", "", ", ", "-", " (", ") "]), min_size=6, max_size=6))
def test_legal_forms_found_as_by_trying_each_form(words, seps):
    folded = " ".join("".join(w + s for w, s in zip(words, seps, strict=False)).split())
    assert org._strip_forms(folded) == _strip_forms_by_trying_each(folded)


def _mobiles(countries: list[str | None]) -> tuple[pd.DataFrame, pd.DataFrame]:
    mapped = pd.DataFrame({
        "source_row": range(1, 7),
        "org_country": countries,
        "contact_mobile": ["0612345678", "123456782", "020 123 4567", "0612345678", None,
                           "06-1234"],
    })
    return standardise_frame(mapped, StandardiseOptions())


def test_phones_of_one_country_read_as_row_by_row():
    """One country for all rows reads the distinct numbers once; a second country splits the
    rows: the Dutch rows come out the same either way (a BSN left out and masked)."""
    std_nl, problems_nl = _mobiles(["NL"] * 6)
    std_mixed, problems_mixed = _mobiles(["NL"] * 5 + ["BE"])
    assert std_nl["contact_mobile"][:5].tolist() == std_mixed["contact_mobile"][:5].tolist()
    assert std_nl["contact_mobile"].tolist()[:4] == ["+31612345678", None, "+31201234567",
                                                     "+31612345678"]
    nl, mixed = (p[p["source_row"] < 6].to_dict("list") for p in (problems_nl, problems_mixed))
    assert nl == mixed
    assert "123456782" not in " ".join(problems_nl["value"].astype(str))
    assert problems_nl["source_row"].tolist() == sorted(problems_nl["source_row"])


def test_filled_means_a_value_other_than_spaces():
    std = pd.DataFrame({"org_name": ["Jansen", "  ", None, np.nan, 0, "\t x ", ""]})
    assert has_organisation_name(std).tolist() == [True, False, False, False, True, True, False]


def test_typo_domains_of_any_length_still_found():
    out = email(pd.Series(["a@gmial.com", "b@hotmial.nl", "c@bakkerij-de-vries-en-zonen.nl",
                           "d@gmail.con", "a@gmial.com"], dtype=object))
    assert out["severity"].tolist() == ["warning", "warning", None, "warning", "warning"]
    assert out["problem"][0] == out["problem"][4]
