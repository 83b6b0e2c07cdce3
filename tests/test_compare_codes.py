"""Comparing pairs on integer codes gathered per pair gives the levels recordlinkage's own
``Compare`` gives, whatever the values, the missing ones and the pairs."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA
from recordlinkage.base import BaseCompare

from workbench.match import rl_parts as rl
from workbench.match.classify import compare_levels
from workbench.match.compare import (
    BirthDate,
    org_comparisons,
    person_comparisons,
    shared_similarities,
)

# few letters and words, so that values agree, nearly agree, hold each other and go missing
WORDS = ["jan", "jansen", "jan sen", "stichting", "sitchting", "ggn", "ede", "1", "12", "12a",
         "1990-07-20", "1990-20-07", "1990-02-70", "2001-01-01", "hj", "j", "br", "bd"]
MISSING = [None, pd.NA, np.nan]
ORG_COLUMNS = ["kvk", "name_key", "postcode", "house_number", "addition", "street_key",
               "city_key", "phone", "email_domain", "web_domain"]
PERSON_COLUMNS = ["email", "last_name_key", "first_name", "initials", "gender", "mobile",
                  "birth_date", "p_postcode", "p_house_number", "p_addition", "p_street_key",
                  "p_city_key", "org_entity"]

value = st.one_of(st.sampled_from(WORDS),
                  st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(" ".join),
                  st.sampled_from(MISSING))


@st.composite
def frame(draw, columns: list[str], flags: list[str]) -> pd.DataFrame:
    n = draw(st.integers(1, 8))
    data = {c: draw(st.lists(value, min_size=n, max_size=n)) for c in columns}
    data.update({f: draw(st.lists(st.booleans(), min_size=n, max_size=n)) for f in flags})
    out = pd.DataFrame(data, dtype=object).astype({f: bool for f in flags})
    # the incoming side as the keys have it (pandas' string dtype), labels not positions
    if draw(st.booleans()):
        out = out.astype({c: "string" for c in columns})
    return out.set_index(pd.Index(draw(st.permutations(range(100, 100 + n)))))


def _old(pairs, left, right, comparisons) -> np.ndarray:
    """recordlinkage's own Compare on the frames as they are: each comparison gathers its
    columns' values per pair (``.loc``) and codes them itself."""
    with shared_similarities():
        levels = BaseCompare(comparisons).compute(pairs, left, right)
    return levels.to_numpy().astype(int)


def _new_plain(pairs, left, right, comparisons) -> np.ndarray:
    """The codes-per-pair Compare on the frames as they are (coding only the rows used)."""
    with shared_similarities():
        levels = rl.Compare(comparisons).compute(pairs, left, right)
    assert levels.index.equals(pairs)
    return levels.to_numpy().astype(int)


def _pairs(draw, left: pd.DataFrame, right: pd.DataFrame) -> pd.MultiIndex:
    chosen = draw(st.lists(st.tuples(st.sampled_from(list(left.index)),
                                     st.sampled_from(list(right.index))), min_size=1, max_size=30))
    return pd.MultiIndex.from_tuples(chosen)


def _check(data, comparisons, columns, flags) -> None:
    left = data.draw(frame(columns, flags))
    link = data.draw(st.booleans())
    right = data.draw(frame(columns, flags)) if link else None
    pairs = _pairs(data.draw, left, left if right is None else right)
    want = _old(pairs, left, right, comparisons())
    assert compare_levels(pairs, left, right, comparisons()).to_numpy().tolist() == want.tolist()
    assert _new_plain(pairs, left, right, comparisons()).tolist() == want.tolist()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_org_levels_from_codes_per_pair_equal_recordlinkage_compare(data):
    _check(data, org_comparisons, ORG_COLUMNS, ["po_box"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_person_levels_from_codes_per_pair_equal_recordlinkage_compare(data):
    _check(data, person_comparisons, PERSON_COLUMNS, ["p_po_box"])


def test_a_pair_naming_a_record_the_frame_lacks_is_an_error():
    left = pd.DataFrame({"kvk": ["1", "2"]})
    pairs = pd.MultiIndex.from_arrays([[0, 5], [1, 1]])
    try:
        rl.Compare(org_comparisons()[:1]).compute(pairs, left, left)
    except KeyError as exc:
        assert "not in the frame" in str(exc)
    else:
        raise AssertionError("a missing record label was compared")


def _birth_level(a, b) -> int:
    """The birth-date level of one pair by its definition, value by value."""
    iso = r"^(\d{4})-(\d{2})-(\d{2})$"
    found = [re.match(iso, v) if isinstance(v, str) else None for v in (a, b)]
    if not all(found):
        return -1
    (ya, ma, da), (yb, mb, db) = found[0].groups(), found[1].groups()
    y, m, d = ya == yb, ma == mb, da == db
    level = 4 if y else 5
    if OSA.distance(a.replace("-", ""), b.replace("-", "")) <= 1:
        level = 3
    if y + m + d == 2:
        level = 2
    if y and ma == db and da == mb and not (m and d):
        level = 1
    return 0 if y and m and d else level


date = st.one_of(st.sampled_from(MISSING), st.sampled_from(WORDS),
                 st.builds("{}-{}-{}".format, st.sampled_from(["1990", "1960", "2001"]),
                           st.sampled_from(["07", "20", "02", "00"]),
                           st.sampled_from(["20", "07", "70", "86"])))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(date, date), min_size=1, max_size=40))
def test_birth_date_levels_equal_their_definition_pair_by_pair(values):
    left = pd.Series([a for a, _ in values], dtype=object)
    right = pd.Series([b for _, b in values], dtype=object)
    got = BirthDate()._compute_vectorized(left, right)
    assert got.tolist() == [_birth_level(a, b) for a, b in values]
