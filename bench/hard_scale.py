"""A harder scale benchmark: Dutch organisations with namesakes, chains, business parks, renamed
and moved companies and foreign rows; speed, peak memory and match quality side by side.

    python bench/hard_scale.py                          # 100k CRM x 10k incoming
    python bench/hard_scale.py --sizes 1000000:100000   # CRM organisations : incoming rows
    python bench/hard_scale.py --misses 15              # the worst misses per kind of row

Written independently of the workbench's demo generator (only numpy and pandas). Each size's
CRM export, snapshot and incoming list are cached under bench/out/hard-ORGS-ROWS/ (not
committed). The run goes through the default path (`workbench run LIST --crm CRM --out OUT`, no
definition) in a child process: wall time, the child's peak RSS, and the organisation matches
against truth.csv (precision, recall; fp = a wrong CRM record, fn = a CRM record missed).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

# (place, first PC4, last PC4, area code)
CITIES = [
    ("Amsterdam", 1011, 1109, "020"), ("Rotterdam", 3011, 3089, "010"),
    ("'s-Gravenhage", 2491, 2599, "070"), ("Utrecht", 3511, 3585, "030"),
    ("Eindhoven", 5611, 5658, "040"), ("Groningen", 9711, 9747, "050"),
    ("Tilburg", 5011, 5049, "013"), ("Almere", 1311, 1364, "036"), ("Breda", 4811, 4841, "076"),
    ("Nijmegen", 6511, 6546, "024"), ("Apeldoorn", 7311, 7339, "055"),
    ("Haarlem", 2011, 2037, "023"), ("Arnhem", 6811, 6846, "026"),
    ("Enschede", 7511, 7548, "053"), ("Amersfoort", 3811, 3829, "033"),
    ("Zaandam", 1501, 1509, "075"), ("'s-Hertogenbosch", 5211, 5237, "073"),
    ("Zwolle", 8011, 8043, "038"), ("Leiden", 2311, 2334, "071"),
    ("Maastricht", 6211, 6229, "043"), ("Dordrecht", 3311, 3329, "078"),
    ("Deventer", 7411, 7439, "0570"), ("Delft", 2611, 2629, "015"),
    ("Alkmaar", 1811, 1827, "072"), ("Leeuwarden", 8911, 8939, "058"),
    ("Venlo", 5911, 5928, "077"), ("Helmond", 5701, 5709, "0492"),
    ("Hilversum", 1211, 1223, "035"), ("Gouda", 2801, 2809, "0182"), ("Hoorn", 1621, 1628, "0229"),
]
SURNAMES = (
    "de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,"
    "Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,de Wit,Dijkstra,Smits,"
    "de Graaf,van der Meer,van der Linden,Kok,Jacobs,de Haan,Vermeulen,van den Heuvel,"
    "van der Veen,van den Broek,de Bruijn,de Bruin,van der Heijden,Schouten,van Beek,Willems,"
    "van Vliet,van de Ven,Hoekstra,Maas,Verhoeven,Koster,van Dam,van der Wal,Prins,Blom,Huisman,"
    "Peeters,de Jonge,Kuipers,van Veen,Post,Kuiper,Veenstra,Kramer,van den Brink,Scholten,"
    "van Wijk,Postma,Martens,Vink,de Ruiter,Timmermans,Groen,Gerritsen,Jonker,van Loon,Boer,"
    "van der Velde,Willemsen,Smeets,de Lange,de Vos,Bosch,van Dongen,Wouters,Verbeek,Sanders,"
    "Hermans,Evers,Koning,Driessen,Hoogendoorn,Lammers,Claassen,Mertens,Wolters,Verhagen,"
    "Dijkman,Hofman,Kroon,Mol,Zwart,Sluiter,Ottens,Bouwman,Huizinga,Roos,Boersma,Wijnands,"
    "Groeneveld,Brink,Haverkamp,Oosterhuis,Wessels,Nijland,Bakx,Teunissen,Rademaker"
).split(",")
SECTORS = ("Bakkerij Slagerij Installatiebedrijf Bouwbedrijf Adviesbureau Transport Autobedrijf "
           "Schildersbedrijf Hoveniersbedrijf Administratiekantoor Makelaardij Tandartspraktijk "
           "Fysiotherapie Kapsalon Drukkerij Timmerbedrijf Loodgietersbedrijf Accountants "
           "Architectenbureau Schoonmaakbedrijf Dakdekkersbedrijf Elektrotechniek Metaalbewerking "
           "Reclamebureau Vertaalbureau Koeriersdienst Rijschool Fietsenmaker Bloemisterij "
           "Opticien Juweliers Zonwering Keukens Tegelhandel Verhuur Logistiek Software "
           "Consultancy Catering Beveiliging").split()
WORDS = ("Noord Zuid Oost West Centrum Delta Polder Rijn Maas IJssel Vecht Dijk Haven Markt "
         "Kern Linde Eik Beuk Tulp Zon Ster Horizon Anker Kompas Brug Toren Molen Zeil Duin "
         "Kust Veld Bos Hei Berg Dal Poort Kade Werf").split()
LEGAL = np.array(["B.V.", "B.V.", "B.V.", "V.O.F.", "", "", "Holding B.V.", "C.V."])
STREETS = ("Kerkstraat Dorpsstraat Stationsweg Molenweg Schoolstraat Hoofdstraat Industrieweg "
           "Nieuwstraat Marktplein Julianastraat Beatrixlaan Wilhelminastraat Parallelweg Irenestraat "
           "Havenweg Kanaalweg Noordeinde Zuideinde Oosterstraat Westerstraat Lindelaan "
           "Eikenlaan Beukenlaan Koningsweg Energieweg Ambachtsweg "
           "Nijverheidsweg Handelsweg Transportweg Edisonstraat").split()
FOREIGN = [("BE", "Antwerpen", "2000", "+32 3 "), ("BE", "Gent", "9000", "+32 9 "),
           ("DE", "Köln", "50667", "+49 221 "), ("DE", "Düsseldorf", "40213", "+49 211 ")]
HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Land", "Telefoon",
          "E-mail", "Website"]


def _slug(names: pd.Series) -> pd.Series:
    return names.str.lower().str.replace(r"[^a-z0-9]", "", regex=True).str.slice(0, 30)


def _kvk(rng: np.random.Generator, n: int, new: bool = False, part: tuple[int, int] = (0, 1)
         ) -> np.ndarray:
    """Unique 8-digit numbers (their check digit is not the point here); a new firm's never
    one the CRM holds. Part i of k draws from its own k-th of the range, so parts generated
    one after the other never share a number."""
    width = 44_999_999 // part[1]
    return (rng.choice(width, size=n, replace=False) + part[0] * width
            + (55_000_000 if new else 10_000_000)).astype(str)


def _addresses(rng: np.random.Generator, n: int) -> pd.DataFrame:
    city = rng.integers(0, len(CITIES), n)
    lo = np.array([c[1] for c in CITIES])[city]
    hi = np.array([c[2] for c in CITIES])[city]
    pc4 = lo + (rng.random(n) * (hi - lo + 1)).astype(int)
    letters = np.array(list("ABCDEGHJKLMNPRTVWXZ"))  # SA, SD, SS unused
    pc = pd.Series(pc4.astype(str)) + " " + letters[rng.integers(0, 19, n)] + \
        letters[rng.integers(0, 19, n)]
    return pd.DataFrame({
        "street": np.array(STREETS)[rng.integers(0, len(STREETS), n)],
        "house_number": rng.integers(1, 400, n).astype(str),
        "house_number_addition": "", "postcode": pc.to_numpy(),
        "city": np.array([c[0] for c in CITIES])[city],
        "area": np.array([c[3] for c in CITIES])[city], "country": "NL"})


def _names(rng: np.random.Generator, n: int) -> pd.Series:
    """Company names: a fifth short and common (namesakes), the rest longer."""
    sur = np.array(SURNAMES)
    a, b = sur[rng.integers(0, len(sur), n)], sur[rng.integers(0, len(sur), n)]
    sector = np.array(SECTORS)[rng.integers(0, len(SECTORS), n)]
    word = np.array(WORDS)[rng.integers(0, len(WORDS), n)]
    pattern = rng.integers(0, 5, n)
    name = np.select(
        [pattern == 0, pattern == 1, pattern == 2, pattern == 3],
        [np.char.add(np.char.add(sector, " "), a),
         np.char.add(np.char.add(np.char.add(np.char.add(a, " & "), b), " "), sector),
         np.char.add(np.char.add(np.char.add(np.char.add(word, " "), sector), " "), a),
         np.char.add(np.char.add(np.char.add(a, " "), word), " Groep")],
        np.char.add(np.char.add(np.char.add(np.char.add(word, b), " "), sector), ""))
    legal = LEGAL[rng.integers(0, len(LEGAL), n)]
    return pd.Series(np.char.strip(np.char.add(np.char.add(name, " "), legal)))


def _phone(rng: np.random.Generator, area: np.ndarray) -> np.ndarray:
    digits = 10 - np.char.str_len(area.astype(str))
    number = rng.integers(10**5, 10**7, len(area)).astype(str)
    return np.array([f"{a}-{x[:d]}" for a, x, d in zip(area, np.char.zfill(number, 8), digits,
                                                       strict=True)])


def make_crm(rng: np.random.Generator, n: int, part: tuple[int, int] = (0, 1)) -> pd.DataFrame:
    """CRM organisations: ordinary firms, chains, business parks and some foreign ones (part i
    of k: ids, KvK numbers and chain brands of its own, for a register built in parts)."""
    crm = _addresses(rng, n)
    first = part[0] * n + 1
    crm.insert(0, "org_id", [f"ORG-{i:07d}" for i in range(first, first + n)])
    crm.insert(1, "name", _names(rng, n).to_numpy())
    crm.insert(2, "kvk_number", np.where(rng.random(n) < 0.7, _kvk(rng, n, part=part), ""))
    crm["phone"] = _phone(rng, crm["area"].to_numpy())
    domain = _slug(crm["name"]) + np.where(rng.random(n) < 0.8, ".nl", ".com")
    crm["website"] = np.where(rng.random(n) < 0.7, "www." + domain, "")
    crm["email"] = np.where(rng.random(n) < 0.6, "info@" + domain, "")
    crm["kind"] = "plain"
    _chains(rng, crm, part)
    _parks(rng, crm)
    foreign = rng.random(n) < 0.01
    where = rng.integers(0, len(FOREIGN), n)
    for col, k in (("country", 0), ("city", 1), ("postcode", 2)):
        crm.loc[foreign, col] = np.array([f[k] for f in FOREIGN])[where[foreign]]
    crm.loc[foreign, "phone"] = [FOREIGN[w][3] + str(x) for w, x in
                                 zip(where[foreign], rng.integers(10**5, 10**6, foreign.sum()),
                                     strict=True)]
    crm.loc[foreign, "kind"] = "foreign"
    return crm


def _chains(rng: np.random.Generator, crm: pd.DataFrame, part: tuple[int, int] = (0, 1)
            ) -> None:
    """Chains: branches named after their street, one national phone, one domain (the largest
    as large as the whole register allows, also when it is built in parts)."""
    n, start = len(crm), 0
    sizes = np.minimum((rng.pareto(1.2, max(1, n // 4000)) + 1) * 15,
                       max(20, n * part[1] // 300))
    for c, size in enumerate(sizes.astype(int), part[0] * max(1, n // 4000)):
        idx = np.arange(start, min(start + size, n))
        start += size
        brand = f"{WORDS[c % len(WORDS)]}{SECTORS[c % len(SECTORS)].lower()} {c}"
        crm.loc[idx, "name"] = brand + " " + crm.loc[idx, "city"] + " " + crm.loc[idx, "street"]
        crm.loc[idx, "phone"] = f"088-{1000000 + c:07d}"
        domain = _slug(pd.Series([brand])).iloc[0] + ".nl"
        crm.loc[idx, "website"], crm.loc[idx, "email"] = f"www.{domain}", f"info@{domain}"
        crm.loc[idx, "kind"] = "chain"
        if start >= n // 10:
            break


def _parks(rng: np.random.Generator, crm: pd.DataFrame) -> None:
    """Business parks: many organisations at one address (a unit number now and then)."""
    n = len(crm)
    start = n_start = n // 10
    while start < n_start + n // 40:
        size = int(rng.integers(20, 300))
        idx = np.arange(start, min(start + size, n))
        first = idx[0]
        for col in ("street", "house_number", "postcode", "city", "area"):
            crm.loc[idx, col] = crm.at[first, col]
        crm.loc[idx, "street"] = "Bedrijvenpark " + WORDS[start % len(WORDS)]
        crm.loc[idx, "house_number_addition"] = np.where(rng.random(len(idx)) < 0.3,
                                                         rng.integers(1, 99, len(idx)), "")
        crm.loc[idx, "kind"] = "park"
        start += size


def _noisy_name(rng: np.random.Generator, names: pd.Series) -> pd.Series:
    """The name as a list writes it: case, legal form dropped, now and then a typo."""
    out = names.copy()
    r = rng.random(len(out))
    out[r < 0.25] = out[r < 0.25].str.replace(r"\s*(Holding )?(B\.V\.|V\.O\.F\.|C\.V\.)$", "",
                                               regex=True)
    out[(r >= 0.25) & (r < 0.35)] = out[(r >= 0.25) & (r < 0.35)].str.upper()
    typo = (r >= 0.35) & (r < 0.45)
    pos = rng.integers(1, 6, typo.sum())
    out[typo] = [t[:p] + t[p + 1] + t[p] + t[p + 2:] if len(t) > p + 2 else t
                 for t, p in zip(out[typo], pos, strict=True)]
    return out


def _as_listed(rng: np.random.Generator, rec: pd.DataFrame, ids: bool = False) -> pd.DataFrame:
    """Records as an incoming list holds them: one address line, formats varied, gaps (none in
    KvK number, phone and website with ``ids``: a renamed or moved firm is known by them)."""
    n = len(rec)
    line = rec["street"] + " " + rec["house_number"] + \
        np.where(rec["house_number_addition"].astype(str) != "",
                 "-" + rec["house_number_addition"].astype(str), "")
    postcode = np.where(rng.random(n) < 0.3, rec["postcode"].str.replace(" ", ""),
                        rec["postcode"])
    phone = np.where(rng.random(n) < 0.3, rec["phone"].str.replace("-", " "), rec["phone"])
    keep = lambda share: rng.random(n) < (1.0 if ids else share)  # noqa: E731 - gaps
    return pd.DataFrame({
        "Bedrijfsnaam": _noisy_name(rng, rec["name"].reset_index(drop=True)).to_numpy(),
        "KvK-nummer": np.where(keep(0.5), rec["kvk_number"], ""),
        "Adres": line.to_numpy(), "Postcode": postcode, "Plaats": rec["city"].to_numpy(),
        "Land": rec["country"].to_numpy(),
        "Telefoon": np.where(keep(0.8), phone, ""),
        "E-mail": np.where(keep(0.6), rec["email"], ""),
        "Website": np.where(keep(0.6), rec["website"], "")})


# kind of incoming row: share of the list
MIX = {"existing": 0.43, "existing_chain": 0.05, "existing_park": 0.05, "renamed": 0.04,
       "moved": 0.04, "new": 0.20, "namesake": 0.08, "new_chain_branch": 0.03,
       "new_park_member": 0.03, "foreign_existing": 0.01, "foreign_new": 0.01,
       "in_file_copy": 0.03}


def make_incoming(rng: np.random.Generator, crm: pd.DataFrame, n: int,
                  part: tuple[int, int] = (0, 1)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The incoming list and its truth (the CRM record each row is, or none)."""
    counts = {k: int(round(v * n)) for k, v in MIX.items()}
    counts["existing"] += n - sum(counts.values())
    frames, truth = [], []
    pools = {k: crm.index[crm["kind"] == k].to_numpy() for k in ("plain", "chain", "park",
                                                                 "foreign")}

    def pick(pool: str, k: int) -> pd.DataFrame:
        return crm.loc[rng.choice(pools[pool], size=k, replace=False)].copy()

    def add(kind: str, rec: pd.DataFrame, same: bool) -> None:
        frames.append(_as_listed(rng, rec, kind in ("renamed", "moved")))
        truth.append(pd.DataFrame({"org_id": rec["org_id"].to_numpy() if same else "",
                                   "kind": kind}, index=range(len(rec))))

    add("existing", pick("plain", counts["existing"]), True)
    add("existing_chain", pick("chain", counts["existing_chain"]), True)
    add("existing_park", pick("park", counts["existing_park"]), True)
    rec = pick("plain", counts["renamed"])
    rec["name"] = _names(rng, len(rec)).to_numpy()
    rec["website"], rec["email"] = "", ""
    add("renamed", rec, True)
    rec = pick("plain", counts["moved"])
    rec[["street", "house_number", "postcode", "city", "area"]] = \
        _addresses(rng, len(rec))[["street", "house_number", "postcode", "city", "area"]].to_numpy()
    add("moved", rec, True)
    new = _addresses(rng, counts["new"] + counts["namesake"])
    names = _names(rng, len(new)).to_numpy()
    names[counts["new"]:] = pick("plain", counts["namesake"])["name"].to_numpy()
    new["name"] = names
    new["kvk_number"] = _kvk(rng, len(new), new=True, part=part)
    new["phone"] = _phone(rng, new["area"].to_numpy())
    new["email"], new["website"] = "", ""
    add("new", new.iloc[:counts["new"]], False)
    add("namesake", new.iloc[counts["new"]:], False)
    rec = pick("chain", counts["new_chain_branch"])
    rec[["street", "house_number", "postcode", "city"]] = _addresses(rng, len(rec))[
        ["street", "house_number", "postcode", "city"]].to_numpy()
    rec["name"] = rec["name"].str.split(" ").str[:2].str.join(" ") + " " + rec["city"] + " " + \
        rec["street"]
    rec["kvk_number"] = _kvk(rng, len(rec), new=True, part=part)
    # a new branch, not a second one in a street where the chain already has one (same name)
    rec = rec[~rec["name"].isin(crm["name"])]
    add("new_chain_branch", rec, False)
    rec = pick("park", counts["new_park_member"])
    rec["name"] = _names(rng, len(rec)).to_numpy()
    rec["kvk_number"] = _kvk(rng, len(rec), new=True, part=part)
    rec["phone"] = _phone(rng, rec["area"].to_numpy())
    rec["email"], rec["website"], rec["house_number_addition"] = "", "", ""
    add("new_park_member", rec, False)
    add("foreign_existing", pick("foreign", counts["foreign_existing"]), True)
    rec = pick("foreign", counts["foreign_new"])
    rec["name"] = _names(rng, len(rec)).to_numpy()
    rec["kvk_number"], rec["email"], rec["website"] = "", "", ""
    rec["phone"] = [p[:-3] + f"{x:03d}" for p, x in zip(rec["phone"], rng.integers(0, 999,
                                                                               len(rec)),
                                                        strict=True)]
    add("foreign_new", rec, False)
    listed, truth = pd.concat(frames, ignore_index=True), pd.concat(truth, ignore_index=True)
    copies = rng.choice(len(listed), size=counts["in_file_copy"], replace=False)
    listed = pd.concat([listed, listed.iloc[copies]], ignore_index=True)
    copied = truth.iloc[copies].copy()
    copied["kind"] = "in_file_copy"
    truth = pd.concat([truth, copied], ignore_index=True)
    order = rng.permutation(len(listed))
    listed, truth = listed.iloc[order].reset_index(drop=True), truth.iloc[order]
    truth = truth.reset_index(drop=True)
    truth.insert(0, "source_row", np.arange(1, len(truth) + 1))
    return listed, truth


