"""Field comparisons with levels and weights, as recordlinkage compare features.

Each comparison returns a level per pair (-1 when a value is missing); the level's points are the
evidence it gives for "same record" (positive) or "different record" (negative). Keeping levels and
points on the comparison object makes every score explainable field by field.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler, LCSseq

from workbench.labels import MESSAGES
from workbench.match.rl_parts import BaseCompareFeature
from workbench.messages import say

MISSING = -1
_SIMILAR = "similarity >= "  # the band levels' words, before their cutoff
TfKey = tuple[str, ...]  # the columns whose values together are counted for term frequencies


def said(key: str, english: str, **values: object) -> str:
    """The catalogue's sentence of ``key`` in the run's language; ``english`` when it has none
    (a comparison configured elsewhere keeps its own words)."""
    return say(key, **values) if key in MESSAGES else english


def level_words(level: str) -> str:
    """A level's English text (as in ``levels``) in the run's language."""
    if level.startswith(_SIMILAR):
        return say("match.level.similarity", cutoff=level[len(_SIMILAR):])
    return said(f"match.level.{level}", level)


def _codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer codes of both sides over one set of values (-1 for missing), and the values.

    ``classify.compare`` hands the columns over as categoricals with shared categories, so this
    costs nothing there; plain columns (tests, direct calls) are coded here.
    """
    # an unordered CategoricalDtype equals another with the same categories in another order,
    # whose codes mean other values: only the very same categories share codes
    if isinstance(left.dtype, pd.CategoricalDtype) and isinstance(right.dtype, pd.CategoricalDtype) \
            and (left.dtype is right.dtype or left.cat.categories.equals(right.cat.categories)):
        return (left.cat.codes.to_numpy(), right.cat.codes.to_numpy(),
                left.cat.categories.to_numpy(dtype=object))
    # factorize codes every missing value (None, NaN, pd.NA) -1 by itself
    codes, values = pd.factorize(np.concatenate([left.to_numpy(dtype=object),
                                                 right.to_numpy(dtype=object)]))
    return codes[: len(left)], codes[len(left):], np.asarray(values, dtype=object)


def _missing(*series: pd.Series) -> np.ndarray:
    mask = np.zeros(len(series[0]), dtype=bool)
    for s in series:
        if isinstance(s.dtype, pd.CategoricalDtype):
            mask |= s.cat.codes.to_numpy() < 0
        else:
            mask |= pd.isna(s.to_numpy(dtype=object))
    return mask


def equal(left: pd.Series, right: pd.Series) -> np.ndarray:
    """True where both values are present and equal."""
    a, b, _ = _codes(left, right)
    return (a == b) & (a >= 0)


def _distinct_pairs(left: pd.Series, right: pd.Series, prepare=str
                    ) -> tuple[np.ndarray, np.ndarray, list, list]:
    """The pairs where both values are present (a mask), which distinct pair of values each of
    them is, and the distinct pairs as two lists of values, each ``prepare``d once."""
    a, b, values = _codes(left, right)
    ok = (a >= 0) & (b >= 0)
    if not ok.any():
        return ok, np.zeros(0, dtype=np.int64), [], []
    key, distinct = pd.factorize(a[ok].astype(np.int64) * (len(values) + 1) + b[ok])
    ia, ib = distinct // (len(values) + 1), distinct % (len(values) + 1)
    # each value prepared once, however many pairs it takes part in (a mark per value, not a
    # sort of the pairs' values)
    mark = np.zeros(len(values), dtype=bool)
    mark[ia], mark[ib] = True, True
    used = np.flatnonzero(mark)
    ready = np.empty(len(values), dtype=object)
    ready[used] = np.array([prepare(v) for v in values[used]] + [None], dtype=object)[:-1]
    return ok, key, ready[ia].tolist(), ready[ib].tolist()


