"""The Dutch judgements of the matcher, one small hand-made pair each, with the expected decision."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.definition import Thresholds
from workbench.keys import org_keys, person_keys
from workbench.match.classify import NON_MATCH, EMClassifier, PointsClassifier, compare
from workbench.match.compare import BirthDate, org_comparisons, person_comparisons
from workbench.match.engine import ORG_OFFSET, PERSON_OFFSET
from workbench.standardise import standardise_frame


def _std(rows: list[dict]) -> pd.DataFrame:
    mapped = pd.DataFrame(rows)
    mapped.insert(0, "source_row", range(1, len(rows) + 1))
    std, _ = standardise_frame(mapped)
    return std


def _org_pair(a: dict, b: dict) -> tuple[pd.Series, pd.Series, str]:
    """Levels (as labels), points and band of organisation a against organisation b."""
    keys = org_keys(_std([a, b]))
    comps = org_comparisons()
    levels, points = compare(pd.MultiIndex.from_tuples([(0, 1)]), keys, None, comps)
    clf = PointsClassifier(ORG_OFFSET, Thresholds())
    band = clf.band(clf.score(points)).iloc[0]
    labels = pd.Series({c.label: c.describe(int(levels.iloc[0][c.label])) for c in comps})
    return labels, points.iloc[0], band


def _person_pair(a: dict, b: dict) -> tuple[pd.Series, pd.Series, str]:
    keys = person_keys(_std([a, b]))
    keys["org_entity"] = None
    comps = person_comparisons()
    levels, points = compare(pd.MultiIndex.from_tuples([(0, 1)]), keys, None, comps)
    clf = PointsClassifier(PERSON_OFFSET, Thresholds())
    band = clf.band(clf.score(points)).iloc[0]
    labels = pd.Series({c.label: c.describe(int(levels.iloc[0][c.label])) for c in comps})
    return labels, points.iloc[0], band


BASE = {"org_name": "Bakkerij Jansen B.V.", "org_street": "Dorpsstraat", "org_house_number": "12",
        "org_postcode": "1234 AB", "org_city": "Amsterdam"}

ORG_CASES = [
    {"description": "addition 12A vs 12B: another address, another organisation",
     "a": {**BASE, "org_house_number_addition": "A"},
     "b": {**BASE, "org_house_number_addition": "B"},
     "level": ("address", "same number, other addition"), "band": "non-match"},
    {"description": "different KvK number: evidence against, not proof (review, not non-match)",
     "a": {**BASE, "org_kvk_number": "12345678"}, "b": {**BASE, "org_kvk_number": "87654321"},
     "level": ("kvk_number", "different"), "band": "review"},
    {"description": "legal form and punctuation are ignored in the name",
     "a": {**BASE, "org_name": "Bakkerij Jansen B.V."}, "b": {**BASE, "org_name": "Bakkerij Jansen"},
     "level": ("name", "similarity >= 0.97"), "band": "match"},
    {"description": "P.O. box and visiting address are not compared as the same kind",
     "a": {**BASE, "org_street": "Postbus", "org_house_number": "123"}, "b": BASE,
     # the name alone agrees and the addresses cannot be compared: the analyst decides
     "level": ("address", "P.O. box vs street address"), "band": "review"},
    {"description": "same everything: the same organisation",
     "a": BASE, "b": {**BASE, "org_name": "BAKKERIJ JANSEN BV", "org_postcode": "1234ab"},
     "level": ("address", "same address"), "band": "match"},
]


@pytest.mark.parametrize("case", ORG_CASES, ids=[c["description"] for c in ORG_CASES])
def test_organisation_judgements(case):
    labels, points, band = _org_pair(case["a"], case["b"])
    label, level = case["level"]
    assert labels[label] == level
    assert band == case["band"]
    if label == "kvk_number":
        assert points["kvk_number"] < 0


def test_postcode_and_place_are_one_piece_of_evidence():
    same_city = _org_pair(BASE, BASE)
    other_city = _org_pair(BASE, {**BASE, "org_city": "Amstelveen"})
    assert "city" not in same_city[1].index  # no separate comparison for the place
    assert same_city[1]["address"] == other_city[1]["address"]


PERSON = {"person_first_name": "Jan", "person_last_name": "Visser",
          "person_birth_date": "1980-03-14", "org_street": "Kerkstraat", "org_house_number": "5",
          "org_postcode": "2511 CV", "org_city": "Den Haag"}

PERSON_CASES = [
    {"description": "role e-mail (info@) does not identify the person",
     "a": {"person_first_name": "Jan", "person_last_name": "Visser",
           "contact_email": "info@visser.nl", "org_name": "Visser BV"},
     "b": {"person_first_name": "Piet", "person_last_name": "Visser",
           "contact_email": "info@visser.nl", "org_name": "Visser BV"},
     "level": ("email", "missing"), "band": "non-match"},
    {"description": "a person without organisation: same name, birth date and home",
     "a": PERSON, "b": {**PERSON, "org_postcode": "2511cv"},
     "level": ("address", "same postcode, number and street"), "band": "match"},
    {"description": "birth date with day and month swapped still points to the person",
     "a": {**PERSON, "person_birth_date": "1980-03-04"},
     "b": {**PERSON, "person_birth_date": "1980-04-03"},
     "level": ("birth_date", "day and month swapped"), "band": "match"},
    {"description": "other birth date and other home: another person of the same name",
     "a": PERSON, "b": {**PERSON, "person_birth_date": "1955-07-01", "org_postcode": "9711 AA",
                        "org_street": "Molenlaan", "org_city": "Groningen"},
     "level": ("birth_date", "different"), "band": "non-match"},
    {"description": "5A vs 5B is not the same home (name and birth date still match)",
     "a": {**PERSON, "org_house_number_addition": "A"},
     "b": {**PERSON, "org_house_number_addition": "B"},
     "level": ("address", "same postcode, other number"), "band": "match"},
]


@pytest.mark.parametrize("case", PERSON_CASES, ids=[c["description"] for c in PERSON_CASES])
def test_person_judgements(case):
    labels, _, band = _person_pair(case["a"], case["b"])
    label, level = case["level"]
    assert labels[label] == level
    assert band == case["band"]


BIRTH_CASES = [
    ("1980-03-14", "1980-03-14", "equal"),
    ("1980-03-04", "1980-04-03", "day and month swapped"),
    ("1980-03-14", "1980-03-15", "one part differs"),
    ("1980-03-14", "1981-03-14", "one part differs"),
    ("1980-03-14", "1980-07-22", "same year only"),
    ("1980-03-14", "1955-07-22", "different"),
    ("1980-03-14", None, "missing"),
]


@pytest.mark.parametrize(("left", "right", "expected"), BIRTH_CASES)
def test_birth_date_levels(left, right, expected):
    comp = BirthDate()
    got = comp._compute_vectorized(pd.Series([left], dtype=object), pd.Series([right], dtype=object))
    assert comp.describe(int(got[0])) == expected


def test_em_classifier_explains_with_a_weight_per_level():
    comps = person_comparisons()
    labels = [c.label for c in comps]
    # many clear non-matches (surname only) and some clear matches (everything agrees)
    rows = [dict.fromkeys(labels, -1) | {"last_name": 0, "first_name": 2, "birth_date": 5}] * 80 + \
        [dict.fromkeys(labels, -1) | {"last_name": 0, "first_name": 0, "birth_date": 0}] * 20
    levels = pd.DataFrame(rows)
    clf = EMClassifier(comps, PERSON_OFFSET).fit(levels)
    weights = clf.weights(levels)
    score = clf.score(weights)
    band = clf.band(score)
    assert weights.loc[0, "birth_date"] < 0 < weights.loc[99, "birth_date"]
    assert (band.iloc[:80] == NON_MATCH).all() and (band.iloc[80:] == "match").all()
    assert (weights["email"] == 0).all()  # missing says nothing


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("1990-07-20", "1990-02-70", "missing"),  # not a date: the standardiser drops it
    ("1990-07-20", "1990-07-02", "one part differs"),
    ("1960-08-06", "1960-06-08", "day and month swapped"),
    ("1990-12-21", "1990-21-12", "missing"),
    ("1971-04-22", "1917-04-22", "one part differs"),
    ("1990-02-13", "1990-01-23", "one digit typed wrong"),  # 19900213 vs 19900123
])
def test_birth_date_typos(left, right, expected):
    comp = BirthDate()
    right = right if right[5:7] <= "12" and right[8:] <= "31" else None
    got = comp._compute_vectorized(pd.Series([left], dtype=object), pd.Series([right], dtype=object))
    assert comp.describe(int(got[0])) == expected


def test_first_and_last_name_swapped_count_once():
    labels, points, band = _person_pair(PERSON, {**PERSON, "person_first_name": "Visser",
                                                 "person_last_name": "Jan"})
    assert labels["last_name"] == "first and last name swapped"
    assert labels["first_name"] == "missing"  # the swap is one piece of evidence, not two
    assert band == "match"


def test_em_learns_that_an_agreeing_surname_counts_even_when_blocked_on_it():
    """Among pairs blocked on the surname every pair agrees on it; with u from random pairs and
    m fitted per blocking rule, agreeing on the surname still weighs for a match."""
    comps = person_comparisons()
    labels = [c.label for c in comps]
    none = dict.fromkeys(labels, -1)
    blocked = [none | {"last_name": 0, "first_name": 2, "birth_date": 5}] * 300 + \
        [none | {"last_name": 0, "first_name": 0, "birth_date": 0}] * 60
    random = [none | {"last_name": 3, "first_name": 2, "birth_date": 5}] * 2000 + \
        [none | {"last_name": 0, "first_name": 2, "birth_date": 5}] * 10
    levels = pd.DataFrame(blocked)
    surname_rule = (pd.Series(True, index=levels.index).to_numpy(), {"last_name"})
    clf = EMClassifier(comps, PERSON_OFFSET).fit(levels, random_levels=pd.DataFrame(random),
                                                 rules={"surname": surname_rule},
                                                 total_pairs=200_000)
    weights = clf.weights(levels)
    assert weights.loc[0, "last_name"] > 3  # rare at random: strong evidence
    assert (clf.band(clf.score(weights)).iloc[300:] == "match").all()
    assert (clf.band(clf.score(weights)).iloc[:300] == NON_MATCH).all()


def _labelled_levels() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    labels = [c.label for c in person_comparisons()]
    none = dict.fromkeys(labels, -1)
    same = [none | {"last_name": 0, "first_name": 0, "birth_date": 0}] * 30
    other = [none | {"last_name": 0, "first_name": 2, "birth_date": 5}] * 30
    levels = pd.DataFrame(same + other)
    decided = np.ones(len(levels), dtype=bool)
    decided[20:30] = decided[50:60] = False  # some pairs nobody looked at
    return levels, decided, np.arange(len(levels)) < 30


def test_logistic_classifier_learns_from_the_analysts_decisions():
    from workbench.match.classify import LogisticClassifier

    levels, decided, same = _labelled_levels()
    clf = LogisticClassifier(person_comparisons(), PERSON_OFFSET)
    clf.labels = (decided, same)
    clf.fit(levels)
    assert clf.supervised
    weights = clf.weights(levels)
    assert weights.loc[0, "birth_date"] > 0 > weights.loc[59, "birth_date"]
    band = clf.band(clf.score(weights))
    # the undecided pairs get the band their pattern learnt
    assert (band.iloc[20:30] == "match").all() and (band.iloc[50:60] == NON_MATCH).all()


def test_logistic_classifier_is_unsupervised_until_enough_decisions_exist():
    from workbench.match.classify import LogisticClassifier

    levels, decided, same = _labelled_levels()
    few = decided & (np.arange(len(levels)) % 10 < 3)  # 6 "same" and 6 "different"
    clf = LogisticClassifier(person_comparisons(), PERSON_OFFSET)
    clf.labels = (few, same)
    clf.fit(levels)
    assert not clf.supervised and clf.m  # fitted by EM instead


def test_the_engine_hands_stored_decisions_to_the_logistic_classifier():
    from workbench.match.classify import LogisticClassifier
    from workbench.match.score import Compared, score_compared

    levels, decided, same = _labelled_levels()
    n = len(levels)
    left = np.arange(n)
    keys = np.array([f"PER-{i}" for i in range(n)], dtype=object)
    fps = pd.Series([f"fp{i}" for i in range(n)], index=left)
    decisions = {("person", fps[i], keys[i]): "same" if same[i] else "different"
                 for i in range(n) if decided[i]}
    compared = Compared(left, left, keys, levels.astype(np.int8), {}, pd.DataFrame())
    clf = LogisticClassifier(person_comparisons(), PERSON_OFFSET)
    scored = score_compared("crm_person", compared, pd.DataFrame(index=left),
                             person_comparisons(), clf, pd.Series(left + 1, index=left), n * 10,
                             decide=("person", fps, None, decisions))
    assert clf.supervised
    undecided = scored[~scored["decided"]].set_index("left")
    assert (undecided.loc[20:29, "band"] == "match").all()
    # the other undecided pairs are non-matches: kept as such, or only counted (below the floor)
    rest = undecided.reindex(range(50, 60))["band"]
    assert (rest.isna() | (rest == NON_MATCH)).all()
