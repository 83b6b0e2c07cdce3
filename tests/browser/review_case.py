"""A small hand-made CRM and incoming file with doubtful pairs, for review tests (unit and browser)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from workbench.definition import Definition, Thresholds, suggest_definition
from workbench.match.engine import MatchResult
from workbench.pipeline import read_input
from workbench.snapshot import build_snapshot

ORGS = """org_id,name,kvk_number,street,house_number,house_number_addition,postcode,city,country,phone,email,website
ORG-1,Hoekstra Transport B.V.,12345678,Industrieweg,4,,3542 AD,Utrecht,NL,+31302345678,,www.hoekstra-transport.nl
ORG-2,Bakkerij Jansen B.V.,,Dorpsstraat,12,A,1234 AB,Amsterdam,NL,,info@bakkerijjansen.nl,www.bakkerijjansen.nl
ORG-3,Van Dijk Installatietechniek,87654321,Kerkweg,7,,2511 CV,'s-Gravenhage,NL,+31701234567,,
"""
PERSONS = """person_id,initials,first_name,name_prefix,last_name,gender,birth_date,email,phone,mobile,street,house_number,house_number_addition,postcode,city,country
PER-1,J.,Jan,de,Vries,M,,,,,,,,,,
PER-2,A.,Anna,,Bakker,F,,,,,,,,,,
"""
CONTACTS = """contact_id,org_id,person_id,contact_type,job_title,email,phone,mobile,department_name,street,house_number,house_number_addition,postcode,city,country
CON-1,ORG-2,PER-1,person,Eigenaar,j.devries@bakkerijjansen.nl,,,,,,,,,
CON-2,ORG-1,PER-2,person,,a.bakker@hoekstra-transport.nl,,,,,,,,,
"""
HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "Website",
          "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
          "E-mail contactpersoon"]
INCOMING = [
    ["Hoekstra Logistiek", "12345678", "Industrieweg 4", "3542AD", "Utrecht", "", "", "A", "Anna",
     "", "Bakker", "Planner", "a.bakker@hoekstra-transport.nl"],
    ["Bakkerij Jansen BV", "", "Dorpsstraat 12a", "1234ab", "Amsterdam", "020-1234567",
     "www.bakkerij-jansen.nl", "J", "Jan", "", "de Vries", "", ""],
    ["Jansen Installaties", "", "Dorpsstraat 12 B", "1234 AB", "Amsterdam", "", "", "P", "Piet",
     "", "Pietersen", "", ""],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "050-1234567", "", "K",
     "Karin", "", "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders VOF", "", "Molenlaan 3", "9711AA", "Groningen", "", "", "K.", "Karin", "",
     "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "", "", "B", "Bram", "",
     "Visser", "Schilder", ""],
]
# A very wide review band, so that the near-duplicates above all become questions.
THRESHOLDS = Thresholds(match=0.99999, review=0.001)


def build_review_case(root: Path) -> dict:
    """CRM snapshot, incoming CSV and a saved definition under ``root``; returns their paths."""
    root.mkdir(parents=True, exist_ok=True)
    export = root / "crm"
    export.mkdir(exist_ok=True)
    (export / "organisations.csv").write_text(ORGS, encoding="utf-8")
    (export / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (export / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    build_snapshot(export, root / "crm.duckdb")
    pd.DataFrame(INCOMING, columns=HEADER).to_csv(root / "in.csv", sep=";", index=False)
    raw = read_input(root / "in.csv")
    definition: Definition = replace(
        suggest_definition([c for c in raw.columns if c != "source_row"], name="review-case"),
        thresholds=THRESHOLDS)
    definition.save(root / "definition.yml")
    return {"root": root, "crm": root / "crm.duckdb", "input": root / "in.csv", "raw": raw,
            "definition": definition, "definition_path": root / "definition.yml",
            "state": root / "state.duckdb"}


def many_pairs(matches: MatchResult, n: int = 10_000) -> MatchResult:
    """The case's pairs with its CRM pairs repeated up to ``n`` doubtful pairs (a load test)."""
    pairs = matches.pairs
    crm = pairs[pairs["kind"].str.startswith("crm")]
    file = pairs[pairs["kind"].str.startswith("file")]
    # Repeating the in-file pairs would chain them into one huge cluster; real clusters are small.
    many = pd.concat([file] + [crm] * ((n - len(file)) // len(crm) + 1), ignore_index=True).head(n)
    many["score"] = [0.002 + 0.99 * i / n for i in range(n)]
    many["band"] = "review"
    many["decided"] = False
    return MatchResult(rows=matches.rows, pairs=many)


def matched_review_case(root: Path) -> dict:
    """The review case prepared and matched as the review notebook does, with its queue."""
    from workbench.context import open_run
    from workbench.pipeline import match, prepare
    from workbench.review import review_queue

    case = build_review_case(root)
    with open_run(case["crm"], definition=case["definition"],
                  state_path=case["root"] / "none.duckdb") as ctx:
        case["prepared"] = prepare(ctx, case["raw"])
        case["matches"] = match(ctx, case["prepared"])
    case["queue"] = review_queue(case["matches"], case["prepared"], case["definition"].thresholds)
    return case