def per_value_pair(left: pd.Series, right: pd.Series, scorer, prepare=str,
                   missing: float = 0.0) -> np.ndarray:
    """``scorer`` of each pair, computed once per distinct pair of values (in C via rapidfuzz)."""
    ok, key, la, lb = _distinct_pairs(left, right, prepare)
    out = np.full(len(ok), missing, dtype=float)
    if not ok.any():
        return out
    got = np.asarray(process.cpdist(la, lb, scorer=scorer, workers=1), dtype=float)
    out[ok] = got[key]
    return out


def _in_order(la: list[str], lb: list[str]) -> np.ndarray:
    """Per pair of strings: the letters of the shorter appear in the longer in the same order
    (their longest common subsequence is the shorter one), worked out in C by rapidfuzz."""
    if not la:
        return np.zeros(0, dtype=bool)
    common = np.asarray(process.cpdist(la, lb, scorer=LCSseq.similarity, workers=1))
    shorter = np.minimum(np.fromiter(map(len, la), dtype=np.int64, count=len(la)),
                         np.fromiter(map(len, lb), dtype=np.int64, count=len(lb)))
    return common >= shorter


# While one set of pairs is compared (``shared_similarities``): the similarities worked out so
# far, per pair of columns (the surname and the first name both look for swapped names).
_SIMILARITIES: dict[tuple[int, int], tuple[pd.Series, pd.Series, np.ndarray]] | None = None


@contextmanager
def shared_similarities() -> Iterator[None]:
    """Within: the similarity of the same two column objects is worked out once."""
    global _SIMILARITIES
    outer, _SIMILARITIES = _SIMILARITIES, {}
    try:
        yield
    finally:
        _SIMILARITIES = outer


