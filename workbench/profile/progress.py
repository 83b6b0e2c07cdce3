"""A progress bar for profiling large tables in a notebook."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

LARGE = 100_000  # rows from which the notebook shows a progress bar


def progress_bar(rows: int, *, minimum: int = LARGE) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """Return a tqdm wrapper for ``profile_frame(progress=...)`` on large tables, else None."""
    if rows < minimum:
        return None
    from tqdm.auto import tqdm

    return lambda items: tqdm(items, desc="profiling columns", unit="column")
