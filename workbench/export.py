"""Write the change set for loading: CSV and XLSX per entity and action, Parquet diff, rejects, manifest."""
from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
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


def text_column(values: pd.Series) -> pd.Series:
    """Every value as text, None for missing (column at a time, not cell by cell)."""
    out = values.astype(object)
    missing = out.isna().to_numpy()
    if missing.all():
        return pd.Series([None] * len(out), index=out.index, dtype=object)
    array = out.to_numpy(dtype=object)
    if _all_text(array[~missing]):  # already text (most columns): no conversion, only a copy
        text = pd.Series(array, index=out.index, dtype=object, copy=True)
    else:
        text = out.astype(str).astype(object)
    text[missing] = None
    return text


def _all_text(values: np.ndarray) -> bool:
    """Whether every value is a str that a conversion to text would keep as it is (NumPy's text
    type drops trailing NUL characters)."""
    return pd.api.types.infer_dtype(values, skipna=False) == "string" and not any(
        map(str.endswith, values, itertools.repeat("\x00")))


_STARTS = ("=", "+", "-", "@", "\t", "\r")  # _FORMULA_START as prefixes str.startswith takes


def _risky_array(text: np.ndarray) -> np.ndarray:
    """Which values of a text array (str or None) a spreadsheet would run as a formula."""
    filled = np.flatnonzero(pd.notna(text))
    values = text[filled]
    # str.startswith over map(): one C call a value, no regex and no Python frame
    starts = np.fromiter(map(str.startswith, values, itertools.repeat(_STARTS)), dtype=bool,
                         count=len(values))
    risky = np.zeros(len(text), dtype=bool)
    for i in np.flatnonzero(starts).tolist():  # few values start like a formula
        risky[filled[i]] = _FORMULA_START.match(values[i]) is not None and \
            not _SAFE.match(values[i])
    return risky


def _risky(text: pd.Series) -> pd.Series:
    """Which values of a text column a spreadsheet would run as a formula."""
    return pd.Series(_risky_array(text.to_numpy(dtype=object)), index=text.index)


def _safe_array(text: np.ndarray) -> np.ndarray:
    """A text array with its formula-like values neutralised (a new array)."""
    out = text.copy()
    for i in np.flatnonzero(_risky_array(text)).tolist():
        out[i] = "'" + out[i]
    return out


def csv_safe_column(values: pd.Series) -> pd.Series:
    """``csv_safe`` for a whole column of text."""
    text = text_column(values)
    return pd.Series(_safe_array(text.to_numpy(dtype=object)), index=text.index, dtype=object)


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


def formula_problems(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One problem per value of the change set that ``csv_safe`` neutralises, naming its row and
    field (the value as read: writing it neutralises it again)."""
    parts = []
    for name, frame in tables.items():
        if "source_row" not in frame.columns:
            continue
        table = name.split("_")[0]
        for column in frame.columns:
            if column in _NOT_DATA:
                continue
            text = text_column(frame[column])
            risky = _risky(text).to_numpy()
            if risky.any():
                field = _FIELD_OF.get((_ENTITY.get(table), column), f"{table}.{column}")
                parts.append(pd.DataFrame({
                    "source_row": frame["source_row"].to_numpy()[risky], "field": field,
                    "value": text.to_numpy()[risky], "problem": say("export.formula"),
                    "severity": "warning"}))
    columns = ["source_row", "field", "value", "problem", "severity"]
    if not parts:
        return pd.DataFrame(columns=columns)
    # a value an insert and an update both carry is one problem
    return pd.concat(parts, ignore_index=True).drop_duplicates(["source_row", "field"])


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """UTF-8 CSV (with BOM, so Excel shows accents) with formula-like values neutralised."""
    safe = _columns_as(frame, lambda c: csv_safe_column(c).to_numpy()) if len(frame.columns) \
        else frame.astype(object)
    with atomic_path(path) as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """An XLSX workbook in which every cell is text, so nothing can run as a formula."""
    return write_text_xlsx(sheets, path)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """Parquet via DuckDB, every column as text."""
    text = _columns_as(frame, lambda c: text_column(c).to_numpy()) if len(frame.columns) \
        else frame.astype(object)
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
    for name, frame in changeset.tables.items():
        table = name.split("_")[0]
        # the headers the CRM's import wizard expects; Parquet keeps the canonical names
        named = frame.rename(columns={c: headers[f"{table}.{c}"] for c in frame.columns
                                      if f"{table}.{c}" in headers})
        files[f"{name}.csv"] = write_csv(named, out_dir / f"{name}.csv")
        files[f"{name}.xlsx"] = write_xlsx({name: named}, out_dir / f"{name}.xlsx")
        files[f"{name}.parquet"] = write_parquet(frame, out_dir / f"{name}.parquet")
    files["row_outcomes.csv"] = write_csv(changeset.outcomes, out_dir / "row_outcomes.csv")
    formulas = formula_problems(changeset.tables)
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
