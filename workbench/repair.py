"""Repair and resubmit: a run's ``rejects.xlsx``, fixed in Excel, read back as input for the same
list, and its outcome joined to the list's record so every row is still accounted for once."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from workbench.changeset.outcomes import OUTCOME_COLUMNS
from workbench.errors import WorkbenchError
from workbench.messages import say
from workbench.outdir import is_run_manifest
from workbench.privacy import mask_value
from workbench.read.limits import Limits
from workbench.read.xlsx import excel_records, sheet_names

SHEET = "rejects"
FIXED = ("source_row", "reason")  # the columns a rejects workbook adds to the list's own
LIST_OUTCOMES = "list_outcomes.csv"
LIST_COLUMNS = [*OUTCOME_COLUMNS, "run_id", "note"]


def _manifest(original: Path) -> dict:
    """The manifest of the run whose rejects are repaired; refused when it is not a run's."""
    if not is_run_manifest(original / "manifest.json"):
        raise WorkbenchError("--repairs-of must be the output folder of a finished run "
                             "(no manifest.json of a run in it)", file=str(original))
    return json.loads((original / "manifest.json").read_text(encoding="utf-8"))


def check_repair_folders(original: str | Path, out_dir: str | Path) -> Path:
    """The original run's definition; refused when the repair would overwrite that run."""
    original = Path(original)
    _manifest(original)
    if Path(out_dir).resolve() == original.resolve():
        # the original change set may be loaded already: the repaired rows are a change set of
        # their own, beside it, and the original's files stay as its manifest lists them
        raise WorkbenchError("give the repaired rows a new output folder (--out), not the folder "
                             "of the run they repair", file=str(out_dir))
    return original / "definition.yml"


