"""The corpus of issue 3: every kind of file an analyst is handed, good and bad.

Small files are committed under tests/data/good and tests/data/bad; workbooks and large or
limit cases are made here. Every case asserts its result or its message, row and column.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.read.frame as read_module
from workbench.errors import InputFileError, WorkbenchError
from workbench.read import detect_encoding, list_sheets, read_table
from workbench.read.contacts import contact_export_columns, contact_export_kind

DATA = Path(__file__).resolve().parent / "data"
GOOD, BAD = DATA / "good", DATA / "bad"
LEADS = [["Bakkerij Jansen B.V.", "12345678", "Hoofdstraat 12", "8011 AB", "Zwolle"],
         ["Café 't Hoekje", "01234567", "Markt 1", "7511 AA", "Enschede"]]


def values(frame) -> list[list[object]]:
    return frame.drop(columns="source_row").values.tolist()


# --------------------------------------------------------------------------- good files

GOOD_CASES = [
    # file, encoding, delimiter, export, rows, blank rows
    ("semicolon_utf8.csv", "utf-8", ";", None, 2, 0),
    ("semicolon_utf8_bom.csv", "utf-8-sig", ";", None, 2, 0),
    ("semicolon_cp1252.csv", "cp1252", ";", None, 2, 0),
    ("excel_unicode_text.txt", "utf-16", "\t", None, 2, 0),
    ("comma_quoted.csv", "utf-8", ",", None, 2, 0),
    ("pipe.csv", "utf-8", "|", None, 2, 0),
    ("blank_lines_and_columns.csv", "utf-8", ";", None, 3, 1),
    ("leading_blank_lines_and_column.csv", "utf-8", ";", None, 2, 0),
    ("lost_leading_zeros.csv", "utf-8", ";", None, 2, 0),
    ("outlook.csv", "cp1252", ",", "outlook", 2, 0),
    ("google.csv", "utf-8", ",", "google", 1, 0),
    ("contacts.vcf", "utf-8", None, "vcard", 3, 0),
    # a broken row is read as far as it fits and rejected on its own (issue 12)
    ("ragged_row.csv", "utf-8", ";", None, 2, 0),
    ("unclosed_quote.csv", "utf-8", ";", None, 2, 0),
]


@pytest.mark.parametrize(("name", "encoding", "delimiter", "export", "rows", "blank"),
                         GOOD_CASES, ids=[c[0] for c in GOOD_CASES])
def test_good_file_reads(name: str, encoding: str, delimiter: str | None, export: str | None,
                         rows: int, blank: int) -> None:
    frame = read_table(GOOD / name)
    info = frame.attrs["read_info"]
    assert (info["encoding"], info["delimiter"], info["export"]) == (encoding, delimiter, export)
    assert (info["rows"], info["blank_rows"]) == (rows, blank)
    assert frame["source_row"].tolist() == list(range(1, rows + 1))


@pytest.mark.parametrize("name", ["semicolon_utf8.csv", "semicolon_utf8_bom.csv",
                                  "semicolon_cp1252.csv", "excel_unicode_text.txt"])
def test_every_encoding_gives_the_same_values(name: str) -> None:
    frame = read_table(GOOD / name)
    assert list(frame.columns)[1:] == ["Bedrijfsnaam", "KvK", "Adres", "Postcode", "Plaats"]
    assert values(frame) == LEADS  # é decoded right, leading zero of the KvK number kept


def test_quotes_delimiters_and_line_breaks_inside_values() -> None:
    frame = read_table(GOOD / "comma_quoted.csv")
    assert values(frame) == [["Jansen, Piet & Zn.", "Hoofdstraat 1\r\n2e verdieping",
                              'zegt "ja"'], ["Klaas", "Kerkweg 2", None]]


def test_blank_lines_and_empty_trailing_columns() -> None:
    frame = read_table(GOOD / "blank_lines_and_columns.csv")
    assert list(frame.columns) == ["source_row", "Naam", "Plaats"]
    assert values(frame) == [["Jansen", "Zwolle"], [None, None], ["De Vries", "Enschede"]]


def test_leading_blank_lines_and_blank_first_column_skipped_with_warning() -> None:
    frame = read_table(GOOD / "leading_blank_lines_and_column.csv")
    assert list(frame.columns) == ["source_row", "Naam", "Plaats"]
    assert values(frame) == [["Jansen", "Zwolle"], ["De Vries", "Enschede"]]
    assert frame.attrs["read_info"]["warnings"] == [
        "The header is on row 3: the 2 blank row(s) above it were skipped.",
        "Column 1 (A) has no name and no values; it was left out."]


def test_excel_mangled_leading_zeros_warned_not_changed() -> None:
    frame = read_table(GOOD / "lost_leading_zeros.csv")
    warnings = frame.attrs["read_info"]["warnings"]
    assert [w.split("'")[1] for w in warnings] == ["KvK", "Telefoon", "Postcode"]
    assert "lost its leading zero" in warnings[0]
    assert frame.at[0, "KvK"] == "1234567"


def test_outlook_export_maps_its_headers() -> None:
    frame = read_table(GOOD / "outlook.csv")
    columns = contact_export_columns(list(frame.columns[1:]))
    assert columns is not None
    assert columns["person_first_name"] == "First Name"
    assert columns["person_name_prefix"] == "Middle Name"
    assert columns["org_name"] == "Company"
    assert columns["org_postcode"] == "Business Postal Code"
    assert columns["contact_email"] == "E-mail Address"
    assert columns["contact_mobile"] == "Mobile Phone"
    assert frame.at[1, "First Name"] == "René"  # Windows-1252, as Outlook writes it


def test_dutch_outlook_headers() -> None:
    headers = ["Voornaam", "Middelste naam", "Achternaam", "Bedrijf", "Werkadres, straat",
               "Werkadres, postcode", "E-mailadres", "Mobiele telefoon"]
    assert contact_export_kind(headers) == "outlook"
    columns = contact_export_columns(headers)
    assert columns is not None
    assert (columns["org_address_line"], columns["contact_mobile"]) == (
        "Werkadres, straat", "Mobiele telefoon")


def test_google_export_maps_its_headers() -> None:
    frame = read_table(GOOD / "google.csv")
    columns = contact_export_columns(list(frame.columns[1:]))
    assert columns is not None
    assert columns["org_name"] == "Organization Name"
    assert columns["contact_email"] == "E-mail 1 - Value"
    assert columns["contact_phone"] == "Phone 1 - Value"
    assert columns["org_city"] == "Address 1 - City"
    assert frame.at[0, "Address 1 - Formatted"] == "Hoofdstraat 12\n8011 AB Zwolle"


def test_ordinary_headers_are_no_contact_export() -> None:
    assert contact_export_kind(["Bedrijfsnaam", "Plaats", "E-mail"]) is None
    assert contact_export_columns(["Bedrijfsnaam", "Plaats"]) is None


def test_vcard_flattened_one_row_per_contact() -> None:
    frame = read_table(GOOD / "contacts.vcf")
    rows = frame.set_index("source_row")
    jan = rows.loc[1]
    assert (jan["Voornaam"], jan["Tussenvoegsel"], jan["Achternaam"]) == ("Jan", "van der",
                                                                         "Berg")
    assert (jan["E-mail"], jan["E-mail 2"]) == ("jan@jansen.nl", "jan.berg@gmail.com")
    assert (jan["Telefoon"], jan["Telefoon 2"], jan["Mobiel"]) == ("038-4211234",
                                                                    "038-1234567",
                                                                    "06-12345678")
    assert (jan["Adres"], jan["Postcode"], jan["Plaats"]) == ("Hoofdstraat 12", "8011 AB",
                                                               "Zwolle")
    assert (jan["Adres 2"], jan["Postcode 2"]) == ("Kerkweg 3a", "8012 CD")
    assert (jan["Bedrijfsnaam"], jan["Afdeling"], jan["Functie"]) == (
        "Bakkerij Jansen B.V.", "Verkoop", "Directeur")
    assert jan["Geboortedatum"] == "1985-03-02"
    assert jan["Notitie"] == "klant sinds 2010, belt vaak\nliever mailen"
    rene = rows.loc[2]  # vCard 2.1: quoted-printable with a soft line break
    assert (rene["Naam"], rene["Voornaam"], rene["Mobiel"]) == ("René de Vries", "René",
                                                                "+31 6 11122233")
    assert rene["E-mail 2"] is None and rene["Adres"] is None
    assert rows.loc[3, "Bedrijfsnaam"] == "Stichting Zorg Noord"  # folded line
    columns = contact_export_columns(list(frame.columns[1:]), "vcard")
    assert columns is not None
    assert (columns["contact_email"], columns["contact_mobile"]) == ("E-mail", "Mobiel")


def test_vcard_saved_as_text_is_still_a_vcard(tmp_path: Path) -> None:
    path = tmp_path / "contacts.txt"
    path.write_bytes((GOOD / "contacts.vcf").read_bytes())
    assert read_table(path).attrs["read_info"]["format"] == "vcard"


# --------------------------------------------------------------------------- bad files

BAD_CASES = [
    # file, pattern in the message, row, column
    ("empty.csv", r"empty \(0 bytes\)", None, None),
    ("only_blank_lines.csv", "first row is empty", 1, None),
    ("header_only.csv", "header but no data rows", 2, None),
    ("empty_header_name.csv", r"no name for column 2 \(B\)", 1, "B"),
    ("unnamed_column_with_values.csv",
     r"no name for column 2 \(B\), which holds values \(first in data row 2: 'x'\)", 1, "B"),
    ("duplicate_header.csv", r"'Naam' appears twice, in column 1 \(A\) and column 3 \(C\)", 1,
     "Naam"),
    ("mostly_ragged_rows.csv",
     r"2 of the 3 data rows do not fit .*Row 3 has a value in column 3 \(C\)", 3, "C"),
    ("binary.csv", "binary data", None, None),
    ("not_utf8_or_cp1252.csv", "not UTF-8 or Windows-1252", None, None),
    ("not_a_workbook.xlsx", "cannot be opened as an Excel workbook", None, None),
    ("old_excel_renamed.xlsx", "password-protected or an old-style .xls", None, None),
    ("workbook_named_csv.csv", r"rename it to \.xlsx", None, None),
    ("report.pdf", r"PDF document.*save it as \.xlsx or \.csv", None, None),
    ("leads.numbers", "Apple Numbers", None, None),
    ("cut_off.vcf", "has no END:VCARD; the file is cut off", 1, None),
    ("no_contacts.vcf", r"no contacts \(no BEGIN:VCARD\)", None, None),
    ("no_colon.vcf", "Line 3 .* has no ':'", 3, None),
]


@pytest.mark.parametrize(("name", "pattern", "row", "column"), BAD_CASES,
                         ids=[c[0] for c in BAD_CASES])
def test_bad_file_message(name: str, pattern: str, row: int | None,
                          column: str | None) -> None:
    path = BAD / name
    with pytest.raises(InputFileError, match=pattern) as caught:
        read_table(path)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(path), row, column)
    assert str(error).startswith(str(path))


def test_every_committed_file_is_covered() -> None:
    assert {p.name for p in GOOD.iterdir()} == {c[0] for c in GOOD_CASES}
    assert {p.name for p in BAD.iterdir()} == {c[0] for c in BAD_CASES}


def test_limits_of_rows_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 30)
    assert len(read_table(path, max_rows=30)) == 30
    with pytest.raises(InputFileError, match="more than 29 data rows") as caught:
        read_table(path, max_rows=29)
    assert caught.value.row == 31  # the first row over the limit, as the file counts rows
    with pytest.raises(InputFileError, match=r"more than the limit of 0\.0 MB"):
        read_table(path, max_bytes=100)


def test_chunks_and_value_sharing_keep_the_same_result(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny chunks and a tiny value table exercise the large-file path on a small file."""
    lines = ["Naam;Plaats;Code"]
    expected = []
    for i in range(40):
        if i % 7 == 3:
            lines.append(";;")
            expected.append([None, None, None])
        else:
            lines.append(f" Naam {i % 5} ;Zwolle;{i:04d}")
            expected.append([f"Naam {i % 5}", "Zwolle", f"{i:04d}"])
    lines += ["", ";;"]
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(read_module, "_CHUNK", 3)
    monkeypatch.setattr(read_module._Cleaner, "LIMIT", 4)
    frame = read_table(path)
    assert values(frame) == expected
    assert frame["source_row"].tolist() == list(range(1, 41))
    assert frame.attrs["read_info"]["blank_rows"] == 6
    monkeypatch.undo()
    names = read_table(path)["Plaats"].tolist()
    assert all(name is names[0] for name in names if name)  # one shared str per value


