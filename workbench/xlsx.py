"""Fast XLSX writing where every cell is text: openpyxl writes the package, rows are streamed.

openpyxl's cell-by-cell writer needs ~20 s per million cells here; streaming the worksheet XML as
inline strings is ~20x faster and still gives a workbook openpyxl and Excel read as text cells,
so no value can ever run as a formula.
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from workbench.atomic import atomic_path

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
# zlib's fastest level for the sheets: their XML repeats itself, so a file is ~15% larger than
# at the default level and compressed in a third of the time
SHEET_COMPRESSLEVEL = 1
# Characters XML 1.0 cannot hold: written with the OOXML escape _xHHHH_ that Excel reads back.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    if not text:
        return None
    # a literal "_x0041_" would read back as "A" (Excel and calamine decode it): escape its "_"
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    if not text.isprintable():  # cheap test first: control characters are rare
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _column_texts(values: list) -> list[str | None]:
    """``_cell_text`` of a column: plain strings (most cells) are taken as they are."""
    out = [v if type(v) is str and "_x" not in v and v.isprintable() else _cell_text(v)
           for v in values]
    return [t or None for t in out]


def _text_cells(column: pd.Series) -> np.ndarray:
    """``_column_texts`` of a column as an object array: whole numbers and columns of plain
    strings (most) without a Python step per value."""
    if pd.api.types.is_integer_dtype(column.dtype) and not isinstance(column.dtype,
                                                                      pd.api.extensions.ExtensionDtype):
        return column.astype(str).to_numpy(dtype=object)  # str(int) as _cell_text writes it
    values = column.to_numpy(dtype=object)
    if set(map(type, values)) <= {str, type(None)}:
        joined = "\n".join(values[np.not_equal(values, None)].tolist())
        if "_x" not in joined and not _CONTROL.search(joined):  # "\n" is not in _CONTROL
            out = values.copy()
            out[np.equal(values, "")] = None
            return out
    return np.array(_column_texts(values.tolist()) or [], dtype=object)


def _escaped(texts: list[str]) -> list[str]:
    """``xml_escape`` of many texts in one pass (no text holds a NUL: _cell_text escaped it)."""
    joined = "\x00".join(texts)
    if "&" in joined or "<" in joined or ">" in joined:
        joined = xml_escape(joined)
    out = joined.split("\x00")
    return out if len(out) == len(texts) else [xml_escape(t) for t in texts]


def _column_cells(letter: str, texts: list[str | None], numbers: list[str]) -> list[str]:
    """Each row's cell element of one column ("" for an empty cell); row 1 is the header.
    ``numbers`` are the row numbers as text, made once per sheet."""
    filled = [r for r, t in enumerate(texts) if t is not None]
    values = [texts[r] for r in filled]
    # a value with space at either end keeps it; str.strip mapped in C, no lookups per cell
    spaces = [' xml:space="preserve"' if text != stripped else ""
              for text, stripped in zip(values, map(str.strip, values), strict=True)]
    made = [f'<c r="{letter}{n}" t="inlineStr"><is><t{space}>{esc}</t></is></c>'
            for n, space, esc in zip([numbers[r] for r in filled], spaces, _escaped(values),
                                     strict=True)]
    if len(filled) == len(texts):  # a column without empty cells (most)
        return made
    cells = [""] * len(texts)
    for r, cell in zip(filled, made, strict=True):
        cells[r] = cell
    return cells


def _sheet_xml(frame: pd.DataFrame, freeze_header: bool, autofilter: bool) -> bytes:
    columns = [str(c) for c in frame.columns]
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)] or ["A"]
    widths = [min(60, max(8, len(c) + 2)) for c in columns]
    # a column at a time: one comprehension per column instead of a function call per cell
    cell_columns = []
    numbers = [str(r) for r in range(1, len(frame) + 2)]
    for i, letter in enumerate(letters[:len(columns)]):
        texts = [*_column_texts([columns[i]]), *_text_cells(frame.iloc[:, i]).tolist()]
        for text in texts[:200]:  # fit widths on the first rows: enough to size, cheap on big files
            if text is not None:
                widths[i] = min(60, max(widths[i], len(text) + 2))
        cell_columns.append(_column_cells(letter, texts, numbers))
    rows = len(frame) + 1
    cells_by_row = map("".join, zip(*cell_columns, strict=True)) if cell_columns \
        else itertools.repeat("", rows)
    parts = [f'<row r="{r}">{cells}</row>' for r, cells in zip(numbers, cells_by_row, strict=True)]
    body = parts
    last = f"{letters[-1]}{len(body)}"
    head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{last}"/>']
    if freeze_header:
        head.append('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
    if columns:
        head.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                       for i, w in enumerate(widths, 1)) + "</cols>")
    tail = ["</sheetData>"]
    if autofilter and columns:
        tail.append(f'<autoFilter ref="A1:{last}"/>')
    tail.append("</worksheet>")
    return ("".join(head) + "<sheetData>" + "".join(parts) + "".join(tail)).encode("utf-8")


def write_text_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path, *,
                    freeze_header: bool = True, autofilter: bool = True,
                    creator: str = "workbench") -> Path:
    """Write each frame to its own sheet, every cell as text, header frozen and filtered."""
    from openpyxl import Workbook

    wb = Workbook()
    names = list(sheets) or ["Sheet"]
    wb.active.title = "__workbench__"  # "Sheet" -> "sheet" would count as a clash otherwise
    wb.active.title = names[0][:31]
    for name in names[1:]:
        wb.create_sheet(name[:31])
    fixed = dt.datetime(*FIXED_TIME)
    # fixed package timestamps: the same frames give byte-identical files
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = creator
    buffer = io.BytesIO()
    wb.save(buffer)
    parts = {f"xl/worksheets/sheet{i}.xml": frame for i, frame in enumerate(sheets.values(), 1)}
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                  rb"\g<1>" + stamp, data)
                level = None
                if info.filename in parts:
                    data = _sheet_xml(parts[info.filename], freeze_header, autofilter)
                    level = SHEET_COMPRESSLEVEL
                entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, data, compresslevel=level)
    return Path(path)
