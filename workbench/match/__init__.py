"""Matching: blocking rules, leveled comparisons and a points classifier over recordlinkage."""
from __future__ import annotations

from workbench.match.blocking import ORG_RULES, PERSON_RULES, BlockingRule, SqlBlock
from workbench.match.classify import MATCH, NON_MATCH, REVIEW, PointsClassifier
from workbench.match.engine import MatchResult, match_rows

__all__ = ["ORG_RULES", "PERSON_RULES", "BlockingRule", "SqlBlock", "MATCH", "NON_MATCH",
           "REVIEW", "PointsClassifier", "MatchResult", "match_rows"]
