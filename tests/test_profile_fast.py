"""The fast, many-values-at-once paths of workbench.profile agree with the per-value tests,
and the report carries warnings, charts and masks."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import standardise as std
from workbench.profile import (
    VALID,
    checks,
    column_html,
    profile_frame,
    progress_bar,
    render_html,
    stats,
    value_pattern,
    write_profile,
)
from workbench.read import read_table

SAMPLES = [
    "1234 AB", "1234AB", "0123 AB", "1234 SA", "123", "12345678", "1234567", "1234 5678",
    "123456789012", "111222333", "123456782", "NL91ABNA0417164300", "NL00XXXX", "06-12345678",
    "+31 6 12345678", "0031 20 1234567", "020-1234567", "612345678", "+44 20 7946 0958",
    "0123456789", "(020) 123 45 67", "+31(0)20 1234567", "info@jansen.nl", "piet@devries",
    "a b@c.nl", "www.jansen.nl", "https://devries.nl/x?y", "jan@www.nl", "1985-03-02",
    "1970-13-40", "02-03-1990", "31/12/2000", "Hoofdstraat 12", "Kerkweg 3a", "12", "3a",
    "100-2", "Dhr.", "Mevr.", "M", "V", "J.P.", "A.", "van der", "de", "B.V.", "Zwolle",
    "'s-Hertogenbosch", "Jan", "Zoë", "Bakkerij Jansen B.V.", "x" * 90, "Ünïcødé", "€ 12,-",
    "line\nbreak", "tab\there", "", " ", "a_b", "ABCDEFGH", "abcdefghij", "N12345",
]
_TEXT = st.text(alphabet=st.sampled_from(list("0123456789 +-()./@:aAbZé'_NLx\n")), max_size=20)


def _kept(out: pd.DataFrame, column: str) -> list[bool]:
    return (out["problem"].isna() & out[column].notna()).tolist()


# The standardisers' own verdict on values, for the meanings whose bulk check in the profile
# takes a shortcut: a value is valid when the standardiser keeps it without a problem.
STANDARDISER_VERDICT = {
    "postcode": lambda s: _kept(std.postcode(s), "postcode"),
    "kvk_number": lambda s: _kept(std.kvk_number(s), "kvk_number"),
    "phone": lambda s: _kept(std.phone(s), "phone"),
    "mobile": lambda s: [k and t == "mobile" for k, t in zip(
        _kept(std.phone(s), "phone"), std.phone(s)["phone_type"], strict=True)],
    "email": lambda s: _kept(std.email(s), "email"),
    "url": lambda s: _kept(std.website(s), "website"),
    "bsn": lambda s: _kept(std.bsn(s), "bsn"),
    "iban": lambda s: _kept(std.iban(s), "iban"),
    "house_number": lambda s: _kept(std.split_house_number(s), "house_number"),
    "city": lambda s: _kept(std.city(s), "city"),
    "initials": lambda s: _kept(std.initials(s), "initials"),
}


@pytest.mark.parametrize("meaning", sorted(STANDARDISER_VERDICT))
def test_profile_validity_is_the_standardisers_verdict(meaning: str) -> None:
    values = [v for v in SAMPLES if v.strip()]
    expected = STANDARDISER_VERDICT[meaning](pd.Series(values, dtype=object))
    assert checks.valid_many(meaning, values).tolist() == expected
    assert [VALID[meaning](v) for v in values] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT.filter(lambda v: v.strip() == v and v), max_size=30))
def test_fast_paths_agree_on_random_values(values: list[str]) -> None:
    series = pd.Series(values, dtype=object)
    for meaning in ("postcode", "kvk_number", "phone", "mobile"):
        expected = STANDARDISER_VERDICT[meaning](series)
        assert checks.valid_many(meaning, values).tolist() == expected, meaning
    assert stats.patterns_of(values) == [value_pattern(v) for v in values]
    normalised = [re.sub(r"[\W_]+", "", v.casefold()) for v in values]
    assert stats.normalised_of(values) == normalised


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"(?:\+31|0031|0)[1-9]\d{8}", fullmatch=True), max_size=30))
def test_dutch_numbers_by_prefix_agree_with_the_standardiser(values: list[str]) -> None:
    # phone_types classifies a Dutch number by its first four digits; phone() reads it whole
    expected = std.phone(pd.Series(values, dtype=object))
    kinds = expected["phone_type"].where(expected["problem"].isna(), None).tolist()
    assert std.phone_types(values).tolist() == kinds


def test_values_holding_the_separator_fall_back_to_one_by_one() -> None:
    values = ["1234 AB", "12\x0034 AB", "abcdefgh"]
    assert stats.patterns_of(values) == [value_pattern(v) for v in values]


def test_place_names_with_an_apostrophe_are_valid() -> None:
    assert VALID["city"]("'s-Hertogenbosch") and VALID["city"]("’s-Gravenhage")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    lines = ["Naam;Postcode;Geboortedatum;BSN;Leeg;Plaats"]
    for i in range(60):
        lines.append(f"Jansen {i % 7};{1000 + i} AB;1980-01-{i % 28 + 1:02d};111222333;;"
                     f"{'Zwolle' if i % 3 else 'Den Haag'}")
    lines.append("JANSEN 1;1234;1980-13-01;123;;Zwolle")
    lines.append("jansen-1;1234;1980-13-01;123;;ZWOLLE")
    path = tmp_path_factory.mktemp("fast") / "leads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_table(path)


def test_warnings_name_invalid_values_empty_columns_and_duplicates(table: pd.DataFrame) -> None:
    warnings = profile_frame(table)["warnings"]
    text = "\n".join(warnings)
    assert ("Column 'Postcode' (postcode): 2 invalid value(s), e.g. postcode '1234' is not a "
            "Dutch postcode (expected 1234 AB); it has four digits and no letters.") in text
    assert "Column 'Leeg' is empty." in text
    assert "Column 'Geboortedatum' (date): 2 invalid value(s), e.g. '****-**-**'" in text
    assert "1980-13-01" not in text  # birth dates are masked in warnings too
    assert re.search(r"row\(s\) repeat an earlier row exactly; 1 once case", text)


def test_duplicates_after_normalisation(table: pd.DataFrame) -> None:
    dup = profile_frame(table)["duplicates"]
    assert (dup["exact"], dup["normalised"], dup["examples"]) == (0, 1, [[61, 62]])


def test_length_histogram_counts_rows(table: pd.DataFrame) -> None:
    col = next(c for c in profile_frame(table)["columns"] if c["name"] == "Postcode")
    assert col["length_histogram"] == [[4, 4, 2], [7, 7, 60]]
    assert sum(n for _, _, n in col["length_histogram"]) == col["filled"]


def test_report_has_warnings_first_charts_per_column_and_masks(table: pd.DataFrame,
                                                               tmp_path: Path) -> None:
    profile = profile_frame(table)
    json_path, html_path = write_profile(profile, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert page.index('id="warnings"') < page.index("<h2>Overview</h2>") < page.index(
        "<h2>Columns</h2>")
    assert page.count('aria-label="pattern frequencies"') == 5  # every non-empty column
    assert page.count('aria-label="length histogram"') == 5
    assert "data:image/png;base64," in page  # fill rate bars
    for secret in ("1980-01-01", "1980-13-01", "111222333"):
        assert secret not in page
        assert secret not in json_path.read_text(encoding="utf-8")
    saved = json.loads(json_path.read_text(encoding="utf-8"))
    assert saved["warnings"] == profile["warnings"]
    assert saved["read"] == {"format": "csv", "encoding": "utf-8", "delimiter": ";"}


def test_column_html_is_one_section(table: pd.DataFrame) -> None:
    col = profile_frame(table)["columns"][0]
    section = column_html(col)
    assert section.startswith("<section><h3>Naam</h3>") and section.endswith("</section>")
    assert section in render_html(profile_frame(table))


def test_progress_bar_only_for_large_tables(table: pd.DataFrame) -> None:
    assert progress_bar(10) is None
    seen: list[str] = []

    def progress(items):
        for item in items:
            seen.append(item)
            yield item

    profile_frame(table, progress=progress)
    assert seen == list(table.columns[1:])
    bar = progress_bar(200_000)
    assert bar is not None and list(bar(["a", "b"])) == ["a", "b"]


def test_plain_frame_with_numbers_and_padding() -> None:
    frame = pd.DataFrame({"n": pd.Series([1, 2, 2, None], dtype=object),
                          "t": [" a", "a ", "", np.nan]})
    result = profile_frame(frame)
    n, t = result["columns"]
    assert (n["filled"], n["distinct"], n["top_values"][0]) == (3, 2, ["2", 2])
    assert (t["filled"], t["distinct"], t["top_values"]) == (2, 1, [["a", 2]])
    assert result["blank_rows"] == 1


def test_repeated_identifiers_warned(tmp_path: Path) -> None:
    path = tmp_path / "kvk.csv"
    path.write_text("KvK;Naam\n12345678;a\n12345678;b\n23456789;c\n", encoding="utf-8")
    profile = profile_frame(read_table(path))
    assert profile["columns"][0]["repeated_values"] == 1
    assert ("Column 'KvK' (KvK number): 1 value(s) occur in more than one row, e.g. "
            "'12345678' (2 rows).") in profile["warnings"]


_ANY_CELL = st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_ANY_CELL, _ANY_CELL, _ANY_CELL), max_size=20))
def test_any_frame_profiles_and_renders(rows: list[tuple[object, object, object]]) -> None:
    frame = pd.DataFrame(rows, columns=["Postcode", "Telefoon", "Naam"], dtype=object)
    profile = profile_frame(frame)
    assert profile["rows"] == len(rows)
    for col in profile["columns"]:
        assert col["filled"] + 0 <= len(rows) and col["invalid_count"] <= col["filled"]
        assert sum(n for _, _, n in col["length_histogram"]) == col["filled"]
    assert render_html(profile).endswith("</html>")
    json.dumps(profile)
