"""Reads of the CRM started in the background give what the same read in the foreground gives,
and a read that fails fails where its result is taken."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from workbench.changeset.frames import crm_frame
from workbench.changeset.prefetch import CrmReads


def _snapshot(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "crm.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE persons AS SELECT 'P' || i AS person_id, "
                    "CASE WHEN i % 3 = 0 THEN NULL ELSE 'naam ' || i END AS last_name "
                    "FROM range(5000) t(i)")
    return duckdb.connect(str(path), read_only=True)


def test_background_read_is_the_foreground_read(tmp_path):
    con = _snapshot(tmp_path)
    ids = [f"P{i}" for i in range(0, 5000, 7)]
    with CrmReads(con) as reads:
        reads.start("persons", crm_frame, "persons", "person_id", ids)
        reads.start("none", crm_frame, "persons", "person_id", [])
        got, empty = reads.take("persons"), reads.take("none")
    expected = crm_frame(con, "persons", "person_id", ids)
    assert got.equals(expected) and len(got) == len(ids)
    assert empty.empty
    con.close()


def test_a_failed_read_fails_where_it_is_taken(tmp_path):
    con = _snapshot(tmp_path)
    with CrmReads(con) as reads:
        reads.start("missing", crm_frame, "organisations", "org_id", ["ORG-1"])
        with pytest.raises(duckdb.CatalogException):
            reads.take("missing")
    con.close()
