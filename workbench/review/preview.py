"""The change set a review would give: the stored decisions applied by matching and building again."""
from __future__ import annotations

from pathlib import Path

from workbench.definition import Definition


def changeset_counts(prepared, crm_path: str | Path, definition: Definition,
                     state_path: str | Path) -> dict:
    """Counts per status and action when the stored decisions are applied (match + build again)."""
    from workbench.pipeline import build, match

    matches = match(prepared, crm_path, definition, state_path)
    return build(prepared, matches, crm_path, definition, "preview").counts
