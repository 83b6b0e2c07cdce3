"""A fixed value replaces the file's value on every row, and every text that explains it says so."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from workbench.definition import Definition
from workbench.mapping import apply_definition

ROOT = Path(__file__).resolve().parents[1]


def _markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_a_fixed_value_replaces_filled_and_empty_cells_alike():
    raw = pd.DataFrame({"source_row": [2, 3], "Naam": ["A", "B"], "Land": ["BE", ""]})
    definition = Definition(columns={"org_name": "Naam", "org_country": "Land"},
                            fixed={"org_country": "NL"})
    assert apply_definition(raw, definition)["org_country"].tolist() == ["NL", "NL"]


def test_the_mapping_notebook_says_what_a_fixed_value_does():
    text = _markdown(ROOT / "notebooks" / "02_mapping.ipynb")
    assert "fills the field where the column is empty" not in text
    assert "fixed value (it replaces the file's value on every row" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "value that overrides the file for every row" in readme
