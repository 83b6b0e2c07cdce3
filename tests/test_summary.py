"""One summary of a run: every count shown by the notebooks, `workbench run`, the manifest and the
duplicate report is the same number; the report holds every accepted pair and the decisions."""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from workbench.definition import load_definition
from workbench.mapping import saved_for_list
from workbench.summary import COUNTS, RunSummary

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
LABELS = {(section, label): name for name, section, label, _ in COUNTS}
_ROW = re.compile(r"<tr class='wb-count' data-count='(\w+)'><td>[^<]*</td><td>[^<]*</td>"
                  r"<td[^>]*>(\d+)</td>")


def _html_counts(text: str) -> dict[str, int]:
    """The counts of a summary table in an HTML page or notebook output."""
    found = {name: int(n) for name, n in _ROW.findall(text)}
    assert found, "no summary table found"
    return found


def _cli_counts(stdout: str) -> dict[str, int]:
    """The counts `workbench run` printed: '  section: label N, label N'."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"^  (\w+):\s+(.*)$", line)
        if not m:
            continue
        for part in m.group(2).split(", "):
            label, number = part.rsplit(" ", 1)
            out[LABELS[(m.group(1), label)]] = int(number)
    return out


def _outputs(path: Path) -> list[dict]:
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def _text_of(outputs: list[dict]) -> str:
    return "\n".join(o.get("text", "") + o.get("data", {}).get("text/html", "")
                     + o.get("data", {}).get("text/plain", "") for o in outputs)


def _decide_one_pair(demo_dir: Path, definition_path: Path, state: Path) -> None:
    """The analyst decides one pair of the list 'different' (stored as the review does)."""
    from workbench.context import open_run
    from workbench.pipeline import match, prepare, read_input
    from workbench.state import save_decision

    raw = read_input(demo_dir / "incoming.xlsx")
    with open_run(demo_dir / "crm.duckdb", definition=load_definition(definition_path),
                  state_path=state) as ctx:
        matches = match(ctx, prepare(ctx, raw))
    pairs = matches.pairs[matches.pairs["kind"] == "crm_organisation"]
    pair = pairs.sort_values(["score", "left_row"]).iloc[-1]
    fp = matches.rows.set_index("source_row").at[pair["left_row"], "org_fp"]
    save_decision(state, "organisation", fp, str(pair["right_key"]), "different")


def test_every_count_is_the_same_number_wherever_it_is_shown(demo_dir, tmp_path):
    list_path, crm = str(demo_dir / "incoming.xlsx"), str(demo_dir / "crm.duckdb")
    state, definitions = tmp_path / "state.duckdb", tmp_path / "definitions"
    definition_path = saved_for_list(definitions, list_path)  # where 02 saves this list's
    run_nb = {}
    for name, params in (("01_profile", {"out_dir": str(tmp_path / "profile")}),
                         ("02_mapping", {"definitions_dir": str(definitions), "crm_path": crm,
                                         "state_path": str(state)})):
        pm.execute_notebook(NB_DIR / f"{name}.ipynb", tmp_path / f"{name}.ipynb",
                            parameters={"input_path": list_path, **params},
                            kernel_name="python3", cwd=str(NB_DIR), progress_bar=False)
        run_nb[name] = _text_of(_outputs(tmp_path / f"{name}.ipynb"))
    # a review band wide enough to hold pairs, and one decision of the analyst
    definition = load_definition(definition_path)
    replace(definition, thresholds=replace(definition.thresholds, match=0.9999999,
                                           review=0.0001)).save(definition_path)
    _decide_one_pair(demo_dir, definition_path, state)
    common = {"input_path": list_path, "crm_path": crm, "definition_path": str(definition_path),
              "state_path": str(state)}
    for name, extra in (("03_matching", {}), ("04_review", {}),
                        ("05_export", {"out_dir": str(tmp_path / "nb_out")})):
        pm.execute_notebook(NB_DIR / f"{name}.ipynb", tmp_path / f"{name}.ipynb",
                            parameters={**common, **extra}, kernel_name="python3",
                            cwd=str(NB_DIR), progress_bar=False)
        run_nb[name] = _text_of(_outputs(tmp_path / f"{name}.ipynb"))
    cli = subprocess.run([sys.executable, "-m", "workbench.cli", "run", list_path, "--crm", crm,
                          "--out", str(tmp_path / "cli"), "--definition", str(definition_path),
                          "--state", str(state)], capture_output=True, text=True, timeout=600)
    assert cli.returncode == 0, cli.stderr

    shown = _cli_counts(cli.stdout)
    assert set(shown) == {f.name for f in fields(RunSummary)}
    # the run has something in every part that matters here
    assert shown["rows_rejected"] and shown["rows_merged"] and shown["pairs_review"]
    assert shown["decisions_different"] == 1 and shown["rows_awaiting_review"]
    assert sum(shown[k] for k in ("rows_accepted", "rows_merged", "rows_awaiting_review",
                                  "rows_skipped", "rows_rejected")) == shown["rows_read"]
    assert shown["pairs_accepted"] + shown["pairs_review"] + shown["pairs_non_match"] \
        == shown["pairs_scored"]
    # the notebooks: 01's rows, 03's and 05's summary tables, 04's pairs to review
    assert f"{shown['rows_read']:,} rows" in run_nb["01_profile"]
    assert _html_counts(run_nb["03_matching"]) == shown
    assert f"{shown['pairs_review']} pairs to review" in run_nb["04_review"]
    assert _html_counts(run_nb["05_export"]) == shown
    assert "org_matched_crm" not in run_nb["03_matching"] and ".0<" not in run_nb["05_export"]
    assert "...</td>" not in run_nb["03_matching"] and "…</td>" not in run_nb["03_matching"]
    # the manifests of both runs and their duplicate reports
    for out in (tmp_path / "cli", tmp_path / "nb_out"):
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        flat = {k: v for section in manifest["summary"].values() for k, v in section.items()}
        assert flat == shown
        status = manifest["counts"]["status"]
        assert (status["accepted"], status["in_file_duplicate"], status["rejected"],
                status["skipped"], manifest["input"]["rows"], manifest["problems"]) == (
            shown["rows_accepted"], shown["rows_merged"], shown["rows_rejected"],
            shown["rows_skipped"] + shown["rows_awaiting_review"], shown["rows_read"],
            shown["problems"])
        assert manifest["matching"]["pairs_review"] == shown["pairs_review"]
        assert manifest["counts"]["files"]["organisations_insert"] == shown["org_new"]
        page = (out / "duplicate_report.html").read_text(encoding="utf-8")
        assert _html_counts(page) == shown
        assert f"<h3>Accepted pairs ({shown['pairs_accepted']:,})</h3>" in page
        assert f"<h3>Review band ({shown['pairs_review']:,})</h3>" in page
        decided = shown["decisions_same"] + shown["decisions_different"]
        assert f"The analyst's decisions ({decided})" in page
        assert len(pd.read_excel(out / "rejects.xlsx")) == shown["rows_rejected"]


def _big_run(tmp_path: Path):
    """A run with 400+ accepted pairs and three decisions of the analyst, made before it."""
    from workbench.context import open_run
    from workbench.demo import generate_demo
    from workbench.pipeline import RunSettings, match, prepare, read_input, run
    from workbench.snapshot import build_snapshot
    from workbench.state import save_decision

    generate_demo(tmp_path / "demo", organisations=2500, incoming=1200, seed=5)
    crm, state = tmp_path / "demo" / "crm.duckdb", tmp_path / "state.duckdb"
    build_snapshot(tmp_path / "demo" / "crm", crm)
    raw = read_input(tmp_path / "demo" / "incoming.xlsx")
    with open_run(crm, state_path=state) as ctx:
        from workbench.pipeline import choose_definition

        ctx = ctx.with_definition(choose_definition(raw))
        matches = match(ctx, prepare(ctx, raw))
    rows = matches.rows.set_index("source_row")
    org = matches.pairs[matches.pairs["kind"] == "crm_organisation"].sort_values(
        ["left_row", "score"], ascending=[True, False]).drop_duplicates("left_row")
    decided = [("organisation", org.iloc[0], "same"), ("organisation", org.iloc[1], "same"),
               ("organisation", org.iloc[2], "different")]
    for level, pair, answer in decided:
        fp = rows.at[pair["left_row"], "org_fp" if level == "organisation" else "person_fp"]
        save_decision(state, level, fp, str(pair["right_key"]), answer)
    result = run(RunSettings(tmp_path / "demo" / "incoming.xlsx", crm, tmp_path / "out",
                             state_path=state))
    return result, decided


def _report_pairs(page: str) -> dict:
    blob = page.split("<script type='application/json' id='pairs-data'>", 1)[1] \
        .split("</script>", 1)[0]
    return json.loads(blob)


def test_the_duplicate_report_holds_every_accepted_pair_and_the_decisions(tmp_path):
    result, decided = _big_run(tmp_path)
    page = (result.out_dir / "duplicate_report.html").read_text(encoding="utf-8")
    accepted = result.matches.pairs[result.matches.pairs["band"] == "match"]
    assert len(accepted) >= 400 and result.summary.pairs_accepted == len(accepted)
    data = _report_pairs(page)
    base = data["base"]
    in_page = {(p[base.index("kind")], p[base.index("left_row")], p[base.index("candidate")])
               for p in data["pairs"] if p[base.index("band")] == "match"}
    want = {(k, int(r), ("CRM " if k.startswith("crm") else "row ") + str(c))
            for k, r, c in zip(accepted["kind"], accepted["left_row"], accepted["right_key"],
                               strict=True)}
    assert in_page == want  # every accepted pair, not a sample
    # any of them found by name: the incoming row's organisation or last name is in the page
    std = result.prepared.std.set_index("source_row")
    for _, pair in accepted.sample(30, random_state=1).iterrows():
        col = "person_last_name" if pair["kind"].endswith("person") else "org_name"
        name = std.at[pair["left_row"], col]
        assert name and name in page, name
    # the analyst's decisions, with their time, in the table and on the pairs decided "same"
    cells = [[html.unescape(v) for v in re.findall(r"<td>([^<]*)</td>", row)]
             for row in re.findall(r"<tr class='decision'>(.*?)</tr>", page)]
    table = pd.DataFrame(cells, columns=["level", "incoming", "candidate", "answer",
                                         "decided at", "in run"])
    assert len(table) == len(decided) == result.summary.decisions_same \
        + result.summary.decisions_different
    assert sorted(table["answer"]) == ["non-match (different)", "same", "same"]
    assert table["decided at"].str.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$").all()
    for level, pair, _answer in decided:
        assert ((table["level"] == level) & (table["incoming"].str.contains(
            rf"\b{pair['left_row']}\b")) & (table["candidate"] == f"CRM {pair['right_key']}")).any()
    shown_decided = [p for p in data["pairs"] if p[base.index("decision")] == "same"]
    assert len(shown_decided) == 2 and all(p[base.index("decided_at")] for p in shown_decided)
    # words that do not clash: non-matches are never called rejected
    assert "rejected pairs" not in page.lower() and "Non-matches" in page
    # every pair kept, in the CSV beside the report
    csv = pd.read_csv(result.out_dir / "duplicate_pairs.csv", encoding="utf-8-sig")
    assert len(csv) == len(result.matches.pairs)
    assert (csv["band"] == "accepted").sum() == len(accepted)
    assert "duplicate_pairs.csv" in result.manifest["files"]


def test_a_page_holds_at_most_the_cap_and_says_where_the_rest_is(demo_run, tmp_path):
    from workbench.context import open_run
    from workbench.report import write_duplicate_report

    with open_run(demo_run.manifest["crm_snapshot"]["path"],
                  definition=load_definition(demo_run.out_dir / "definition.yml"),
                  state_path=tmp_path / "s.duckdb") as ctx:
        path = write_duplicate_report(demo_run.matches, demo_run.prepared, ctx.con,
                                      ctx.definition, tmp_path / "r.html", limit=5)
    page = path.read_text(encoding="utf-8")
    total = len(demo_run.matches.pairs)
    assert total > 5 and len(_report_pairs(page)["pairs"]) == 5
    assert html.escape(f"This page holds 5 of the {total:,} pairs kept") in page
    assert len(pd.read_csv(tmp_path / "duplicate_pairs.csv", encoding="utf-8-sig")) == total


def test_the_summary_table_has_integer_counts_and_full_explanations(demo_run):
    summary = demo_run.summary
    frame = summary.frame()
    assert frame["count"].dtype == "int64"
    assert len(frame) == len(COUNTS) == len(fields(RunSummary))
    assert all("…" not in text for text in frame["what it counts"])
    assert "white-space:normal" in summary.to_html()


@pytest.mark.parametrize("name", ["03_matching.ipynb", "05_export.ipynb", "pipeline.ipynb"])
def test_notebooks_show_the_summary_not_raw_dicts(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "summary" in code and "print(matches.counts)" not in code
    assert "pd.DataFrame(result.manifest['counts'])" not in code


def test_each_part_takes_the_crm_records_its_pairs_name_from_the_one_join(demo_run, tmp_path):
    from workbench.context import open_run
    from workbench.report_pairs import ORG_DISPLAY, _NamedRecords

    pairs = demo_run.matches.pairs
    assert (pairs["kind"] == "crm_organisation").sum() > 20
    with open_run(demo_run.manifest["crm_snapshot"]["path"],
                  state_path=tmp_path / "s.duckdb") as ctx:
        before = set(ctx.con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
        with _NamedRecords(pairs, ctx.con) as named:
            for start in range(0, len(pairs), 13):
                stop = min(start + 13, len(pairs))
                part = pairs.iloc[start:stop]
                ids = part.loc[part["kind"] == "crm_organisation", "right_key"].astype(str)
                mine = named.part(start, stop)["crm_organisation"]
                assert sorted(mine.index) == sorted(set(ids))
                if len(ids):  # the shown fields as a plain look-up in the snapshot gives them
                    shown = [c for c, _ in ORG_DISPLAY if c != "name"] + ["name"]
                    plain = ctx.con.execute(
                        "SELECT * FROM organisations WHERE org_id IN (SELECT unnest(?))",
                        [sorted(set(ids))]).df().set_index("org_id")
                    have = [c for c in shown if c in plain and c in mine]
                    assert len(have) >= 5
                    pd.testing.assert_frame_equal(
                        mine.loc[sorted(set(ids)), have].astype(object),
                        plain.loc[sorted(set(ids)), have].astype(object),
                        check_names=False, check_index_type=False)
        # the temp tables go with the report
        assert set(ctx.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()) == before


def test_the_report_written_in_small_parts_is_the_report_written_whole(demo_run, tmp_path,
                                                                        monkeypatch):
    from workbench import report_pairs
    from workbench.context import open_run
    from workbench.report import write_duplicate_report

    written = {}
    for parts in (None, 7):
        if parts:
            monkeypatch.setattr(report_pairs, "PAIRS_PER_PART", parts)
        folder = tmp_path / f"parts-{parts}"
        folder.mkdir()
        with open_run(demo_run.manifest["crm_snapshot"]["path"],
                      definition=load_definition(demo_run.out_dir / "definition.yml"),
                      state_path=tmp_path / "s.duckdb") as ctx:
            page = write_duplicate_report(demo_run.matches, demo_run.prepared, ctx.con,
                                          ctx.definition, folder / "r.html", limit=10)
        written[parts] = (page.read_bytes(), (folder / "duplicate_pairs.csv").read_bytes())
    assert len(demo_run.matches.pairs) > 3 * 7  # more than a few parts
    # the same page (the same ten pairs chosen among all parts) and the same CSV, byte for byte
    assert written[7] == written[None]
    assert written[7][1].count(b"\n") == len(demo_run.matches.pairs) + 1
