"""The whole run, read to exported change set, as named steps over one run context; the
notebooks, ``workbench run`` and papermill call the same steps."""
from __future__ import annotations

import functools
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from tqdm.auto import tqdm

from workbench.context import (
    DEFAULT_MEMORY,
    RunContext,
    new_run_id,
    open_run,
    release_cache,
    spill_to,
)
from workbench.definition import Definition, load_definition, suggest_definition
from workbench.export import export_changeset, write_json
from workbench.mapping import apply_definition
from workbench.messages import speaking
from workbench.multivalue import spread_values
from workbench.outdir import claim_folder, publish
from workbench.profile import profile_frame, write_profile
from workbench.read import bad_row_reasons, read_table
from workbench.read.contacts import contact_export_columns
from workbench.snapshot import file_sha256
from workbench.standardise import StandardiseOptions, shared_parses, standardise_frame
from workbench.standardise.frame import row_countries
from workbench.state import record_failed_run, record_run
from workbench.validate import (
    blank_rows,
    existing_only,
    extra_contacts,
    move_dates,
    row_rejections,
)

if TYPE_CHECKING:  # matching and the change set import recordlinkage (scikit-learn, SciPy):
    # seconds a notebook that only reads and maps, or `definition suggest`, need not wait
    from workbench.changeset import ChangeSet
    from workbench.match.engine import MatchResult
    from workbench.summary import RunSummary

log = logging.getLogger("workbench")

__all__ = ["Prepared", "RunResult", "RunSettings", "build", "choose_definition", "export",
           "match", "new_run_id", "open_run", "prepare", "profile_input", "read_input", "report",
           "run", "summarise"]


@dataclass(frozen=True)
class RunSettings:
    """Where a run reads and writes."""

    input_path: Path
    crm_path: Path
    out_dir: Path
    definition_path: Path | None = None
    sheet: str | None = None
    state_path: Path | None = None
    max_rows: int = 1_000_000
    max_bytes: int = 200 * 1024**2
    max_columns: int = 1_000
    target: str | None = None  # CRM layout for the wizard files; the definition's when None
    memory_bytes: int = DEFAULT_MEMORY  # DuckDB's limit and the rows per part follow from it
    repairs_of: Path | None = None  # input is this run's rejects.xlsx, fixed (workbench.repair)
    definition_note: str | None = None  # which definition and why, for run.log (the CLI's)


@dataclass(frozen=True)
class Prepared:
    """An incoming file mapped, standardised and checked."""

    raw: pd.DataFrame
    mapped: pd.DataFrame
    std: pd.DataFrame
    problems: pd.DataFrame
    blank: pd.Series
    rejections: pd.Series
    # rows without a last name kept for matching: they may only update an existing person
    pending: pd.Series | None = None

    @property
    def valid(self) -> pd.DataFrame:
        """The standardised rows that go on to matching."""
        pending = self.pending if self.pending is not None else False
        return self.std[~self.blank & (self.rejections.isna() | pending)]


@dataclass
class RunResult:
    """What a run produced."""

    run_id: str
    out_dir: Path
    manifest: dict
    changeset: ChangeSet
    matches: MatchResult
    prepared: Prepared
    summary: RunSummary
    files: dict[str, Path] = field(default_factory=dict)


def read_input(path: str | Path, sheet: str | None = None, *, max_rows: int = 1_000_000,
               max_bytes: int = 200 * 1024**2, max_columns: int = 1_000) -> pd.DataFrame:
    """Read the incoming file (every value as text, with its source_row)."""
    return read_table(path, sheet=sheet, max_rows=max_rows, max_bytes=max_bytes,
                      max_columns=max_columns)


def profile_input(raw: pd.DataFrame, out_dir: str | Path | None = None,
                  file: str | None = None) -> dict:
    """Profile the incoming file; write profile.json and profile.html when ``out_dir`` is given."""
    profile = profile_frame(raw, file=file)
    if out_dir is not None:
        write_profile(profile, out_dir)
    return profile


