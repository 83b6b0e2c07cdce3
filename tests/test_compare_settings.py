"""A comparison set up with the wrong number of points says so plainly, also under ``python -O``."""
from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.match.compare import Exact, Similar


def test_points_must_match_the_levels():
    with pytest.raises(ValueError, match=r"comparison 'name': 3 point values for 2 levels"):
        Similar("name", label="name", cutoffs=(0.9,), points=(4.0, 1.0, -2.0))


def test_the_check_holds_without_asserts():
    # an assert would vanish under -O and let a comparison score with the wrong table
    code = ("from workbench.match.compare import Similar\n"
            "Similar('name', label='name', cutoffs=(0.9,), points=(4.0,))\n")
    r = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0 and "1 point values for 2 levels" in r.stderr


def test_a_well_formed_comparison_is_accepted():
    assert Exact("kvk", label="kvk", agree=5.0, disagree=-3.0).points == (5.0, -3.0)
