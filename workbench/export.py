"""Write the change set for loading: CSV and XLSX per entity and action, Parquet diff, rejects, manifest."""
from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from workbench.atomic import atomic_path, atomic_write_text
from workbench.fields import TARGETS
from workbench.messages import say, sentence
from workbench.privacy import masked_frame
from workbench.xlsx import write_text_xlsx

# A value a spreadsheet would run as a formula: starts with = + - @ or a tab / carriage return.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
# Values that start like a formula but are data a spreadsheet shows as such: E.164 phones, numbers.
_SAFE = re.compile(r"^(\+[1-9]\d{6,14}|[+-]?\d+([.,]\d+)?)$")


def csv_safe(value: object) -> object:
    """Neutralise a value a spreadsheet would execute by putting an apostrophe in front."""
    if isinstance(value, str) and _FORMULA_START.match(value) and not _SAFE.match(value):
        return "'" + value
    return value


def _text_array(values: pd.Series) -> np.ndarray:
    """Every value as text, None for missing: a new object array (a column at a time)."""
    if pd.api.types.is_signed_integer_dtype(values.dtype):  # whole numbers, as str() writes them
        missing = values.isna().to_numpy()
        out = np.full(len(values), None, dtype=object)
        out[~missing] = values.to_numpy(dtype=np.int64, na_value=0)[~missing].astype(str)
        return out
    array = values.to_numpy(dtype=object)
    missing = _missing(array)
    out = np.full(len(array), None, dtype=object)
    if missing.all():
        return out
    kept = array if not missing.any() else array[~missing]
    if _all_text(kept):  # already text (most columns): no conversion, only a copy
        out[~missing] = kept
    else:
        # str() of each value, as pandas writes an object column as text
        out[~missing] = pd.Series(kept, dtype=object).astype(str).to_numpy(dtype=object)
    return out


def _missing(array: np.ndarray) -> np.ndarray:
    """``pd.isna`` of an object array; a column of text and None (most) is tested for None only."""
    none = np.equal(array, None)
    rest = array[~none]
    if pd.api.types.infer_dtype(rest, skipna=False) in ("string", "empty"):
        return none
    return pd.isna(array)


def text_column(values: pd.Series) -> pd.Series:
    """Every value as text, None for missing (column at a time, not cell by cell)."""
    return pd.Series(_text_array(values), index=values.index, dtype=object)


def _all_text(values: np.ndarray) -> bool:
    """Whether every value is a str that a conversion to text would keep as it is (NumPy's text
    type drops trailing NUL characters)."""
    if pd.api.types.infer_dtype(values, skipna=False) != "string":
        return False
    # one search over all values for a NUL; only a column holding one is looked at value by value
    return "\x00" not in "".join(values.tolist()) or not any(
        map(str.endswith, values, itertools.repeat("\x00")))


_STARTS = ("=", "+", "-", "@", "\t", "\r")  # _FORMULA_START as prefixes str.startswith takes


def _risky_array(text: np.ndarray) -> np.ndarray:
    """Which values of a text array (str or None) a spreadsheet would run as a formula."""
    filled = np.flatnonzero(np.not_equal(text, None))
    values = text[filled].tolist()
    # str.startswith over map(): one C call a value, no regex and no Python frame
    starts = np.fromiter(map(str.startswith, values, itertools.repeat(_STARTS)), dtype=bool,
                         count=len(values))
    risky = np.zeros(len(text), dtype=bool)
    for i in np.flatnonzero(starts).tolist():  # few values start like a formula
        risky[filled[i]] = _FORMULA_START.match(values[i]) is not None and \
            not _SAFE.match(values[i])
    return risky


def _safe_array(text: np.ndarray, risky: np.ndarray | None = None) -> np.ndarray:
    """A text array with its formula-like values neutralised (a new array)."""
    risky = _risky_array(text) if risky is None else risky
    out = text.copy()
    if risky.any():
        out[risky] = "'" + out[risky]
    return out


def csv_safe_column(values: pd.Series) -> pd.Series:
    """``csv_safe`` for a whole column of text."""
    return pd.Series(_safe_array(_text_array(values)), index=values.index, dtype=object)


@dataclass(frozen=True)
class _TextTable:
    """A frame's columns as text, and which values a spreadsheet would run as a formula: worked
    out once per table for its CSV, Parquet and problems."""

    frame: pd.DataFrame  # object columns: str or None
    risky: list[np.ndarray]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _TextTable:
        text = _columns_as(frame, lambda c: _text_array(c))
        return cls(text, [_risky_array(text.iloc[:, i].to_numpy()) for i in range(text.shape[1])])

    def safe(self) -> list[np.ndarray]:
        """Each column with its formula-like values neutralised."""
        return [_safe_array(self.frame.iloc[:, i].to_numpy(), risky)
                for i, risky in enumerate(self.risky)]


def _columns_as(frame: pd.DataFrame, convert) -> pd.DataFrame:
    """A new frame of object columns, each ``convert`` of the frame's column (duplicate names
    kept): built at once, not assigned column by column."""
    out = pd.DataFrame({i: convert(frame.iloc[:, i]) for i in range(len(frame.columns))},
                       index=frame.index)
    out.columns = frame.columns
    return out


FORMULA_PROBLEM = sentence("export.formula")  # the English; a run says it in its language
_ENTITY = {"organisations": "organisation", "persons": "person", "contacts": "contact"}
# the field a CRM column is filled from, as problems name it ("contact_job_title")
_FIELD_OF = {(t.entity, t.crm_column): t.name for t in TARGETS if t.crm_column}
_NOT_DATA = frozenset({"source_row", "run_id", "changed_fields"})