def choose_definition(raw: pd.DataFrame, definition_path: str | Path | None = None,
                      profile: dict | None = None) -> Definition:
    """The saved definition, or one suggested from the file's headers and values."""
    if definition_path is not None:
        return load_definition(definition_path)
    meanings = {c["name"]: c["meaning"] for c in (profile or {}).get("columns", [])}
    headers = [c for c in raw.columns if c != "source_row"]
    definition = suggest_definition(headers, meanings, values=raw)
    # Outlook / Google / vCard exports have fixed headers: their own table is exact
    export = contact_export_columns(headers, raw.attrs.get("read_info", {}).get("export"))
    if export:
        definition = replace(definition, columns={t: export[t] for t in definition.columns
                                                  if t in export} | export)
    return definition


def _in_the_lists_language(step: Callable[..., Any]) -> Callable[..., Any]:
    """A step whose sentences (problems, reasons, outcomes) speak the definition's language."""
    @functools.wraps(step)
    def spoken(ctx: RunContext, *args: Any, **kwargs: Any) -> Any:
        with speaking(ctx.definition.language):
            return step(ctx, *args, **kwargs)
    return spoken


@_in_the_lists_language
def prepare(ctx: RunContext, raw: pd.DataFrame, source: str | None = None) -> Prepared:
    """Map, standardise and check every row (place names spelled as the CRM does)."""
    definition = ctx.definition
    mapped = apply_definition(raw, definition, source)  # fixed values already override
    # Google's "a ::: b" cells over the 2nd-5th e-mails and phones, its Mobile labels obeyed
    mapped, spread_problems = spread_values(mapped, raw, definition.columns)
    options = StandardiseOptions(default_region=definition.default_region,
                                 lookup_city_from_postcode=definition.lookup_city_from_postcode,
                                 crm_places=ctx.places or None,
                                 date_formats=definition.date_formats,
                                 blocked_prefixes=definition.blocked_prefixes,
                                 default_country=definition.defaults.get("org_country"))
    std, problems = standardise_frame(mapped, options)
    # a move date that is no date costs the date, not the row (listed with the other problems)
    std["org_move_date"], date_problems = move_dates(
        mapped, definition.date_formats.get("org_move_date"))
    # a delivery address is read by its row's country, as the main address; a bad one costs
    # the address (a warning in problems.csv), never the row
    extra, extra_problems = extra_contacts(mapped, row_countries(std, options))
    more = [p for p in (spread_problems, date_problems, extra_problems) if not p.empty]
    if more:
        problems = pd.concat([problems, *more], ignore_index=True).sort_values(
            "source_row", kind="stable").reset_index(drop=True)
    # a row the reader could not fit to the header is rejected for that alone
    broken = bad_row_reasons(raw)
    blank = blank_rows(raw) & broken.isna()
    if broken.notna().any():  # its values were cut to the header: their problems mean nothing
        problems = problems[~problems["source_row"].isin(raw.loc[broken.notna(), "source_row"])]
    # an id the CRM gave the person: matched as given (trimmed), never standardised
    std["person_crm_id"] = (mapped["person_crm_id"].map(lambda v: str(v).strip() or None
                                                         if v is not None else None)
                            if "person_crm_id" in mapped else None)
    std = pd.concat([std, extra], axis=1)
    rejections = row_rejections(std, problems, definition.reject_invalid, definition.language,
                                definition.target)
    rejections = rejections.where(broken.isna(), broken)
    rejections[blank] = None
    return Prepared(raw=raw, mapped=mapped, std=std, problems=problems, blank=blank,
                    rejections=rejections, pending=existing_only(std, rejections) & ~blank)


@_in_the_lists_language  # the pairs' explanations speak it too
def match(ctx: RunContext, prepared: Prepared) -> MatchResult:
    """Match the valid rows against the snapshot and each other, using stored decisions."""
    from workbench.match.engine import match_rows
    from workbench.match.entity import MatchLimits

    result = match_rows(prepared.valid, ctx.con, ctx.definition, ctx.decisions(),
                        MatchLimits.for_memory(ctx.memory_bytes))
    return settle_pending(prepared, result)


