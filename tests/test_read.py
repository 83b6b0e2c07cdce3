"""Tests for workbench.read: real files written to tmp_path, one case per row of a table."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from workbench.errors import InputFileError
from workbench.read import cell_text, column_letter, describe_read, list_sheets, read_table

HEADER = ["Bedrijfsnaam", "Plaats", "KvK"]
ROWS = [["Bakkerij Jansen B.V.", "Zwolle", "12345678"], ["Café 't Hoekje", "Enschede", "87654321"]]


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def write_xlsx(tmp_path: Path, sheets: dict[str, list[list[object]]],
               name: str = "in.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def values(frame) -> list[list[object]]:
    return frame.drop(columns="source_row").values.tolist()


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\n"
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    assert list(frame.columns) == ["source_row", *HEADER]
    assert values(frame) == ROWS
    assert frame.attrs["read_info"]["delimiter"] == delimiter


@pytest.mark.parametrize(
    ("description", "data", "encoding"),
    [
        ("plain utf-8", "Naam;Plaats\nRené;Hélène\nEë;Ü\n".encode(), "utf-8"),
        ("utf-8 with BOM", "Naam;Plaats\nRené;Hélène\nEë;Ü\n".encode("utf-8-sig"), "utf-8-sig"),
        ("windows-1252", "Naam;Plaats\nRené;Hélène\nEë;Ü\n".encode("cp1252"), "cp1252"),
        ("utf-16 with BOM", "Naam;Plaats\r\nRené;Hélène\r\nEë;Ü\r\n".encode("utf-16"), "utf-16"),
        ("utf-16-le without BOM", "Naam;Plaats\nRené;Hélène\nEë;Ü\n".encode("utf-16-le"),
         "utf-16-le"),
    ],
)
def test_each_encoding(tmp_path: Path, description: str, data: bytes, encoding: str) -> None:
    frame = read_table(write_bytes(tmp_path, "in.csv", data))
    assert list(frame.columns) == ["source_row", "Naam", "Plaats"], description
    assert values(frame) == [["René", "Hélène"], ["Eë", "Ü"]], description
    assert frame.attrs["read_info"]["encoding"] == encoding


def test_quoted_fields_with_delimiter_and_newline(tmp_path: Path) -> None:
    text = ('Naam;Adres;Notitie\r\n"Jansen; Piet";"Hoofdstraat 1\r\n2e verdieping";"zegt ""ja"""\r\n'
            "Klaas;Kerkweg 2;\r\n")
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    assert values(frame) == [["Jansen; Piet", "Hoofdstraat 1\r\n2e verdieping", 'zegt "ja"'],
                             ["Klaas", "Kerkweg 2", None]]
    assert frame["source_row"].tolist() == [1, 2]


def test_blank_rows_kept_in_middle_and_dropped_at_end(tmp_path: Path) -> None:
    text = "a,b\n1,2\n\n , \n3,4\n\n,\n\n"
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    assert frame["source_row"].tolist() == [1, 2, 3, 4]
    assert values(frame) == [["1", "2"], [None, None], [None, None], ["3", "4"]]
    info = frame.attrs["read_info"]
    assert (info["rows"], info["blank_rows"], info["format"]) == (4, 2, "csv")
    assert "4 rows (2 blank)" in describe_read(info)


def test_values_are_stripped_text_and_short_rows_padded(tmp_path: Path) -> None:
    text = "KvK,Naam,Plaats\n  01234567 , \u00a0Jansen ,\n00123456,X\n"
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    assert values(frame) == [["01234567", "Jansen", None], ["00123456", "X", None]]
    assert frame["source_row"].dtype == "int64"
    assert all(isinstance(v, str) or v is None for v in frame["KvK"])


def test_trailing_empty_columns_ignored(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, "in.csv", b"a;b;;\n1;2;;\n3;4;;\n"))
    assert list(frame.columns) == ["source_row", "a", "b"]


def test_single_column_file(tmp_path: Path) -> None:
    frame = read_table(write_bytes(tmp_path, "in.txt", b"Naam\nJansen, Piet\nKlaas\n"))
    assert values(frame) == [["Jansen, Piet"], ["Klaas"]]


def test_leading_zero_warning(tmp_path: Path) -> None:
    text = "KvK;Telefoon;Postcode\n1234567;612345678;123\n12345678;0201234567;1234 AB\n"
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    warnings = frame.attrs["read_info"]["warnings"]
    assert len(warnings) == 3
    assert "KvK" in warnings[0] and "1234567" in warnings[0]
    assert frame.at[0, "KvK"] == "1234567"  # values are never changed


# --------------------------------------------------------------------------- XLSX