def list_columns(original: Path) -> list[str]:
    """The columns of the list as the original run read them (from its profile)."""
    try:
        profile = json.loads((original / "profile.json").read_text(encoding="utf-8"))
        return [str(c["name"]) for c in profile["columns"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise WorkbenchError("the run's profile.json is missing or unreadable, so the list's "
                             "columns are unknown", file=str(original)) from None


def base_outcomes(original: str | Path) -> pd.DataFrame:
    """Every row of the list once, as the original run (and its repairs) left it."""
    original = Path(original)
    manifest = _manifest(original)
    path = original / LIST_OUTCOMES
    if not path.exists():
        path = original / "row_outcomes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.replace("", None)
    for column in ("run_id", "note"):
        if column not in frame.columns:
            frame[column] = manifest["run_id"] if column == "run_id" else None
    frame["source_row"] = frame["source_row"].astype(int)
    return frame[LIST_COLUMNS]


def _text(value: object) -> str | None:
    """A cell as the reader gives text: numbers Excel made of typed text back without '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _rows(path: Path, limits: Limits
          ) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """The header and the non-blank rows (with their Excel row number) of the rejects sheet,
    read through the reader's limits: a far cell or a bomb stops it before memory is spent."""
    if SHEET not in sheet_names(path):
        raise WorkbenchError(f"has no sheet '{SHEET}' (sheets: {', '.join(sheet_names(path))});"
                             " give the rejects.xlsx a run wrote", file=str(path))
    lines = excel_records(path, SHEET, {"file": str(path), "warnings": []}, limits)
    first = next(lines, (1, []))[1]
    header = [str(v) if v is not None else "" for v in first]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, values in lines:
        cells = [_text(v) for v in values[:len(header)]]
        if any(c is not None for c in cells):
            rows.append((number, cells + [None] * (len(header) - len(cells))))
    return header, rows


def _check_header(header: list[str], columns: list[str], path: Path, original: Path) -> None:
    """The workbook's columns must be the list's plus source_row and reason, none renamed."""
    missing = [c for c in (*FIXED, *columns) if c not in header]
    extra = [c for c in header if c not in (*FIXED, *columns)]
    if missing or extra or len(set(header)) != len(header):
        said = ([f"missing {', '.join(repr(c) for c in missing)}"] if missing else []) + \
               ([f"not of the list: {', '.join(repr(c) for c in extra)}"] if extra else [])
        raise WorkbenchError(
            f"the columns are not those of the list of the run in {original} "
            f"({'; '.join(said) or 'a column twice'}); fix cells only, keep the columns as written",
            file=str(path), column=(missing or extra or [None])[0])


def read_repairs(path: str | Path, original: str | Path, limits: Limits | None = None
                 ) -> pd.DataFrame:
    """The fixed rows of a run's rejects workbook, as the reader gives a list: ``source_row``
    (the row's number in the original list) plus the list's columns, every value text.

    ``limits``: the size and extent limits of any list (``--max-mb``, ``--max-columns`` ...).
    """
    path, original = Path(path), Path(original)
    columns = list_columns(original)
    header, rows = _rows(path, limits or Limits())
    _check_header(header, columns, path, original)
    outcomes = base_outcomes(original)
    rejected = set(outcomes.loc[outcomes["status"] == "rejected", "source_row"])
    known = set(outcomes["source_row"])
    at = header.index("source_row")
    seen: set[int] = set()
    records = []
    for number, cells in rows:
        text = (cells[at] or "").strip()
        if not text.isdigit() or int(text) not in known:
            raise WorkbenchError(f"source_row {text or '(empty)'} is not a row of the list of "
                                 f"the run in {original}; keep each row's source_row as written",
                                 file=str(path), row=number, column="source_row")
        source_row = int(text)
        if source_row not in rejected:
            raise WorkbenchError(f"source_row {source_row} was not rejected in the run in "
                                 f"{original}: only rejected rows can be resubmitted",
                                 file=str(path), row=number, column="source_row")
        if source_row in seen:
            raise WorkbenchError(f"source_row {source_row} is in the workbook twice",
                                 file=str(path), row=number, column="source_row")
        seen.add(source_row)
        values = dict(zip(header, cells, strict=True))
        records.append({"source_row": source_row, **{c: values[c] for c in columns}})
    frame = pd.DataFrame(records, columns=["source_row", *columns])
    frame["source_row"] = frame["source_row"].astype("int64")
    for column in columns:
        frame[column] = frame[column].astype(object)
    frame = _unmasked(frame, path, original, [n for n, _ in rows])
    frame.attrs["read_info"] = {"format": "xlsx", "sheet": SHEET, "warnings": [],
                                "repairs_of": str(original)}
    return frame


def _is_masked(value: object) -> bool:
    """Whether a cell still holds a masked BSN or birth date as rejects.xlsx wrote it."""
    return isinstance(value, str) and "*" in value and mask_value(value) == value \
        and any(c == "*" for c in value)


def _original_list(original: Path) -> pd.DataFrame | None:
    """The list the run (or the run it repaired, and so on) read, if it is still where it was."""
    from workbench.read import read_table

    manifest = _manifest(original)
    if manifest.get("repairs_of"):
        return _original_list(Path(manifest["repairs_of"]))
    source = manifest.get("input", {})
    path = Path(source.get("path", ""))
    if not path.is_file():
        return None
    try:
        return read_table(path, sheet=source.get("sheet")).set_index("source_row")
    except WorkbenchError:
        return None


def _unmasked(frame: pd.DataFrame, path: Path, original: Path,
              excel_rows: list[int]) -> pd.DataFrame:
    """The repaired rows with each cell rejects.xlsx masked (a BSN, a birth date) and the analyst
    left alone taken back from the original list, which holds it whole."""
    masked = [(i, c) for c in frame.columns[1:] for i in frame.index if _is_masked(frame.at[i, c])]
    if not masked:
        return frame
    source = _original_list(original)
    row_of = {int(frame.at[i, "source_row"]): n
              for i, n in zip(frame.index, excel_rows, strict=True)}
    out = frame.copy()
    for i, column in masked:
        source_row = int(frame.at[i, "source_row"])
        whole = None if source is None or column not in source.columns \
            or source_row not in source.index else source.at[source_row, column]
        if whole is None or mask_value(whole) != frame.at[i, column]:
            raise WorkbenchError(
                "this cell was masked in rejects.xlsx (a BSN or birth date) and the original list "
                "is no longer where the run read it: type the value in, or put the list back",
                file=str(path), row=row_of[source_row], column=column)
        out.at[i, column] = whole
    return out


def list_outcomes(original: str | Path, outcomes: pd.DataFrame, run_id: str) -> pd.DataFrame:
    """The list's record with this repair run's rows in place of their earlier outcome: every
    row of the list once, each saying which run decided it."""
    base = base_outcomes(original)
    repaired = outcomes[OUTCOME_COLUMNS].copy()
    repaired["source_row"] = repaired["source_row"].astype(int)
    repaired["run_id"] = run_id
    repaired["note"] = repaired["status"].map(
        lambda s: say("repair.still_rejected" if s == "rejected" else "repair.repaired",
                      run=run_id))
    kept = base[~base["source_row"].isin(repaired["source_row"])]
    combined = pd.concat([kept, repaired.astype(object)], ignore_index=True)
    return combined.sort_values("source_row", kind="stable", ignore_index=True)[LIST_COLUMNS]
