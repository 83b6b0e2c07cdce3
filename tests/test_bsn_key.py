"""The BSN as a person key (AFAS Profit's first person key): read into the snapshot, matched on
in the CRM and inside the file, and never shown whole outside the files meant for loading."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from crm_exports import write_export
from openpyxl import load_workbook
from small_crm import CONTACTS, ORGS, PERSONS

from workbench.definition import load_definition
from workbench.definition.suggest import suggest_definition
from workbench.errors import DefinitionError
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot

CRM_BSNS = {"PER-1": "111222333", "PER-2": "835337406"}
HEADER = ["Bedrijfsnaam", "Adres", "Postcode", "Plaats", "Telefoon", "Voorletters", "Voornaam",
          "Achternaam", "Geslacht", "BSN"]
ROWS = [
    # PER-1 (Jan de Vries) under another first name and without his prefix: the BSN decides
    ["Bakkerij Jansen BV", "Dorpsstraat 12a", "1234ab", "Amsterdam", "", "J", "Johan", "Vries",
     "", "111222333"],
    # PER-2 (Anna Bakker), her BSN written with spaces
    ["Hoekstra Transport", "Industrieweg 4", "3542AD", "Utrecht", "", "A", "Anne", "Bakker-Smit",
     "", "835 337 406"],
    # one person twice in the file, the name typed differently: the same BSN
    ["Smit Schilders V.O.F.", "Molenlaan 3", "9711 AA", "Groningen", "050-1234567", "K", "Karin",
     "Smit", "", "123456782"],
    ["Smit Schilders VOF", "Molenlaan 3", "9711AA", "Groningen", "", "C", "Carin", "Smid", "",
     "123456782"],
    # a BSN that fails the 11-test (rejects the row: person_bsn is in reject_invalid), and a
    # valid BSN typed into the phone column
    ["Jansen Installaties", "Dorpsstraat 12 B", "1234 AB", "Amsterdam", "232262536", "P", "Piet",
     "Pietersen", "", "123456789"],
    # no organisation and no last name: refused, with its BSN in the rejects
    ["", "", "", "", "", "B", "Bram", "", "", "100000009"],
    # a new person with a gender: the AFAS file carries her BSN to load
    ["Smit Schilders V.O.F.", "Molenlaan 3", "9711 AA", "Groningen", "", "E", "Eva", "Mulder",
     "V", "555555550"],
]
INPUT_BSNS = ["111222333", "835337406", "835 337 406", "123456782", "123456789", "100000009",
              "555555550", "232262536"]
PHONE_BSN = "232262536"
# The files meant for loading into the CRM: the one place a BSN stays whole.
LOAD_FILES = {"persons_insert.csv", "persons_insert.xlsx", "persons_insert.parquet",
              "persons_update.csv", "persons_update.xlsx", "persons_update.parquet",
              "changes.parquet", "afas-profit/afas-profit.csv"}
DEFINITION = """\
name: bsn-list
columns: {org_name: Bedrijfsnaam, org_address_line: Adres, org_postcode: Postcode,
          org_city: Plaats, org_phone: Telefoon, person_initials: Voorletters,
          person_first_name: Voornaam, person_last_name: Achternaam, person_gender: Geslacht,
          person_bsn: BSN}
match:
  organisation: [kvk, fuzzy]
  person: [bsn, email, fuzzy]
actions:
  reject_invalid: [org_name, person_last_name, person_full_name, person_bsn]
export:
  target: afas-profit
"""


def _crm(root: Path) -> Path:
    """The small CRM (workbench layout) with a BSN for each of its two persons."""
    export = root / "crm"
    export.mkdir(parents=True)
    persons = pd.read_csv(io.StringIO(PERSONS), dtype=str, keep_default_na=False)
    persons["bsn"] = persons["person_id"].map(CRM_BSNS)
    (export / "organisations.csv").write_text(ORGS, encoding="utf-8")
    persons.to_csv(export / "persons.csv", index=False)
    (export / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    build_snapshot(export, root / "crm.duckdb")
    return root / "crm.duckdb"


def _texts(out: Path) -> dict[str, str]:
    """Every file of a run's output folder as text: CSV, HTML, JSON, logs, YAML, every cell of
    every workbook, every value of every Parquet file."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            texts[name] = "\n".join(str(v) for sheet in book.worksheets
                                    for row in sheet.iter_rows(values_only=True) for v in row
                                    if v is not None)
            book.close()
        elif path.suffix == ".parquet":
            with duckdb.connect() as con:
                rows = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
            texts[name] = "\n".join(str(v) for row in rows for v in row)
        else:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def bsn_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bsn")
    crm = _crm(root)
    pd.DataFrame(ROWS, columns=HEADER).to_csv(root / "in.csv", sep=";", index=False)
    (root / "def.yml").write_text(DEFINITION, encoding="utf-8")
    result = run(RunSettings(root / "in.csv", crm, root / "out", definition_path=root / "def.yml",
                             ))
    return root, result