def test_encoding_detected_without_reading_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    # The only non-UTF-8 byte comes after the first block: the check must still see it.
    path.write_bytes(b"a;b\n" + b"x;y\n" * 400_000 + "é;ë\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    assert read_table(path).iloc[-1].tolist()[1:] == ["é", "ë"]


# --------------------------------------------------------------------------- workbooks


def workbook(tmp_path: Path, name: str = "in.xlsx") -> tuple[openpyxl.Workbook, Path]:
    book = openpyxl.Workbook()
    return book, tmp_path / name


def test_xlsx_merged_header_cells(tmp_path: Path) -> None:
    book, path = workbook(tmp_path)
    sheet = book.active
    sheet.append(["Naam", "Adres", None, None, "Plaats"])
    sheet.merge_cells("B1:D1")
    sheet.append(["Jansen", "Hoofdstraat", 12, "a", "Zwolle"])
    book.save(path)
    frame = read_table(path)
    assert list(frame.columns) == ["source_row", "Naam", "Adres", "Adres 2", "Adres 3",
                                   "Plaats"]
    assert values(frame) == [["Jansen", "Hoofdstraat", "12", "a", "Zwolle"]]
    assert "B1:D1 are merged" in frame.attrs["read_info"]["warnings"][0]


def test_xlsx_merged_data_cells_repeat_their_value(tmp_path: Path) -> None:
    book, path = workbook(tmp_path)
    sheet = book.active
    for row in (["Bedrijf", "Contact"], ["Jansen B.V.", "Piet"], [None, "Klaas"], ["X", "Y"]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    book.save(path)
    frame = read_table(path)
    assert values(frame) == [["Jansen B.V.", "Piet"], ["Jansen B.V.", "Klaas"], ["X", "Y"]]
    assert "merged cell range" in frame.attrs["read_info"]["warnings"][0]


def test_xlsx_dates_stored_as_serials(tmp_path: Path) -> None:
    book, path = workbook(tmp_path)
    sheet = book.active
    sheet.append(["Geboortedatum", "Afspraak", "Aantal"])
    sheet.append([31108, 45000.5, 45000])  # Excel serials; only a date format makes a date
    sheet["A2"].number_format = "dd-mm-yyyy"
    sheet["B2"].number_format = "d/m/yyyy h:mm"
    book.save(path)
    assert values(read_table(path)) == [["1985-03-02", "2023-03-15 12:00:00", "45000"]]


def test_xlsx_1904_date_system(tmp_path: Path) -> None:
    book, path = workbook(tmp_path)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["Datum"])
    sheet.append([dt.date(2024, 3, 5)])
    book.save(path)
    assert values(read_table(path)) == [["2024-03-05"]]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    book, path = workbook(tmp_path)
    book.active.title = "Voorblad"
    book.active.append(["Dit bestand bevat leads"])
    leads = book.create_sheet("Leads")
    leads.append(["Naam"])
    leads.append(["Jansen"])
    book.save(path)
    assert list_sheets(path) == ["Voorblad", "Leads"]
    with pytest.raises(InputFileError, match=r"several sheets \(Voorblad, Leads\)"):
        read_table(path)
    assert values(read_table(path, sheet="Leads")) == [["Jansen"]]
    assert read_table(path, sheet="Leads").attrs["read_info"]["sheet"] == "Leads"


def test_xlsx_is_read_in_read_only_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book, path = workbook(tmp_path)
    book.active.append(["a"])
    book.active.append([1])
    book.save(path)
    calls = []
    original = openpyxl.load_workbook

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    read_table(path)
    assert calls and all(c.get("read_only") and c.get("data_only") for c in calls)


_XLSX_VALUE = st.one_of(st.none(), st.integers(-10**12, 10**12), st.booleans(),
                        st.floats(allow_nan=False, allow_infinity=False),
                        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                                max_size=6),
                        st.dates(min_value=dt.date(1901, 1, 1)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_XLSX_VALUE, max_size=4), max_size=5))
def test_random_workbooks_read_or_say_why(tmp_path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "random.xlsx"
    book.save(path)
    try:
        frame = read_table(path)
    except WorkbenchError as error:
        assert error.message
        return
    assert all(isinstance(v, str) or v is None for v in frame.iloc[:, 1:].to_numpy().ravel())


def test_sheet_dropdown_lists_the_sheets(tmp_path: Path) -> None:
    from workbench.read import sheet_dropdown

    book, path = workbook(tmp_path)
    book.active.title = "Leads"
    book.create_sheet("Notes")
    book.save(path)
    picker = sheet_dropdown(path)
    assert list(picker.options) == ["Leads", "Notes"] and picker.value is None
    assert sheet_dropdown(path, "Notes").value == "Notes"
    assert sheet_dropdown(GOOD / "pipe.csv") is None
