"""`workbench run LIST` without --definition takes the definition 02_mapping saved for this list
(``definitions/<list name>.yml``) and says which one it used; --definition still wins."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from small_crm import HEADER, make_small

from workbench.cli import main
from workbench.definition import load_definition, suggest_definition
from workbench.mapping import save_named


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("small")
    return make_small(root)


def _run(small: dict, out: Path, *extra: str) -> int:
    return main(["run", str(small["input"]), "--crm", str(small["crm"]), "--out", str(out),
                 "--state", str(out.parent / f"{out.name}.state.duckdb"), *extra])


def _saved_for_list(folder: Path) -> Path:
    # what 02 saves: the suggested mapping, its actions changed (no new organisations)
    definition = replace(suggest_definition(HEADER), create_new=False)
    return save_named(definition, folder, "in")  # the list is in.csv


def test_run_takes_the_definition_saved_for_the_list(small, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the default folder is ./definitions, as 02 sees ../definitions
    saved = _saved_for_list(tmp_path / "definitions")
    assert _run(small, tmp_path / "out") == 0
    printed = capsys.readouterr().out
    assert f"Definition: {Path('definitions') / 'in.yml'} (saved for this list in 02_mapping)" \
        in printed
    assert "saved for this list in 02_mapping" in (tmp_path / "out" / "run.log").read_text()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert Path(manifest["definition_path"]).resolve() == saved.resolve()
    assert load_definition(tmp_path / "out" / "definition.yml").create_new is False
    # its actions were followed: no organisation created
    outcomes = pd.read_csv(tmp_path / "out" / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    assert "create" not in set(outcomes["org_action"].dropna())


def test_definition_given_wins_and_none_saved_is_said(small, tmp_path, capsys):
    folder = tmp_path / "defs"
    _saved_for_list(folder)
    given = suggest_definition(HEADER).save(tmp_path / "given.yml")
    assert _run(small, tmp_path / "out1", "--definition", str(given),
                "--definitions-dir", str(folder)) == 0
    assert f"Definition: {given} (given with --definition)" in capsys.readouterr().out
    assert load_definition(tmp_path / "out1" / "definition.yml").create_new is True

    assert _run(small, tmp_path / "out2", "--definitions-dir", str(tmp_path / "empty")) == 0
    printed = capsys.readouterr().out
    assert "Definition: none saved for this list" in printed and "suggested" in printed
    assert "none saved for this list" in (tmp_path / "out2" / "run.log").read_text()
