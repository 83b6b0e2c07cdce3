"""Write the hostile input corpus of issue 16 into a folder (generated, never committed).

    python tests/data/hostile/make_hostile.py OUT_DIR

Each file is small on disk and crafted to exhaust memory or time in a reader that trusts it:

- ``far_cell.xlsx``: A1 plus one cell at XFD1048576 (a grid of 17 billion cells).
- ``sheet_bomb.xlsx``: a sheet whose XML inflates to about 400 MB (3 million rows).
- ``strings_bomb.xlsx``: a shared-strings table that inflates to about 340 MB.
- ``wide_header.csv``: a header of 1,000,000 columns.
- ``wider_row.csv``: a tiny file with one row wider than its header (rejected on its own).
"""
from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '{strings}</Types>')
_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings}</Relationships>')
_STRINGS_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '{dimension}<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _stream(zf: zipfile.ZipFile, name: str, parts: Iterator[str]) -> None:
    """Write a member from a generator, so a part of hundreds of MB never sits in memory."""
    with zf.open(name, "w", force_zip64=True) as fh:
        for part in parts:
            fh.write(part.encode())


def write_xlsx(path: Path, sheet: Callable[[], Iterator[str]],
               strings: Callable[[], Iterator[str]] | None = None) -> Path:
    """Write a minimal workbook of one sheet whose XML (and shared strings) come from generators."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    _CONTENT_TYPES.format(strings=_STRINGS_TYPE if strings else ""))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels",
                    _WORKBOOK_RELS.format(strings=_STRINGS_REL if strings else ""))
        _stream(zf, "xl/worksheets/sheet1.xml", sheet())
        if strings is not None:
            _stream(zf, "xl/sharedStrings.xml", strings())
    return path


def _far_cell() -> Iterator[str]:
    yield _SHEET_HEAD.format(dimension='<dimension ref="A1"/>')  # the tag lies
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>Naam</t></is></c></row>'
    yield '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    yield _SHEET_TAIL


SHEET_BOMB_ROWS = 3_000_000


def _sheet_bomb() -> Iterator[str]:
    yield _SHEET_HEAD.format(dimension='<dimension ref="A1:B2"/>')
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>Naam</t></is></c></row>'
    # Rows and cells without a reference are numbered in order: identical rows compress best.
    block = '<row><c t="inlineStr"><is><t>Jansen Installatietechniek B.V.</t></is></c>' \
            '<c t="inlineStr"><is><t>Industrieweg 4, 3542 AD Utrecht</t></is></c></row>' * 10_000
    for _ in range(SHEET_BOMB_ROWS // 10_000):
        yield block
    yield _SHEET_TAIL


STRINGS_BOMB_COUNT = 20_000_000


def _strings_sheet() -> Iterator[str]:
    yield _SHEET_HEAD.format(dimension='<dimension ref="A1:A2"/>')
    yield '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    yield _SHEET_TAIL


def _strings_bomb() -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{STRINGS_BOMB_COUNT}" uniqueCount="{STRINGS_BOMB_COUNT}">')
    block = "<si><t>x</t></si>" * 10_000
    for _ in range(STRINGS_BOMB_COUNT // 10_000):
        yield block
    yield "</sst>"


def write_wide_header(path: Path, columns: int = 1_000_000) -> Path:
    """A CSV whose header has ``columns`` names and one data row."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(";".join(f"k{i}" for i in range(columns)) + "\r\n")
        fh.write("a;b\r\n")
    return path


def write_wider_row(path: Path) -> Path:
    """A tiny CSV with one data row (the second) that has a value beyond the header."""
    path.write_text("Naam;Plaats\r\nJansen;Utrecht\r\nBakker;Delft;111222333\r\n"
                    "De Vries;Zwolle\r\n", encoding="utf-8")
    return path


def make_all(out: Path) -> dict[str, Path]:
    """Write every hostile file into ``out``; return them by name."""
    out.mkdir(parents=True, exist_ok=True)
    return {
        "far_cell.xlsx": write_xlsx(out / "far_cell.xlsx", _far_cell),
        "sheet_bomb.xlsx": write_xlsx(out / "sheet_bomb.xlsx", _sheet_bomb),
        "strings_bomb.xlsx": write_xlsx(out / "strings_bomb.xlsx", _strings_sheet,
                                        _strings_bomb),
        "wide_header.csv": write_wide_header(out / "wide_header.csv"),
        "wider_row.csv": write_wider_row(out / "wider_row.csv"),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUT_DIR")
    for file in make_all(Path(sys.argv[1])).values():
        print(f"{file}: {file.stat().st_size:,} bytes")
