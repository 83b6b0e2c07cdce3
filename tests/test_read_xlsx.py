"""XLSX values are read by calamine, and must come out exactly as openpyxl reads them.

Each case reads a workbook twice: the fast way (calamine, with the cells it reads differently
fixed from the sheet XML) and the openpyxl way the reader used before, and compares the frames,
warnings and errors. Cells only openpyxl reads right must send the whole sheet to openpyxl.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.read.archive as archive_module
import workbench.read.xlsx as read_module
from workbench.errors import WorkbenchError
from workbench.read import read_table

# Placeholders written as text, turned into raw cells the openpyxl API cannot write.
_RAW = re.compile(rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t>@@([A-Z]):([^<]*)</t>'
                  rb"</is></c>")
_KINDS = {b"E": b' t="e"', b"D": b' t="d"', b"N": b""}  # error, ISO date, number as written


def write(tmp_path: Path, rows: list[list[object]], formats: dict[str, str] | None = None, *,
          epoch_1904: bool = False, merges: tuple[str, ...] = (),
          builtin: dict[str, int] | None = None, default_format: int = 0,
          title: str = "Blad1", name: str = "in.xlsx") -> Path:
    """Write one sheet; "@@E:#N/A", "@@D:2024-01-02", "@@N:123" become raw error/date/number cells.

    ``builtin`` maps a custom format code used in ``formats`` to a built-in format id that
    openpyxl has no code for, patched into styles.xml; ``default_format`` is the built-in
    format of the default style, the one of cells without a style.
    """
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, code in (formats or {}).items():
        sheet[ref].number_format = code
    for ref in merges:
        sheet.merge_cells(ref)
    path = tmp_path / name
    book.save(path)
    patched = tmp_path / f"patched-{name}"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _RAW.sub(lambda m: b'<c r="' + m[1] + b'"' + (m[2] or b"") + _KINDS[m[3]]
                                + b"><v>" + m[4] + b"</v></c>", data)
            elif item.filename == "xl/styles.xml":
                data = re.sub(rb'(<cellXfs[^>]*><xf numFmtId=")0"',
                              rb'\g<1>' + str(default_format).encode() + b'"', data)
                for code, number in (builtin or {}).items():
                    found = re.search(rb'<numFmt numFmtId="(\d+)" formatCode="'
                                      + re.escape(code.encode()) + rb'"\s*/>', data)
                    assert found, code
                    data = data.replace(found[0], b"").replace(
                        b'numFmtId="' + found[1] + b'"', f'numFmtId="{number}"'.encode())
            dst.writestr(item, data)
    return patched


def outcome(path: Path) -> tuple[object, ...]:
    try:
        frame = read_table(path)
    except WorkbenchError as error:
        return ("error", str(error), error.row, error.column)
    info = frame.attrs["read_info"]
    return (list(frame.columns), frame.values.tolist(), info["warnings"], info["rows"],
            info["blank_rows"])


def read_both(path: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool | None = True) -> tuple:
    """Read with calamine and with openpyxl alone; check which one read the fast way."""
    used = []
    original = read_module._iter_excel
    with monkeypatch.context() as patch:
        patch.setattr(read_module, "_iter_excel", lambda *a: used.append(1) or original(*a))
        quick = outcome(path)
        if fast is not None:
            assert bool(used) != fast, "calamine not used" if fast else "openpyxl not used"
        patch.setattr(read_module, "_calamine_sheet", lambda path, title: None)
        slow = outcome(path)
    return quick, slow


def assert_same(path: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool = True) -> tuple:
    quick, slow = read_both(path, monkeypatch, fast=fast)
    assert quick == slow
    return quick


SERIALS = [-1, -0.5, 0, 0.25, 0.9999999999, 1, 1.5, 59, 60, 61, 31108, 45000.123456789,
           2958465.9999999, 2958466, 99999999]
FORMATS = ["dd-mm-yyyy", "d-m-yyyy h:mm:ss", "h:mm", "mm:ss.0", "[h]:mm:ss", "[mm]:ss", "[ss]",
           "yyyy-mm-dd hh:mm:ss.000", "0.00", "General", '0.0 "days"', "[Red]0.00",
           "#,##0 [$€-413]", "@", "0.00E+00", "AM/PM", "[$-413]d mmmm yyyy", "mm-dd-yy",
           "h:mm AM/PM", "\\d0", "0_d"]


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")  # openpyxl, out of range
@pytest.mark.parametrize("epoch_1904", [False, True])
def test_numbers_in_every_format_read_as_openpyxl_does(tmp_path: Path, epoch_1904: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[object]] = [["Waarde", *FORMATS]]
    formats = {}
    for r, value in enumerate(SERIALS, start=2):
        rows.append([value] * (len(FORMATS) + 1))
        for c, code in enumerate(FORMATS, start=2):
            formats[f"{openpyxl.utils.get_column_letter(c)}{r}"] = code
    quick = assert_same(write(tmp_path, rows, formats, epoch_1904=epoch_1904), monkeypatch)
    by_serial = {row[1]: row[2:] for row in quick[1]}  # the General column, then each format
    assert by_serial["31108"][0] == ("1989-03-03" if epoch_1904 else "1985-03-02")
    assert by_serial["2958466"][:2] == ["#VALUE!", "#VALUE!"]  # as openpyxl: out of range
    assert by_serial["-1"][4] == "-1 day, 0:00:00"  # [h]:mm:ss
    assert by_serial["45000.123456789"][8] == "45000.123456789"  # 0.00: all digits, unformatted


def test_values_of_every_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["Tekst", "Getal", "Datum", "Fout", "Vlag", "Leeg"],
            ["  Jansen ", 12345678, dt.datetime(2024, 3, 5, 14, 30, 0, 123456), "@@E:#N/A", True,
             None],
            ["0612345678", 1234567.0, dt.date(1900, 2, 28), "@@E:#DIV/0!", False, " "],
            ["Café 't Hoekje", 0.1 + 0.2, dt.time(9, 5), "@@N:0012", "@@N:-0", None],
            [None, None, None, None, None, None],
            ["=not a formula", 9007199254740993.0, dt.timedelta(hours=26), "@@N:1.0E+3", 1e-7,
             None]]
    path = write(tmp_path, rows)
    quick = assert_same(path, monkeypatch)
    assert quick[1][0][4] == "#N/A" and quick[1][1][4] == "#DIV/0!"  # errors kept as text
    assert quick[1][2][4:6] == ["12", "0"]


def test_builtin_east_asian_date_format_stays_a_number(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Format 57 has no text in openpyxl, which reads the cell as a number; calamine as a date.
    path = write(tmp_path, [["Datum"], [45000.5]], {"A2": "0.000000"}, builtin={"0.000000": 57})
    assert assert_same(path, monkeypatch)[1] == [[1, "45000.5"]]


def test_date_as_the_default_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, [["Datum", "Tekst"], [45000, "x"], [-1, "y"]], default_format=14)
    assert assert_same(path, monkeypatch)[1] == [[1, "2023-03-15", "x"], [2, "1899-12-29", "y"]]


def test_sheet_with_a_name_to_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, [["Naam"], ["Jansen"]], title="Leads & Co 'ü' <1>")
    assert assert_same(path, monkeypatch)[1] == [[1, "Jansen"]]
    assert read_table(path, sheet="leads & co 'ü' <1> ").attrs["read_info"]["sheet"] == (
        "Leads & Co 'ü' <1>")


def test_leading_blank_rows_and_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[], [], [None, None, "Naam", "Plaats"], [None, None, "Jansen", "Zwolle"], [],
            [None, None, None, "Enschede"]]
    quick = assert_same(write(tmp_path, rows), monkeypatch)
    assert quick[0] == ["source_row", "Naam", "Plaats"]
    assert quick[1] == [[1, "Jansen", "Zwolle"], [2, None, None], [3, None, "Enschede"]]
    assert "The header is on row 3" in quick[2][0]


def test_only_formatted_empty_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = openpyxl.Workbook()
    book.active["A1"].number_format = "0.00"  # a row element without values
    book.save(tmp_path / "in.xlsx")
    quick = assert_same(tmp_path / "in.xlsx", monkeypatch)
    assert "first row is empty" in quick[1]


def test_merged_cells_and_errors_in_long_xml_read_in_tiny_blocks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[object]] = [["Naam", "Adres", None, "Datum", "Fout"]]
    rows += [[f"N{i}", f"Straat {i}", i, 45000 + i, "@@E:#REF!" if i % 3 else None]
             for i in range(60)]
    formats = {f"D{r}": "dd-mm-yyyy" for r in range(2, 62)}
    path = write(tmp_path, rows, formats, merges=("B1:C1", "A5:A7"))
    monkeypatch.setattr(archive_module, "BLOCK", 7)  # elements straddle every block boundary
    quick = assert_same(path, monkeypatch)
    assert quick[0] == ["source_row", "Naam", "Adres", "Adres 2", "Datum", "Fout"]
    assert quick[1][5][1:] == ["N3", "Straat 5", "5", "2023-03-20", "#REF!"]  # merged A5:A7
    assert quick[1][0][4:] == ["2023-03-15", None]


@pytest.mark.parametrize("rewrite", [
    lambda xml: re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", xml).replace(b"<x:worksheet xmlns=",
                                                                b"<x:worksheet xmlns:x="),
    lambda xml: re.sub(rb'(\w+)="([^"]*)"', rb"\1='\2'", xml),
    lambda xml: re.sub(rb'<c r="([A-Z]+\d+)"([^>]*)>', rb'<c\2  r="\1">', xml),
], ids=["namespace prefix", "single quotes", "reference last"])
def test_sheet_xml_written_another_way(tmp_path: Path, rewrite: Callable[[bytes], bytes],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["Naam", "Adres", None, "Datum", "Fout"],
            ["Jansen", "Markt 1", "a", 45000.5, "@@E:#N/A"], [None, "Kerkweg 2", "b", -1, "x"]]
    path = write(tmp_path, rows, {"D2": "d-m-yyyy h:mm", "D3": "dd-mm-yyyy"}, merges=("B1:C1",))
    with zipfile.ZipFile(path) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    parts["xl/worksheets/sheet1.xml"] = rewrite(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    assert assert_same(path, monkeypatch)[1] == [
        [1, "Jansen", "Markt 1", "a", "2023-03-15 12:00:00", "#N/A"],
        [2, None, "Kerkweg 2", "b", "1899-12-29", "x"]]


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")  # openpyxl, out of range
@pytest.mark.parametrize(("raw", "code", "text"), [
    ("@@D:2024-03-05T00:00:00Z", "General", "2024-03-05"),  # an ISO date cell (t="d")
    ("@@N:12345678901234567890", "General", "12345678901234567890"),  # beyond float precision
    (1e20, "[h]:mm:ss", "#VALUE!"),  # a duration python-calamine cannot hand over
])
def test_cells_only_openpyxl_reads_right_send_the_sheet_to_openpyxl(
        tmp_path: Path, raw: object, code: str, text: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, [["Waarde"], [raw]], {"A2": code})
    quick = assert_same(path, monkeypatch, fast=False)
    assert quick[1] == [[1, text]]


def test_long_integer_that_a_float_holds_exactly_stays_fast(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, [["Waarde", "Tekst"], ["@@N:1234567890123456", "12345678901234567890"]])
    assert assert_same(path, monkeypatch)[1] == [[1, "1234567890123456", "12345678901234567890"]]


def test_escaped_characters_are_read_as_excel_shows_them(tmp_path: Path) -> None:
    # The one deliberate change: openpyxl left the escape _x000D_ as text; calamine decodes it,
    # as Excel does, so a line break saved by Excel on Windows reads as in a CSV file.
    path = write(tmp_path, [["Adres"], ["Hoofdstraat 1_x000D_\n2e verdieping"]])
    assert read_table(path)["Adres"].tolist() == ["Hoofdstraat 1\r\n2e verdieping"]


def test_control_characters_survive_the_projects_own_writer(tmp_path: Path) -> None:
    from workbench.xlsx import write_text_xlsx

    frame = pd.DataFrame({"Notitie": ["regel\x0bnog een", "tab\there"]})
    path = write_text_xlsx({"Blad1": frame}, tmp_path / "in.xlsx")
    assert read_table(path)["Notitie"].tolist() == frame["Notitie"].tolist()


_VALUE = st.one_of(st.none(), st.integers(-10**16, 10**16), st.booleans(),
                   st.floats(-3e6, 3e6, allow_nan=False), st.floats(allow_nan=False),
                   st.text(alphabet="ab 1-_0D", max_size=8),
                   st.datetimes(min_value=dt.datetime(1900, 1, 1)),
                   st.sampled_from(["@@E:#N/A", "@@E:#VALUE!", "@@N:-0.0001", "@@N:007"]))


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")  # openpyxl, out of range
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(_VALUE, st.sampled_from(FORMATS)), min_size=1, max_size=4),
                min_size=1, max_size=6), st.booleans())
def test_random_workbooks_read_as_openpyxl_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 cells: list[list[tuple[object, str]]],
                                                 epoch_1904: bool) -> None:
    rows = [[value for value, _ in row] for row in cells]
    formats = {f"{openpyxl.utils.get_column_letter(c)}{r}": code
               for r, row in enumerate(cells, start=1) for c, (_, code) in enumerate(row, start=1)}
    path = write(tmp_path, rows, formats, epoch_1904=epoch_1904)
    quick, slow = read_both(path, monkeypatch, fast=None)
    assert quick == slow


def test_text_that_looks_like_an_ooxml_escape_survives_the_round_trip(tmp_path):
    from workbench.xlsx import write_text_xlsx

    values = ["x_x0041_", "_x005F_", "ctl\x01z", "_x00"]
    write_text_xlsx({"s": pd.DataFrame({"a": values})}, tmp_path / "t.xlsx")
    assert read_table(tmp_path / "t.xlsx")["a"].tolist() == values
