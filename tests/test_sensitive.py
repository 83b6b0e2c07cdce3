"""BSNs and birth dates found by their content, whatever their column is called: masked in every
report, log and message, never taken for a phone number."""
from __future__ import annotations

import json

import yaml
from small_crm import HEADER, INCOMING, make_small

from workbench.cli import main
from workbench.privacy import sensitive_content

# Two BSNs that pass the 11-test and four with a typo: a list as careless as they come.
BSNS = ["111222333", "835337406", "123456789", "987654321", "987654322", "987654323"]
BIRTH_DATES = ["12-03-1985", "01-01-1970", "30-11-1962", "05-06-1990", "07-08-1978",
               "22-02-1981"]


def _list_with_ids(root):
    """The small list without its phone column, with a BSN column "Id" and "Geb. datum"."""
    keep = [i for i, h in enumerate(HEADER) if h != "Telefoon"]
    rows = [[r[i] for i in keep] + [b, d] for r, b, d in zip(INCOMING, BSNS, BIRTH_DATES,
                                                            strict=True)]
    return make_small(root, rows, [HEADER[i] for i in keep] + ["Id", "Geb. datum"])


def test_content_decides_what_is_sensitive():
    assert sensitive_content(BSNS) == "bsn"
    assert sensitive_content(BIRTH_DATES) == "birth_date"
    # phones written without their 0, and an order date of last year, are neither
    assert sensitive_content(["201234567", "612345678", "301234567"]) is None
    assert sensitive_content(["12345678", "87654321"]) is None  # KvK numbers
    assert sensitive_content(["01-01-2025", "15-06-2025"]) is None


def test_a_bsn_column_named_id_is_masked_everywhere_and_never_a_phone(tmp_path, capsys):
    small = _list_with_ids(tmp_path / "crm")
    out = tmp_path / "out"
    assert main(["run", str(small["input"]), "--crm", str(small["crm"]), "--out", str(out),
                 "--verbose"]) == 0
    terminal = capsys.readouterr()
    profile = {c["name"]: c for c in json.loads((out / "profile.json").read_text())["columns"]}
    assert profile["Id"]["meaning"] == "bsn" and profile["Id"]["masked"]
    assert profile["Geb. datum"]["masked"]
    assert profile["Id"]["top_values"][0][0] == "*********"
    assert profile["Geb. datum"]["top_values"][0][0] == "**-**-****"
    # suggested as the person's BSN (never as a phone), and matched on
    definition = yaml.safe_load((out / "definition.yml").read_text())
    assert [t for t, c in definition["columns"].items() if c == "Id"] == ["person_bsn"]
    assert definition["match"]["person"][0] == "bsn"
    texts = {p.name: p.read_text(encoding="utf-8-sig") for p in out.iterdir()
             if p.suffix in (".csv", ".html", ".json", ".log", ".yml")}
    texts["terminal"] = terminal.out + terminal.err
    assert {"profile.html", "profile.json", "run.log", "problems.csv",
            "duplicate_report.html"} <= set(texts)
    for name, text in texts.items():
        # the change set to load carries the BSNs the persons get (a file to load, no report)
        for value in BSNS if name not in ("persons_insert.csv", "persons_update.csv") else ():
            assert value not in text, (name, value)
        if name.startswith("profile"):
            for value in BIRTH_DATES:
                assert value not in text, (name, value)
    assert not any(f"+31{b}" in text for b in BSNS for text in texts.values())
    assert "111222333" in texts["persons_update.csv"]  # Anna Bakker's BSN fills her empty one
