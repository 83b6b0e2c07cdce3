"""Issue 12, item 5, for dates: a move date or birth date that is an Excel serial number is read
as a date (with a warning), one that is no date costs the value and never the row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from small_crm import make_small

from workbench.cli import main
from workbench.standardise import birth_date
from workbench.standardise.dates import excel_serial_date, move_date

HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Verhuisdatum",
          "Voornaam", "Achternaam", "Geboortedatum"]
ROWS = [  # as Excel holds them: numbers, a date cell, text
    ["Hoekstra Transport B.V.", "12345678", "Havenweg 20", "3542 AB", "Utrecht", 45123,
     "Anna", "Bakker", 30000],
    ["Van Dijk Installatietechniek", "87654321", "Kerkweg 9", "2511 CV", "Den Haag", "morgen",
     "Kees", "Dijkstra", "31-02-1980"],
    ["Strandpaviljoen De Zeemeeuw", "11112222", "Zeeweg 3", "1861 AA", "Bergen",
     dt.datetime(2027, 3, 1), "Mira", "Zee", "02-03-1985"],
    ["Nieuw Bouwbedrijf B.V.", "", "Marktplein 4", "8011 AB", "Zwolle", "45123.0",
     "Piet", "Nieuw", "1-4-1970"],
]


@pytest.mark.parametrize(("text", "iso"), [
    ("45123", "2023-07-16"), ("45123.0", "2023-07-16"), ("45123.75", "2023-07-16"),
    ("1985", None), ("4512", None), ("451234", None), ("morgen", None)])
def test_excel_serials_are_five_digits_in_the_1900_date_system(text, iso):
    date = excel_serial_date(text)
    assert (date.isoformat() if date else None) == iso


def test_a_serial_is_a_date_with_a_warning_and_the_rest_is_left_out():
    got = move_date(pd.Series(["01-03-2027", "45123", "morgen", None]))
    assert got["move_date"].tolist() == ["2027-03-01", "2023-07-16", None, None]
    assert got["severity"].tolist() == [None, "warning", "error", None]
    assert "Excel serial number, read as 2023-07-16" in got.at[1, "problem"]
    born = birth_date(pd.Series(["02-03-1985", "30000", "99999"]))
    assert born["birth_date"].tolist() == ["1985-03-02", "1982-02-18", None]
    assert born["severity"].tolist() == [None, "warning", "error"]
    assert "1982" not in born.at[1, "problem"]  # the date is never quoted: birth dates are masked


def test_a_bad_move_date_costs_the_date_not_the_row(tmp_path: Path, capsys):
    paths = make_small(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(tmp_path / "list.xlsx")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "list.xlsx"), "--crm", str(paths["crm"]), "--out",
                 str(out), "--state", str(tmp_path / "state.duckdb"), "--quiet"]) == 0
    outcomes = pd.read_csv(out / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    assert "rejected" not in set(outcomes["status"]), outcomes[["source_row", "reason"]]
    history = pd.read_csv(out / "address_history.csv", dtype=str, encoding="utf-8-sig",
                          keep_default_na=False)
    # the serial 45123 dated Hoekstra's move; the date cell of De Zeemeeuw read as it is
    assert sorted(history.loc[history["valid_from"] != "", "valid_from"]) == [
        "2023-07-16", "2027-03-01"]
    problems = pd.read_csv(out / "problems.csv", dtype=str, encoding="utf-8-sig")
    dates = problems[problems["field"] == "org_move_date"].set_index("source_row")
    assert dates["severity"].to_dict() == {"1": "warning", "2": "error", "4": "warning"}
    # the format the column's dates showed (the date cell: ISO)
    assert dates.at["2", "problem"] == ("move date 'morgen' is not a date (expected yyyy-mm-dd); "
                                        "left out")
    births = problems[problems["field"] == "person_birth_date"].set_index("source_row")
    assert births["severity"].to_dict() == {"1": "warning", "2": "error"}
    assert "30000" not in births.to_string() and "1982" not in births.to_string()  # masked
    persons = pd.concat([pd.read_csv(p, dtype=str, encoding="utf-8-sig")
                         for p in out.glob("persons_*.csv")])
    assert "1982-02-18" in set(persons["birth_date"].dropna())
