"""The run context: one snapshot connection per run, and steps that never change their inputs."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from small_crm import make_small

from workbench import snapshot
from workbench.context import open_run
from workbench.definition import suggest_definition
from workbench.pipeline import RunSettings, build, match, prepare, read_input, run
from workbench.state import save_decision


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("context")
    return {"root": root, **make_small(root)}


def test_a_run_opens_the_snapshot_once(small, tmp_path, monkeypatch):
    crm = Path(small["crm"]).resolve()
    opened: list[str] = []
    real = duckdb.connect

    def counting(database: str = ":memory:", *args, **kwargs):
        if database != ":memory:" and Path(database).resolve() == crm:
            opened.append(database)
        return real(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counting)
    monkeypatch.setattr(snapshot.duckdb, "connect", counting)
    hashed: list[Path] = []
    real_sha = snapshot.file_sha256

    def counting_sha(path):
        if Path(path).resolve() == crm:
            hashed.append(Path(path))
        return real_sha(path)

    monkeypatch.setattr("workbench.context.file_sha256", counting_sha)
    monkeypatch.setattr("workbench.pipeline.file_sha256", counting_sha)
    result = run(RunSettings(small["input"], small["crm"], tmp_path / "out",
                             state_path=tmp_path / "state.duckdb"))
    assert len(opened) == 1, opened
    assert len(hashed) == 1
    assert result.manifest["crm_snapshot"]["sha256"] == real_sha(crm)


def test_the_context_connection_is_read_only(small, tmp_path):
    with open_run(small["crm"], state_path=tmp_path / "s.duckdb") as ctx:
        with pytest.raises(duckdb.Error):
            ctx.con.execute("DELETE FROM organisations")
        assert ctx.places.get("3542") == "Utrecht"  # the CRM's own spelling per PC4
    with pytest.raises(duckdb.Error):  # closed with the run
        ctx.con.execute("SELECT 1")


def test_a_later_decision_never_loses_a_row_without_last_name(small, tmp_path):
    """A nameless row matched once and un-matched by a later "different" decision stays refused
    with its reason: matching the same prepared rows again does not drop it."""
    path = tmp_path / "nameless.csv"
    pd.DataFrame([["Jan", "", "j.devries@bakkerijjansen.nl"]],
                 columns=["Voornaam", "Achternaam", "E-mail"]).to_csv(path, sep=";", index=False)
    definition = replace(suggest_definition(["Voornaam", "Achternaam", "E-mail"]),
                         columns={"person_first_name": "Voornaam",
                                  "person_last_name": "Achternaam", "contact_email": "E-mail"},
                         person_keys=("fuzzy",))
    state = tmp_path / "state.duckdb"
    with open_run(small["crm"], definition=definition, state_path=state) as ctx:
        prepared = prepare(ctx, read_input(path))
        refused_before = prepared.rejections.copy()
        first = match(ctx, prepared)
        row = first.rows.iloc[0]
        assert row["crm_person_id"] == "PER-1"  # found by its e-mail and first name
        assert build(ctx, prepared, first).outcomes.iloc[0]["status"] == "accepted"
        save_decision(state, "person", row["person_fp"], "PER-1", "different")
        again = match(ctx, prepared)
        pd.testing.assert_series_equal(prepared.rejections, refused_before)  # input unchanged
        outcome = build(ctx, prepared, again).outcomes.iloc[0]
    assert outcome["status"] == "rejected"
    assert outcome["reason"] == "no organisation name and no last name"


def test_the_cache_a_step_left_in_duckdb_is_given_back_and_the_limit_stays(tmp_path):
    from workbench.context import limit_memory, release_cache

    path = tmp_path / "big.duckdb"
    with duckdb.connect(str(path)) as con:  # some 200 MB of text that does not compress
        con.execute("CREATE TABLE t AS SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s "
                    "FROM range(3000000) r(i)")
    con = duckdb.connect(str(path), read_only=True)
    limit_memory(con, 2 * 1024**3)

    def cached() -> int:
        return con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                           "WHERE tag = 'BASE_TABLE'").fetchone()[0]

    con.execute("SELECT max(s) FROM t").fetchone()
    before = cached()
    assert before > 80 * 1024**2  # the scan left the table's blocks cached
    release_cache(con, 2 * 1024**3)
    assert cached() <= 64 * 1024**2 < before  # no more than the floor stays
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "1.0 GiB"
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 3_000_000  # still readable
    con.close()