def similarity(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Jaro-Winkler similarity per pair (0 when either side is missing)."""
    memo = _SIMILARITIES
    if memo is None:
        return per_value_pair(left, right, JaroWinkler.normalized_similarity)
    # the entry holds the columns themselves, so their ids cannot be another column's
    hit = memo.get((id(left), id(right)))
    if hit is None or hit[0] is not left or hit[1] is not right:
        hit = (left, right, per_value_pair(left, right, JaroWinkler.normalized_similarity))
        memo[id(left), id(right)] = hit
    return hit[2].copy()  # the caller may change its copy


class LeveledComparison(BaseCompareFeature):
    """A comparison whose result is a level with a label and points."""

    levels: tuple[str, ...] = ()
    points: tuple[float, ...] = ()
    # the column whose value frequency adjusts the top level ("Jansen" agreeing says less than
    # "Wijnbergen"); used by the EM classifier
    tf_column: str | None = None
    # compares one column with another (surname with first name): the columns must share codes
    across_columns: bool = False
    # levels at which a pair is doubtful however high it scores: at most review, never match
    doubt_levels: tuple[int, ...] = ()
    # the agreeing levels whose weight moves with how common the agreeing value is, and by how
    # many bits at most either way (a name seen once in a small file is no proof)
    tf_levels: tuple[int, ...] = (0,)
    tf_max_bits: float = 4.0

    def __init__(self, left_on, right_on, *, label: str, points: tuple[float, ...] | None = None):
        super().__init__(left_on, right_on, label=label)
        if points is not None:
            self.points = tuple(points)
        if len(self.points) != len(self.levels):  # configuration: must hold under python -O too
            raise ValueError(f"comparison {label!r}: {len(self.points)} point values for "
                             f"{len(self.levels)} levels ({', '.join(self.levels)}); give one per level")

    @property
    def inputs(self) -> set[str]:
        """The columns whose agreement this comparison weighs (a blocking rule on one of them
        makes every blocked pair agree, so EM must not learn from it there)."""
        on = self.labels_left
        return {on} if isinstance(on, str) else set(on)

    @property
    def tf_keys(self) -> tuple[TfKey, ...]:
        """The values whose frequencies adjust this comparison (``tf_column`` alone by default)."""
        return ((self.tf_column,),) if self.tf_column else ()

    def pair_shares(self, shares: dict[TfKey, np.ndarray], levels: np.ndarray) -> np.ndarray:
        """Per pair: the share of records holding the agreeing value, from the share of the left
        record's value of each of ``tf_keys``."""
        return shares[self.tf_keys[0]]

    def score(self, levels: np.ndarray) -> np.ndarray:
        """The points of each pair's level (0 for missing)."""
        table = np.asarray((*self.points, 0.0), dtype=float)  # index -1 -> the trailing 0.0
        return table[np.asarray(levels, dtype=int)]

    def describe(self, level: int) -> str:
        """The label of one level, in the run's language (``messages.speaking``)."""
        return level_words("missing" if level == MISSING else self.levels[level])

    def spoken_label(self) -> str:
        """The comparison's label in the run's language (the ``pts_*`` columns keep ``label``)."""
        return said(f"match.label.{self.label}", self.label)


class Exact(LeveledComparison):
    """Equal or different."""

    levels = ("equal", "different")

    def __init__(self, column: str, *, label: str, agree: float, disagree: float) -> None:
        super().__init__(column, column, label=label, points=(agree, disagree))

    def _compute_vectorized(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        out = np.where(equal(left, right), 0, 1)
        out[_missing(left, right)] = MISSING
        return out


class Similar(LeveledComparison):
    """String similarity in bands: exact / close / far / different."""

    def __init__(self, column: str, *, label: str, cutoffs: tuple[float, ...],
                 points: tuple[float, ...]) -> None:
        self.cutoffs = tuple(cutoffs)
        self.levels = tuple(f"{_SIMILAR}{c:g}" for c in self.cutoffs) + ("different",)
        super().__init__(column, column, label=label, points=points)

    def _compute_vectorized(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        sim = similarity(left, right)
        out = np.full(len(sim), len(self.cutoffs), dtype=int)
        for i, cut in reversed(list(enumerate(self.cutoffs))):
            out[sim >= cut] = i
        out[_missing(left, right)] = MISSING
        return out


# Legal-form words as they stand in a name; a word one or two typing slips away from one of them
# is a mistyped legal form ("Sitchting de Grunt"), not a part of the name.
_FORM_WORDS = ("stichting", "vereniging", "cooperatie", "maatschap", "eenmanszaak", "holding",
               "vennootschap", "besloten", "naamloze", "commanditaire", "gesellschaft",
               "limited", "incorporated", "company", "corporation")


@lru_cache(maxsize=1 << 18)
def _drop_form_typos(key: str) -> str:
    """The name key without words that are typos of a legal-form word."""
    words = key.split()
    kept = [w for w in words if len(w) < 6 or not any(
        0 < OSA.distance(w, form, score_cutoff=2) <= 2 for form in _FORM_WORDS)]
    return " ".join(kept) if kept else key


def _near_name(a: str, b: str) -> tuple[float, bool]:
    """For two names whose words are one within the other's: their similarity once mistyped
    legal-form words are gone ("Sitchting de Grunt"), and whether the shorter one is a name of
    its own inside the longer ("GGN" in "GGN Holding")."""
    a, b = _drop_form_typos(a), _drop_form_typos(b)
    short, long = sorted((a.split(), b.split()), key=len)
    contained = len("".join(short)) >= 3 and set(short) <= set(long)
    return JaroWinkler.normalized_similarity(a, b), contained


class OrgName(LeveledComparison):
    """Name similarity in bands, reading past a mistyped legal-form word, with a level for a name
    contained in the other: a holding and its daughter, or a short and a long name of one firm."""

    def __init__(self, column: str = "name_key", *, label: str = "name",
                 cutoffs: tuple[float, ...] = (0.97, 0.92, 0.85),
                 points: tuple[float, ...] = (5, 3, 1, 1, -4)) -> None:
        self.cutoffs = tuple(cutoffs)
        self.levels = (*(f"{_SIMILAR}{c:g}" for c in self.cutoffs),
                       "one name contained in the other", "different")
        super().__init__(column, column, label=label, points=points)

    def _compute_vectorized(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        # everything once per distinct pair of names (a chain's branches share theirs)
        ok, key, la, lb = _distinct_pairs(left, right)
        sim_d = np.asarray(process.cpdist(la, lb, scorer=JaroWinkler.normalized_similarity,
                                          workers=1), dtype=float) if la else np.zeros(0)
        contained_d = np.zeros(len(sim_d), dtype=bool)
        far = np.flatnonzero(sim_d < self.cutoffs[-1])
        if len(far):
            # one name inside the other is nearly always one string inside the other: a test in
            # C first (its letters in order), and only the few such pairs get the closer look
            fa, fb = [la[i] for i in far.tolist()], [lb[i] for i in far.tolist()]
            for j in np.flatnonzero(_in_order(fa, fb)).tolist():
                a, b = fa[j], fb[j]
                if a in b or b in a:
                    near, contained_d[far[j]] = _near_name(a, b)
                    sim_d[far[j]] = max(sim_d[far[j]], near)
        sim, contained = np.zeros(len(ok)), np.zeros(len(ok), dtype=bool)
        sim[ok], contained[ok] = sim_d[key], contained_d[key]
        out = np.full(len(sim), len(self.cutoffs) + 1, dtype=int)
        out[contained] = len(self.cutoffs)
        for i, cut in reversed(list(enumerate(self.cutoffs))):
            out[sim >= cut] = i
        out[_missing(left, right)] = MISSING
        return out


def _crossed(first_l: pd.Series, last_l: pd.Series, first_r: pd.Series, last_r: pd.Series,
             cutoff: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: first and last name swapped; and one record's last name as the other's first
    name (or the other way round) while the names are neither alike nor wholly swapped, as
    when names were swapped and one of them retyped."""
    direct = similarity(last_l, last_r) >= cutoff
    one = similarity(last_l, first_r) >= cutoff
    other = similarity(first_l, last_r) >= cutoff
    return one & other & ~direct, (one ^ other) & ~direct


def swapped(first_l: pd.Series, last_l: pd.Series, first_r: pd.Series, last_r: pd.Series,
            cutoff: float = 0.9) -> np.ndarray:
    """True where the first and last names appear swapped between the two records."""
    return _crossed(first_l, last_l, first_r, last_r, cutoff)[0]


class Surname(LeveledComparison):
    """Surname similarity in bands, with a level for first and last name swapped (a common slip)
    and one for a name in the other's other field (swapped, and one of them retyped).

    The swap is one piece of evidence: the first-name comparison says nothing for such a pair.
    """

    def __init__(self, *, label: str = "last_name", cutoffs: tuple[float, ...] = (0.97, 0.9),
                 points: tuple[float, ...] = (4, 2, 4, 2, -6)) -> None:
        self.cutoffs = tuple(cutoffs)
        self.levels = (*(f"{_SIMILAR}{c:g}" for c in self.cutoffs),
                       "first and last name swapped", "one name in the other's other field",
                       "different")
        super().__init__(["last_name_key", "first_name"], ["last_name_key", "first_name"],
                         label=label, points=points)

    inputs = {"last_name_key"}  # the first name only detects the swap
    across_columns = True
    tf_column = "last_name_key"

    def _compute_vectorized(self, last_l: pd.Series, first_l: pd.Series, last_r: pd.Series,
                            first_r: pd.Series) -> np.ndarray:
        sim = similarity(last_l, last_r)
        whole, half = _crossed(first_l, last_l, first_r, last_r)
        out = np.full(len(sim), len(self.cutoffs) + 2, dtype=int)
        out[half] = len(self.cutoffs) + 1
        out[whole] = len(self.cutoffs)
        for i, cut in reversed(list(enumerate(self.cutoffs))):
            out[sim >= cut] = i
        out[_missing(last_l, last_r)] = MISSING
        return out


class FirstName(LeveledComparison):
    """First-name similarity in bands; says nothing when the names were swapped (see Surname)."""

    def __init__(self, *, label: str = "first_name", cutoffs: tuple[float, ...] = (0.97, 0.85),
                 points: tuple[float, ...] = (3, 1, -2)) -> None:
        self.cutoffs = tuple(cutoffs)
        self.levels = (*(f"{_SIMILAR}{c:g}" for c in self.cutoffs), "different")
        super().__init__(["first_name", "last_name_key"], ["first_name", "last_name_key"],
                         label=label, points=points)

    inputs = {"first_name"}
    across_columns = True
    tf_column = "first_name"

    def _compute_vectorized(self, first_l: pd.Series, last_l: pd.Series, first_r: pd.Series,
                            last_r: pd.Series) -> np.ndarray:
        sim = similarity(first_l, first_r)
        out = np.full(len(sim), len(self.cutoffs), dtype=int)
        for i, cut in reversed(list(enumerate(self.cutoffs))):
            out[sim >= cut] = i
        whole, half = _crossed(first_l, last_l, first_r, last_r)
        out[_missing(first_l, first_r) | whole | half] = MISSING
        return out


class AnyEqual(LeveledComparison):
    """Any of several columns equal (e-mail domain, website): one piece of evidence, not several."""

    levels = ("one equal", "none equal")
    across_columns = True

    def __init__(self, columns: list[str], *, label: str, agree: float, disagree: float) -> None:
        self.n = len(columns)
        super().__init__(columns, columns, label=label, points=(agree, disagree))

    def _compute_vectorized(self, *series: pd.Series) -> np.ndarray:
        left, right = series[: self.n], series[self.n:]
        any_equal = np.zeros(len(left[0]), dtype=bool)
        any_both = np.zeros(len(left[0]), dtype=bool)
        for lcol in left:
            for rcol in right:
                both = ~_missing(lcol, rcol)
                any_both |= both
                any_equal |= equal(lcol, rcol)
        out = np.where(any_equal, 0, 1)
        out[~any_both] = MISSING
        return out


class Contact(LeveledComparison):
    """Phone and web or e-mail domain as one piece of evidence: a firm's number and domain go
    together (and a chain's branches share both), so agreeing on both is not twice the proof.

    How much an agreeing value says depends on how many organisations hold it: a number of one
    firm points at that firm, a chain's national number at any of its branches (see
    ``pair_shares``, the term frequencies EM adjusts these levels by).
    """

    levels = ("phone and domain equal", "phone equal", "domain equal", "neither equal")
    COLUMNS = ["phone", "email_domain", "web_domain"]
    across_columns = True  # the e-mail domain is compared with the web domain
    tf_levels = (0, 1, 2)
    # one firm's own number in a CRM of millions is near proof, a chain's says "one of many"
    tf_max_bits = 10.0

    def __init__(self, *, label: str = "contact",
                 points: tuple[float, ...] = (6, 3, 3, -1)) -> None:
        super().__init__(self.COLUMNS, self.COLUMNS, label=label, points=points)

    tf_keys = (("phone",), ("email_domain",), ("web_domain",))

    def pair_shares(self, shares: dict[TfKey, np.ndarray], levels: np.ndarray) -> np.ndarray:
        """The share of the rarer agreeing value: a firm's own domain still points at the firm
        when its number is a business park's switchboard."""
        phone = shares[("phone",)]
        domain = np.fmin(shares[("email_domain",)], shares[("web_domain",)])
        out = np.full(len(levels), np.nan)
        out[levels == 1] = phone[levels == 1]
        out[levels == 2] = domain[levels == 2]
        both = levels == 0
        out[both] = np.fmin(phone[both], domain[both])
        return out

    def _compute_vectorized(self, phone_l: pd.Series, mail_l: pd.Series, web_l: pd.Series,
                            phone_r: pd.Series, mail_r: pd.Series, web_r: pd.Series
                            ) -> np.ndarray:
        phone_eq = equal(phone_l, phone_r)
        phone_both = ~_missing(phone_l, phone_r)
        domain_eq = np.zeros(len(phone_eq), dtype=bool)
        domain_both = np.zeros(len(phone_eq), dtype=bool)
        for left in (mail_l, web_l):
            for right in (mail_r, web_r):
                domain_eq |= equal(left, right)
                domain_both |= ~_missing(left, right)
        out = np.full(len(phone_eq), 3, dtype=int)
        out[domain_eq] = 2
        out[phone_eq] = 1
        out[phone_eq & domain_eq] = 0
        out[~phone_both & ~domain_both] = MISSING
        return out


class Address(LeveledComparison):
    """Visiting address as one piece of evidence: postcode, house number and addition together.

    Postcode and place say the same thing in the Netherlands, so the place only counts when a
    postcode is missing; a differing addition (12A vs 12B) is strong evidence of another address;
    a P.O. box is never compared with a street address.
    """

    levels = ("same address", "same address, addition on one side only",
              "same number, other addition", "same postcode, other number",
              "same street, number and place, other postcode", "other address",
              "P.O. box vs street address")
    COLUMNS = ["postcode", "house_number", "addition", "street_key", "city_key", "po_box"]
    # a business park or an office building holds many organisations at one address: agreeing
    # on it says less than agreeing on a firm's own
    tf_keys = (("postcode", "house_number"),)
    tf_levels = (0, 1)
    tf_max_bits = 10.0

    def __init__(self, *, label: str = "address",
                 points: tuple[float, ...] = (5, 3, -5, -2, 2, -2, 0)) -> None:
        super().__init__(self.COLUMNS, self.COLUMNS, label=label, points=points)

    def _compute_vectorized(self, *s: pd.Series) -> np.ndarray:
        pc_l, hn_l, add_l, st_l, city_l, po_l, pc_r, hn_r, add_r, st_r, city_r, po_r = s

        eq = equal
        same_pc, same_hn = eq(pc_l, pc_r), eq(hn_l, hn_r)
        add_missing_l, add_missing_r = add_l.isna().to_numpy(), add_r.isna().to_numpy()
        same_add = eq(add_l, add_r) | (add_missing_l & add_missing_r)
        one_add = add_missing_l ^ add_missing_r
        street_close = similarity(st_l, st_r) >= 0.9
        same_city = eq(city_l, city_r)
        out = np.full(len(pc_l), 5, dtype=int)
        out[street_close & same_hn & same_city] = 4
        out[same_pc & ~same_hn] = 3
        out[same_pc & same_hn & ~same_add & ~one_add] = 2
        out[same_pc & same_hn & one_add] = 1
        out[same_pc & same_hn & same_add] = 0
        # a postcode left out (a source without one) is not another postcode: the same street,
        # number and place is the same address
        no_pc = _missing(pc_l, pc_r)
        out[no_pc & street_close & same_hn & same_city & same_add] = 0
        po_box = po_l.eq(True).to_numpy() ^ po_r.eq(True).to_numpy()
        out[po_box] = 6
        nothing = (_missing(pc_l, pc_r) & ~(street_close & same_hn & same_city)) | \
            (_missing(hn_l, hn_r) & ~same_pc)
        out[nothing & ~po_box] = MISSING
        out[same_pc & _missing(hn_l, hn_r) & ~po_box] = MISSING  # no number: says nothing
        return out


class Initials(LeveledComparison):
    """Initials: equal, one set holding the other's ("J." and "H.J."), or in conflict.

    Where both first names are given, a first letter in common repeats the first name and a
    set holding the other says nothing; but initials that cannot be one person's ("B.R." and
    "B.D.") tell two people of one name apart (colleagues, father and son). A first name that
    differs from the start is the first name's evidence, not counted again here.
    """

    levels = ("equal", "one holds the other's", "different")

    def __init__(self, *, label: str = "initials",
                 points: tuple[float, ...] = (2, 0, -8)) -> None:
        super().__init__(["initials", "first_name"], ["initials", "first_name"], label=label,
                         points=points)

    inputs = {"initials"}

    def _compute_vectorized(self, ini_l: pd.Series, first_l: pd.Series, ini_r: pd.Series,
                            first_r: pd.Series) -> np.ndarray:
        same = equal(ini_l, ini_r)
        # one set holds the other's where its letters are in the other in order ("J" in "HJ")
        ok, key, la, lb = _distinct_pairs(ini_l, ini_r)
        fit = np.zeros(len(ok), dtype=bool)
        fit[ok] = _in_order(la, lb)[key]
        out = np.where(same, 0, np.where(fit, 1, 2))
        names = ~_missing(first_l, first_r)
        if names.any():
            a, b, values = _codes(first_l, first_r)
            letter = np.array([str(v)[:1] for v in values] + [""], dtype=object)  # -1: ""
            first_apart = letter[a] != letter[b]
            a, b, values = _codes(ini_l, ini_r)
            short = np.array([len(str(v)) < 2 for v in values] + [True])
            one_letter = short[a] & short[b]
            # with both first names given only initials beyond the first name's letter count
            out[names & (first_apart | (out == 1) | (same & one_letter))] = MISSING
        out[_missing(ini_l, ini_r)] = MISSING
        return out


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date_part_codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, ...]:
    """Per pair and side: codes of the year, the month and the day of ISO dates (-1 where not a
    date), worked out once per distinct date; months and days share codes (a swap is found by
    comparing one side's month with the other's day)."""
    a, b, values = _codes(left, right)
    mark = np.zeros(len(values) + 1, dtype=bool)  # the categories may hold far more dates
    mark[a], mark[b] = True, True
    used = np.flatnonzero(mark[:-1])
    found = [_ISO_DATE.match(str(v)) for v in values[used]]
    parts = [[m.group(k) if m else None for m in found] for k in (1, 2, 3)]
    year, _ = pd.factorize(np.array(parts[0] + [None], dtype=object))
    month_day, _ = pd.factorize(np.array(parts[1] + parts[2] + [None], dtype=object))
    table = np.full((3, len(values) + 1), -1, dtype=np.int64)  # index -1 (missing) -> -1
    table[0, used] = year[:-1]
    table[1, used], table[2, used] = month_day[: len(used)], month_day[len(used):-1]
    return (*table[:, a], *table[:, b])


class BirthDate(LeveledComparison):
    """ISO birth dates: equal, day and month swapped, one of year / month / day differing, other.

    A typed date often has one wrong part or day and month swapped (US order); a wholly other
    date is strong evidence of another person.
    """

    levels = ("equal", "day and month swapped", "one part differs", "one digit typed wrong",
              "same year only", "different")

    def __init__(self, column: str = "birth_date", *, label: str = "birth_date",
                 points: tuple[float, ...] = (5, 2, 1, 1, -3, -6)) -> None:
        super().__init__(column, column, label=label, points=points)

    def _compute_vectorized(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        y_l, m_l, d_l, y_r, m_r, d_r = _date_part_codes(left, right)
        y, m, d = (y_l == y_r) & (y_l >= 0), (m_l == m_r) & (m_l >= 0), (d_l == d_r) & (d_l >= 0)
        swapped = y & (m_l == d_r) & (m_l >= 0) & (d_l == m_r) & (d_l >= 0)
        out = np.full(len(left), 5, dtype=int)
        out[y] = 4
        # one slip of the keyboard across two parts: 1990-07-20 typed as 1990-02-70 or 1960-00-86
        typo = per_value_pair(left, right, OSA.distance, lambda v: str(v).replace("-", ""),
                              missing=99) <= 1
        out[typo] = 3
        out[(y.astype(int) + m + d) == 2] = 2
        out[swapped & ~(m & d)] = 1
        out[y & m & d] = 0
        out[_missing(left, right) | (y_l < 0) | (y_r < 0)] = MISSING
        return out


class PersonAddress(LeveledComparison):
    """A private address as one piece of evidence (postcode and place are not counted twice).

    Used for persons without an organisation; a contact person's row carries the organisation's
    address, which the person keys leave empty.
    """

    levels = ("same postcode, number and street", "same postcode and number",
              "same street and number, other postcode", "same postcode, other number",
              "same place, other address", "other address", "P.O. box vs street address")
    COLUMNS = ["p_postcode", "p_house_number", "p_addition", "p_street_key", "p_city_key",
               "p_po_box"]

    def __init__(self, *, label: str = "address",
                 points: tuple[float, ...] = (4, 4, 3, 1, 0, -2, 0)) -> None:
        super().__init__(self.COLUMNS, self.COLUMNS, label=label, points=points)

    def _compute_vectorized(self, *s: pd.Series) -> np.ndarray:
        pc_l, hn_l, add_l, st_l, city_l, po_l, pc_r, hn_r, add_r, st_r, city_r, po_r = s
        same_pc, same_hn = equal(pc_l, pc_r), equal(hn_l, hn_r)
        # 12A vs 12B are two homes: the number only agrees when the additions do not differ
        other_add = ~add_l.isna().to_numpy() & ~add_r.isna().to_numpy() & ~equal(add_l, add_r)
        same_hn &= ~other_add
        street_close = similarity(st_l, st_r) >= 0.9
        same_city = equal(city_l, city_r)
        out = np.full(len(pc_l), 5, dtype=int)
        out[same_city] = 4
        out[same_pc] = 3
        out[street_close & same_hn & ~same_pc] = 2
        out[same_pc & same_hn] = 1
        # where a postcode does not name the street (abroad, or a typed-over postcode) the street
        # agreeing as well is more evidence; for a Dutch address it costs nothing to ask
        out[same_pc & same_hn & street_close] = 0
        po_box = po_l.eq(True).to_numpy() ^ \
            po_r.eq(True).to_numpy()
        out[po_box] = 6
        nothing = _missing(pc_l, pc_r) & _missing(st_l, st_r) & _missing(city_l, city_r)
        out[nothing & ~po_box] = MISSING
        return out


class OwnEmail(Exact):
    """A person's own e-mail address: equal is near proof of one person; a different one keeps
    a pair that else matches in review (a second address, or a colleague of the same name)."""

    doubt_levels = (1,)

    def __init__(self, column: str = "email", *, label: str = "email", agree: float = 8,
                 disagree: float = -2) -> None:
        super().__init__(column, label=label, agree=agree, disagree=disagree)


def org_comparisons() -> list[LeveledComparison]:
    """The comparisons scored for two organisations."""
    return [
        Exact("kvk", label="kvk_number", agree=8, disagree=-3),  # KvK changes with legal form
        OrgName("name_key", label="name"),
        Address(label="address"),
        Contact(label="contact"),
    ]


def person_comparisons() -> list[LeveledComparison]:
    """The comparisons scored for two persons."""
    return [
        OwnEmail("email", label="email", agree=8, disagree=-2),  # people have more than one
        Surname(label="last_name"),
        Initials(label="initials"),
        FirstName(label="first_name"),
        Exact("gender", label="gender", agree=0, disagree=-4),
        Exact("mobile", label="mobile", agree=4, disagree=-1),
        BirthDate(label="birth_date"),
        PersonAddress(label="address"),
        # the same person is looked for in the same organisation first; elsewhere it takes more
        Exact("org_entity", label="organisation", agree=2, disagree=-4),
    ]