def settle_pending(prepared: Prepared, result: MatchResult) -> MatchResult:
    """Rows without a last name: found (in the CRM or earlier in the file) go on, others stay
    refused. Returns a new result holding the rows' rejections; ``prepared`` is not changed."""
    rejections = prepared.rejections
    if prepared.pending is None or not prepared.pending.any():
        return replace(result, rejections=rejections)
    rows = result.rows
    pending = rows[prepared.pending.reindex(rows.index, fill_value=False)]
    root = pending["person_root"]
    found = pending["crm_person_id"].notna() | (root.notna() & (root != pending.index))
    rejections = rejections.copy()
    rejections.loc[found[found].index] = None
    return replace(result, rows=rows.drop(index=found[~found].index), rejections=rejections)


@_in_the_lists_language
def build(ctx: RunContext, prepared: Prepared, matches: MatchResult) -> ChangeSet:
    """The change set and row outcomes."""
    from workbench.changeset import build_changeset

    rejections = matches.rejections if matches.rejections is not None else prepared.rejections
    return build_changeset(prepared.raw, prepared.std, rejections, prepared.blank,
                           matches.rows, ctx.con, ctx.definition, ctx.run_id)


@_in_the_lists_language
def export(ctx: RunContext, prepared: Prepared, changeset: ChangeSet,
           out_dir: str | Path) -> dict[str, Path]:
    """Write the change set, rejects and problems as files to load."""
    bsn_columns = [c for t, c in ctx.definition.columns.items() if t == "person_bsn"]
    files = export_changeset(changeset, prepared.raw, Path(out_dir),
                             ctx.definition.export_headers, prepared.problems, bsn_columns)
    from workbench.crm.target_fields import target_layout
    from workbench.crm.write import write_target

    layout = target_layout(ctx.definition)
    return {**files, **write_target(changeset.tables, ctx.con, layout,
                                    Path(out_dir) / layout.name)}


def summarise(ctx: RunContext, prepared: Prepared, matches: MatchResult,
              changeset: ChangeSet, decisions: pd.DataFrame | None = None) -> RunSummary:
    """The run's counts, each defined once (``workbench.summary``), with the analyst's decisions
    about this list read from the state file unless given."""
    from workbench.summary import list_decisions, run_summary

    if decisions is None:
        decisions = list_decisions(ctx.state_path, matches)
    return run_summary(prepared, matches, changeset, decisions)


def report(ctx: RunContext, prepared: Prepared, matches: MatchResult,
           out_dir: str | Path, summary: RunSummary | None = None,
           decisions: pd.DataFrame | None = None) -> Path:
    """Write the duplicate report (with all pairs as duplicate_pairs.csv beside it)."""
    from workbench.report import write_duplicate_report
    from workbench.summary import list_decisions

    if decisions is None:
        decisions = list_decisions(ctx.state_path, matches)
    return write_duplicate_report(matches, prepared, ctx.con, ctx.definition,
                                  Path(out_dir) / "duplicate_report.html", summary=summary,
                                  decisions=decisions)


