"""The Dutch notebooks (notebooks/nl): the English notebooks' code, Dutch words around it.

A Dutch notebook's code cells are the English ones with comments translated; its parameters cell
differs only in ``language = "nl"`` and in paths one folder deeper. So a change to an English
code cell fails here until it is copied to the Dutch notebook, and the two never drift.
"""
from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path

import nbformat
import papermill as pm
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NL_DIR = NB_DIR / "nl"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("*.ipynb"))


def _code(source: str) -> list[str]:
    """The code of a cell without its comments, line by line."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type != tokenize.COMMENT]
    return [line.rstrip() for line in tokenize.untokenize(tokens).splitlines() if line.strip()]


def _in_dutch(cell: nbformat.NotebookNode) -> str:
    """What the Dutch notebook's copy of an English code cell must hold (comments aside)."""
    if "parameters" not in cell.metadata.get("tags", []):
        return cell.source
    return cell.source.replace("\nlanguage = None", '\nlanguage = "nl"').replace('"../', '"../../')


def test_every_notebook_has_a_dutch_one():
    assert sorted(p.name for p in NL_DIR.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_dutch_code_is_the_english_code(name):
    english = nbformat.read(NB_DIR / name, as_version=4)
    dutch = nbformat.read(NL_DIR / name, as_version=4)
    assert [c.cell_type for c in dutch.cells] == [c.cell_type for c in english.cells]
    for i, (en, nl) in enumerate(zip(english.cells, dutch.cells, strict=True)):
        if en.cell_type == "code":
            assert _code(nl.source) == _code(_in_dutch(en)), \
                f"notebooks/nl/{name} cell {i}: copy the English code cell (comments may differ)"
            assert nl.metadata.get("tags", []) == en.metadata.get("tags", [])
        else:
            assert nl.source != en.source, f"notebooks/nl/{name} cell {i} is not translated"
    assert set(pm.inspect_notebook(NL_DIR / name)) == set(pm.inspect_notebook(NB_DIR / name))
    language = pm.inspect_notebook(NL_DIR / name)["language"]["default"]
    assert language == '"nl"'


# what each Dutch notebook says in Dutch (and not in English) when it runs on the demo
DUTCH = {
    "01_profile.ipynb": ("Waarschuwingen", "<b>Warnings</b>"),
    "02_mapping.ipynb": ("Definitie: ", "Definition: "),
    "03_matching.ipynb": ("<td>rijen gelezen</td>", "<td>rows read</td>"),
    "04_review.ipynb": ("paren te beoordelen", "pairs to review"),
    "05_export.ipynb": ("<td>rijen gelezen</td>", "<td>rows read</td>"),
    "pipeline.ipynb": ("<td>rijen gelezen</td>", "<td>rows read</td>"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_dutch_notebook_runs_on_demo_data(name, demo_dir, tmp_path):
    params = {"input_path": str(demo_dir / "incoming.xlsx"),
              "crm_path": str(demo_dir / "crm.duckdb"), "out_dir": str(tmp_path / "out"),
              "state_path": str(tmp_path / "state.duckdb"),
              "definitions_dir": str(tmp_path / "definitions")}
    params = {k: v for k, v in params.items() if k in pm.inspect_notebook(NL_DIR / name)}
    out = tmp_path / name
    pm.execute_notebook(NL_DIR / name, out, parameters=params, kernel_name="python3",
                        cwd=str(NL_DIR), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error"]
    text = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"],
                      ensure_ascii=False)
    dutch, english = DUTCH[name]
    assert dutch in text and english not in text
    if name == "01_profile.ipynb":
        page = (tmp_path / "out" / "profile.html").read_text(encoding="utf-8")
        assert '<html lang="nl">' in page and "Kolom " in page
