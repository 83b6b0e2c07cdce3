"""The whole run, read to exported change set, as named steps the notebooks and the CLI share."""
from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from workbench.changeset import ChangeSet, build_changeset
from workbench.definition import Definition, load_definition, suggest_definition
from workbench.errors import WorkbenchError
from workbench.export import export_changeset, write_json
from workbench.mapping import apply_definition
from workbench.match.engine import MatchResult, match_rows
from workbench.profile import profile_frame, write_profile
from workbench.read import read_table
from workbench.read.contacts import contact_export_columns
from workbench.snapshot import file_sha256, open_snapshot
from workbench.standardise import StandardiseOptions, standardise_frame
from workbench.state import default_state_path, load_decisions, record_run
from workbench.validate import blank_rows, existing_only, extra_contacts, move_dates, row_rejections

log = logging.getLogger("workbench")


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

    @property
    def state(self) -> Path:
        """The state file in use."""
        return Path(self.state_path) if self.state_path else default_state_path(self.crm_path)


@dataclass
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
    files: dict[str, Path] = field(default_factory=dict)


def new_run_id() -> str:
    """A sortable, unique run id."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


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
    definition = suggest_definition(headers, meanings)
    # Outlook / Google / vCard exports have fixed headers: their own table is exact
    export = contact_export_columns(headers, raw.attrs.get("read_info", {}).get("export"))
    if export:
        definition = replace(definition, columns={t: export[t] for t in definition.columns
                                                  if t in export} | export)
    return definition


def crm_places(crm_path: str | Path) -> dict[str, str]:
    """PC4 -> the CRM's most common spelling of the place there, so the CRM stays consistent."""
    with open_snapshot(crm_path) as con:
        rows = con.execute(
            "SELECT substr(replace(postcode, ' ', ''), 1, 4) AS pc4, mode(city) FROM organisations "
            "WHERE city IS NOT NULL AND postcode IS NOT NULL GROUP BY 1").fetchall()
    return {pc4: city for pc4, city in rows if pc4 and city}


def prepare(raw: pd.DataFrame, definition: Definition, source: str | None = None,
            crm_path: str | Path | None = None) -> Prepared:
    """Map, standardise and check every row (place names spelled as the CRM does, if given)."""
    mapped = apply_definition(raw, definition, source)  # fixed values already override
    options = StandardiseOptions(default_region=definition.default_region,
                                 lookup_city_from_postcode=definition.lookup_city_from_postcode,
                                 crm_places=crm_places(crm_path) if crm_path else None)
    std, problems = standardise_frame(mapped, options)
    blank = blank_rows(raw)
    std["org_move_date"], bad_dates = move_dates(mapped)
    # an id the CRM gave the person: matched as given (trimmed), never standardised
    std["person_crm_id"] = (mapped["person_crm_id"].map(lambda v: str(v).strip() or None
                                                         if v is not None else None)
                            if "person_crm_id" in mapped else None)
    extra, bad_extra = extra_contacts(mapped)
    std = pd.concat([std, extra], axis=1)
    rejections = row_rejections(std, problems, definition.reject_invalid)
    for more in (bad_dates, bad_extra):
        rejections = rejections.where(more.isna(), rejections.fillna("").str.cat(
            more.fillna(""), sep="; ").str.strip("; "))
    rejections[blank] = None
    return Prepared(raw=raw, mapped=mapped, std=std, problems=problems, blank=blank,
                    rejections=rejections, pending=existing_only(std, rejections) & ~blank)


def match(prepared: Prepared, crm_path: str | Path, definition: Definition,
          state_path: str | Path | None = None) -> MatchResult:
    """Match the valid rows against the snapshot and each other, using stored decisions."""
    decisions = load_decisions(state_path) if state_path else {}
    with open_snapshot(crm_path) as con:
        result = match_rows(prepared.valid, con, definition, decisions)
    return settle_pending(prepared, result)


def settle_pending(prepared: Prepared, result: MatchResult) -> MatchResult:
    """Rows without a last name: found (in the CRM or earlier in the file) go on, others stay refused."""
    if prepared.pending is None or not prepared.pending.any():
        return result
    rows = result.rows
    pending = rows[prepared.pending.reindex(rows.index, fill_value=False)]
    root = pending["person_root"]
    found = pending["crm_person_id"].notna() | (root.notna() & (root != pending.index))
    prepared.rejections.loc[found[found].index] = None
    result.rows = rows.drop(index=found[~found].index)
    return result


def build(prepared: Prepared, matches: MatchResult, crm_path: str | Path, definition: Definition,
          run_id: str) -> ChangeSet:
    """The change set and row outcomes."""
    with open_snapshot(crm_path) as con:
        return build_changeset(prepared.raw, prepared.std, prepared.rejections, prepared.blank,
                               matches.rows, con, definition, run_id)


