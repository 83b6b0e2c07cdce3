"""The fast paths of the standardisation give what the plain per-value code gives."""
from __future__ import annotations

import re

import numpy as np
import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.standardise._common import fullmatches

# values as phone numbers look after their separators go, and odd ones around them
_VALUES = st.lists(st.text(alphabet="0123456789+٣ a\n", max_size=14), max_size=40)
# patterns of the shape the phone metadata uses (digits, classes, groups, alternatives, counts)
_PATTERNS = st.sampled_from([
    r"(?:6[1-58]|970\d)\d{7}", r"\d{2}|1", r"\d*", r"(?:1\d|2)?\d{0,3}", r"[1-9]\d{3}",
    r"(?:90[069]\d{4,7})|(?:800\d{4,7})", r"12|123|1234", r"", r"(1)\d",
])


def _plain(pattern: re.Pattern, values: list[str]) -> np.ndarray:
    return np.array([pattern.fullmatch(v) is not None for v in values], dtype=bool)


@settings(max_examples=300, deadline=None)
@given(_PATTERNS, _VALUES)
def test_fullmatches_equal_a_fullmatch_per_value(pattern, values):
    compiled = re.compile(pattern)
    assert fullmatches(compiled, values).tolist() == _plain(compiled, values).tolist()


def test_fullmatches_with_the_phone_metadata_of_several_countries():
    numbers = [str(n) for n in np.random.default_rng(7).integers(10**6, 10**11, 3000)]
    numbers += ["612345678", "0612345678", "", "6", "970123456789", "201234567"]
    for region in ("NL", "BE", "DE", "GB", "US", "FR"):
        md = phonenumbers.PhoneMetadata.metadata_for_region(region)
        for desc in (md.general_desc, md.mobile, md.fixed_line, md.voip, md.toll_free):
            if desc is None or not desc.national_number_pattern:
                continue
            compiled = re.compile(desc.national_number_pattern)
            assert fullmatches(compiled, numbers).tolist() == _plain(compiled, numbers).tolist()


def test_fullmatches_of_patterns_that_could_match_the_separator_are_per_value():
    values = ["1\x002", "12", "a"]
    for pattern in (r"1.2", r"\D", r"[^3]*", r"1\x002"):
        compiled = re.compile(pattern)
        assert fullmatches(compiled, values).tolist() == _plain(compiled, values).tolist()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="(0)-./ 1\u00a0\u3000\u2028x\t\x1c\n", max_size=20))
def test_phone_noise_goes_as_its_pattern_removes_it(text):
    from workbench.standardise.phone import _NOISE, _without_noise

    assert _without_noise(text) == re.sub(_NOISE, "", text)


def test_phone_noise_knows_every_space_of_the_pattern():
    import sys

    from workbench.standardise.phone import _NOISE_CHARS

    spaces = {c for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))}
    assert spaces <= set(_NOISE_CHARS)
    assert set(_NOISE_CHARS) - spaces == set(map(ord, "-./()"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab12 -/\t\u00a0,.", max_size=20))
def test_address_dashes_tighten_as_the_pattern_does(text):
    from workbench.standardise.address import _SPACED_DASH, _tight_dashes

    assert _tight_dashes(text) == _SPACED_DASH.sub(r"\1", text)


_ADDRESSES = st.lists(st.one_of(
    st.text(alphabet="aB.@-+ é_1", min_size=1, max_size=16),
    st.builds(lambda pre, local, dom, tld: f"{pre}{local}@{dom}.{tld}",
              st.sampled_from(["", "mailto:", "MailTo: ", " "]),
              st.sampled_from(["info", "Info2", "jan.de.vries", "sales+x", "aimée", "a..b", ""]),
              st.sampled_from(["example", "ex-ample", "-bad", "gmial", "x"]),
              st.sampled_from(["nl", "COM", "c", "con"]))), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_ADDRESSES)
def test_email_fast_syntax_equals_the_parse_of_each_address(texts):
    from workbench.standardise._common import parse_table
    from workbench.standardise.email import _fast_syntax, _parse_syntax

    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    missing = (None, False, None, None)
    slow = parse_table(texts, _parse_syntax, ("email", "is_role"), missing, raw=True)
    fast = parse_table(texts, _parse_syntax, ("email", "is_role"), missing, raw=True,
                       fast=_fast_syntax)
    assert [[(type(v), v) for v in row] for row in fast.tolist()] == \
        [[(type(v), v) for v in row] for row in slow.tolist()]


def test_a_kept_table_serves_the_same_texts_again_as_made_anew():
    import pandas as pd

    from workbench.standardise import _common, email, split_address

    addresses = [f"u{i}@voorbeeld{i % 9}.nl" for i in range(1_500)] + [
        "info@gmial.com", "x", "Jan@Example.NL", "a b@c.nl"]
    lines = [f"Dorpsstraat {i}" for i in range(1, 1_200)] + ["Kerkweg 2 - a", "Postbus 12", "12"]
    alone = {"email": email(pd.Series(addresses * 2, dtype=object)),
             "lines": split_address(pd.Series(lines * 2, dtype=object))}
    with _common.shared_parses():
        email(pd.Series(addresses, dtype=object))  # as the profile asks: distinct values
        split_address(pd.Series(lines, dtype=object))
        assert len(_common._TABLES) == 2
        for _ in range(2):  # the run asks again (email fills its typos into its copy)
            pd.testing.assert_frame_equal(email(pd.Series(addresses * 2, dtype=object)),
                                          alone["email"])
            pd.testing.assert_frame_equal(split_address(pd.Series(lines * 2, dtype=object)),
                                          alone["lines"])
    assert not _common._TABLES  # gone with the block


_LINES = st.lists(st.one_of(
    st.text(alphabet="Ab .12-/,e¹٣", min_size=1, max_size=14),
    st.builds(lambda street, number: f"{street} {number}",
              st.sampled_from(["Dorpsstraat", "2e Kostverlorenkade", "postbus", "P.O. Box", ".",
                               "van der HOEVEN laan", "Plein 1940", "12", "Ä-straat"]),
              st.sampled_from(["1", "12", "123456", "012", "12a", "1 b", "٣", "99999"]))),
    max_size=30)


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_plain_address_lines_settle_as_the_parse_of_each_line(texts):
    from workbench.standardise._common import parse_table
    from workbench.standardise.address import ADDRESS_COLUMNS, _parse_line, _plain_lines

    texts = list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))
    missing = (None, None, None, False, None, None)
    slow = parse_table(texts, _parse_line, ADDRESS_COLUMNS, missing, raw=True)
    fast = parse_table(texts, _parse_line, ADDRESS_COLUMNS, missing, raw=True, fast=_plain_lines)
    assert [[(type(v), v) for v in row] for row in fast.tolist()] == \
        [[(type(v), v) for v in row] for row in slow.tolist()]
