"""Matching: exact keys, blocking rules, leveled comparisons and classifiers over recordlinkage.

Names load when first used, so that ``workbench.match.exact`` (the match-key registry the
definition reads) imports without the engine.
"""
from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "ORG_RULES": "blocking", "PERSON_RULES": "blocking", "BlockingRule": "blocking",
    "SqlBlock": "blocking", "MATCH": "classify", "NON_MATCH": "classify", "REVIEW": "classify",
    "PointsClassifier": "classify", "MatchResult": "engine", "match_rows": "engine",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'workbench.match' has no attribute {name!r}")
    return getattr(importlib.import_module(f"workbench.match.{_HOME[name]}"), name)
