"""CRM layouts: shipped files load strictly, an export in a CRM's own layout becomes the snapshot."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from workbench.cli import main
from workbench.crm import load_layout, parse_layout, shipped_names
from workbench.errors import WorkbenchError

AFAS_ORGS = ("Nummer;Naam;KvK-nummer;Straat;Huisnummer;Toev. aan huisnr.;Postcode;Woonplaats;"
             "Land;Telefoonnr. werk;E-mail werk;Internetadres;Branche\n"
             "10001;Café Hoekstra B.V.;12345678;Industrieweg;4;;3542 AD;Utrecht;NL;;;;Horeca\n"
             "10002;Bakkerij Jansen;;Dorpsweg;5;;;Zwolle;NL;;;;Bakkerij\n")
AFAS_PERSONS = ("Nummer;Voorletters;Voornaam;Voorvoegsel;Achternaam;Geslacht\n"
                "P1;J.;Jan;de;Vries;M\nP2;A.;Anna;;Bakker;V\n")
AFAS_CONTACTS = ("Contact;Organisatie;Persoon;Soort contact;Functie;E-mail werk\n"
                 "C1;10001;P2;PRS;Planner;a.bakker@hoekstra.nl\n")


def write_afas_export(folder: Path, orgs: str = AFAS_ORGS) -> Path:
    """An AFAS Profit export as Dutch Excel saves it: Windows-1252 with semicolons."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("Organisaties", orgs), ("Personen", AFAS_PERSONS),
                       ("Contacten", AFAS_CONTACTS)):
        (folder / f"{name}.csv").write_bytes(text.encode("cp1252"))
    return folder


def test_every_shipped_layout_loads():
    assert {"afas-profit", "superoffice", "reveal-field", "dynamics-bc", "workbench"} <= \
        set(shipped_names())
    for name in shipped_names():
        assert load_layout(name).name == name


def test_unknown_key_in_a_layout_is_an_error(tmp_path):
    data = yaml.safe_load((Path(__file__).parents[1] / "workbench/crm/reveal-field.yml")
                          .read_text(encoding="utf-8"))
    data["output"]["limit"] = 5
    data["intake"]["organisations"]["colums"] = {}
    with pytest.raises(WorkbenchError, match="unknown key 'limit'.*|.*unknown key 'colums'"):
        parse_layout(data, "mine.yml")
    own = tmp_path / "mine.yml"
    del data["output"]["limit"], data["intake"]["organisations"]["colums"]
    data["name"] = "mine"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_layout(own).name == "mine"


def test_afas_export_in_dutch_excel_csv_becomes_the_snapshot(tmp_path, capsys):
    export = write_afas_export(tmp_path / "afas")
    db = tmp_path / "crm.duckdb"
    assert main(["snapshot", str(export), "--db", str(db), "--from", "afas-profit"]) == 0
    printed = capsys.readouterr().out
    assert "Branche" in printed and "2 organisations" in printed
    with duckdb.connect(str(db), read_only=True) as con:
        orgs = con.execute("SELECT org_id, name, street, postcode FROM organisations "
                           "ORDER BY org_id").fetchall()
        genders = dict(con.execute("SELECT person_id, gender FROM persons").fetchall())
        extra = con.execute("SELECT record_id, column_name, value FROM extra "
                            "ORDER BY record_id").fetchall()
        link = con.execute("SELECT org_id, person_id, contact_type FROM contacts").fetchall()
    assert orgs == [("10001", "Café Hoekstra B.V.", "Industrieweg", "3542 AD"),
                    ("10002", "Bakkerij Jansen", "Dorpsweg", None)]
    assert genders == {"P1": "M", "P2": "F"}  # V read as the canonical F
    assert extra == [("10001", "Branche", "Horeca"), ("10002", "Branche", "Bakkerij")]
    assert link == [("10001", "P2", "person")]


def test_export_without_its_record_id_is_exit_2_in_one_line(tmp_path, capsys):
    orgs = AFAS_ORGS.replace("Nummer;", "Code;", 1)
    export = write_afas_export(tmp_path / "afas", orgs)
    assert main(["snapshot", str(export), "--db", str(tmp_path / "crm.duckdb"),
                 "--from", "afas-profit"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "'Nummer'" in err and "Code" in err and "Branche" in err
    assert not (tmp_path / "crm.duckdb").exists()


def test_profiles_lists_and_shows_a_layout_to_copy(tmp_path, capsys):
    assert main(["profiles"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in ("afas-profit", "reveal-field", "dynamics-bc"))
    assert main(["profiles", "--show", "reveal-field"]) == 0
    own = tmp_path / "mijn-reveal.yml"
    own.write_text(capsys.readouterr().out.replace("name: reveal-field", "name: mijn-reveal"),
                   encoding="utf-8")
    assert load_layout(own).name == "mijn-reveal"
    assert main(["profiles", "--show", "geen-crm"]) == 2


def test_a_definitions_number_series_replaces_the_layouts():
    layout = load_layout("dynamics-bc", number_series="KT0500")
    series = layout.output.number_series
    assert (series.prefix, series.width, series.start) == ("KT", 4, 500)
    from workbench.crm.cards import new_numbers

    assert new_numbers(["NEW-1", "NEW-2"], {"KT0500"}, series) == {"NEW-1": "KT0501",
                                                                    "NEW-2": "KT0502"}
    with pytest.raises(WorkbenchError, match="number_series"):
        load_layout("dynamics-bc", number_series="KT")
