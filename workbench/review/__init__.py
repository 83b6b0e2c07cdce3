"""Review of doubtful pairs: the queue (``queue``), its HTML (``html``), the change-set preview
(``preview``); the ipywidgets screen lives in ``workbench.widgets.review``.

Every name is importable from here, as before the split; the screen's names are imported only
when asked, so the queue logic does not pull in ipywidgets.
"""
from __future__ import annotations

from typing import Any

from workbench.review.html import (
    cluster_fields,
    cluster_rows,
    cluster_view_html,
    contributions,
    counts_html,
    pair_fields,
    pair_view_html,
)
from workbench.review.preview import changeset_counts
from workbench.review.queue import (
    ACTIONS,
    ACTIONS_OF_LEVEL,
    BACK,
    DIFFERENT,
    FILE_KINDS,
    KEY_OF,
    KEYS,
    LEVEL_OF_KIND,
    SAME,
    SAME_ORG,
    SKIP,
    ReviewSession,
    decide,
    file_clusters,
    filter_queue,
    pair_keys,
    question_order,
    review_queue,
    score_bands,
    stored_decision,
)

_SCREEN = ("ReviewWidget", "open_review", "pair_renderer", "cluster_renderer")

__all__ = [
    "ACTIONS", "ACTIONS_OF_LEVEL", "BACK", "DIFFERENT", "FILE_KINDS", "KEYS", "KEY_OF", "LEVEL_OF_KIND", "SAME",
    "SAME_ORG", "SKIP", "ReviewSession", "changeset_counts", "cluster_fields", "cluster_rows",
    "cluster_view_html", "contributions", "counts_html", "decide", "file_clusters",
    "filter_queue", "pair_fields", "pair_keys", "pair_view_html", "question_order", "review_queue",
    "score_bands", "stored_decision", *_SCREEN,
]


def __getattr__(name: str) -> Any:
    # The screen needs ipywidgets: import it only when one of its names is asked for.
    if name in _SCREEN:
        from workbench.widgets import review as screen

        return getattr(screen, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