def test_xlsx_cell_values_as_text(tmp_path: Path) -> None:
    rows = [
        ["KvK", "Bedrag", "Datum", "Tijdstip", "Actief", "Leeg", "Tekst"],
        [12345678, 12.5, dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 5, 14, 30), True,
         None, "  Jansen  "],
        [1234567.0, 0.1 + 0.2, dt.date(1985, 1, 2), None, False, None, "=not a formula"],
    ]
    path = write_xlsx(tmp_path, {"Leads": rows})
    workbook = openpyxl.load_workbook(path)
    workbook["Leads"]["G3"].data_type = "s"  # keep the '=' text a string, not a formula
    workbook.save(path)
    frame = read_table(path)
    assert values(frame) == [
        ["12345678", "12.5", "2024-03-05", "2024-03-05 14:30:00", "TRUE", None, "Jansen"],
        ["1234567", "0.3", "1985-01-02", None, "FALSE", None, "=not a formula"],
    ]
    info = frame.attrs["read_info"]
    assert (info["format"], info["sheet"], info["rows"]) == ("xlsx", "Leads", 2)
    assert any("KvK" in w for w in info["warnings"])


def test_xlsx_formula_gives_cached_value_or_none(tmp_path: Path) -> None:
    # openpyxl writes the formula without computing it, so the file holds no cached value:
    # with data_only=True the cell reads as empty. A file saved by Excel carries the value.
    path = write_xlsx(tmp_path, {"Blad1": [["a", "b", "som"], [1, 2, "=A2+B2"]]})
    frame = read_table(path)
    assert values(frame) == [["1", "2", None]]


def test_xlsx_formula_cached_value_is_read(tmp_path: Path) -> None:
    # Give the formula a cached value the way Excel stores it: <c><f>..</f><v>..</v></c>.
    import re
    import zipfile

    path = write_xlsx(tmp_path, {"Blad1": [["a", "b", "som"], [1, 2, "=A2+B2"]]})
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<f>A2\+B2</f><v ?/>", b"<f>A2+B2</f><v>3</v>", data)
                assert b"<v>3</v>" in data
            dst.writestr(item, data)
    assert values(read_table(patched)) == [["1", "2", "3"]]


def test_xlsx_trailing_rows_and_columns_ignored_blank_rows_kept(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"S": [["a", "b"], [1, 2], [None, None], [3, 4]]})
    workbook = openpyxl.load_workbook(path)
    workbook["S"]["F10"] = " "  # whitespace far away: an empty trailing row and column
    workbook.save(path)
    frame = read_table(path)
    assert list(frame.columns) == ["source_row", "a", "b"]
    assert values(frame) == [["1", "2"], [None, None], ["3", "4"]]
    assert frame.attrs["read_info"]["blank_rows"] == 1


def test_xlsx_several_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"Leads": [["a"], ["1"]], "Notes": [["b"], ["2"]]})
    assert list_sheets(path) == ["Leads", "Notes"]
    with pytest.raises(InputFileError, match=r"several sheets \(Leads, Notes\).*--sheet"):
        read_table(path)
    assert values(read_table(path, sheet="Notes")) == [["2"]]
    assert values(read_table(path, sheet="notes ")) == [["2"]]
    with pytest.raises(InputFileError, match="no sheet 'Other'.*Leads, Notes"):
        read_table(path, sheet="Other")


def test_list_sheets_of_text_file_is_empty(tmp_path: Path) -> None:
    assert list_sheets(write_bytes(tmp_path, "in.csv", b"a\n1\n")) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, None), (True, "TRUE"), (7, "7"), (7.0, "7"), (2.5, "2.5"), (1e-7, "1e-07"),
     (dt.datetime(2020, 1, 2, 0, 0), "2020-01-02"), (dt.time(9, 5), "09:05:00")],
)
def test_cell_text(value: object, text: str | None) -> None:
    assert cell_text(value) == text


def test_column_letter() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


# --------------------------------------------------------------------------- errors


