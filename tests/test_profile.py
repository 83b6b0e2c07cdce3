"""Tests for workbench.profile on a small, realistic Dutch table read from a real file."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from workbench.profile import (
    detect_meaning,
    phone_kind,
    profile_frame,
    profile_table,
    value_pattern,
    write_profile,
)
from workbench.read import read_table

HEADER = ["Bedrijfsnaam", "KvK", "Adres", "Huisnr", "Postcode", "Plaats", "Telefoon", "Mobiel",
          "E-mail", "Website", "Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel",
          "Achternaam", "Geslacht", "Geboortedatum", "IBAN", "BSN", "Opmerking"]
ROWS = [
    ["Bakkerij Jansen B.V.", "12345678", "Hoofdstraat 12", "12", "1234 AB", "Zwolle",
     "038-4211234", "06-12345678", "info@jansen.nl", "www.jansen.nl", "Dhr.", "J.P.", "Jan",
     "van der", "Berg", "M", "1985-03-02", "NL91ABNA0417164300", "111222333", "klant sinds 2010"],
    ["Installatiebedrijf De Vries", "87654321", "Kerkweg 3a", "3a", "5611 AA", "Eindhoven",
     "040 2123456", "0687654321", "piet@devries", "https://devries.nl", "Mevr.", "A.", "Anna",
     "de", "Vries", "V", "1990-04-01", "NL20INGB0001234567", "123456782", "bellen na 5 uur"],
    ["Stichting Zorg Noord", "1234567", "Dorpsstraat 100-2", "100-2", "9711AB", "Groningen",
     "050-1234567", "+31 6 11122233", "contact@zorgnoord.nl", "zorgnoord.nl", "De heer", "K.",
     "Kees", "", "Bakker", "M", "1970-13-40", "NL00XXXX", "123456789", ""],
    ["Holding Smit B.V.", "23456789", "Markt 1", "1", "123", "Utrecht", "030-7654321",
     "06 22233344", "jan@smit.nl", "www.smit.nl", "Dhr.", "P.", "Piet", "van", "Dijk", "M",
     "1960-01-01", "NL91ABNA0417164300", "111222333", "geen interesse"],
    ["Garage Bos", "34567890", "Stationsweg 7", "7", "2011 JK", "Haarlem", "023-5312345",
     "06-33344455", "info@garagebos.nl", "www.garagebos.nl", "Mevr.", "M.", "Maria", "", "Bos",
     "V", "1975-06-15", "NL20INGB0001234567", "123456782", "terugbellen"],
]
EXPECTED_MEANING = {
    "Bedrijfsnaam": "organisation_name", "KvK": "kvk_number", "Adres": "street_house_number",
    "Huisnr": "house_number", "Postcode": "postcode", "Plaats": "city", "Telefoon": "phone",
    "Mobiel": "mobile", "E-mail": "email", "Website": "url", "Aanhef": "salutation",
    "Voorletters": "initials", "Voornaam": "first_name", "Tussenvoegsel": "name_prefix",
    "Achternaam": "last_name", "Geslacht": "gender", "Geboortedatum": "date", "IBAN": "iban",
    "BSN": "bsn", "Opmerking": "free_text",
}
# Row 8 repeats row 2 in capitals, so its e-mail without a domain counts twice.
# the 7-digit KvK number is kept (its leading zero restored, with a warning): doubtful, not invalid
EXPECTED_INVALID = {"KvK": 0, "Postcode": 1, "E-mail": 2, "Geboortedatum": 1, "IBAN": 1,
                    "BSN": 1, "Telefoon": 0, "Mobiel": 0, "Opmerking": 0}


@pytest.fixture(scope="module")
def leads(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The Dutch sample as a semicolon CSV, with a blank row and duplicate rows."""
    path = tmp_path_factory.mktemp("profile") / "leads.csv"
    lines = [HEADER, *ROWS, [""] * len(HEADER), ROWS[0],
             [v.upper() if v else v for v in ROWS[1]]]
    path.write_text("\n".join(";".join(line) for line in lines) + "\n", encoding="utf-8")
    return read_table(path)


@pytest.fixture(scope="module")
def profile(leads: pd.DataFrame) -> dict:
    return profile_frame(leads)


def column(profile: dict, name: str) -> dict:
    return next(c for c in profile["columns"] if c["name"] == name)


def test_overview(profile: dict, leads: pd.DataFrame) -> None:
    assert profile["file"] == leads.attrs["read_info"]["file"]
    assert (profile["rows"], profile["blank_rows"]) == (8, 1)
    assert [c["name"] for c in profile["columns"]] == HEADER  # source_row is not profiled


@pytest.mark.parametrize(("name", "meaning"), EXPECTED_MEANING.items())
def test_meaning_detected(profile: dict, name: str, meaning: str) -> None:
    assert column(profile, name)["meaning"] == meaning


@pytest.mark.parametrize(("name", "invalid"), EXPECTED_INVALID.items())
def test_invalid_counts(profile: dict, name: str, invalid: int) -> None:
    col = column(profile, name)
    assert col["invalid_count"] == invalid
    assert len(col["invalid_examples"]) == min(invalid, 5)
    assert col["confidence"] == pytest.approx(1 - invalid / col["filled"], abs=1e-4)


