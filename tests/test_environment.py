"""environment.yml must stay a thin wrapper around pyproject.toml, the single source of truth."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[\s\[<>=!~;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_delegates_to_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = env["dependencies"]
    pip_block = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert any(p.replace(" ", "").startswith("-e.") for p in pip_block), "pip: must install -e ."
    pyver = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert project["requires-python"].lstrip(">=") in pyver
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for extra in project.get("optional-dependencies", {}).values()
                 for r in extra}
    conda_pkgs = {_name(d) for d in deps if isinstance(d, str)} - {"python", "pip"}
    assert conda_pkgs <= declared, f"in environment.yml but not pyproject: {conda_pkgs - declared}"


def test_every_dependency_has_a_tested_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values()
                                      for r in extra]
    assert all(">=" in r for r in reqs), [r for r in reqs if ">=" not in r]