def _versions() -> dict[str, str]:
    out = {}
    for name in ("workbench", "pandas", "duckdb", "recordlinkage", "openpyxl", "phonenumbers",
                 "python-stdnum", "rapidfuzz"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _publish(stage: Path, out_dir: Path, files: dict[str, Path]) -> dict[str, Path]:
    """Move the staged outputs into ``out_dir`` (manifest last) and remove the staging folder."""
    published = {}
    for name in sorted(files, key=lambda n: n == "manifest.json"):
        target = out_dir / files[name].name
        os.replace(files[name], target)
        published[name] = target
    for leftover in stage.iterdir():  # anything not listed (none expected) still lands
        os.replace(leftover, out_dir / leftover.name)
    stage.rmdir()
    for old in out_dir.glob(".staging-*"):  # folders of runs killed more than a day ago
        if time.time() - old.stat().st_mtime > 86400:
            shutil.rmtree(old, ignore_errors=True)
    return published


def run(settings: RunSettings, *, progress: bool = False) -> RunResult:
    """Read, profile, map, standardise, validate, match, build and export in one go (batch)."""
    from workbench.report import write_duplicate_report

    timings: dict[str, float] = {}
    started = datetime.now(UTC)
    run_id = new_run_id()
    out_dir = Path(settings.out_dir)
    # Everything is written to a staging folder and moved into place at the end, manifest last:
    # a run killed half-way leaves the previous complete output (or none), never a mix.
    stage = out_dir / f".staging-{run_id}"
    stage.mkdir(parents=True, exist_ok=True)
    with open_snapshot(settings.crm_path):  # a missing or foreign snapshot fails before any work
        pass
    crm_sha_before = file_sha256(settings.crm_path)
    handler = logging.FileHandler(stage / "run.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)  # the file always gets the step timings; the terminal decides
    bar = tqdm(total=7, desc="workbench run", unit="step", disable=not progress, leave=False)
    log.info("run %s: %s against %s -> %s", run_id, settings.input_path, settings.crm_path, out_dir)

    def step(name: str, t0: float) -> None:
        timings[name] = round(time.perf_counter() - t0, 3)
        log.info("%s: %.2f s", name, timings[name])
        bar.set_postfix_str(name)
        bar.update(1)

    try:
        t0 = time.perf_counter()
        raw = read_input(settings.input_path, settings.sheet, max_rows=settings.max_rows,
                         max_bytes=settings.max_bytes, max_columns=settings.max_columns)
        step("read", t0)
        t0 = time.perf_counter()
        profile = profile_input(raw, stage, file=str(settings.input_path))
        step("profile", t0)
        t0 = time.perf_counter()
        definition = choose_definition(raw, settings.definition_path, profile)
        definition.save(stage / "definition.yml")
        prepared = prepare(raw, definition, str(settings.input_path), settings.crm_path)
        step("map_standardise_validate", t0)
        t0 = time.perf_counter()
        matches = match(prepared, settings.crm_path, definition, settings.state)
        step("match", t0)
        t0 = time.perf_counter()
        changeset = build(prepared, matches, settings.crm_path, definition, run_id)
        step("changeset", t0)
        t0 = time.perf_counter()
        files = export_changeset(changeset, raw, stage, definition.export_headers,
                                 prepared.problems)
        step("export", t0)
        t0 = time.perf_counter()
        with open_snapshot(settings.crm_path) as con:
            files["duplicate_report.html"] = write_duplicate_report(
                matches, prepared, con, definition, stage / "duplicate_report.html")
        step("report", t0)
    except Exception as exc:
        if isinstance(exc, WorkbenchError):  # the command line prints it once; run.log keeps it
            handler.handle(log.makeRecord(log.name, logging.ERROR, __file__, 0,
                                          "run %s failed: %s", (run_id, exc), None))
        else:
            log.error("run %s failed: %s", run_id, exc)
        raise
    finally:
        bar.close()
        log.removeHandler(handler)
        handler.close()
    for name in ("profile.json", "profile.html", "definition.yml"):
        files[name] = stage / name
    files["run.log"] = stage / "run.log"
    info = raw.attrs.get("read_info", {})
    if file_sha256(settings.crm_path) != crm_sha_before:  # never expected: say so loudly
        raise RuntimeError("the CRM snapshot changed during the run")
    manifest = {
        "run_id": run_id,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "input": {"path": str(Path(settings.input_path).resolve()),
                  "sha256": file_sha256(settings.input_path), "rows": len(raw),
                  "format": info.get("format"), "encoding": info.get("encoding"),
                  "sheet": info.get("sheet"), "blank_rows": int(prepared.blank.sum()),
                  "warnings": info.get("warnings", [])},
        "crm_snapshot": {"path": str(Path(settings.crm_path).resolve()), "sha256": crm_sha_before},
        "state": str(settings.state.resolve()),
        "definition": definition.to_dict(),
        "definition_path": str(settings.definition_path) if settings.definition_path
        else str(out_dir / "definition.yml"),
        "versions": _versions(),
        "counts": changeset.counts,
        "matching": matches.counts,
        "problems": int(len(prepared.problems)),
        "timings_seconds": timings,
        "files": {name: {"sha256": file_sha256(path), "bytes": path.stat().st_size}
                  for name, path in sorted(files.items())},
    }
    files["manifest.json"] = write_json(manifest, stage / "manifest.json")
    files = _publish(stage, out_dir, files)
    record_run(settings.state, run_id, input_path=str(settings.input_path),
               input_sha256=manifest["input"]["sha256"], rows=len(raw), out_dir=str(out_dir),
               status="finished")
    return RunResult(run_id=run_id, out_dir=out_dir, manifest=manifest, changeset=changeset,
                     matches=matches, prepared=prepared, files=files)