def formula_problems(tables: dict[str, pd.DataFrame],
                     texts: dict[str, _TextTable] | None = None) -> pd.DataFrame:
    """One problem per value of the change set that ``csv_safe`` neutralises, naming its row and
    field (the value as read: writing it neutralises it again)."""
    parts = []
    for name, frame in tables.items():
        if "source_row" not in frame.columns:
            continue
        table = name.split("_")[0]
        text = texts[name] if texts else _TextTable.of(frame)
        for i, column in enumerate(frame.columns):
            risky = text.risky[i]
            if column in _NOT_DATA or not risky.any():
                continue
            field = _FIELD_OF.get((_ENTITY.get(table), column), f"{table}.{column}")
            parts.append(pd.DataFrame({
                "source_row": frame["source_row"].to_numpy()[risky], "field": field,
                "value": text.frame.iloc[:, i].to_numpy()[risky], "problem": say("export.formula"),
                "severity": "warning"}))
    columns = ["source_row", "field", "value", "problem", "severity"]
    if not parts:
        return pd.DataFrame(columns=columns)
    # a value an insert and an update both carry is one problem
    return pd.concat(parts, ignore_index=True).drop_duplicates(["source_row", "field"])


def _write_csv_columns(header: list[str], columns: list[np.ndarray], path: str | Path) -> Path:
    """Text columns as UTF-8 CSV with BOM, quoted as pandas' ``to_csv`` quotes (the csv module's
    minimal quoting, "\\n" line ends), written row by row by the csv module."""
    # the BOM written by hand: the "utf-8-sig" codec encodes each write in Python, "utf-8" in C
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(zip(*(c.tolist() for c in columns), strict=True))
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """UTF-8 CSV (with BOM, so Excel shows accents) with formula-like values neutralised."""
    if not len(frame.columns):
        with atomic_path(path) as tmp:
            frame.astype(object).to_csv(tmp, index=False, encoding="utf-8-sig")
        return Path(path)
    return _write_csv_columns([str(c) for c in frame.columns], _TextTable.of(frame).safe(), path)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """An XLSX workbook in which every cell is text, so nothing can run as a formula."""
    return write_text_xlsx(sheets, path)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """Parquet via DuckDB, every column as text."""
    text = _columns_as(frame, _text_array) if len(frame.columns) else frame.astype(object)
    return _write_text_parquet(text, path)


def _write_text_parquet(text: pd.DataFrame, path: str | Path) -> Path:
    with atomic_path(path) as tmp, duckdb.connect() as con:
        con.register("frame_view", text)
        con.execute(f"COPY (SELECT * FROM frame_view) TO '{tmp}' (FORMAT parquet)")
    return Path(path)


def write_json(data: dict, path: str | Path) -> Path:
    """Indented UTF-8 JSON."""
    return atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str))


def export_changeset(changeset, raw: pd.DataFrame, out_dir: str | Path,
                     headers: dict[str, str] | None = None,
                     problems: pd.DataFrame | None = None,
                     sensitive_columns: Sequence[str] = ()) -> dict[str, Path]:
    """Write every output of the change set into ``out_dir``; return the files by name.

    ``sensitive_columns`` of the input (its BSN column) are masked in the rejects, as is every
    other value that is a BSN by its content: the rejects are a report, not a file to load."""
    headers = headers or {}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    texts = {}
    for name, frame in changeset.tables.items():
        table = name.split("_")[0]
        # the headers the CRM's import wizard expects; Parquet keeps the canonical names
        header = [headers.get(f"{table}.{c}", c) for c in frame.columns]
        named = frame.set_axis(header, axis=1)
        texts[name] = text = _TextTable.of(frame)  # once for the CSV, Parquet and problems
        files[f"{name}.csv"] = _write_csv_columns([str(h) for h in header], text.safe(),
                                                  out_dir / f"{name}.csv") \
            if len(header) else write_csv(named, out_dir / f"{name}.csv")
        files[f"{name}.xlsx"] = write_xlsx({name: named}, out_dir / f"{name}.xlsx")
        files[f"{name}.parquet"] = _write_text_parquet(text.frame, out_dir / f"{name}.parquet")
    files["row_outcomes.csv"] = write_csv(changeset.outcomes, out_dir / "row_outcomes.csv")
    formulas = formula_problems(changeset.tables, texts)
    if problems is not None or len(formulas):
        # every value the standardisation could not use and every value neutralised, and why
        listed = problems if problems is not None else formulas.iloc[0:0]
        if len(formulas):
            listed = pd.concat([listed, formulas], ignore_index=True).sort_values(
                "source_row", kind="stable", ignore_index=True)
        files["problems.csv"] = write_csv(listed, out_dir / "problems.csv")
    files["changes.parquet"] = write_parquet(changeset.changes, out_dir / "changes.parquet")
    rejected = changeset.outcomes.loc[changeset.outcomes["status"] == "rejected",
                                      ["source_row", "reason"]]
    rejects = raw.merge(rejected, on="source_row", how="inner")
    rejects = rejects[["source_row", "reason", *[c for c in raw.columns if c != "source_row"]]]
    files["rejects.xlsx"] = write_xlsx({"rejects": masked_frame(rejects, sensitive_columns)},
                                       out_dir / "rejects.xlsx")
    return files
