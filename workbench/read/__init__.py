"""Read an incoming CSV/TXT, vCard, XLSX or old-style XLS file into a frame of text values, one row per data row.

Every value is ``str`` or ``None``: nothing is guessed as a number or a date here, so leading
zeros, KvK numbers and phone numbers survive as they are in the file. Problems with the file
itself raise :class:`~workbench.errors.InputFileError` naming file, row and column. In those
errors ``row`` is the row as the analyst sees it when opening the file (the header is row 1),
while the ``source_row`` column of the returned frame counts data rows (first data row = 1).

One module per job: :mod:`.files` (what kind of file), :mod:`.limits` (rows, columns and
megabytes, checked before the work), :mod:`.text` (encoding, delimiter, CSV records),
:mod:`.archive`, :mod:`.sheet_scan`, :mod:`.xlsx` and :mod:`.xls` (workbooks), :mod:`.contacts` (Outlook,
Google and vCard exports) and :mod:`.frame` (the frame and its checks).
"""
from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.messages import say
from workbench.read.contacts import contact_export_kind
from workbench.read.files import (
    EXCEL_SUFFIXES,
    VCARD_SUFFIXES,
    XLS_SUFFIXES,
    check_path,
    column_letter,
)
from workbench.read.frame import build_frame, grid_frame, leading_zero_warnings
from workbench.read.limits import Limits, check_file_size
from workbench.read.sheet_scan import cell_text
from workbench.read.text import (
    DELIMITER_NAMES,
    detect_encoding,
    is_vcard,
    text_records,
    vcard_file_records,
)
from workbench.read.xls import xls_records, xls_sheet_names
from workbench.read.xlsx import excel_records, sheet_names


def list_sheets(path: str | Path) -> list[str]:
    """Return the worksheet names of an Excel workbook, or ``[]`` for a text file."""
    path = check_path(Path(path))
    if path.suffix.lower() in XLS_SUFFIXES:
        return xls_sheet_names(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    return sheet_names(path)


def sheet_dropdown(path: str | Path, sheet: str | None = None) -> Any:
    """Return an ipywidgets Dropdown of the sheets of a workbook with several, else ``None``."""
    sheets = list_sheets(path)
    if len(sheets) < 2:
        return None
    import ipywidgets as widgets

    # No sheet is preselected: reading without a choice must keep failing with the list.
    return widgets.Dropdown(options=sheets, value=sheet if sheet in sheets else None,
                            description="Sheet", layout=widgets.Layout(width="40em"))


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    max_rows: int = 1_000_000,
    max_bytes: int = 200 * 1024**2,
    max_columns: int = 1_000,
    empty_ok: bool = False,
) -> pd.DataFrame:
    """Read a CSV/TXT or XLSX file into a frame of ``source_row`` plus one text column per header.

    ``max_bytes`` counts a workbook unpacked; the limits are checked before the work they bound.
    ``empty_ok``: a header without data rows gives an empty frame instead of an error.
    """
    limits = Limits(max_rows=max_rows, max_bytes=max_bytes, max_columns=max_columns,
                    empty_ok=empty_ok)
    path = check_path(Path(path))
    check_file_size(path, limits)
    info: dict[str, Any] = {
        "file": str(path), "format": None, "encoding": None, "delimiter": None, "sheet": None,
        "rows": 0, "blank_rows": 0, "export": None, "warnings": [],
    }
    if path.suffix.lower() in EXCEL_SUFFIXES:
        info["format"] = "xlsx"
        records = excel_records(path, sheet, info, limits)
    elif path.suffix.lower() in XLS_SUFFIXES:
        info["format"] = "xls"
        records = xls_records(path, sheet, info, limits)
    elif path.suffix.lower() in VCARD_SUFFIXES or is_vcard(path):
        info["format"] = "vcard"
        records = vcard_file_records(path, info)
    else:
        info["format"] = "csv"
        records = text_records(path, info)
    # Millions of short-lived row lists make the cyclic garbage collector scan the growing
    # columns again and again (a third of the time on 1,000,000 rows); reading makes no cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        grid = getattr(records, "grid", None)  # cells all at once: read column by column
        rows = grid() if grid is not None else None
        frame = grid_frame(rows, path, info, limits) if rows is not None else None
        del rows
        if frame is None:
            frame = build_frame(records, path, info, limits)
    finally:
        if collecting:
            gc.enable()
        close = getattr(records, "close", None)
        if close is not None:
            close()  # releases the workbook when reading stops early on an error
    if info["format"] != "vcard":
        info["export"] = contact_export_kind(list(frame.columns[1:]))
    info["warnings"].extend(leading_zero_warnings(frame))
    frame.attrs["read_info"] = info
    return frame


def bad_row_reasons(raw: pd.DataFrame) -> pd.Series:
    """Why each row the reader could not fit to the header is rejected (missing for the others)."""
    info = raw.attrs.get("read_info", {})
    # said now, in the run's language (``messages.speaking``); a frame read before the reasons
    # were kept as catalogue keys has only the English sentences
    bad = ({row: say(key, **values) for row, (key, values) in info["bad_row_reasons"].items()}
           if info.get("bad_row_reasons") else info.get("bad_rows") or {})
    reasons = raw["source_row"].map(bad) if bad else pd.Series(None, index=raw.index)
    return reasons.astype(object).where(reasons.notna(), None)


def describe_read(info: dict[str, Any]) -> str:
    """Return a one-line summary of ``read_info`` for a notebook or a log."""
    parts = [f"{info['rows']:,} rows ({info['blank_rows']:,} blank)", info["format"]]
    if info.get("bad_rows"):
        parts.append(f"{len(info['bad_rows']):,} broken (rejected)")
    if info.get("encoding"):
        parts.append(info["encoding"])
    if info.get("delimiter"):
        parts.append(DELIMITER_NAMES.get(info["delimiter"], repr(info["delimiter"])) + "-separated")
    if info.get("sheet"):
        parts.append(f"sheet '{info['sheet']}'")
    return f"{info['file']}: " + ", ".join(parts)


__all__: Sequence[str] = ["read_table", "bad_row_reasons", "list_sheets", "sheet_dropdown", "detect_encoding",
                          "cell_text", "column_letter", "describe_read", "Limits"]