def _versions() -> dict[str, str]:
    out = {}
    for name in ("workbench", "pandas", "duckdb", "recordlinkage", "openpyxl", "phonenumbers",
                 "python-stdnum", "rapidfuzz"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


class _Steps:
    """Times each step of a run, logs it and moves the progress bar."""

    def __init__(self, total: int, progress: bool) -> None:
        self.timings: dict[str, float] = {}
        self.bar = tqdm(total=total, desc="workbench run", unit="step", disable=not progress,
                        leave=False)

    def __call__(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        self.timings[name] = round(time.perf_counter() - t0, 3)
        log.info("%s: %.2f s", name, self.timings[name])
        self.bar.set_postfix_str(name)
        self.bar.update(1)
        return out


@contextmanager
def _run_log(path: Path) -> Iterator[None]:
    """The run's own log file, beside the terminal's."""
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)  # the file always gets the step timings; the terminal decides
    try:
        yield
    finally:
        log.removeHandler(handler)
        handler.close()


@contextmanager
def _spill(ctx: RunContext, out_dir: Path) -> Iterator[None]:
    """DuckDB spills what does not fit its memory limit beside the staging folder; gone after."""
    folder = out_dir / f".staging-{ctx.run_id}.spill"
    spill_to(ctx.con, folder)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _choose_and_prepare(ctx: RunContext, settings: RunSettings, raw: pd.DataFrame,
                        profile: dict, stage: Path) -> tuple[RunContext, Prepared]:
    """The run's definition (saved beside the outputs) and the prepared rows."""
    log.info("%s", settings.definition_note or (
        f"Definition: {settings.definition_path}" if settings.definition_path
        else "Definition: suggested from the file (saved as definition.yml)"))
    definition = choose_definition(raw, settings.definition_path, profile)
    if settings.target:  # the command line's target wins over the definition's
        definition = replace(definition, target=settings.target)
    from workbench.crm.target_fields import target_layout

    # an unknown target, a bad number series or a field the target lacks fails now, not after
    # the matching
    source = str(settings.definition_path) if settings.definition_path else None
    target_layout(definition, source)
    ctx = ctx.with_definition(definition)
    ctx.definition.save(stage / "definition.yml")
    return ctx, prepare(ctx, raw, str(settings.input_path))


def _manifest(ctx: RunContext, settings: RunSettings, started: datetime, raw: pd.DataFrame,
              prepared: Prepared, matches: MatchResult, changeset: ChangeSet,
              summary: RunSummary, timings: dict[str, float], files: dict[str, Path]) -> dict:
    """What the run read, used and wrote, with the checksums of its files."""
    info = raw.attrs.get("read_info", {})
    return {
        "run_id": ctx.run_id,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "input": {"path": str(Path(settings.input_path).resolve()),
                  "sha256": file_sha256(settings.input_path), "rows": len(raw),
                  "format": info.get("format"), "encoding": info.get("encoding"),
                  "sheet": info.get("sheet"), "blank_rows": int(prepared.blank.sum()),
                  "warnings": info.get("warnings", [])},
        "crm_snapshot": {"path": str(ctx.crm_path.resolve()), "sha256": ctx.crm_sha256},
        "state": str(ctx.state_path.resolve()),
        "definition": ctx.definition.to_dict(),
        "definition_path": str(settings.definition_path) if settings.definition_path
        else str(Path(settings.out_dir) / "definition.yml"),
        "versions": _versions(),
        "summary": summary.to_dict(),  # the run's counts as the notebooks and reports show them
        "counts": changeset.counts,  # rows per status and per action, records per file
        # how matching went: the pair counts as in the summary, and the capped blocking keys
        "matching": {"pairs_scored": summary.pairs_scored, "pairs_review": summary.pairs_review,
                     **{k: v for k, v in matches.counts.items()
                        if k in ("keys_capped", "pairs_capped", "capped_keys")}},
        "problems": summary.problems,
        "repairs_of": str(Path(settings.repairs_of).resolve()) if settings.repairs_of else None,
        "timings_seconds": timings,
        "files": {name: {"sha256": file_sha256(path), "bytes": path.stat().st_size}
                  for name, path in sorted(files.items())},
    }


def _steps(ctx: RunContext, settings: RunSettings, stage: Path, steps: _Steps
           ) -> tuple[RunContext, pd.DataFrame, Prepared, MatchResult, ChangeSet, RunSummary,
                      dict]:
    """Read, profile, prepare, match, build, summarise, export and report, each timed."""
    raw = steps("read", _read, settings)
    with shared_parses():  # the profile's checks and the standardisation parse a value once
        profile = steps("profile", profile_input, raw, stage, file=str(settings.input_path))
        ctx, prepared = steps("map_standardise_validate", _choose_and_prepare, ctx, settings,
                              raw, profile, stage)
    matches = steps("match", match, ctx, prepared)
    changeset = steps("changeset", build, ctx, prepared, matches)
    release_cache(ctx.con, ctx.memory_bytes)  # the next steps read little of the snapshot
    from workbench.summary import list_decisions

    decisions = list_decisions(ctx.state_path, matches)
    summary = steps("summary", summarise, ctx, prepared, matches, changeset, decisions)
    files = steps("export", export, ctx, prepared, changeset, stage)
    files["duplicate_report.html"] = steps("report", report, ctx, prepared, matches, stage,
                                           summary, decisions)
    files["duplicate_pairs.csv"] = stage / "duplicate_pairs.csv"
    if settings.repairs_of is not None:  # the list's record, the repaired rows in their place
        from workbench.export import write_csv
        from workbench.repair import LIST_OUTCOMES, list_outcomes

        with speaking(ctx.definition.language):
            outcomes = list_outcomes(settings.repairs_of, changeset.outcomes, ctx.run_id)
        files[LIST_OUTCOMES] = write_csv(outcomes, stage / LIST_OUTCOMES)
    return ctx, raw, prepared, matches, changeset, summary, files


def _read(settings: RunSettings) -> pd.DataFrame:
    """The incoming file, or the fixed rows of an earlier run's rejects workbook."""
    if settings.repairs_of is not None:
        from workbench.read.limits import Limits
        from workbench.repair import read_repairs

        # a rejects workbook is read through the limits of any list: it may be hostile too
        return read_repairs(settings.input_path, settings.repairs_of,
                            Limits(max_rows=settings.max_rows, max_bytes=settings.max_bytes,
                                   max_columns=settings.max_columns))
    return read_input(settings.input_path, settings.sheet, max_rows=settings.max_rows,
                      max_bytes=settings.max_bytes, max_columns=settings.max_columns)


def run(settings: RunSettings, *, progress: bool = False) -> RunResult:
    """Read, profile, map, standardise, validate, match, build and export in one go (batch)."""
    started = datetime.now(UTC)
    out_dir = Path(settings.out_dir)
    if settings.repairs_of is not None:  # the original run's definition unless told otherwise
        from workbench.repair import check_repair_folders

        saved = check_repair_folders(settings.repairs_of, out_dir)
        settings = replace(settings, definition_path=settings.definition_path or saved)
    # Everything is written to a staging folder and moved into place at the end, manifest last:
    # a run killed half-way leaves the previous complete output (or none), never a mix; the
    # folder is the workbench's own (new, empty or an earlier run's) and locked while in use.
    with open_run(settings.crm_path, state_path=settings.state_path,
                  memory_bytes=settings.memory_bytes) as ctx, \
            claim_folder(out_dir, ctx.run_id) as stage, _spill(ctx, out_dir):
        steps = _Steps(8, progress)
        with _run_log(stage / "run.log"):
            log.info("run %s: %s against %s -> %s", ctx.run_id, settings.input_path,
                     settings.crm_path, out_dir)
            try:
                ctx, raw, prepared, matches, changeset, summary, files = _steps(
                    ctx, settings, stage, steps)
            except Exception as exc:
                # in run.log; the terminal gets the one-line message from the caller
                log.info("run %s failed: %s", ctx.run_id, exc)
                record_failed_run(ctx.state_path, ctx.run_id, started_at=started,
                                  input_path=str(settings.input_path), error=exc)
                raise
            finally:
                steps.bar.close()
        for name in ("profile.json", "profile.html", "definition.yml", "run.log"):
            files[name] = stage / name
        manifest = _manifest(ctx, settings, started, raw, prepared, matches, changeset,
                             summary, steps.timings, files)
        files["manifest.json"] = write_json(manifest, stage / "manifest.json")
        files = publish(stage, out_dir, files)
    record_run(ctx.state_path, ctx.run_id, started_at=started, input_path=str(settings.input_path),
               input_sha256=manifest["input"]["sha256"], rows=len(raw), out_dir=str(out_dir),
               status="finished", counts=manifest["counts"])
    return RunResult(run_id=ctx.run_id, out_dir=out_dir, manifest=manifest, changeset=changeset,
                     matches=matches, prepared=prepared, summary=summary, files=files)
