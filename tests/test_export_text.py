"""The fast paths of the export write what the slow ones wrote: CSV quoted as pandas quotes it,
formula-like values guarded in CSV and kept as text cells in XLSX, whatever the column holds."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
from openpyxl import load_workbook

from workbench.export import csv_safe, write_csv, write_xlsx

AWKWARD = ["plain", "comma, inside", 'quote " inside', "line\nbreak", "cr\rreturn", " lead",
           "trail ", "", None, "=SUM(A1:A2)", "+31 6 1234", "+31612345678", "-12", "@cmd",
           "\t=1", "_x0041_", "bell\x07", "é ü ß", "{0}", "<&>"]


def _frame() -> pd.DataFrame:
    n = len(AWKWARD)
    return pd.DataFrame({"text": AWKWARD, "number": range(n),
                         "mixed": [1.5, None, "x", 7, *AWKWARD[4:]],
                         "Int": pd.array([None, *range(n - 1)], dtype="Int64"),
                         "when": pd.to_datetime(["2026-01-02", None] * (n // 2)),
                         "float": [0.1, None, 1e20, -2.5] * (n // 4)})


def test_csv_is_what_pandas_wrote_with_formulas_guarded(tmp_path):
    frame = _frame()
    path = write_csv(frame, tmp_path / "out.csv")
    guarded = frame.astype(object).map(lambda v: None if pd.isna(v) else csv_safe(str(v)))
    expected = io.StringIO()
    guarded.to_csv(expected, index=False)
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.getvalue().encode("utf-8")
    assert "'=SUM(A1:A2)" in path.read_text(encoding="utf-8-sig")


def test_xlsx_cells_are_the_values_as_text(tmp_path):
    frame = _frame()
    path = write_xlsx({"sheet": frame}, tmp_path / "out.xlsx")
    ws = load_workbook(path)["sheet"]
    assert [c.value for c in ws[1]] == ["text", "number", "mixed", "Int", "when", "float"]
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=False)):
        for c, cell in enumerate(row):
            value = frame.iat[r, c]
            expected = None if value is None or value is pd.NA or (
                isinstance(value, float) and pd.isna(value)) else str(value) or None
            if expected is not None:
                assert cell.data_type == "s"  # text, never a formula or a number
                if "_x" not in expected and expected.isprintable():  # escapes: test_hostile_input
                    assert cell.value == expected
            else:
                assert cell.value is None
    assert ws["A11"].value == "=SUM(A1:A2)" and ws["A11"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(frame) + 1}"


def test_xlsx_is_the_same_file_for_the_same_frame(tmp_path):
    frame = _frame()
    first = write_xlsx({"sheet": frame}, tmp_path / "a.xlsx").read_bytes()
    second = write_xlsx({"sheet": frame}, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert z.testzip() is None


def _cells_as_before(letter: str, texts: list) -> list[str]:
    """The cell elements as the writer made them before it went a column at a time (the oracle)."""
    from xml.sax.saxutils import escape

    cells = [""] * len(texts)
    for r, text in enumerate(texts):
        if text is not None:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            cells[r] = (f'<c r="{letter}{r + 1}" t="inlineStr"><is><t{space}>{escape(text)}'
                        "</t></is></c>")
    return cells


def test_sheet_rows_are_the_cells_as_made_one_by_one():
    import re

    from workbench.xlsx import _column_texts, _sheet_xml, _text_cells

    long = "lang " * 2000
    frame = _frame()
    frame["long"] = [long, " x ", "\u00a0nbsp", "a&b<c>", *AWKWARD[:-4]]
    frame[""] = [None] * (len(frame) - 1) + ["last only"]
    frame = pd.concat([frame, frame.iloc[::-1]], ignore_index=True)
    xml = _sheet_xml(frame, True, True).decode("utf-8")
    columns = []
    for i, letter in enumerate("ABCDEFGH"):
        texts = [*_column_texts([str(frame.columns[i])]), *_text_cells(frame.iloc[:, i]).tolist()]
        columns.append(_cells_as_before(letter, texts))
    rows = "".join(f'<row r="{r}">{"".join(cells)}</row>'
                   for r, cells in enumerate(zip(*columns, strict=True), start=1))
    assert re.search("<sheetData>(.*)</sheetData>", xml, re.S).group(1) == rows
    assert ' xml:space="preserve"> x </t>' in rows and "a&amp;b&lt;c&gt;" in rows


def test_empty_frame_sheet_has_its_header_row_only():
    from workbench.xlsx import _sheet_xml

    xml = _sheet_xml(pd.DataFrame(columns=["a", "b"]), True, True).decode("utf-8")
    assert '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>' in xml
    assert 'r="2"' not in xml
    assert '<row r="1"></row>' in _sheet_xml(pd.DataFrame(), True, True).decode("utf-8")
