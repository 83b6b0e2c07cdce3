"""Organisations that share a phone, a domain or an address: chains, business parks, renamed and
moved firms, through the default path (no definition) against a real snapshot.

A chain's branches share one national number and one web domain; a business park holds many
firms at one address. Agreeing on such a value says little, agreeing on a firm's own says much:
a renamed firm (same address and phone, another name, no KvK number) and a moved one (same name,
phone and domain, another address) are found; a new branch of a chain is not taken for one of
the branches the CRM has.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from workbench.keys import org_keys
from workbench.match.classify import compare
from workbench.match.compare import Contact
from workbench.match.frequency import crm_shares
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot
from workbench.standardise import standardise_frame

STREETS = ("Kerkstraat Dorpsstraat Stationsweg Molenweg Schoolstraat Hoofdstraat Industrieweg "
           "Nieuwstraat Julianastraat Beatrixlaan Havenweg Kanaalweg Lindelaan Eikenlaan").split()
NEW_STREETS = ("Zuiderlaan Noorderweg Parkweg Marktplein Vijverlaan Kastanjelaan Sportlaan "
               "Bosweg Raadhuisstraat").split()
CITIES = [("Amsterdam", 1011, "020"), ("Rotterdam", 3011, "010"), ("Utrecht", 3511, "030"),
          ("Eindhoven", 5611, "040"), ("Groningen", 9711, "050"), ("Breda", 4811, "076")]
SURNAMES = ("Jansen de Vries Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker "
            "Brouwer Dijkstra Kok Jacobs Vermeulen Schouten Willems Hoekstra Maas Koster Prins "
            "Blom Huisman Kuiper Kramer Scholten Postma Vink Groen Jonker Sanders Evers").split()
SECTORS = ("Bouwbedrijf Adviesbureau Transport Autobedrijf Schildersbedrijf Drukkerij "
           "Accountants Makelaardij Kapsalon Fysiotherapie Rijschool Catering").split()
LETTERS = "ABCEGHJKLMNPRTVWXZ"
HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail",
          "Website"]


def _address(i: int) -> dict[str, str]:
    """A distinct Dutch address for each ``i``."""
    city, pc4, _ = CITIES[i % len(CITIES)]
    k = i // len(CITIES)
    return {"street": STREETS[k % len(STREETS)], "house_number": str(1 + k // len(STREETS)),
            "postcode": f"{pc4 + k % 40} {LETTERS[k // 40 % 18]}{LETTERS[i % 18]}",
            "city": city, "area": CITIES[i % len(CITIES)][2]}


def _phone(area: str, n: int) -> str:
    return f"{area}-{n:07d}"[: 11]


def _firm(i: int, name: str, with_domain: bool = True) -> dict[str, str]:
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    adr = _address(i)
    return {"name": name, "kvk_number": "", "street": adr["street"],
            "house_number": adr["house_number"], "house_number_addition": "",
            "postcode": adr["postcode"], "city": adr["city"], "country": "NL",
            "phone": _phone(adr["area"], 2000000 + i),
            "email": f"info@{slug}.nl" if with_domain else "",
            "website": f"www.{slug}.nl" if with_domain else ""}


def _name(rng: np.random.Generator) -> str:
    a, b = rng.choice(SURNAMES, 2, replace=False)
    return f"{a} & {b} {rng.choice(SECTORS)}"


def _crm(rng: np.random.Generator) -> pd.DataFrame:
    """3,000 firms: one of their own each, a chain of 300 branches, a park of 100 firms."""
    firms = [_firm(i, f"{_name(rng)} {i}") for i in range(2600)]
    for i in range(2600, 2900):  # a chain: one national number and domain, named by its street
        firm = _firm(i, "")
        firm["name"] = f"Bakkerketen {firm['city']} {firm['street']}"
        firm["phone"], firm["email"] = "088-1000001", "info@bakkerketen.nl"
        firm["website"] = "www.bakkerketen.nl"
        firms.append(firm)
    park = _address(9999)
    for i in range(2900, 3000):  # a business park: many firms at one address
        firm = _firm(i, f"{_name(rng)} {i}")
        firm.update(street="Bedrijvenpark", house_number="1", postcode=park["postcode"],
                    city=park["city"])
        firms.append(firm)
    crm = pd.DataFrame(firms)
    crm.insert(0, "org_id", [f"ORG-{i:05d}" for i in range(len(crm))])
    return crm


def _listed(firms: pd.DataFrame, kind: str, org_id: pd.Series | str) -> pd.DataFrame:
    rows = pd.DataFrame({
        "Bedrijfsnaam": firms["name"].to_numpy(), "KvK-nummer": "",
        "Adres": (firms["street"] + " " + firms["house_number"]).to_numpy(),
        "Postcode": firms["postcode"].to_numpy(), "Plaats": firms["city"].to_numpy(),
        "Telefoon": firms["phone"].to_numpy(), "E-mail": firms["email"].to_numpy(),
        "Website": firms["website"].to_numpy()})
    rows["kind"] = kind
    rows["truth"] = org_id.to_numpy() if isinstance(org_id, pd.Series) else org_id
    return rows


def _incoming(rng: np.random.Generator, crm: pd.DataFrame) -> pd.DataFrame:
    plain = crm.iloc[rng.permutation(2600)]
    existing, renamed, moved = plain.iloc[:60], plain.iloc[60:90].copy(), plain.iloc[90:120].copy()
    renamed["name"] = [f"{_name(rng)} Groep" for _ in range(len(renamed))]
    renamed["email"] = renamed["website"] = ""
    new_places = pd.DataFrame([_address(i) for i in range(5000, 5030)], index=moved.index)
    moved[["street", "house_number", "postcode", "city"]] = \
        new_places[["street", "house_number", "postcode", "city"]]
    branches = pd.DataFrame([_firm(i, "") for i in range(6000, 6030)])
    branches["street"] = [NEW_STREETS[i % len(NEW_STREETS)] for i in range(len(branches))]
    branches["name"] = "Bakkerketen " + branches["city"] + " " + branches["street"]
    branches["phone"], branches["email"] = "088-1000001", "info@bakkerketen.nl"
    branches["website"] = "www.bakkerketen.nl"
    branches = branches[~branches["name"].isin(crm["name"])]
    park = crm.iloc[2900:2930].copy()
    park["name"] = [f"{_name(rng)} Holding" for _ in range(len(park))]
    park["phone"] = [_phone("040", 7000000 + i) for i in range(len(park))]
    park["email"] = park["website"] = ""
    new = pd.DataFrame([_firm(i, f"{_name(rng)} Nieuw {i}") for i in range(8000, 8060)])
    return pd.concat([
        _listed(existing, "existing", existing["org_id"]),
        _listed(renamed, "renamed", renamed["org_id"]),
        _listed(moved, "moved", moved["org_id"]),
        _listed(branches, "new_chain_branch", ""),
        _listed(park, "new_park_member", ""),
        _listed(new, "new", ""),
    ], ignore_index=True)


@pytest.fixture(scope="module")
def chain_run(tmp_path_factory) -> pd.DataFrame:
    return run_chains(tmp_path_factory.mktemp("chains"))


def run_chains(root: Path) -> pd.DataFrame:
    """The chain case run through the default path: the incoming rows with the CRM id found."""
    rng = np.random.default_rng(12)
    crm = _crm(rng)
    export = root / "crm"
    export.mkdir()
    crm.drop(columns=["area"], errors="ignore").to_csv(export / "organisations.csv", index=False)
    (export / "persons.csv").write_text(
        "person_id,initials,first_name,name_prefix,last_name,gender,birth_date,email,phone,"
        "mobile,street,house_number,house_number_addition,postcode,city,country\n")
    (export / "contacts.csv").write_text(
        "contact_id,org_id,person_id,contact_type,job_title,email,phone,mobile,department_name,"
        "street,house_number,house_number_addition,postcode,city,country\n")
    build_snapshot(export, root / "crm.duckdb")
    incoming = _incoming(rng, crm)
    incoming[HEADER].to_csv(root / "in.csv", sep=";", index=False)
    run(RunSettings(root / "in.csv", root / "crm.duckdb", root / "out",
                    state_path=root / "state.duckdb"))
    out = pd.read_csv(root / "out" / "row_outcomes.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    incoming["org_id"] = out["org_id"].where(~out["org_id"].str.startswith("NEW-"), "")
    return incoming


def _share_right(rows: pd.DataFrame) -> float:
    return float((rows["org_id"] == rows["truth"]).mean())


def test_a_new_branch_of_a_chain_is_not_an_existing_branch(chain_run):
    branches = chain_run[chain_run["kind"] == "new_chain_branch"]
    assert len(branches) >= 25
    assert (branches["org_id"] == "").all(), branches[branches["org_id"] != ""]


def test_a_renamed_firm_is_found_by_its_address_and_phone(chain_run):
    assert _share_right(chain_run[chain_run["kind"] == "renamed"]) >= 0.95


def test_a_moved_firm_is_found_by_its_name_phone_and_domain(chain_run):
    assert _share_right(chain_run[chain_run["kind"] == "moved"]) >= 0.95


def test_firms_of_a_park_and_new_firms_stay_new_and_known_ones_are_found(chain_run):
    assert (chain_run.loc[chain_run["kind"].isin(["new_park_member", "new"]), "org_id"]
            == "").all()
    assert _share_right(chain_run[chain_run["kind"] == "existing"]) == 1.0


def _keys(rows: list[dict]) -> pd.DataFrame:
    mapped = pd.DataFrame(rows)
    mapped.insert(0, "source_row", range(1, len(rows) + 1))
    return org_keys(standardise_frame(mapped)[0])


@pytest.mark.parametrize(("left", "right", "level"), [
    ({"org_phone": "020-1234567", "org_website": "www.a.nl"},
     {"org_phone": "+31201234567", "org_email": "info@a.nl"}, "phone and domain equal"),
    ({"org_phone": "020-1234567"}, {"org_phone": "020-1234567", "org_website": "b.nl"},
     "phone equal"),
    ({"org_phone": "020-1234567", "org_email": "x@a.nl"},
     {"org_phone": "020-7654321", "org_website": "http://www.a.nl/contact"}, "domain equal"),
    ({"org_phone": "020-1234567"}, {"org_phone": "020-7654321"}, "neither equal"),
    ({"org_phone": "020-1234567"}, {"org_website": "www.a.nl"}, "missing"),
])
def test_phone_and_domain_are_one_piece_of_evidence(left, right, level):
    base = {"org_name": "A", "org_address_line": "Kerkstraat 1", "org_postcode": "1011 AB",
            "org_city": "Amsterdam", "org_email": None, "org_website": None, "org_phone": None}
    keys = _keys([{**base, **left}, {**base, **right}])
    comp = Contact()
    levels, _ = compare(pd.MultiIndex.from_tuples([(0, 1)]), keys, None, [comp])
    assert comp.describe(int(levels.iloc[0]["contact"])) == level


def test_shares_count_one_column_or_several_together(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE org_match AS SELECT * FROM (VALUES "
                "('088', '1000 AA', '1', 'a.nl', NULL), ('088', '1000 AA', '1', NULL, NULL), "
                "('020', '1000 AA', '2', NULL, NULL), ('010', '2000 BB', '1', NULL, NULL)) "
                "t(phone, postcode, house_number, email_domain, web_domain)")
    left = pd.DataFrame({"phone": ["088", "020", "030", None],
                         "postcode": ["1000 AA", "1000 AA", "2000 BB", "1000 AA"],
                         "house_number": ["1", "3", "1", None],
                         "email_domain": ["a.nl", None, None, None],
                         "web_domain": [None, None, None, None]}, index=[10, 11, 12, 13])
    from workbench.match.compare import Address

    shares = crm_shares(con, left, [Contact(), Address()], "org_match")
    np.testing.assert_allclose(shares[("phone",)], [0.5, 0.25, np.nan, np.nan])
    np.testing.assert_allclose(shares[("email_domain",)], [0.25, np.nan, np.nan, np.nan])
    np.testing.assert_allclose(shares[("postcode", "house_number")],
                               [0.5, np.nan, 0.25, np.nan])
