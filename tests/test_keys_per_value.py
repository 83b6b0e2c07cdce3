"""The match keys computed per distinct value equal the plain per-cell pandas operations."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.keys import _blank_to_na, _per_value, org_keys, person_keys

AWKWARD = [None, np.nan, pd.NA, "", " ", "  \t", " a ", "a", "A", "a", "Apt. 5", "apt 5 ",
           "x@Example.NL", "https://www.Site.nl/x", "1234 AB", "12345-6789", "SW1A 1AA",
           "ß", "é ", 7, 7.0, True, "7", " 7"]


def _old_blank_to_na(series: pd.Series) -> pd.Series:
    s = series.astype("string").str.strip()
    return s.mask(s == "")


def _same(new: pd.Series, old: pd.Series) -> None:
    pd.testing.assert_series_equal(new, old, check_exact=True)
    assert [type(v) for v in new.astype(object)] == [type(v) for v in old.astype(object)]


def test_blank_to_na_equals_the_per_cell_strip_on_awkward_values() -> None:
    for values in (AWKWARD, [v for v in AWKWARD if isinstance(v, str) or v is None],
                   [None, np.nan], [], ["  "]):
        series = pd.Series(values, dtype=object, name="c", index=range(10, 10 + len(values)))
        _same(_blank_to_na(series), _old_blank_to_na(series))
    as_string = pd.Series(["a ", None, " "], dtype="string")
    _same(_blank_to_na(as_string), _old_blank_to_na(as_string))


text = st.one_of(st.none(), st.just(np.nan), st.just(pd.NA),
                 st.text(alphabet=" \tab.AB@/5-", max_size=6), st.integers(0, 3),
                 st.floats(0, 3), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(text, max_size=12))
def test_blank_to_na_and_per_value_equal_per_cell(values: list) -> None:
    series = pd.Series(values, dtype=object)
    _same(_blank_to_na(series), _old_blank_to_na(series))
    s = _old_blank_to_na(series)
    _same(_per_value(s, lambda x: x.str.lower().str[:2]), s.str.lower().str[:2])
    _same(_per_value(s, lambda x: x.str.extract(r"@([^@\s]+)$", expand=False)),
          s.str.extract(r"@([^@\s]+)$", expand=False))


def test_keys_of_awkward_rows_keep_their_types() -> None:
    n = len(AWKWARD)
    cols = ["org_name_key", "org_kvk_number", "org_postcode", "org_pc4", "org_house_number",
            "org_house_number_addition", "org_street_key", "org_city_key", "org_phone",
            "org_email", "org_website", "person_last_name_key", "person_initials",
            "person_first_name", "person_gender", "person_birth_date", "contact_email",
            "contact_mobile", "contact_phone", "org_name"]
    rot = [AWKWARD[i:] + AWKWARD[:i] for i in range(len(cols))]
    std = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(cols, rot, strict=True)})
    std["org_po_box"] = [i % 2 == 0 for i in range(n)]
    org, person = org_keys(std), person_keys(std)
    assert org["name_key"].dtype == "string" and org["name_token"].dtype == "string"
    assert org["name_key"].isna().sum() == sum(
        1 for v in std["org_name_key"] if v is None or v is pd.NA or v != v or str(v).strip() == "")
    first = person["first_name"].dropna()
    assert (first == first.str.lower()).all() and len(first) > 0
    assert person["initials"].dropna().str.contains(".", regex=False).sum() == 0
    assert org["addition"].isna().sum() > 0 and "APT5" in set(org["addition"].dropna())
