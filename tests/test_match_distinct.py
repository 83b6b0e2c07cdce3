"""Work done once per distinct value, pattern or pair gives what the same work per pair gives."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.match.classify import compare_levels, explain, explain_all
from workbench.match.compare import (
    _in_order,
    org_comparisons,
    person_comparisons,
)

ORGS = pd.DataFrame({
    "kvk": ["12345678", None, "12345678", "87654321", pd.NA],
    "name_key": ["bakkerij jansen", "jansen", "stichting de grunt", "sitchting de grunt", None],
    "postcode": ["1234AB", "1234AB", None, "9999ZZ", "1234AB"],
    "house_number": ["12", "12", "3", None, "12"],
    "addition": [None, "A", None, "B", pd.NA],
    "street_key": ["dorpsstraat", "dorpsstraat", "kerkweg", np.nan, "dorpstraat"],
    "city_key": ["ede", "ede", None, "ede", "ede"],
    "po_box": [False, False, True, False, False],
    "phone": ["+31201234567", None, "+31201234567", "+31207654321", None],
    "email_domain": ["jansen.nl", None, "grunt.nl", "jansen.nl", None],
    "web_domain": [None, "jansen.nl", "grunt.nl", None, None],
})

PERSONS = pd.DataFrame({
    "email": ["a@x.nl", None, "b@x.nl", "a@x.nl", None],
    "last_name_key": ["jansen", "jansen", "pietersen", None, "jan"],
    "first_name": ["jan", "piet", None, "jansen", "jansen"],
    "initials": ["J", "HJ", "BR", "BD", None],
    "gender": ["m", None, "v", "m", "m"],
    "mobile": [None, "+31612345678", "+31612345678", None, None],
    "birth_date": ["1990-07-20", "1990-20-07", None, "1990-02-70", "2001-01-01"],
    "p_postcode": ["1234AB", None, "1234AB", "1234AB", None],
    "p_house_number": ["1", None, "1", "2", None],
    "p_addition": [None, None, "A", None, None],
    "p_street_key": ["dorpsstraat", None, "dorpsstraat", None, "kerkweg"],
    "p_city_key": ["ede", None, "ede", "ede", None],
    "p_po_box": [False, False, False, True, False],
    "org_entity": ["O1", "O1", None, "O2", "O1"],
})


def _each_pair_alone(left: pd.DataFrame, right: pd.DataFrame, comparisons) -> pd.DataFrame:
    rows = []
    for a in left.index:
        for b in right.index:
            pair = pd.MultiIndex.from_arrays([[a], [b]])
            rows.append(compare_levels(pair, left.loc[[a]], right.loc[[b]], comparisons))
    return pd.concat(rows)


def _all_pairs(left: pd.DataFrame, right: pd.DataFrame, comparisons) -> pd.DataFrame:
    pairs = pd.MultiIndex.from_product([left.index, right.index])
    return compare_levels(pairs, left, right, comparisons)


def _as_incoming(frame: pd.DataFrame) -> pd.DataFrame:
    """The incoming side as the keys have it: pandas' string dtype, pd.NA for missing."""
    return frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})


def _orgs_cover_the_levels(levels: pd.DataFrame) -> bool:
    return bool((levels == -1).any().any() and (levels > 0).any().any())


def _persons_cover_the_levels(levels: pd.DataFrame) -> bool:
    # the swapped names, the initials apart and a missing birth date all occur
    return set(levels["initials"]) >= {-1, 2} and -1 in set(levels["birth_date"])


@pytest.mark.parametrize(("comparisons", "frame", "covers"), [
    (org_comparisons, ORGS, _orgs_cover_the_levels),
    (person_comparisons, PERSONS, _persons_cover_the_levels),
], ids=["organisations", "persons"])
def test_levels_of_all_pairs_at_once_equal_each_pair_alone(comparisons, frame, covers):
    left = _as_incoming(frame)
    right = frame.set_index(pd.RangeIndex(10, 15))
    together = _all_pairs(left, right, comparisons())
    alone = _each_pair_alone(left, right, comparisons())
    assert together.to_numpy().tolist() == alone.to_numpy().tolist()
    assert covers(together)


def test_explanations_written_per_distinct_part_equal_one_per_pair():
    comparisons = org_comparisons()
    rng = np.random.default_rng(7)
    n = 2_000
    levels = pd.DataFrame({c.label: rng.integers(-1, len(c.levels), n) for c in comparisons})
    # term frequencies give nearly every pair points of its own; -0.0 is written "-0"
    points = pd.DataFrame({c.label: np.round(rng.normal(size=n), 1) for c in comparisons})
    points.iloc[:5, 0] = -0.0
    got = explain_all(levels, points, comparisons)
    want = [explain(levels.iloc[i], points.iloc[i], comparisons) for i in range(n)]
    assert got.tolist() == want
    assert "(-0)" in got[0] or levels.iloc[0, 0] == -1


def test_explanations_of_no_pairs():
    comparisons = org_comparisons()
    levels = pd.DataFrame({c.label: pd.Series(dtype=int) for c in comparisons})
    assert explain_all(levels, levels.astype(float), comparisons).tolist() == []


def _holds(longer: str, shorter: str) -> bool:
    """The letters of ``shorter`` in ``longer`` in the same order (the Python definition)."""
    rest = iter(longer)
    return all(ch in rest for ch in shorter)


def test_letters_in_order_in_c_equal_the_python_definition():
    rng = np.random.default_rng(3)
    words = ["".join(rng.choice(list("abcé"), rng.integers(0, 5))) for _ in range(400)]
    la, lb = words[:200], words[200:]
    got = _in_order(la, lb)
    want = [_holds(a, b) or _holds(b, a) for a, b in zip(la, lb, strict=True)]
    assert got.tolist() == want and any(want) and not all(want)


def test_a_name_inside_the_other_and_a_mistyped_legal_form():
    names = pd.Series(["ggn", "ggn holding", "sitchting de grunt", "bakker", None], dtype="string")
    other = pd.Series(["ggn holding", "ggn", "stichting de grunt", "ggn", "ggn"], dtype=object)
    pairs = pd.MultiIndex.from_arrays([names.index, other.index])
    levels = compare_levels(pairs, names.to_frame("name_key"), other.to_frame("name_key"),
                            [org_comparisons()[1]])
    # contained both ways, the legal-form typo read past, different, missing
    assert levels["name"].tolist() == [3, 3, 0, 4, -1]