def test_column_statistics(profile: dict) -> None:
    kvk = column(profile, "KvK")
    assert (kvk["filled"], kvk["distinct"], kvk["fill_rate"]) == (7, 5, 1.0)
    assert kvk["top_values"][0] == ["12345678", 2]
    assert kvk["patterns"][0] == ["99999999", 6]
    assert kvk["invalid_examples"] == [] and kvk["doubtful_examples"] == ["1234567"]
    assert kvk["doubtful_reasons"] == ["KvK number '1234567' has 7 digits: leading zero restored"]
    assert (kvk["min_length"], kvk["max_length"]) == (7, 8)
    prefix = column(profile, "Tussenvoegsel")
    assert prefix["filled"] == 5 and prefix["fill_rate"] == pytest.approx(5 / 7, abs=1e-4)


def test_birth_dates_and_bsn_masked_in_json(profile: dict, tmp_path: Path) -> None:
    json_path, _ = write_profile(profile, tmp_path)
    text = json_path.read_text(encoding="utf-8")
    for secret in ("1985-03-02", "1970-13-40", "111222333", "123456789"):
        assert f'"{secret}"' not in text
    born = column(json.loads(text), "Geboortedatum")
    assert born["invalid_examples"] == ["****-**-**"]
    assert all(set(v) <= {"*", "-"} for v, _ in born["top_values"])
    assert column(profile, "BSN")["invalid_examples"] == ["*********"]


def test_duplicates(profile: dict) -> None:
    # Row 7 repeats row 1 exactly; row 8 is row 2 in capitals (a duplicate once normalised).
    assert profile["duplicates"] == {"exact": 1, "normalised": 2, "examples": [[1, 7], [2, 8]]}


def test_write_profile_html(profile: dict, tmp_path: Path) -> None:
    json_path, html_path = write_profile(profile, tmp_path / "out")
    assert json.loads(json_path.read_text(encoding="utf-8"))["rows"] == 8
    page = html_path.read_text(encoding="utf-8")
    assert "<img" in page or "<svg" in page
    assert "data:image/png;base64," in page
    assert "http://" not in page.replace("https://devries.nl", "")  # nothing loaded from outside
    for name in HEADER:
        assert f"<h3>{name}</h3>" in page


def test_html_escapes_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"source_row": [1, 2], "<b>Naam</b>": ["<script>x</script>", "a&b"]})
    _, html_path = write_profile(profile_frame(frame, file="x<y>.csv"), tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>Naam</b>" not in page
    assert "&lt;script&gt;" in page and "a&amp;b" in page


def test_profile_table(profile: dict) -> None:
    table = profile_table(profile)
    assert table["column"].tolist() == HEADER
    assert table.set_index("column").at["KvK", "meaning"] == "kvk_number"


def test_empty_column_and_plain_frame() -> None:
    frame = pd.DataFrame({"a": ["x", None, "x "], "leeg": [None, " ", ""]})
    result = profile_frame(frame)
    assert result["file"] is None and result["blank_rows"] == 1  # None and " " only
    empty = column(result, "leeg")
    assert (empty["meaning"], empty["filled"], empty["fill_rate"]) == ("empty", 0, 0.0)
    assert result["duplicates"]["normalised"] == 1


@pytest.mark.parametrize(
    ("value", "pattern"),
    [("Hoofdstraat 12", "Aaaaa 99"), ("1234 AB", "9999 AA"), ("J.P.", "A.A."),
     ("info@jansen.nl", "aaaa@aaaa.aa"), ("NL91ABNA0417164300", "AA99AAAA9999999999"),
     ("Café", "Aaaa"), ("ABCDEFGH", "AAAA")],
)
def test_value_pattern(value: str, pattern: str) -> None:
    assert value_pattern(value) == pattern


@pytest.mark.parametrize(
    ("value", "kind"),
    [("06-12345678", "mobile"), ("+31 6 12345678", "mobile"), ("020-1234567", "phone"),
     ("0031 20 1234567", "phone"),
     # the standardiser's rule (phonenumbers) reads a number that lost its 0 in Excel
     ("612345678", "mobile"), ("123", None), ("+44 20 7946 0958", "phone"),
     ("0123456789", None)],
)
def test_phone_kind(value: str, kind: str | None) -> None:
    assert phone_kind(value) == kind


@pytest.mark.parametrize(
    ("description", "header", "values", "meaning"),
    [
        ("header breaks a mobile/phone tie", "Mobiel",
         ["0612345678", "0612345679", "020-1234567"], "mobile"),
        ("mixed numbers are phone", "Nummer", ["0612345678", "020-1234567", "030-1234567"],
         "phone"),
        ("years are not house numbers", "Jaar", ["1999", "2001", "1985", "2010"], "free_text"),
        ("PC4 postcodes by header", "Postcode", ["1234", "5611", "9711", "2011"], "postcode"),
        ("8-digit KvK wins over header", "Telefoon", ["12345678", "23456789"], "kvk_number"),
        ("names not in any list, header decides", "Achternaam", ["Zwxq", "Qbrt-Vlm"],
         "last_name"),
        ("dates in Dutch order", "Datum", ["02-03-1990", "31-12-2000"], "date"),
        ("no values", "Leeg", [], "empty"),
    ],
)
def test_detect_meaning(description: str, header: str, values: list[str], meaning: str) -> None:
    counts = {v: 1 for v in values}
    assert detect_meaning(header, counts) == meaning, description