def test_the_snapshot_reads_the_afas_bsn_column(tmp_path):
    export = write_export("afas-profit", tmp_path / "export", csv=True)
    path = export / "personen.csv"
    persons = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="cp1252")
    persons["BSN"] = ["1112.22.333", "123456789"]  # the second fails the 11-test
    path.write_bytes(persons.to_csv(sep=";", index=False).encode("cp1252"))
    build_snapshot(export, tmp_path / "crm.duckdb", "afas-profit")
    with duckdb.connect(str(tmp_path / "crm.duckdb"), read_only=True) as con:
        kept = dict(con.execute("SELECT person_id, bsn FROM persons").fetchall())
        keys = dict(con.execute("SELECT person_id, bsn FROM person_match").fetchall())
    assert kept == {"PER-1": "1112.22.333", "PER-2": "123456789"}  # the CRM's copy, as given
    assert keys == {"PER-1": "111222333", "PER-2": None}  # a key only where the 11-test holds


def test_bsn_is_a_person_key_of_the_definition(tmp_path):
    (tmp_path / "d.yml").write_text("match: {person: [bsn, fuzzy]}\n", encoding="utf-8")
    assert load_definition(tmp_path / "d.yml").person_keys == ("bsn", "fuzzy")
    (tmp_path / "e.yml").write_text("match: {person: [bsm]}\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="bsn"):
        load_definition(tmp_path / "e.yml")


def test_a_bsn_column_is_suggested_as_the_person_bsn_and_its_key():
    suggested = suggest_definition(HEADER)
    assert suggested.columns["person_bsn"] == "BSN"
    assert suggested.person_keys[0] == "bsn"
    # a BSN column under a header that says nothing: known by its values
    by_values = suggest_definition(["Naam", "Id"], {"Naam": "free_text", "Id": "bsn"})
    assert by_values.columns.get("person_bsn") == "Id"


def test_persons_match_on_bsn_in_the_crm_and_in_the_file(bsn_run):
    root, result = bsn_run
    outcomes = pd.read_csv(root / "out" / "row_outcomes.csv", dtype=str,
                           keep_default_na=False).set_index("source_row")
    # names that differ (Johan Vries, Anne Bakker-Smit) do not matter: the BSN is one person
    assert outcomes.loc["1", "person_id"] == "PER-1"
    assert outcomes.loc["2", "person_id"] == "PER-2"
    # Carin Smid is Karin Smit, by her BSN
    assert outcomes.loc["4", "status"] == "in_file_duplicate"
    assert outcomes.loc["4", "duplicate_of"] == "3"
    assert outcomes.loc["4", "person_id"] == outcomes.loc["3", "person_id"]
    assert outcomes.loc["5", "status"] == "rejected" and "BSN" in outcomes.loc["5", "reason"]
    assert outcomes.loc["6", "status"] == "rejected"
    assert sum(result.manifest["counts"]["status"].values()) == len(ROWS)


def test_a_bsn_in_a_phone_column_is_no_phone(bsn_run):
    root, _ = bsn_run
    problems = pd.read_csv(root / "out" / "problems.csv", dtype=str, keep_default_na=False)
    phone = problems[(problems["source_row"] == "5") & (problems["field"] == "org_phone")]
    assert len(phone) == 1 and "BSN" in phone["problem"].iloc[0]
    assert phone["value"].iloc[0] == "*********"
    for text in _texts(root / "out").values():  # not even in the files to load
        assert PHONE_BSN not in text and f"+31{PHONE_BSN}" not in text


def test_no_bsn_is_shown_whole_outside_the_files_to_load(bsn_run):
    root, _ = bsn_run
    texts = _texts(root / "out")
    assert {"profile.html", "profile.json", "run.log", "problems.csv", "duplicate_report.html",
            "manifest.json", "rejects.xlsx", "row_outcomes.csv", "definition.yml",
            "afas-profit/rejects.xlsx"} <= set(texts)
    for name, text in texts.items():
        if name in LOAD_FILES:
            continue
        for value in INPUT_BSNS:
            assert value not in text, (name, value)
    # the rejects show the rejected rows' BSNs masked, not left out
    assert "*********" in texts["rejects.xlsx"]
    # the files to load carry the BSN whole: a new person's, in the canonical and the AFAS file
    assert "555555550" in texts["persons_insert.csv"]
    assert "555555550" in texts["afas-profit/afas-profit.csv"]


def test_the_review_screen_and_the_mapping_preview_never_show_a_bsn(bsn_run):
    from workbench.mapping import preview_values
    from workbench.report import pair_records
    from workbench.review.html import pair_view_html
    from workbench.snapshot import open_snapshot

    root, _ = bsn_run
    std = pd.DataFrame({"source_row": [1], "person_first_name": ["Johan"],
                        "person_last_name": ["Vries"], "person_bsn": ["111222333"]})
    pair = pd.Series({"kind": "crm_person", "left_row": 1, "right_key": "PER-1", "score": 0.7,
                      "band": "review", "explanation": "", "pts_last_name": 2.0})
    with open_snapshot(root / "crm.duckdb") as con:
        data = pair_records(pair.to_frame().T, std, con)
    assert data["crm"]["PER-1"]["bsn"] == "111222333"  # the snapshot holds it ...
    assert "111222333" not in pair_view_html(pair, data)  # ... the screen does not show it
    raw = pd.read_csv(root / "in.csv", sep=";", dtype=str, keep_default_na=False)
    raw.insert(0, "source_row", range(1, len(raw) + 1))
    shown = preview_values(raw, load_definition(root / "def.yml"))
    assert shown["person_bsn"][0] == "*********"


def test_a_snapshot_built_before_the_bsn_column_still_runs_and_applies(bsn_run, tmp_path):
    from workbench.apply import apply_changeset

    root, _ = bsn_run
    old = tmp_path / "old.duckdb"
    old.write_bytes((root / "crm.duckdb").read_bytes())
    with duckdb.connect(str(old)) as con:
        for table in ("persons", "person_match"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN bsn")
    run(RunSettings(root / "in.csv", old, tmp_path / "out", definition_path=root / "def.yml"))
    outcomes = pd.read_csv(tmp_path / "out" / "row_outcomes.csv", dtype=str,
                           keep_default_na=False).set_index("source_row")
    assert outcomes.loc["4", "status"] == "in_file_duplicate"  # the file's own BSNs still tie
    apply_changeset(tmp_path / "out", old, tmp_path / "test.duckdb")
    with duckdb.connect(str(tmp_path / "test.duckdb"), read_only=True) as con:
        loaded = con.execute("SELECT bsn FROM persons WHERE first_name = 'Eva'").fetchall()
    assert loaded == [("555555550",)]


def test_a_repaired_row_gets_its_masked_bsn_back_from_the_list(bsn_run):
    root, _ = bsn_run
    book = load_workbook(root / "out" / "rejects.xlsx")
    sheet = book["rejects"]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in range(2, sheet.max_row + 1)
              if sheet.cell(r, header.index("Voornaam") + 1).value == "Bram"]
    masked = sheet.cell(row, header.index("BSN") + 1).value
    assert masked == "*********"  # the workbook the analyst fixes never shows the BSN
    sheet.cell(row, header.index("Achternaam") + 1, "Bakker")
    sheet.cell(row, header.index("Geslacht") + 1, "M")
    book.save(root / "fixed.xlsx")
    run(RunSettings(root / "fixed.xlsx", root / "crm.duckdb", root / "repaired",
                    repairs_of=root / "out"))
    inserted = pd.read_csv(root / "repaired" / "persons_insert.csv", dtype=str)
    assert "100000009" in set(inserted["bsn"])  # taken whole from the list, not the mask
    assert "100000009" not in _texts(root / "repaired")["rejects.xlsx"]


def test_a_masked_cell_whose_list_is_gone_is_refused_naming_row_and_column(bsn_run, tmp_path):
    import shutil

    from workbench.errors import WorkbenchError
    root, _ = bsn_run
    shutil.copytree(root / "out", tmp_path / "out")
    manifest = tmp_path / "out" / "manifest.json"
    manifest.write_text(manifest.read_text().replace(str((root / "in.csv").resolve()),
                                                     str(tmp_path / "gone.csv")))
    with pytest.raises(WorkbenchError) as err:
        run(RunSettings(tmp_path / "out" / "rejects.xlsx", root / "crm.duckdb",
                        tmp_path / "repaired", repairs_of=tmp_path / "out"))
    assert "masked" in str(err.value) and "BSN" in str(err.value)
