"""A small hand-made CRM and purchased list whose right answers are known, for tests."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.snapshot import build_snapshot

ORGS = """org_id,name,kvk_number,street,house_number,house_number_addition,postcode,city,country,phone,email,website
ORG-1,Hoekstra Transport B.V.,12345678,Industrieweg,4,,3542 AD,Utrecht,NL,+31302345678,,www.hoekstra-transport.nl
ORG-2,Bakkerij Jansen B.V.,,Dorpsstraat,12,A,1234 AB,Amsterdam,NL,,info@bakkerijjansen.nl,www.bakkerijjansen.nl
ORG-3,Van Dijk Installatietechniek,87654321,Kerkweg,7,,2511 CV,'s-Gravenhage,NL,+31701234567,,
ORG-4,Strandpaviljoen De Zeemeeuw,11112222,Zeeweg,1,,1861 AA,Bergen NH,NL,,,
"""
PERSONS = """person_id,initials,first_name,name_prefix,last_name,gender,birth_date,bsn,email,phone,mobile,street,house_number,house_number_addition,postcode,city,country
PER-1,J.,Jan,de,Vries,M,,,,,,,,,,,
PER-2,A.,Anna,,Bakker,F,,,,,,,,,,,
"""
CONTACTS = """contact_id,org_id,person_id,contact_type,job_title,email,phone,mobile,department_name,street,house_number,house_number_addition,postcode,city,country
CON-1,ORG-2,PER-1,person,Eigenaar,j.devries@bakkerijjansen.nl,,,,,,,,,
CON-2,ORG-1,PER-2,person,,a.bakker@hoekstra-transport.nl,,,,,,,,,
CON-3,ORG-1,,department,,,,,Planning,Industrieweg,4,,3542 AD,Utrecht,NL
"""
INCOMING = [
    # Bedrijfsnaam;KvK-nummer;Adres;Postcode;Plaats;Telefoon;Website;Voorletters;Voornaam;Tussenvoegsel;Achternaam;Functie;E-mail contactpersoon
    ["Hoekstra Logistiek", "12345678", "Industrieweg 4", "3542AD", "Utrecht", "", "", "A", "Anna", "", "Bakker", "Planner", "a.bakker@hoekstra-transport.nl"],
    ["Bakkerij Jansen BV", "", "Dorpsstraat 12a", "1234ab", "Amsterdam", "020-1234567", "www.bakkerij-jansen.nl", "J", "Jan", "", "de Vries", "", ""],
    ["Jansen Installaties", "", "Dorpsstraat 12 B", "1234 AB", "Amsterdam", "", "", "P", "Piet", "", "Pietersen", "", ""],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "050-1234567", "", "K", "Karin", "", "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders VOF", "", "Molenlaan 3", "9711AA", "Groningen", "", "", "K.", "Karin", "", "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "", "", "B", "Bram", "", "Visser", "Schilder", ""],
]
HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "Website",
          "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
          "E-mail contactpersoon"]




def make_small(root: Path, rows: list[list[str]] | None = None,
               header: list[str] | None = None) -> dict[str, Path]:
    """Write the CRM export, build its snapshot and write the incoming CSV under ``root``."""
    export = root / "crm"
    export.mkdir(parents=True, exist_ok=True)
    (export / "organisations.csv").write_text(ORGS, encoding="utf-8")
    (export / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (export / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    build_snapshot(export, root / "crm.duckdb")
    pd.DataFrame(rows or INCOMING, columns=header or HEADER).to_csv(root / "in.csv", sep=";",
                                                                    index=False)
    return {"crm": root / "crm.duckdb", "input": root / "in.csv"}


TABLES = ["organisations", "persons", "contacts", "org_match", "person_match"]


def snapshot_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of a snapshot (or test copy), sorted by its key and as text, to compare."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        out = {}
        for table in TABLES:
            frame = con.execute(f"SELECT * FROM {table}").df()
            key = frame.columns[0] if table != "person_match" else ["person_id", "org_id"]
            out[table] = frame.sort_values(key).reset_index(drop=True).astype(str)
        return out


def make_small_with_definition(root: Path) -> dict[str, Path]:
    """``make_small`` plus a suggested definition saved as ``root/def.yml``."""
    from workbench.definition import suggest_definition

    paths = make_small(root)
    paths["definition"] = suggest_definition(HEADER).save(root / "def.yml")
    return paths
