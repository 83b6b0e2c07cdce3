"""Batch runs: the same definition over every file of a folder, one output folder per file."""
from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from workbench.atomic import atomic_write_text
from workbench.errors import WorkbenchError
from workbench.export import write_csv
from workbench.outdir import check_folder, refuse_file

INPUT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
# package data, so an installed workbench finds it (the repository's notebooks/ is not installed)
NOTEBOOK = resources.files("workbench") / "notebooks" / "pipeline.ipynb"
SUMMARY_CSV = "batch_summary.csv"  # the batch's own output: never read as an input
SUMMARY_COLUMNS = ["file", "status", "rows", "accepted", "in_file_duplicate", "skipped",
                   "rejected", "org_insert", "org_update", "person_insert", "person_update",
                   "contact_insert", "contact_update", "seconds", "out_dir", "error"]


@dataclass(frozen=True)
class BatchSettings:
    """What a batch reads and where it writes."""

    input_dir: Path
    crm_path: Path
    definition_path: Path
    out_dir: Path
    use_notebook: bool = True
    state_path: Path | None = None
    max_columns: int = 1_000


def batch_inputs(input_dir: Path) -> list[Path]:
    """The files of a folder a batch takes, in name order (hidden, temporary, its summary left out)."""
    if not input_dir.is_dir():
        raise WorkbenchError("the input folder does not exist", file=str(input_dir))
    return sorted(p for p in input_dir.iterdir()
                  if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                  and not p.name.startswith((".", "~$")) and p.name != SUMMARY_CSV)


def output_folder_name(path: Path) -> str:
    """The output folder of one input file, keyed by its whole name: ``a.csv`` -> ``a_csv``."""
    # not ``a.csv`` itself: a batch written into its input folder would clash with the file
    return f"{path.stem}_{path.suffix[1:]}" if path.suffix else path.name


def _run_notebook(path: Path, settings: BatchSettings, out: Path) -> None:
    import papermill as pm

    with resources.as_file(NOTEBOOK) as notebook:  # a real file even from a zipped install
        pm.execute_notebook(
            str(notebook), str(out / "pipeline.ipynb"),
            parameters={"input_path": str(path.resolve()),
                        "crm_path": str(settings.crm_path.resolve()),
                        "out_dir": str(out.resolve()),
                        "definition_path": str(settings.definition_path.resolve()),
                        "state_path": str(settings.state_path.resolve())
                        if settings.state_path else None},
            # every path is absolute: the kernel runs in the file's output folder, not among
            # the installed package's files
            kernel_name="python3", cwd=str(out), progress_bar=False, log_output=False)


def _run_direct(path: Path, settings: BatchSettings, out: Path) -> None:
    from workbench.pipeline import RunSettings, run

    run(RunSettings(path, settings.crm_path, out, settings.definition_path,
                    state_path=settings.state_path, max_columns=settings.max_columns))


def _error_text(exc: BaseException) -> str:
    try:
        import papermill as pm

        if isinstance(exc, pm.PapermillExecutionError):
            evalue = str(exc.evalue).splitlines()[0] if exc.evalue else ""
            return f"cell {exc.cell_index}: {exc.ename}: {evalue}"
    except ImportError:  # pragma: no cover - papermill is a dependency
        pass
    return f"{type(exc).__name__}: {exc}"


def run_batch(settings: BatchSettings) -> pd.DataFrame:
    """Run every file; a failing file is recorded in the summary and the batch goes on."""
    from workbench.definition import load_definition

    load_definition(settings.definition_path)  # a broken definition stops the batch at once
    refuse_file(settings.out_dir)
    files = batch_inputs(Path(settings.input_dir))
    if not files:
        raise WorkbenchError("the input folder holds no .csv or .xlsx files",
                             file=str(settings.input_dir))
    rows = []
    for path in files:
        out = Path(settings.out_dir) / output_folder_name(path)
        started = time.perf_counter()
        record = {"file": path.name, "out_dir": str(out), "status": "ok", "error": ""}
        try:
            check_folder(out)  # before papermill writes its notebook into it
            out.mkdir(parents=True, exist_ok=True)
            (_run_notebook if settings.use_notebook else _run_direct)(path, settings, out)
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            counts = manifest["counts"]
            record.update({"rows": manifest["input"]["rows"], **counts["status"]})
            for entity, col in (("org", "org_action"), ("person", "person_action"),
                                ("contact", "contact_action")):
                record[f"{entity}_insert"] = counts[col]["insert"]
                record[f"{entity}_update"] = counts[col]["update"]
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            record.update({"status": "failed", "error": _error_text(exc)})
        record["seconds"] = round(time.perf_counter() - started, 2)
        rows.append(record)
    summary = pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS)
    write_csv(summary, Path(settings.out_dir) / SUMMARY_CSV)
    write_summary_html(summary, Path(settings.out_dir) / "batch_summary.html")
    return summary


def write_summary_html(summary: pd.DataFrame, path: Path) -> Path:
    """The batch summary as a self-contained HTML table, failed files first."""
    ordered = summary.sort_values("status", key=lambda s: s.ne("failed"))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ordered.columns)
    body = []
    for rec in ordered.fillna("").to_dict("records"):
        cls = ' class="failed"' if rec["status"] == "failed" else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in rec.values())
                    + "</tr>")
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>Batch summary</title><style>"
            "body{font-family:system-ui,Arial,sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#f3f3f3}"
            ".failed{background:#ffebee}</style></head><body><h1>Batch summary</h1>"
            f"<p>{len(summary)} files, {int((summary['status'] == 'failed').sum())} failed.</p>"
            f"<table><tr>{head}</tr>{''.join(body)}</table></body></html>")
    return atomic_write_text(path, page)
