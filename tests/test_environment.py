"""environment.yml and pyproject.toml name the same packages and bounds, and the installed
versions meet them (pyproject.toml is the single source of truth; environment.yml a thin wrapper)."""
from __future__ import annotations

import importlib.metadata as md
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement  # pytest's own dependency
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
ENV = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]


def _requirements(extras: list[str] | None = None) -> dict[str, Requirement]:
    """pyproject's requirements (runtime, plus the named extras or all of them), by package."""
    groups = PROJECT["optional-dependencies"]
    reqs = [*PROJECT["dependencies"],
            *(r for name in (groups if extras is None else extras) for r in groups[name])]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def _lower_bound(spec: SpecifierSet) -> Version | None:
    bounds = [Version(s.version) for s in spec if s.operator in (">=", "==", "~=")]
    return max(bounds) if bounds else None


def _conda_packages() -> dict[str, SpecifierSet]:
    """The packages environment.yml lists itself (conda syntax ``name>=1.2`` or ``name=1.2``)."""
    found = {}
    for dep in ENV:
        if isinstance(dep, str):
            name, rest = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", dep).groups()
            spec = re.sub(r"^=(?=\d)", ">=", rest.strip())  # conda's "=3.11": 3.11 or later 3.11.x
            found[canonicalize_name(name)] = SpecifierSet(spec)
    return found


def _pip_block() -> list[str]:
    return next(d["pip"] for d in ENV if isinstance(d, dict) and "pip" in d)


def test_environment_yml_installs_the_package_from_pyproject():
    (line,) = [p for p in _pip_block() if p.replace(" ", "").startswith("-e.")]
    extras = re.findall(r"\[(.*)\]", line)
    assert extras and set(extras[0].split(",")) <= set(PROJECT["optional-dependencies"]), line
    assert "test" in extras[0].split(","), "the conda environment must be able to run the tests"


def test_environment_yml_and_pyproject_agree_on_packages_and_lower_bounds():
    conda = _conda_packages()
    python = conda.pop("python")
    assert _lower_bound(python) == _lower_bound(SpecifierSet(PROJECT["requires-python"]))
    conda.pop("pip", None)
    declared = _requirements()
    assert set(conda) <= set(declared), f"not in pyproject.toml: {set(conda) - set(declared)}"
    for name, spec in conda.items():
        assert _lower_bound(spec) == _lower_bound(declared[name].specifier), name
    pip_named = {canonicalize_name(Requirement(p).name): Requirement(p) for p in _pip_block()
                 if not p.lstrip().startswith("-")}
    for name, req in pip_named.items():  # packages pip gets beside the project itself
        assert name in declared and req.specifier == declared[name].specifier, name


def test_every_dependency_has_a_lower_bound():
    missing = [str(r) for r in _requirements().values() if _lower_bound(r.specifier) is None]
    assert not missing, missing


def test_installed_versions_meet_the_declared_bounds():
    # what environment.yml installs (runtime and the extras it names) must be there and fit;
    # the other extras (bench) must fit where they are installed
    (line,) = [p for p in _pip_block() if p.replace(" ", "").startswith("-e.")]
    needed = set(_requirements(re.findall(r"\[(.*)\]", line)[0].split(",")))
    wrong = {}
    for name, req in _requirements().items():
        try:
            version = md.version(name)
        except md.PackageNotFoundError:
            if name in needed:
                wrong[name] = "not installed"
            continue
        if not req.specifier.contains(version, prereleases=True):
            wrong[name] = f"{version} does not meet {req.specifier}"
    assert not wrong, wrong