ERROR_CASES = [
    # (description, file name, content, pattern in message, row, column)
    ("empty file", "in.csv", b"", "empty", None, None),
    ("no header", "in.csv", b"\n\n", "first row is empty", 1, None),
    ("header only", "in.csv", b"a;b\n", "no data rows", 2, None),
    ("header then blank lines", "in.csv", b"a;b\n;\n\n", "no data rows", 2, None),
    ("empty header name", "in.csv", b"a;;c\n1;2;3\n", r"no name for column 2 \(B\)", 1, "B"),
    ("duplicate header", "in.csv", b"a;b;a\n1;2;3\n",
     r"'a' appears twice, in column 1 \(A\) and column 3 \(C\)", 1, "a"),
    ("reserved header", "in.csv", b"source_row;b\n1;2\n", "reserved", 1, "source_row"),
    ("most rows wider than header", "in.csv", b"a;b\n1;2\n3;4;5\n6;7;8\n",
     r"2 of the 3 data rows do not fit the header's 2 columns.*Row 3 has a value in column 3 "
     r"\(C\), but the header has only 2 columns", 3, "C"),
    ("binary file", "in.csv", b"\x00\x01\x02garbage\xff\xfe\x00" * 50,
     "not a text table or an Excel workbook", None, None),
    ("undecodable bytes", "in.csv", b"a;b\n\x81\x8d;\x8f\x90\n",
     "not a text table or an Excel workbook", None, None),
    ("garbage named xlsx", "in.xlsx", b"this is not a zip file at all",
     "not a text table or an Excel workbook", None, None),
    ("workbook named csv", "in.csv", b"PK\x03\x04rest", "rename it to .xlsx", None, None),
    ("pdf", "in.pdf", b"%PDF-1.4", r"save it as \.xlsx or \.csv", None, None),
    ("docx", "in.docx", b"PK\x03\x04", r"save it as \.xlsx or \.csv", None, None),
    ("xls", "in.xls", b"\xd0\xcf\x11\xe0", r"\.xls.*save it as \.xlsx or \.csv", None, None),
    ("unknown extension", "in.abc", b"a\n1\n", "not supported", None, None),
]


@pytest.mark.parametrize(("description", "name", "content", "pattern", "row", "column"),
                         ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_header_and_file_errors(tmp_path: Path, description: str, name: str, content: bytes,
                                pattern: str, row: int | None, column: str | None) -> None:
    path = write_bytes(tmp_path, name, content)
    with pytest.raises(InputFileError, match=pattern) as caught:
        read_table(path)
    error = caught.value
    assert error.file == str(path)
    assert str(path) in str(error)
    assert error.row == row
    assert error.column == column


XLSX_ERROR_CASES = [
    ("empty sheet", [], "no rows at all", None, None),
    ("empty header cell", [["a", None, "c"], [1, 2, 3]], r"no name for column 2 \(B\)", 1, "B"),
    ("duplicate header", [["x", "y", "x"], [1, 2, 3]], "'x' appears twice", 1, "x"),
    ("header only", [["a", "b"]], "no data rows", 2, None),
    ("values beyond header", [["a", "b"], [1, 2], [1, 2, None, "x"], [3, 4, "y"]],
     r"2 of the 3 data rows .*column 4 \(D\)", 3, "D"),
]


@pytest.mark.parametrize(("description", "rows", "pattern", "row", "column"), XLSX_ERROR_CASES,
                         ids=[c[0] for c in XLSX_ERROR_CASES])
def test_xlsx_header_errors(tmp_path: Path, description: str, rows: list[list[object]],
                            pattern: str, row: int | None, column: str | None) -> None:
    path = write_xlsx(tmp_path, {"Blad1": rows})
    with pytest.raises(InputFileError, match=pattern) as caught:
        read_table(path)
    assert (caught.value.file, caught.value.row, caught.value.column) == (str(path), row, column)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        read_table(tmp_path / "nope.csv")


def test_limits(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "in.csv", b"a\n" + b"1\n" * 20 + b"\n\n")
    assert len(read_table(path, max_rows=20)) == 20  # trailing blank lines do not count
    with pytest.raises(InputFileError, match="more than 19 data rows") as caught:
        read_table(path, max_rows=19)
    assert caught.value.row == 21
    with pytest.raises(InputFileError, match="limit of"):
        read_table(path, max_bytes=10)


def test_error_message_names_file_row_and_column(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "leads.csv", b"a;b\n1;2\n3;4;5\n6;7;secret\n")
    with pytest.raises(InputFileError) as caught:
        read_table(path)
    assert str(caught.value).startswith(f"{path}, row 3, column 'C': 2 of the 3 data rows")
    assert "secret" not in str(caught.value)  # a raw value is never quoted


def test_leading_zero_warning_counts_rows_and_names_the_first(tmp_path: Path) -> None:
    # repeats, empty cells and a BSN-like value: rows counted, the first row and value named
    text = ("KvK;Naam\n;a\n12345678;b\n1234567;c\n7654321;d\n1234567;e\n;f\n"
            "1112223;g\n")
    frame = read_table(write_bytes(tmp_path, "in.csv", text.encode()))
    warnings = frame.attrs["read_info"]["warnings"]
    assert warnings == [
        "Column 'KvK' has 4 value(s) like '1234567' (data row 3) that look like a KvK number "
        "that lost its leading zero (a KvK number has 8 digits); probably saved as a number in "
        "Excel. The values were not changed."]
