"""FEBRL4 quality floor on a 1,000-entity sample, through the normal pipeline (person-only)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
febrl = pytest.importorskip("febrl")

# What the matcher reaches today on this sample; the target (recall 0.985) is not met
# yet: rows the pipeline rejects (no surname, impossible birth date) count as misses.
FLOOR = {"points": {"precision": 0.99, "recall": 0.75},
         "ecm": {"precision": 0.99, "recall": 0.90}}


@pytest.mark.parametrize("classifier", sorted(FLOOR))
def test_febrl4_sample_quality_floor(tmp_path, classifier):
    got = febrl.febrl4(tmp_path, classifier, sample=1000)
    assert got["precision"] >= FLOOR[classifier]["precision"]
    assert got["recall"] >= FLOOR[classifier]["recall"]
