"""The README cannot rot: every command, notebook, output file and public name is in it."""
from __future__ import annotations

from pathlib import Path

import workbench
from workbench.cli import build_parser
from workbench.pipeline import RunSettings  # noqa: F401 - the documented entry point imports

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_every_command_is_documented():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no API
    for name in commands:
        assert f"workbench {name}" in README, name


def test_every_notebook_is_documented():
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{nb.name}" in README, nb.name


def test_every_output_file_is_documented():
    for name in ("row_outcomes.csv", "changes.parquet", "rejects.xlsx", "manifest.json",
                 "duplicate_report.html", "profile.html", "profile.json", "definition.yml",
                 "run.log", "batch_summary.csv"):
        assert name in README, name


def test_public_names_are_documented():
    for name in workbench.__all__:
        assert hasattr(workbench, name) and name in README, name


def test_readme_images_exist():
    for line in README.splitlines():
        if line.startswith("![") and "](" in line:
            target = line.split("](", 1)[1].rstrip(")")
            assert (ROOT / target).exists(), target


def test_every_module_has_a_place_in_the_code_organisation():
    section = README.split("## How the code is organised", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "workbench"
    for path in sorted(package.iterdir()):
        if path.name.startswith("_") or path.name == "py.typed":
            continue
        stem = path.name.split(".")[0]
        assert any(f"`{n}" in section for n in (f"{stem}.py", f"{stem}/", f"{stem}`")), stem
    for path in sorted((package / "match").glob("[!_]*.py")):
        assert path.name in section, path.name
