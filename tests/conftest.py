"""Shared fixtures: a small synthetic CRM snapshot and purchased list, made once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """Demo data (CRM export, incoming.xlsx, truth.csv) and its snapshot."""
    from workbench.demo import generate_demo
    from workbench.snapshot import build_snapshot

    out = tmp_path_factory.mktemp("demo")
    generate_demo(out, organisations=400, incoming=150, seed=11)
    build_snapshot(out / "crm", out / "crm.duckdb")
    return out


@pytest.fixture(scope="session")
def demo_run(demo_dir, tmp_path_factory):
    """One batch run of the pipeline on the demo data."""
    from workbench.pipeline import RunSettings, run

    out = tmp_path_factory.mktemp("run")
    return run(RunSettings(demo_dir / "incoming.xlsx", demo_dir / "crm.duckdb", out / "out",
                           state_path=out / "state.duckdb"))


@pytest.fixture
def snapshot_copy(demo_dir, tmp_path) -> Path:
    """A private copy of the demo snapshot, for tests that must not share state."""
    target = tmp_path / "crm.duckdb"
    shutil.copy(demo_dir / "crm.duckdb", target)
    return target
