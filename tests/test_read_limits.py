"""Limits checked before work: a sheet's real extent, workbook parts measured unpacked, the
column limit on a CSV header; and which reader a sheet goes to when its grid is too large."""
from __future__ import annotations

import re
import struct
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench.read.limits as limits_module
import workbench.read.xlsx as xlsx_module
from workbench.errors import InputFileError
from workbench.read import read_table
from workbench.read.files import column_letter

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
import make_hostile  # noqa: E402

HEAD = make_hostile._SHEET_HEAD.format(dimension='<dimension ref="A1:B3"/>')  # it may lie
TAIL = make_hostile._SHEET_TAIL


def sheet(tmp_path: Path, body: str, name: str = "t.xlsx") -> Path:
    """A one-sheet workbook whose sheetData is ``body``."""
    def parts() -> Iterator[str]:
        yield HEAD + body + TAIL
    return make_hostile.write_xlsx(tmp_path / name, parts)


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{cell("A1", "Naam")}{cell("B1", "Plaats")}</row>'


@pytest.mark.parametrize(("columns", "rows", "ref", "beyond"), [
    (0, 0, "A1", True), (15, 9, "O9", False), (15, 9, "P9", True), (15, 9, "O10", True),
    (15, 9, "AA1", True), (28, 123, "AB123", False), (28, 123, "AC1", True),
    (28, 123, "BA1", True), (28, 123, "AB124", True), (28, 123, "Z99", False),
    (28, 123, "AB1000", True), (702, 999, "ZZ999", False), (702, 999, "AAA1", True),
    (16383, 1048575, "XFD1", True), (16384, 1048575, "XFD1048576", True),
    (16384, 1048576, "XFD1048576", False),
])
def test_a_reference_beyond_the_extent_so_far_is_found(columns: int, rows: int, ref: str,
                                                       beyond: bool) -> None:
    text = f'<row r="1"><c r="{ref}" s="1"><v>1</v></c></row>'.encode()
    assert (limits_module._beyond(columns, rows).search(text) is not None) == beyond


def test_a_cell_out_of_order_far_below_is_found(tmp_path: Path) -> None:
    path = sheet(tmp_path, HEADER + f'<row r="2">{cell("A2", "Jansen")}{cell("B5000", "x")}</row>')
    with pytest.raises(InputFileError, match="more than 1,000 data rows"):
        read_table(path, max_rows=1_000)
    assert len(read_table(path, max_rows=4_999)) == 4_999  # within the limit it is read


def test_a_stray_cell_far_right_is_refused_by_letter(tmp_path: Path) -> None:
    path = sheet(tmp_path, HEADER + f'<row r="2">{cell("A2", "Jansen")}</row>'
                 f'<row r="3">{cell("ALM3", "x")}</row>')
    with pytest.raises(InputFileError, match=r"column ALM \(1,001 columns\)") as caught:
        read_table(path)
    assert caught.value.column == "ALM"
    # allowed so far: then it is a row too wide, rejected on its own
    bad = read_table(path, max_columns=1_001).attrs["read_info"]["bad_rows"]
    assert list(bad) == [2] and "value in column 1001 (ALM)" in bad[2]


def test_a_header_wider_than_the_limit_is_refused_in_csv_and_xlsx(tmp_path: Path) -> None:
    names = [f"k{i}" for i in range(1, 31)]
    (tmp_path / "t.csv").write_text(";".join(names) + "\n" + ";".join(names) + "\n",
                                    encoding="utf-8")
    body = '<row r="1">' + "".join(cell(f"{column_letter(i)}1", n)
                                   for i, n in enumerate(names, start=1)) + "</row>"
    body += f'<row r="2">{cell("A2", "x")}</row>'
    for path in (tmp_path / "t.csv", sheet(tmp_path, body)):
        with pytest.raises(InputFileError, match=r"column AD \(30 columns\), more than the "
                                                 r"limit of 29 columns"):
            read_table(path, max_columns=29)
        assert read_table(path, max_columns=30).shape[1] == 31


def test_empty_header_cells_at_the_end_do_not_count_against_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Naam;Plaats" + ";" * 5_000 + "\nJansen;Delft\n", encoding="utf-8")
    assert read_table(path).columns.tolist() == ["source_row", "Naam", "Plaats"]


def read_with(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[object]], bool]:
    """Read a workbook; tell whether calamine read it."""
    used = []
    original = xlsx_module._calamine_sheet
    monkeypatch.setattr(xlsx_module, "_calamine_sheet",
                        lambda *a: used.append(1) or original(*a))
    return read_table(path).values.tolist(), bool(used)


def test_cells_without_a_reference_are_read_in_order_by_openpyxl(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (HEADER + '<row><c t="inlineStr"><is><t>Jansen</t></is></c>'
            '<c t="inlineStr"><is><t>Delft</t></is></c></row>')
    values, fast = read_with(sheet(tmp_path, body), monkeypatch)
    assert values == [[1, "Jansen", "Delft"]] and not fast


def test_a_sheet_too_large_for_one_grid_is_read_row_by_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = HEADER + "".join(f'<row r="{r}">{cell(f"A{r}", f"N{r}")}{cell(f"B{r}", "Delft")}</row>'
                            for r in range(2, 12))
    path = sheet(tmp_path, body)
    values, fast = read_with(path, monkeypatch)
    assert fast and values[-1] == [10, "N11", "Delft"]
    monkeypatch.setattr(limits_module, "CALAMINE_CELLS", 21)  # 11 rows x 2 columns = 22
    assert read_with(path, monkeypatch) == (values, False)


def _state_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size the zip states for one member (local and central)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0 and data[at + name_at:at + name_at + len(encoded)] != encoded:
            at = data.find(signature, at + 1)
        struct.pack_into("<I", data, at + offset, size)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("part", "message"), [
    ("xl/workbook.xml", "its part 'xl/workbook.xml' is not the size the archive states"),
    ("xl/worksheets/sheet1.xml", "it cannot be opened as an Excel workbook"),  # openpyxl's CRC
])
def test_a_part_larger_than_the_zip_states_is_refused(tmp_path: Path, part: str,
                                                      message: str) -> None:
    made = sheet(tmp_path, HEADER + f'<row r="2">{cell("A2", "Jansen")}</row>', "made.xlsx")
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as archive:
        for member in source.infolist():  # written again without zip64 fields
            archive.writestr(member.filename, source.read(member), zipfile.ZIP_DEFLATED)
        real = source.getinfo(part).file_size
    _state_size(path, part, real - 10)
    with pytest.raises(InputFileError, match=re.escape(message)):
        read_table(path)


def test_the_byte_limit_counts_a_workbook_unpacked(tmp_path: Path) -> None:
    body = HEADER + "".join(f'<row r="{r}">{cell(f"A{r}", "Jansen" * 20)}</row>'
                            for r in range(2, 3_000))
    path = sheet(tmp_path, body)
    assert path.stat().st_size < 50_000  # compressed it is small
    with pytest.raises(InputFileError, match=r"unpacks to 0\.\d MB, more than the limit of "
                                             r"0\.2 MB"):
        read_table(path, max_bytes=200_000)
    assert len(read_table(path, max_bytes=2_000_000)) == 2_998


def test_a_malformed_reference_is_no_traceback(tmp_path: Path) -> None:
    body = HEADER + '<row r="2"><c r="XFD2x" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(InputFileError, match="a cell of the sheet cannot be read"):
        read_table(sheet(tmp_path, body))
