"""The `workbench` command: exit status 0 on success, 2 and a plain message on bad input."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent / "workbench"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_full_cycle_from_the_command_line(tmp_path):
    demo = tmp_path / "demo"
    r = _run("demo-data", str(demo), "--organisations", "150", "--incoming", "60", "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert (demo / "crm" / "organisations.csv").exists() and (demo / "incoming.xlsx").exists()
    r = _run("snapshot", str(demo / "crm"), "--db", str(demo / "crm.duckdb"))
    assert r.returncode == 0, r.stderr
    r = _run("definition", "suggest", str(demo / "incoming.xlsx"))
    assert r.returncode == 0, r.stderr
    definition = yaml.safe_load(r.stdout)
    assert definition["columns"]["org_postcode"] == "Postcode"
    (tmp_path / "def.yml").write_text(r.stdout, encoding="utf-8")
    r = _run("run", str(demo / "incoming.xlsx"), "--crm", str(demo / "crm.duckdb"), "--out",
             str(tmp_path / "out"), "--definition", str(tmp_path / "def.yml"),
             "--state", str(tmp_path / "state.duckdb"))
    assert r.returncode == 0, r.stderr
    assert "accepted" in r.stdout and (tmp_path / "out" / "row_outcomes.csv").exists()
    # the snapshot can be rebuilt in place
    r = _run("snapshot", str(demo / "crm"), "--db", str(demo / "crm.duckdb"))
    assert r.returncode == 0, r.stderr


def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path, demo_dir):
    bad = tmp_path / "lijst.csv"
    bad.write_text("Bedrijfsnaam;Plaats;Plaats\nA;B;C\n", encoding="utf-8")
    r = _run("run", str(bad), "--crm", str(demo_dir / "crm.duckdb"), "--out", str(tmp_path / "o"),
             "--state", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2
    assert "lijst.csv" in r.stderr and "Plaats" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_snapshot_and_definition_exit_2(tmp_path, demo_dir):
    r = _run("run", str(demo_dir / "incoming.xlsx"), "--crm", str(tmp_path / "nope.duckdb"),
             "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "nope.duckdb" in r.stderr and "Traceback" not in r.stderr
    r = _run("run", str(demo_dir / "incoming.xlsx"), "--crm", str(demo_dir / "crm.duckdb"),
             "--out", str(tmp_path / "o"), "--definition", str(tmp_path / "missing.yml"))
    assert r.returncode == 2 and "missing.yml" in r.stderr and "Traceback" not in r.stderr


def test_definition_with_a_column_the_file_lacks(tmp_path, demo_dir):
    (tmp_path / "def.yml").write_text("columns:\n  org_name: Firma\n", encoding="utf-8")
    r = _run("run", str(demo_dir / "incoming.xlsx"), "--crm", str(demo_dir / "crm.duckdb"),
             "--out", str(tmp_path / "o"), "--definition", str(tmp_path / "def.yml"),
             "--state", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2 and "'Firma'" in r.stderr and "Bedrijfsnaam" in r.stderr


def test_help_lists_the_commands():
    r = _run("--help")
    assert r.returncode == 0
    for command in ("demo-data", "snapshot", "run", "definition"):
        assert command in r.stdout


def test_definition_suggest_takes_no_crm_option(demo_dir):
    # it used to accept --crm and ignore it; the suggestion reads the file alone
    r = _run("definition", "suggest", str(demo_dir / "incoming.xlsx"), "--crm",
             str(demo_dir / "crm.duckdb"))
    assert r.returncode == 2 and "unrecognized arguments: --crm" in r.stderr


def _subcommands(parser) -> dict[str, object]:
    """Every command line (``run``, ``definition suggest``) with its parser."""
    found = {}
    for name, sub in parser._subparsers._group_actions[0].choices.items():  # noqa: SLF001
        nested = sub._subparsers  # noqa: SLF001 - argparse has no public API for this
        if nested:
            found.update({f"{name} {n}": p for n, p in nested._group_actions[0].choices.items()})
        else:
            found[name] = sub
    return found


def test_the_readme_command_table_lists_exactly_the_options_each_command_takes():
    from workbench.cli import build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in readme.splitlines()
            if line.startswith("| `workbench ")}
    for command, sub in _subcommands(build_parser()).items():
        # a command may have a row per form (`run` and `run … --repairs-of`): together they say all
        usages = [u for u in rows if u.startswith(f"workbench {command} ")]
        assert usages, command
        documented = {o for u in usages for o in re.findall(r"--[a-z][a-z-]*", u)}
        accepted = {o for a in sub._actions for o in a.option_strings  # noqa: SLF001
                    if o.startswith("--")} - {"--help", "--verbose", "--quiet"}
        assert documented == accepted, command


def test_no_function_of_the_command_line_is_over_60_lines():
    import ast

    import workbench.cli

    tree = ast.parse(Path(workbench.cli.__file__).read_text(encoding="utf-8"))
    lengths = {f.name: f.end_lineno - f.lineno + 1 for f in ast.walk(tree)
               if isinstance(f, ast.FunctionDef)}
    assert max(lengths.values()) <= 60, {n: k for n, k in lengths.items() if k > 60}


def test_every_command_reaches_its_own_handler():
    from workbench import cli

    parser = cli.build_parser()
    for argv, func in ((["demo-data", "d"], cli._demo_data), (["snapshot", "e", "--db", "x"],
                        cli._snapshot), (["run", "i", "--crm", "c", "--out", "o"], cli._run),
                       (["batch", "i", "--crm", "c", "--definition", "d", "--out", "o"],
                        cli._batch), (["apply", "o", "--crm", "c", "--into", "t"], cli._apply),
                       (["undo", "r", "--crm", "c"], cli._undo),
                       (["definition", "suggest", "i"], cli._definition_suggest)):
        assert parser.parse_args(argv).func is func, argv
