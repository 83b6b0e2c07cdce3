"""The run context: what one run shares, opened once and handed to every step."""
from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType

import duckdb

from workbench.definition import Definition
from workbench.snapshot import connect_snapshot, file_sha256
from workbench.state import check_state, default_state_path, load_decisions

Decisions = dict[tuple[str, str, str], str]  # (level, row fingerprint, candidate) -> same/different

DEFAULT_MEMORY = 2 * 1024**3  # bytes a run aims to stay under (`workbench run --memory`)
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
          "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_memory(text: str) -> int:
    """Bytes from a size such as ``2G``, ``512MB``, ``1.5GiB`` or ``1000000``."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(text))
    unit = found.group(2).upper() if found else None
    if unit not in _UNITS:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 2G or 512M)")
    size = int(float(found.group(1)) * _UNITS[unit])
    if size < 4 * 1024**2:
        raise ValueError(f"memory size {text!r} is below 4 MB")
    return size


def limit_memory(con: duckdb.DuckDBPyConnection, memory_bytes: int) -> None:
    """Let DuckDB use half of the run's memory (pandas holds the rest; 64 MB at least, below
    which its joins fail rather than spill); beyond it they spill to disk."""
    con.execute(f"SET memory_limit = '{max(memory_bytes // 2, 64 * 1024**2)}B'")


def release_cache(con: duckdb.DuckDBPyConnection, memory_bytes: int) -> None:
    """Give back the snapshot's blocks DuckDB keeps after a step read them: its limit lowered
    to the floor, then set again (at 10M records the change set's reads left 600 MB cached
    while pandas needed the memory for export and report)."""
    try:
        con.execute(f"SET memory_limit = '{64 * 1024**2}B'")
    except duckdb.Error:  # what cannot be evicted (a temp table in use) stays
        pass
    limit_memory(con, memory_bytes)


def spill_to(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Where DuckDB writes what does not fit in its memory limit."""
    con.execute("SET temp_directory = ?", [str(folder)])


def new_run_id() -> str:
    """A sortable, unique run id."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def crm_places(con: duckdb.DuckDBPyConnection) -> Mapping[str, str]:
    """PC4 -> the CRM's most common spelling of the place there, so the CRM stays consistent."""
    rows = con.execute(
        "SELECT substr(replace(postcode, ' ', ''), 1, 4) AS pc4, mode(city) FROM organisations "
        "WHERE city IS NOT NULL AND postcode IS NOT NULL GROUP BY 1").fetchall()
    return MappingProxyType({pc4: city for pc4, city in rows if pc4 and city})


@dataclass(frozen=True)
class RunContext:
    """One run's shared things: the snapshot (one read-only connection), the definition, the
    CRM's place names, the state file and the run id. Steps read it and never change it."""

    crm_path: Path
    con: duckdb.DuckDBPyConnection = field(repr=False)
    state_path: Path
    run_id: str
    crm_sha256: str
    places: Mapping[str, str] = field(repr=False)
    definition: Definition = Definition()
    memory_bytes: int = DEFAULT_MEMORY  # what the run aims to stay under (DuckDB gets half)

    def with_definition(self, definition: Definition) -> RunContext:
        """The same run (and connection) with another definition."""
        return replace(self, definition=definition)

    def decisions(self) -> Decisions:
        """The analyst's stored decisions, as they are now (the review adds to them)."""
        return load_decisions(self.state_path)

    def close(self) -> None:
        """Close the snapshot connection."""
        self.con.close()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_run(crm_path: str | Path, *, definition: Definition | None = None,
             state_path: str | Path | None = None, run_id: str | None = None,
             memory_bytes: int = DEFAULT_MEMORY) -> RunContext:
    """Open the snapshot read-only (once) and gather what the run shares."""
    crm_path = Path(crm_path)
    state_path = Path(state_path) if state_path else default_state_path(crm_path)
    # before any work: never the snapshot as the state file, and a state file that can be used
    check_state(state_path, crm_path)
    con = connect_snapshot(crm_path)  # a missing or foreign snapshot fails before any work
    try:
        limit_memory(con, memory_bytes)
        places = crm_places(con)
        sha = file_sha256(crm_path)
    except BaseException:
        con.close()
        raise
    return RunContext(crm_path=crm_path, con=con,
                      state_path=state_path,
                      run_id=run_id or new_run_id(), crm_sha256=sha, places=places,
                      definition=definition or Definition(), memory_bytes=memory_bytes)
