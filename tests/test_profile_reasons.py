"""Reasons, not verdicts: every invalid value of the profile says why, by the run's own rule."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from tests.small_crm import HEADER, INCOMING, make_small
from workbench import RunSettings, run
from workbench import standardise as std
from workbench.definition import suggest_definition
from workbench.profile import profile_frame, render_html
from workbench.read import read_table


@pytest.mark.parametrize("place", [
    "Bergen (NH)", "2e Valthermond", "'s-Hertogenbosch", "Den Haag", "Sint-Oedenrode",
    "1e Exloërmond", "Hengelo (Gld)", "Ouderkerk a/d Amstel", "'t Zandt", "Nieuw-Vennep",
    "St. Oedenrode", "Bergen (N.H.)",
])
def test_dutch_places_are_valid(place: str) -> None:
    out = std.city(pd.Series([place]))
    assert out["problem"].iloc[0] is None and out["city"].iloc[0]


@pytest.mark.parametrize(("place", "why"), [
    ("1234 AB", "postcode"), ("12345", "number"), ("???", "no letters"),
    ("Zwolle!!", "'!'"), ("Amsterdam 1012", "number"), ("info@zwolle.nl", "'@'"),
])
def test_real_invalid_places_stay_invalid_with_a_reason(place: str, why: str) -> None:
    out = std.city(pd.Series([place]))
    assert out["city"].iloc[0] is None and out["severity"].iloc[0] == "error"
    assert why in out["problem"].iloc[0] and place in out["problem"].iloc[0]


def _profile(tmp_path: Path, columns: dict[str, list[str]]) -> dict:
    path = tmp_path / "list.csv"
    pd.DataFrame(columns).to_csv(path, sep=";", index=False)
    return profile_frame(read_table(path))


def test_each_invalid_value_has_its_reason_in_the_section_and_the_warnings(tmp_path: Path
                                                                          ) -> None:
    profile = _profile(tmp_path, {"Postcode": ["1234 A", "1234  AB", "1234 AB ", "5611 AA",
                                              "9711 AB"],
                                  "Plaats": ["Bergen (NH)", "2e Valthermond", "Den Haag",
                                             "Sint-Oedenrode", "Zwolle"]})
    postcode = profile["columns"][0]
    assert postcode["invalid_count"] == 1 and postcode["invalid_examples"] == ["1234 A"]
    assert "one letter" in postcode["invalid_reasons"][0]
    assert profile["columns"][1]["invalid_count"] == 0
    warnings = "\n".join(profile["warnings"])
    # one verdict per value: the extra space is not invalid anywhere
    assert "1234  AB" not in warnings and "Plaats" not in warnings
    assert postcode["invalid_reasons"][0] in warnings
    page = render_html(profile)
    assert "one letter" in page and "1234  AB" not in page.split("Columns")[-1].split(
        "invalid")[-1]


def test_profile_invalid_count_is_what_the_run_rejects_on_the_email_column(tmp_path: Path
                                                                          ) -> None:
    emails = ["a.bakker@hoekstra-transport.nl", "jöran.jansen@bakkerijjansen.nl",
              "p.pietersen@@installaties.nl", "k.smit@smitschilders", "k.smit@gmial.com",
              "b.visser at smit.nl"]
    rows = [[*row[:-1], email] for row, email in zip(INCOMING, emails, strict=True)]
    paths = make_small(tmp_path, rows)
    definition = suggest_definition(HEADER)
    definition = replace(definition, reject_invalid=(*definition.reject_invalid,
                                                     "contact_email"))
    definition.save(tmp_path / "def.yml")
    profile = profile_frame(read_table(paths["input"]))
    column = next(c for c in profile["columns"] if c["name"] == "E-mail contactpersoon")
    run(RunSettings(paths["input"], paths["crm"], tmp_path / "out", tmp_path / "def.yml"))
    rejects = pd.read_excel(tmp_path / "out" / "rejects.xlsx", dtype=str)
    on_email = rejects[rejects["reason"].str.contains("E-mail (contact person)", regex=False)]
    assert column["invalid_count"] == len(on_email) == 3
    # accented and mistyped-domain addresses are kept by the run, so the profile calls them
    # doubtful (kept with a warning), not invalid
    assert column["doubtful_count"] == 2
    assert all("e-mail '" in r for r in column["invalid_reasons"])


def test_reasons_of_masked_columns_quote_no_value(tmp_path: Path) -> None:
    profile = _profile(tmp_path, {"BSN": ["111222333", "1112.2233.4", "123456782"],
                                  "Geboortedatum": ["01-02-1980", "31-13-1980", "02-03-1981"]})
    text = repr(profile)
    for secret in ("1112.2233.4", "111222334", "31-13-1980", "1980"):
        assert secret not in text, secret
    assert all(col["invalid_reasons"] for col in profile["columns"])


def test_us_addresses_are_read_by_the_rows_country_in_the_profile(tmp_path: Path) -> None:
    # a Dutch list with US rows in it: the column is an address column, each row read by its
    # country (a US line number-first), as the run reads it
    rows = [["Acme Logistics Inc", "1312 S Racine Ave", "60608", "Chicago", "US"],
            ["Globex Corp", "233 S Wacker Dr", "60606", "Chicago", "USA"],
            *[[f"Bakkerij {k}", f"Kerkstraat {k}", "8011 AB", "Zwolle", "Nederland"]
              for k in range(1, 7)],
            ["Bakkerij Jansen", "Hoofdstraat", "1234 AB", "Zwolle", "NL"]]
    path = tmp_path / "us.csv"
    pd.DataFrame(rows, columns=["Company", "Address", "Zip", "City", "Country"]).to_csv(
        path, index=False)
    raw = read_table(path)
    html = render_html(profile_frame(raw))
    column = next(c for c in profile_frame(raw)["columns"] if c["name"] == "Address")
    assert column["doubtful_count"] == 0
    assert column["meaning"] == "street_house_number"
    # the US lines are read number-first; only the Dutch line without a number is invalid
    assert column["invalid_examples"] == ["Hoofdstraat"]
    assert "1 invalid for street and house number" in html
