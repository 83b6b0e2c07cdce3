"""Patterns and normalised values of a column, computed on its Latin-1 text as bytes, equal the
rules written for any text (translate table and regular expressions)."""
from __future__ import annotations

import random

import pytest

from workbench.profile import stats
from workbench.standardise import map_joined

LATIN1 = ["Bakkerij Jansen B.V.", "AAAAAAAbbbbbbb 1234", "aaaa", "aaaaa", "AAAAA", "", "x",
          "Café Ödön Ærø ß ÿ", "ª º µ ² ³ ¹ ¼ ½ ¾ × ÷", "a_b-c.d@e.nl", "\xa0 06-12 34 56 78",
          "ÀÉÎÕÜàéîõü  MÜNCHENERSTRASSE", "'s-Hertogenbosch", "Straat 12-bis"]


def _by_rule(values: list[str]) -> tuple[list[str], list[str]]:
    shapes = map_joined(values, lambda t: stats._LOWER_RUN.sub(
        "aaaa", stats._UPPER_RUN.sub("AAAA", t.translate(stats._PATTERN_TABLE))))
    keys = map_joined(values, lambda t: stats._NORMALISE_JOINED.sub("", t.casefold()))
    return shapes, keys


@pytest.mark.parametrize("top", [256, 0x300])  # Latin-1 only; and text that is not
def test_patterns_and_normalised_values_follow_the_rules(top: int) -> None:
    rng = random.Random(top)
    values = LATIN1 + ["".join(chr(rng.randrange(1, top)) for _ in range(rng.randrange(0, 14)))
                       for _ in range(3000)]
    shapes, keys = _by_rule(values)
    assert stats.patterns_of(values) == shapes
    assert stats.normalised_of(values) == keys
    assert [stats.value_pattern(v) for v in LATIN1] == shapes[:len(LATIN1)]


def test_runs_of_letters_are_cut_to_four() -> None:
    assert stats.patterns_of(["Jansen BV", "AAAAAAA aaaaaaa", "Ab12"]) == [
        "Aaaaa AA", "AAAA aaaa", "Aa99"]
    assert stats.normalised_of(["Jansen B.V.", "Café_Ödön", "ß"]) == ["jansenbv", "caféödön", "ss"]
