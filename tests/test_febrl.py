"""FEBRL4 quality floor on a 1,000-entity sample, through the normal pipeline (person-only)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
febrl = pytest.importorskip("febrl")

# The targets hold for the unsupervised EM classifier (precision 0.99, recall 0.985; on
# this sample it reaches 1.000 / 0.989). The hand-set points are not tuned for FEBRL's Australian
# records and stay a lower floor (1.000 / 0.861 today).
FLOOR = {"points": {"precision": 0.99, "recall": 0.84},
         "ecm": {"precision": 0.99, "recall": 0.985}}


@pytest.mark.parametrize("classifier", sorted(FLOOR))
def test_febrl4_sample_quality_floor(tmp_path, classifier):
    got = febrl.febrl4(tmp_path, classifier, sample=1000)
    assert got["precision"] >= FLOOR[classifier]["precision"]
    assert got["recall"] >= FLOOR[classifier]["recall"]
