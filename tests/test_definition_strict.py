"""Strict definitions: every key typed, misspellings named, aliases refused, one table of settings."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import fields
from pathlib import Path

import pytest

from workbench.definition import (
    SETTINGS,
    Definition,
    Setting,
    Thresholds,
    definition_from_dict,
    load_definition,
)
from workbench.errors import DefinitionError

STRICT_CASES = [
    {"description": "quoted false is refused, not read as true",
     "input": 'actions:\n  create_new: "false"\n',
     "expected": ["actions.create_new", "quotes"]},
    {"description": "misspelt key in actions",
     "input": "actions:\n  updte_policy: overwrite\n",
     "expected": ["updte_policy", "did you mean 'update_policy'?"]},
    {"description": "misspelt key in match",
     "input": "match:\n  treshold:\n    match: 0.8\n",
     "expected": ["treshold", "did you mean 'thresholds'?"]},
    {"description": "misspelt classifier key",
     "input": "match:\n  clasifier: ecm\n",
     "expected": ["clasifier", "did you mean 'classifier'?"]},
    {"description": "misspelt key inside thresholds",
     "input": "match:\n  thresholds:\n    reveiw: 0.4\n",
     "expected": ["match.thresholds", "did you mean 'review'?"]},
    {"description": "misspelt section",
     "input": "acions:\n  create_new: false\n",
     "expected": ["unknown section 'acions'", "did you mean 'actions'?"]},
    {"description": "a section of the wrong type",
     "input": "match: [1, 2]\n",
     "expected": ["match: expected 'key: value' lines, got a list"]},
    {"description": "a nested section of the wrong type",
     "input": "match:\n  thresholds: 0.8\n",
     "expected": ["match.thresholds: expected 'key: value' lines"]},
    {"description": "a quoted threshold",
     "input": "match:\n  thresholds:\n    match: '0.8'\n",
     "expected": ["match.thresholds.match", "number between 0 and 1"]},
    {"description": "a threshold above one",
     "input": "match:\n  thresholds:\n    match: 1.5\n",
     "expected": ["match.thresholds.match", "between 0 and 1"]},
    {"description": "a misspelt choice names the nearest",
     "input": "match:\n  classifier: ecn\n",
     "expected": ["match.classifier", "did you mean 'ecm'?"]},
    {"description": "a list given as one word",
     "input": "actions:\n  inherit: address\n",
     "expected": ["actions.inherit", "expected a list"]},
    {"description": "a policy for a field that does not exist",
     "input": "actions:\n  field_policies:\n    org_phon: leave\n",
     "expected": ["actions.field_policies", "did you mean 'org_phone'?"]},
    {"description": "YAML's Norway problem in a fixed value",
     "input": "fixed:\n  org_country: NO\n",
     "expected": ["fixed.org_country", "put it in quotes"]},
    {"description": "a flag left empty",
     "input": "actions:\n  create_new:\n",
     "expected": ["actions.create_new: no value given"]},
    {"description": "a name that is a list",
     "input": "name: [a, b]\n",
     "expected": ["name: expected text"]},
    {"description": "an export header that is a formula",
     "input": "export:\n  headers:\n    organisations.name: '=HYPERLINK(\"http://x\",\"y\")'\n",
     "expected": ["export.headers.organisations.name", "formula"]},
    {"description": "nesting deeper than Python's recursion",
     "input": "match:\n  organisation: " + "[" * 5000 + "]" * 5000 + "\n",
     "expected": ["nested too deeply"]},
    {"description": "a long misspelt value is cut short in the message",
     "input": "match:\n  classifier: " + "e" * 10_000 + "\n",
     "expected": ["match.classifier: 'eeee", "...", "use points, ecm, logistic"]},
    {"description": "an export header starting with @",
     "input": "export:\n  headers:\n    persons.last_name: '@SUM(1+1)'\n",
     "expected": ["export.headers.persons.last_name", "formula"]},
]


@pytest.mark.parametrize("case", STRICT_CASES, ids=[c["description"] for c in STRICT_CASES])
def test_strict_problems_are_named(case, tmp_path):
    path = tmp_path / "def.yml"
    path.write_text(case["input"], encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_definition(path)
    text = str(exc.value)
    for expected in case["expected"]:
        assert expected in text
    assert str(path) in text and len(text) < 1000


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "def.yml"
    path.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(DefinitionError, match="not UTF-8"):
        load_definition(path)


def test_all_problems_of_one_file_together():
    data = {"actions": {"create_new": "false", "updte_policy": "x"}, "match": [1, 2],
            "export": {"headers": {"organisations.name": "=1+1"}}}
    with pytest.raises(DefinitionError) as exc:
        definition_from_dict(data)
    assert len(exc.value.problems) == 4


def test_plain_booleans_and_harmless_headers_still_load():
    got = definition_from_dict({"actions": {"create_new": False},
                                "export": {"headers": {"organisations.phone": "Telefoon (+31)",
                                                       "organisations.name": "Naam"}},
                                "columns": {"org_name": 2024}})
    assert got.create_new is False and got.columns == {"org_name": "2024"}
    assert got.export_headers["organisations.name"] == "Naam"


def test_an_alias_is_refused_with_its_line(tmp_path):
    path = tmp_path / "alias.yml"
    path.write_text("fixed:\n  org_city: &city Delft\ndefaults:\n  org_city: *city\n",
                    encoding="utf-8")
    with pytest.raises(DefinitionError, match="line 4: YAML aliases"):
        load_definition(path)


# "Billion laughs": nine levels of ten aliases each, 10^9 strings once expanded.
BOMB = "fixed:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9))


def test_alias_bomb_exits_2_with_one_line_in_bounded_memory(tmp_path, demo_dir):
    bomb = tmp_path / "bomb.yml"
    bomb.write_text(BOMB, encoding="utf-8")
    small = tmp_path / "lijst.csv"
    small.write_text("Bedrijfsnaam;Plaats\nBakkerij Jansen;Delft\n", encoding="utf-8")
    # The whole command under a 2 GiB address-space cap: expanding the aliases needs far more.
    script = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from workbench.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    r = subprocess.run(
        [sys.executable, "-c", script, "run", str(small), "--crm", str(demo_dir / "crm.duckdb"),
         "--out", str(tmp_path / "out"), "--definition", str(bomb), "--state",
         str(tmp_path / "s.duckdb"), "--quiet"],
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    # `run` also logs "run … failed: <the same line>" at ERROR level; both say what is wrong.
    assert lines and all("YAML aliases" in line and "bomb.yml" in line for line in lines)
    assert len([line for line in lines if line.startswith("workbench: ")]) == 1


def test_a_definition_file_is_bounded_in_size(tmp_path):
    path = tmp_path / "huge.yml"
    path.write_text("name: x\n" + "# padding\n" * 200_000, encoding="utf-8")
    with pytest.raises(DefinitionError, match="larger than"):
        load_definition(path)


# ------------------------------------------------------------------ the table of settings

def _sample(setting: Setting):
    """A value of the setting's kind that is not its default."""
    if setting.kind == "share":
        return {"thresholds.match": 0.95, "thresholds.review": 0.45}[setting.attr]
    if setting.kind == "choice":
        return next(c for c in setting.choices if c != setting.default)
    if setting.kind == "choice_list":
        return [setting.choices[-1]]
    if setting.kind == "choice_map":
        return {"org_phone": setting.choices[-1]}
    return {"text": "beurs 2026", "flag": not setting.default, "field_list": ["org_phone"],
            "entity_flags": {"organisations": True, "persons": False},
            "field_map": {"org_name": "Bedrijf"},
            "target_map": {"org_name": "Bedrijf", "Voorkeursmedium (Persoon)": "TEL"},
            "extra_fields": {"Zoeknaam (Persoon)": {"entity": "person", "codes": ["A"]}},
            "header_map": {"organisations.name": "Naam"}}[setting.kind]