def write_no_people(crm: Path) -> None:
    """The CRM export's persons and contacts files with their headers only (organisations only)."""
    (crm / "persons.csv").write_text(
        "person_id,initials,first_name,name_prefix,last_name,gender,birth_date,email,phone,"
        "mobile,street,house_number,house_number_addition,postcode,city,country\n")
    (crm / "contacts.csv").write_text(
        "contact_id,org_id,person_id,contact_type,job_title,email,phone,mobile,department_name,"
        "street,house_number,house_number_addition,postcode,city,country\n")

def generate(folder: Path, orgs: int, rows: int, seed: int = 15) -> float:
    """Write crm/ (export), crm.duckdb (snapshot), incoming.csv and truth.csv; snapshot seconds."""
    rng = np.random.default_rng(seed)
    crm = make_crm(rng, orgs)
    listed, truth = make_incoming(rng, crm, rows)
    (folder / "crm").mkdir(parents=True, exist_ok=True)
    cols = ["org_id", "name", "kvk_number", "street", "house_number", "house_number_addition",
            "postcode", "city", "country", "phone", "email", "website"]
    crm[cols].to_csv(folder / "crm" / "organisations.csv", index=False)
    write_no_people(folder / "crm")
    listed.to_csv(folder / "incoming.csv", index=False, sep=";")
    truth.to_csv(folder / "truth.csv", index=False)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workbench.cli", "snapshot", str(folder / "crm"),
                    "--db", str(folder / "crm.duckdb")], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def quality(folder: Path, misses: int = 0, run_out: Path | None = None) -> dict[str, float]:
    """Organisation matches against truth: precision, recall, and the misses per kind (of the
    run in ``run_out``, the data folder's out/ when not given)."""
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    out = pd.read_csv((run_out or folder / "out") / "row_outcomes.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    df = truth.merge(out[["source_row", "status", "org_id"]], on="source_row", how="left",
                     suffixes=("_true", ""))
    pred = df["org_id"].fillna("").where(~df["org_id"].fillna("").str.startswith("NEW-"), "")
    hit = (pred != "") & (pred == df["org_id_true"])
    df["fp"] = (pred != "") & ~hit
    df["fn"] = (df["org_id_true"] != "") & ~hit
    tp, fp, fn = int(hit.sum()), int(df["fp"].sum()), int(df["fn"].sum())
    if misses:
        print(df.groupby("kind")[["fp", "fn"]].sum().assign(rows=df["kind"].value_counts())
              .to_string())
        incoming = pd.read_csv(folder / "incoming.csv", sep=";", dtype=str, keep_default_na=False)
        incoming.insert(0, "source_row", (incoming.index + 1).astype(str))
        crm = pd.read_csv(folder / "crm" / "organisations.csv", dtype=str,
                          keep_default_na=False).set_index("org_id")
        crm_text = crm["name"] + " | " + crm["street"] + " " + crm["house_number"] + " " + \
            crm["city"] + " | " + crm["phone"] + " | " + crm["kvk_number"]
        bad = df[df["fp"] | df["fn"]].merge(incoming, on="source_row")
        bad["crm_true"] = bad["org_id_true"].map(crm_text)
        bad["crm_found"] = bad["org_id"].map(crm_text)
        for kind, rows in bad.groupby("kind"):
            print(f"-- {kind}: {len(rows)} misses")
            print(rows.head(misses).drop(columns=["fp", "fn", "kind"]).to_string(index=False))
    return {"precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0, "fp": fp, "fn": fn}


PROBE = ("import os,subprocess,sys,time;t=time.perf_counter();p=subprocess.Popen(sys.argv[1:]);"
         "_,s,u=os.wait4(p.pid,0);print(time.perf_counter()-t,u.ru_maxrss/1024,s)")


def timed_run(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the default `workbench run`."""
    out = folder / "out"
    if out.exists():
        import shutil
        shutil.rmtree(out)
    probe = subprocess.run([sys.executable, "-c", PROBE, sys.executable, "-m", "workbench.cli",
                            "run", str(folder / "incoming.csv"), "--crm",
                            str(folder / "crm.duckdb"), "--out", str(out), "--state",
                            str(folder / "state.duckdb"), "--quiet"],
                           check=True, capture_output=True, text=True, env=os.environ)
    wall, peak, status = probe.stdout.split()
    if status != "0":
        raise SystemExit(f"workbench run failed ({status}): {probe.stderr[-2000:]}")
    return float(wall), float(peak)


def _size(text: str) -> tuple[int, int]:
    orgs, rows = (int(x) for x in text.split(":"))
    return orgs, rows


def main(argv: list[str] | None = None) -> int:
    """Print one line per size: snapshot and run time, peak memory, quality, steps."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=_size, metavar="ORGS:ROWS",
                        default=[(100_000, 10_000)])
    parser.add_argument("--misses", type=int, default=0, help="print the worst misses per kind")
    args = parser.parse_args(argv)
    print(f"{'CRM orgs':>9} {'incoming':>9} {'snapshot s':>11} {'run s':>7} {'peak MiB':>9} "
          f"{'P':>7} {'R':>7} {'fp':>5} {'fn':>5}  capped  steps (s)")
    for orgs, rows in args.sizes:
        folder = OUT / f"hard-{orgs}-{rows}"
        snap_s = float("nan")
        if not (folder / "crm.duckdb").exists():
            snap_s = generate(folder, orgs, rows)
        wall, peak = timed_run(folder)
        manifest = json.loads((folder / "out" / "manifest.json").read_text())
        q = quality(folder, args.misses)
        steps = manifest["timings_seconds"]
        print(f"{orgs:>9,} {rows:>9,} {snap_s:>11.1f} {wall:>7.1f} {peak:>9.0f} "
              f"{q['precision']:>7.4f} {q['recall']:>7.4f} {q['fp']:>5} {q['fn']:>5}  "
              f"{manifest['matching'].get('keys_capped', 0):>6}  "
              + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
