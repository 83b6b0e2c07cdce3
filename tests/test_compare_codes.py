"""Comparing pairs on integer codes gathered per pair gives the levels recordlinkage's own
``Compare`` gives, whatever the values, the missing ones and the pairs."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recordlinkage.base import BaseCompare

from workbench.match import rl_parts as rl
from workbench.match.classify import _column_groups, _plain, compare_levels
from workbench.match.compare import org_comparisons, person_comparisons, shared_similarities

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
    """recordlinkage's own Compare on the columns coded per frame, as before."""
    frames = [left] if right is None else [left, right]
    with shared_similarities():
        levels = BaseCompare(comparisons).compute(pairs, *_plain(frames, _column_groups(comparisons)))
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