def _put(data: dict, setting: Setting, value) -> dict:
    target = data
    for part in filter(None, setting.section.split(".")):
        target = target[part]
    target[setting.key] = value
    return data


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.where for s in SETTINGS])
def test_every_setting_round_trips(setting):
    value = _sample(setting)
    plain_default = list(setting.default) if isinstance(setting.default, tuple) else setting.default
    assert value is not None and value != plain_default
    data = _put(Definition().to_dict(), setting, value)
    assert definition_from_dict(data).to_dict() == data


def test_the_table_covers_every_attribute_of_a_definition():
    attrs = {s.attr.partition(".")[0] for s in SETTINGS}
    assert attrs == {f.name for f in fields(Definition)}


def test_default_definition_yaml_loads_back_equal(tmp_path):
    path = Definition().save(tmp_path / "default.yml")
    assert load_definition(path) == Definition()
    assert definition_from_dict({}) == Definition()


def test_a_definition_that_would_not_load_is_not_saved(tmp_path):
    bad = Definition(export_headers={"organisations.name": "=cmd|' /C calc'!A0"})
    with pytest.raises(DefinitionError, match="formula"):
        bad.save(tmp_path / "bad.yml")
    assert not (tmp_path / "bad.yml").exists()


def test_a_definition_saved_before_the_settings_table_loads_and_saves_the_same(tmp_path):
    # Written by the 0.1 loader (one non-default value for every key): the layout is unchanged.
    saved = Path(__file__).parent / "data" / "definitions" / "saved_by_0_1.yml"
    definition = load_definition(saved)
    assert definition.thresholds == Thresholds(0.8, 0.4) and definition.classifier == "ecm"
    assert definition.create_new is False and definition.default_region == "BE"
    # settings added since then are written after it, with their defaults
    assert definition.to_yaml() == saved.read_text(encoding="utf-8") + "  date_formats: {}\n"
