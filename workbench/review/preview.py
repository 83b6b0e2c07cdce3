"""The change set a review would give: the stored decisions applied by matching and building again."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.context import RunContext
    from workbench.pipeline import Prepared


def changeset_counts(ctx: RunContext, prepared: Prepared) -> dict:
    """Counts per status and action when the stored decisions are applied (match + build again)."""
    from workbench.pipeline import build, match

    return build(ctx, prepared, match(ctx, prepared)).counts
