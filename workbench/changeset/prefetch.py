"""The CRM records the change set reads, fetched in the background while the rows are merged."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

import duckdb


class CrmReads:
    """Queries started at once, each on its own cursor of the snapshot, and taken when needed:
    DuckDB scans without holding Python's lock, so a scan of the CRM runs on the other core while
    the merging of the rows (Python) goes on."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="crm-read")
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._pending: dict[str, Future] = {}

    def start(self, name: str, read: Callable[..., Any], *args: Any) -> None:
        """Start ``read(cursor, *args)`` in the background, to be taken by ``name``."""
        cursor = self._con.cursor()
        self._cursors.append(cursor)
        self._pending[name] = self._pool.submit(read, cursor, *args)

    def take(self, name: str) -> Any:
        """The result of the read started as ``name`` (waits for it; raises what it raised)."""
        return self._pending.pop(name).result()

    def __enter__(self) -> CrmReads:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for cursor in self._cursors:
            cursor.close()
