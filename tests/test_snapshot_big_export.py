"""A big CRM export is read by DuckDB's CSV reader and its match tables built in parts: the
snapshot is the one the incoming-list reader builds from the same files."""
from __future__ import annotations

import duckdb
import pytest

import workbench.snapshot as snapshot
from tests.small_crm import CONTACTS, ORGS, PERSONS, TABLES, snapshot_tables
from workbench.errors import SnapshotError


def _export(root, orgs=ORGS, encoding="utf-8", sep=","):
    root.mkdir()
    (root / "organisations.csv").write_bytes(orgs.replace(",", sep).encode(encoding))
    (root / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (root / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    return root


def _extra(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM extra").fetchall()


def test_duckdb_reader_and_parts_build_the_same_snapshot(tmp_path, monkeypatch):
    orgs = ORGS.replace("website\n", "website,Branche\n", 1).replace(
        "hoekstra-transport.nl\n", "hoekstra-transport.nl,  Vervoer \n").replace(
        "ORG-3,Van Dijk", "ORG-3,  Van Dijk Café")
    export = _export(tmp_path / "crm", orgs)
    small = snapshot.snapshot_export(export, tmp_path / "small.duckdb")
    monkeypatch.setattr(snapshot, "PART_ROWS", 2)  # four organisations: two parts
    big = snapshot.snapshot_export(export, tmp_path / "big.duckdb", csv_bytes=0)
    assert big == small
    assert big.unknown_columns == {"organisations": ("Branche",)}
    expected = snapshot_tables(tmp_path / "small.duckdb")
    got = snapshot_tables(tmp_path / "big.duckdb")
    for table in TABLES:
        assert got[table].equals(expected[table]), table
    assert got["organisations"].loc[2, "name"] == "Van Dijk Café Installatietechniek"
    assert _extra(tmp_path / "big.duckdb") == _extra(tmp_path / "small.duckdb") == [
        ("organisations", "ORG-1", "Branche", "Vervoer")]


def test_windows_1252_semicolon_export_reads_the_same(tmp_path):
    orgs = ORGS.replace("ORG-3,Van Dijk", "ORG-3,Café Van Dijk")
    export = _export(tmp_path / "crm", orgs, encoding="cp1252", sep=";")
    snapshot.snapshot_export(export, tmp_path / "small.duckdb")
    snapshot.snapshot_export(export, tmp_path / "big.duckdb", csv_bytes=0)
    got = snapshot_tables(tmp_path / "big.duckdb")["organisations"]
    assert got.equals(snapshot_tables(tmp_path / "small.duckdb")["organisations"])
    assert got.loc[2, "name"] == "Café Van Dijk Installatietechniek"


def test_duplicate_id_in_a_big_export_names_its_row(tmp_path):
    export = _export(tmp_path / "crm", ORGS.replace("ORG-4,", "ORG-2,"))
    with pytest.raises(SnapshotError, match="'ORG-2' appears twice") as caught:
        snapshot.snapshot_export(export, tmp_path / "big.duckdb", csv_bytes=0)
    assert caught.value.row == 5
