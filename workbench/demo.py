"""Synthetic but realistic demo data: a Dutch CRM export, a purchased lead list and its truth."""
from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.atomic import atomic_path
from workbench.fields import CRM_TABLES
from workbench.xlsx import write_text_xlsx

INCOMING_HEADER: tuple[str, ...] = (
    "Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail", "Website",
    "Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
    "E-mail contactpersoon", "Mobiel",
)
TRUTH_COLUMNS: tuple[str, ...] = (
    "source_row", "expected_status", "org_id", "person_id", "org_entity", "person_entity",
    "duplicate_of", "reject_reason", "case",
)
CASES: tuple[str, ...] = (
    "existing_org_existing_person", "existing_org_new_person", "moved_org", "new_org",
    "sister_org", "new_org_second_person", "in_file_duplicate", "reject", "blank",
)
REJECT_REASONS: tuple[str, ...] = ("invalid_kvk", "invalid_email", "no_name", "no_address")

# Share of the non-blank incoming rows per case (normalised; the brief's rough mix).
_CASE_SHARES: dict[str, float] = {
    "existing_org_existing_person": 0.40, "moved_org": 0.05, "existing_org_new_person": 0.10,
    "new_org": 0.26, "sister_org": 0.02, "new_org_second_person": 0.03,
    "in_file_duplicate": 0.08, "reject": 0.04,
}

# PostNL does not use F, I, O, Q, U, Y in postcodes, nor the pairs SA, SD, SS.
_PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_PC_PAIRS = np.array([a + b for a in _PC_LETTERS for b in _PC_LETTERS
                      if a + b not in ("SA", "SD", "SS")], dtype=object)

# Area codes per first digit of the PC4 (rough region), so a phone looks local to its address.
_AREA_CODES: dict[str, tuple[str, ...]] = {
    "1": ("020", "023", "035", "072", "075", "0229", "0299"),
    "2": ("070", "071", "079", "0172", "0182", "023"),
    "3": ("010", "030", "033", "078", "0180", "0345"),
    "4": ("076", "0113", "0118", "0165", "0416"),
    "5": ("040", "073", "013", "0492", "0413"),
    "6": ("043", "045", "046", "077", "024", "026"),
    "7": ("053", "055", "038", "0570", "0314"),
    "8": ("058", "038", "0320", "0513", "0521"),
    "9": ("050", "0592", "0591", "0511", "0599"),
}

_TUSSENVOEGSELS = frozenset({
    "van", "de", "van der", "van den", "van de", "den", "der", "ter", "ten", "te", "van 't",
    "'t", "in 't", "op de", "op den", "van het", "uit de", "de la",
})
_TRADES = (
    "Bakkerij", "Slagerij", "Autobedrijf", "Installatiebedrijf", "Schildersbedrijf",
    "Aannemersbedrijf", "Kapsalon", "Hoveniersbedrijf", "Transportbedrijf",
    "Administratiekantoor", "Advocatenkantoor", "Tandartspraktijk", "Fysiotherapie",
    "Makelaardij", "Drukkerij", "Garage", "Bloemenhandel", "Rijwielhandel", "Timmerbedrijf",
    "Loodgietersbedrijf", "Accountantskantoor", "Notariskantoor", "Architectenbureau",
    "Ingenieursbureau", "Adviesbureau", "Dierenkliniek", "Brasserie", "Kwekerij",
    "Klussenbedrijf", "Verhuisbedrijf", "Zonwering", "Dakdekkersbedrijf", "Glashandel",
)
_SECTORS = (
    "Installatietechniek", "Bouw", "Transport", "Techniek", "Metaalbewerking", "Logistiek",
    "Schoonmaak", "Elektrotechniek", "Automatisering", "Consultancy", "Vastgoed", "Onderhoud",
    "Tuinen", "Interieur", "Verhuur", "Beveiliging", "Dakwerken", "Grondverzet", "Machinebouw",
    "Catering", "ICT", "Advies", "Media", "Groep", "Totaalbouw", "Kozijnen", "Keukens",
)
_FANTASY = (
    "De Groene Vlinder", "Noorderlicht", "De Gouden Koets", "Het Anker", "De Zwaan",
    "Polderwind", "Delta", "De Eik", "Zonnehoek", "De Molen", "Het Vlot", "Kompas",
    "De Linde", "Horizon", "De Brug", "Vakwerk", "Duinzicht", "Rivierenland", "De Kroon",
)
_STICHTING = (
    "Welzijn", "Kinderopvang", "Jeugdzorg", "Woonzorg", "Cultuur", "Muziekschool",
    "Sportpark", "Zorggroep", "Bibliotheek", "Openbaar Onderwijs", "Vrienden van",
)
_VERENIGING = ("Dorpsbelang", "Buurtbelang", "Ondernemers", "Historische Kring", "Oranje")
# (legal form, weight); "Stichting"/"Vereniging" stand before the name, the others after it.
_LEGAL_FORMS = (("B.V.", 34), ("BV", 10), ("", 24), ("V.O.F.", 10), ("N.V.", 2), ("C.V.", 2),
                ("Holding B.V.", 7), ("Stichting", 7), ("Vereniging", 4))
_PREFIX_FORMS = frozenset({"Stichting", "Vereniging"})
_LEGAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "B.V.": ("BV", "", "B.V", "b.v."), "BV": ("B.V.", "", "bv"), "": ("B.V.", "BV"),
    "N.V.": ("NV", ""), "V.O.F.": ("VOF", "v.o.f.", ""), "C.V.": ("CV", ""),
    "Holding B.V.": ("Holding BV", "Holding"), "Stichting": ("Stg.", ""),
    "Vereniging": ("Ver.", ""),
}
_JOBS = (
    "Directeur", "Eigenaar", "Directeur-eigenaar", "Inkoper", "Hoofd inkoop", "Office manager",
    "Financieel manager", "Controller", "Bedrijfsleider", "Administrateur", "Marketing manager",
    "Accountmanager", "HR-adviseur", "Operationeel manager", "Facilitair manager",
    "Commercieel directeur", "Projectleider", "Secretaresse", "Salesmanager", "IT-manager",
    "Werkvoorbereider", "Managementassistent", "Vestigingsmanager", "Planner",
)
_FREEMAIL = ("gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl",
             "planet.nl", "xs4all.nl")
_ADDITIONS = np.array(["A", "B", "C", "2", "1", "3", "bis", "hs"], dtype=object)
_ADDITION_P = np.array([0.30, 0.22, 0.08, 0.14, 0.08, 0.06, 0.04, 0.08])
_CITY_ALIASES = {"'s-Gravenhage": "Den Haag", "'s-Hertogenbosch": "Den Bosch"}


@dataclass(frozen=True)
class DemoSummary:
    """What generate_demo wrote: the folder, table sizes and incoming rows per truth case."""

    out_dir: Path
    organisations: int
    persons: int
    contacts: int
    incoming_rows: int
    cases: dict[str, int]


# --------------------------------------------------------------------------------- pools


def _ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail addresses and domains)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", norm.lower())


@dataclass(frozen=True)
class _Pools:
    male: np.ndarray
    female: np.ndarray
    prefixes: np.ndarray  # surname prefix per surname ("van der" or "")
    surnames: np.ndarray  # surname without prefix ("Berg")
    streets: np.ndarray
    companies: np.ndarray  # Faker company names without a legal form
    pc4: np.ndarray
    pc4_city: np.ndarray
    pc4_area: list[tuple[str, ...]]
    male_slug: np.ndarray
    female_slug: np.ndarray
    surname_slug: np.ndarray  # prefix and surname as one e-mail word: "vanderberg"


def _unique(draw: Any, n: int, keep: Any = None) -> list[str]:
    """Up to ``n`` distinct values from ``draw()``, in first-seen order (deterministic per seed)."""
    seen: dict[str, None] = {}
    for _ in range(n * 6):
        value = draw()
        if keep is None or keep(value):
            seen.setdefault(value, None)
            if len(seen) >= n:
                break
    return list(seen)


def _split_surname(full: str) -> tuple[str, str] | None:
    """Split Faker's ``van der Berg`` into (``van der``, ``Berg``); None for odd historic names."""
    words = full.split(" ")
    prefix, last = " ".join(words[:-1]), words[-1]
    if "," in full or not last[:1].isupper() or (prefix and prefix not in _TUSSENVOEGSELS):
        return None
    return prefix, last


def _build_pools(seed: int) -> _Pools:
    """Draw the Faker value pools once; every record is then combined from them by index."""
    import countrystatecity_postal_codes as cscpc
    from faker import Faker  # imported here: Faker's import is slow and only the demo needs it

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    surnames = [s for s in (_split_surname(x) for x in _unique(fake.last_name, 2000)) if s]
    companies = _unique(fake.company, 2000, keep=lambda c: "," not in c and len(c) > 3)
    # The legal form is added later, from our own mix: drop the one Faker sometimes appends.
    companies = sorted({re.sub(r" (BV|NV)$", "", c[0].upper() + c[1:]) for c in companies})
    places = sorted(cscpc.get_postcodes_of_country("NL"), key=lambda p: p.code)
    male = _unique(fake.first_name_male, 2000)
    female = _unique(fake.first_name_female, 2000)
    return _Pools(
        male=np.array(male, dtype=object),
        female=np.array(female, dtype=object),
        prefixes=np.array([p for p, _ in surnames], dtype=object),
        surnames=np.array([s for _, s in surnames], dtype=object),
        streets=np.array(_unique(fake.street_name, 1000), dtype=object),
        companies=np.array(companies, dtype=object),
        pc4=np.array([p.code for p in places], dtype=object),
        pc4_city=np.array([p.localityName for p in places], dtype=object),
        pc4_area=[_AREA_CODES[p.code[0]] for p in places],
        male_slug=np.array([_ascii_slug(x) for x in male], dtype=object),
        female_slug=np.array([_ascii_slug(x) for x in female], dtype=object),
        surname_slug=np.array([_ascii_slug(p + s) for p, s in surnames], dtype=object),
    )


# ------------------------------------------------------------------------ vectorised parts


def _s(values: Any) -> pd.Series:
    """An object Series of str from an array (pandas string ops then work element-wise)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _digits(rng: np.random.Generator, n: int, width: int, first_nonzero: bool = True) -> pd.Series:
    """``n`` random digit strings of ``width`` characters."""
    low = 10 ** (width - 1) * 2 if first_nonzero else 0
    nums = rng.integers(low, 10**width, size=n) + 10**width
    # "1" + the zero-padded digits as fixed-width text, then drop the "1": all in numpy.
    chars = nums.astype(f"U{width + 1}").view("U1").reshape(n, width + 1)[:, 1:]
    return _s(np.ascontiguousarray(chars).view(f"U{width}").ravel())


def _addresses(rng: np.random.Generator, pools: _Pools, n: int) -> pd.DataFrame:
    """``n`` Dutch addresses: pool street, house number 1-250, addition sometimes, real PC4."""
    pc = rng.integers(0, len(pools.pc4), size=n)
    pair = rng.integers(0, len(_PC_PAIRS), size=n)
    # Small house numbers are far more common than large ones.
    number = (1 + 249 * rng.random(n) ** 2).astype(int)
    addition = np.where(rng.random(n) < 0.18,
                        rng.choice(_ADDITIONS, size=n, p=_ADDITION_P), "")
    area_pick = rng.integers(0, 1000, size=n)
    areas = [pools.pc4_area[p][a % len(pools.pc4_area[p])]
             for p, a in zip(pc.tolist(), area_pick.tolist(), strict=True)]
    return pd.DataFrame({
        "street": _s(pools.streets[rng.integers(0, len(pools.streets), size=n)]),
        "house_number": _s([str(x) for x in number.tolist()]),
        "house_number_addition": _s(addition),
        "postcode": _s(pools.pc4[pc]) + " " + _s(_PC_PAIRS[pair]),
        "city": _s(pools.pc4_city[pc]),
        "_area": _s(areas),
    })


def _phones(rng: np.random.Generator, areas: pd.Series) -> pd.Series:
    """Subscriber numbers that make a 10-digit national number with their area code."""
    n = len(areas)
    seven, six = _digits(rng, n, 7), _digits(rng, n, 6)
    return pd.Series(np.where(areas.str.len() == 3, seven, six), dtype=object)


def _e164(areas: pd.Series, subs: pd.Series) -> pd.Series:
    """``+31201234567`` from area code ``020`` and subscriber ``1234567``."""
    prefix = {a: "+31" + a[1:] for a in pd.unique(areas)}  # a few dozen area codes
    return areas.map(prefix) + subs


def _people(rng: np.random.Generator, pools: _Pools, n: int) -> pd.DataFrame:
    """``n`` persons: gender, first name, initials, surname prefix and surname, birth date."""
    male = rng.random(n) < 0.5
    im = rng.integers(0, len(pools.male), size=n)
    iff = rng.integers(0, len(pools.female), size=n)
    first = _s(np.where(male, pools.male[im], pools.female[iff]))
    # A second given name for some: Dutch initials often list two or three.
    sm = pools.male[rng.integers(0, len(pools.male), size=n)]
    sf = pools.female[rng.integers(0, len(pools.female), size=n)]
    second = _s(np.where(male, sm, sf)).str[0]
    has_second = rng.random(n) < 0.35
    initials = first.str[0] + "." + pd.Series(np.where(has_second, second + ".", ""), dtype=object)
    sn = rng.integers(0, len(pools.surnames), size=n)
    days = rng.integers(0, (dt.date(2004, 12, 31) - dt.date(1945, 1, 1)).days, size=n)
    birth = np.datetime_as_string(np.datetime64("1945-01-01") + days.astype("timedelta64[D]"))
    prefix, last = _s(pools.prefixes[sn]), _s(pools.surnames[sn])
    return pd.DataFrame({
        "_gender": _s(np.where(male, "M", "F")),
        "first_name": first,
        "initials": initials,
        "name_prefix": prefix,
        "last_name": last,
        "_birth": _s(birth),
        "_fslug": _s(np.where(male, pools.male_slug[im], pools.female_slug[iff])),
        "_lslug": _s(pools.surname_slug[sn]),
        "_mobile_sub": _digits(rng, n, 8, first_nonzero=False),
    })


def _org_names(rng: np.random.Generator, pools: _Pools, cities: pd.Series) -> pd.DataFrame:
    """Organisation base names and legal forms from a handful of Dutch naming patterns."""
    n = len(cities)
    forms = np.array([f for f, _ in _LEGAL_FORMS], dtype=object)
    weights = np.array([w for _, w in _LEGAL_FORMS], dtype=float)
    legal = _s(rng.choice(forms, size=n, p=weights / weights.sum()))
    sn = rng.integers(0, len(pools.surnames), size=n)
    sn2 = rng.integers(0, len(pools.surnames), size=n)
    # At the start of a company name the prefix is capitalised: "De Vries", "Van Dijk".
    full = _s(pools.prefixes[sn]) + " " + _s(pools.surnames[sn])
    full = full.str.strip()
    full = full.str[0].str.upper() + full.str[1:]
    other = (_s(pools.prefixes[sn2]) + " " + _s(pools.surnames[sn2])).str.strip()
    other = other.str[0].str.upper() + other.str[1:]

    def pick(options: tuple[str, ...]) -> pd.Series:
        return _s(np.array(options, dtype=object)[rng.integers(0, len(options), size=n)])

    trade, sector, fantasy = pick(_TRADES), pick(_SECTORS), pick(_FANTASY)
    company = _s(pools.companies[rng.integers(0, len(pools.companies), size=n)])
    tmpl = rng.choice(6, size=n, p=[0.28, 0.24, 0.10, 0.06, 0.20, 0.12])
    base = pd.Series(np.select(
        [tmpl == 0, tmpl == 1, tmpl == 2, tmpl == 3, tmpl == 4],
        [trade + " " + full, full + " " + sector, full + " & " + pick(("Zn", "Zonen", "Co")),
         full + " & " + other, company],
        default=fantasy + " " + pd.Series(np.where(rng.random(n) < 0.5, sector, cities),
                                          dtype=object),
    ), dtype=object)
    stichting = legal == "Stichting"
    base[stichting] = pick(_STICHTING)[stichting] + " " + cities[stichting]
    vereniging = legal == "Vereniging"
    base[vereniging] = pick(_VERENIGING)[vereniging] + " " + cities[vereniging]
    # Faker already says "Stichting X" or "X Groep" for some: no second legal form then.
    faker_stichting = base.str.startswith("Stichting ")
    base[faker_stichting] = base[faker_stichting].str[len("Stichting "):]
    legal[faker_stichting] = "Stichting"
    return pd.DataFrame({"_base": base, "_legal": legal})


def _full_name(base: str, legal: str) -> str:
    """Join a base name and its legal form the Dutch way round."""
    if not legal:
        return base
    return f"{legal} {base}" if legal in _PREFIX_FORMS or legal in ("Stg.", "Ver.") \
        else f"{base} {legal}"


def _organisations(rng: np.random.Generator, pools: _Pools, n: int) -> pd.DataFrame:
    """``n`` distinct organisations with name, unique KvK, address, phone, e-mail and website."""
    orgs = _addresses(rng, pools, n)
    orgs = pd.concat([orgs, _org_names(rng, pools, orgs["city"])], axis=1)
    orgs["name"] = [_full_name(b, lg) for b, lg in zip(orgs["_base"], orgs["_legal"], strict=True)]
    # Unique 8-digit KvK numbers; uniform draws give about 10% with a leading zero.
    orgs["_kvk"] = [f"{k:08d}" for k in rng.choice(10**8, size=n, replace=False).tolist()]
    distinct = pd.unique(orgs["_base"])
    slug = orgs["_base"].map(dict(zip(distinct, map(_ascii_slug, distinct), strict=True)))
    rank = slug.groupby(slug).cumcount()
    # Two firms cannot share a domain: later ones get a number, as real registrants do.
    orgs["_slug"] = slug + pd.Series(np.where(rank > 0, rank.astype(str), ""), dtype=object)
    orgs["_sub"] = _phones(rng, orgs["_area"])
    orgs["website"] = "www." + orgs["_slug"] + ".nl"
    orgs["email"] = "info@" + orgs["_slug"] + ".nl"
    orgs["country"] = "NL"
    return orgs


def _national(area: str, sub: str) -> str:
    """``020-1234567``."""
    return f"{area}-{sub}"


def _work_emails(rng: np.random.Generator, people: pd.DataFrame, slugs: pd.Series,
                 keys: pd.Series) -> pd.Series:
    """Work e-mail per person at the organisation's domain, unique within each organisation."""
    n = len(people)
    fs, ls = people["_fslug"].to_numpy(), people["_lslug"].to_numpy()
    init = people["_fslug"].str[0].to_numpy()
    style = rng.choice(4, size=n, p=[0.5, 0.3, 0.1, 0.1])
    local = _s(np.select([style == 0, style == 1, style == 2],
                         [init + "." + ls, fs + "." + ls, fs], default=init + ls))
    rank = local.groupby([keys.to_numpy(), local.to_numpy()]).cumcount()
    local = local + pd.Series(np.where(rank > 0, rank.astype(str), ""), dtype=object)
    return local + "@" + slugs.reset_index(drop=True) + ".nl"


# ------------------------------------------------------------------------------- the CRM


def _pad(n: int) -> int:
    """Width of the zero-padded ids: at least 6 digits."""
    return max(6, len(str(n)))


def _typo(text: str, rnd: random.Random) -> str:
    """The same text with one character substituted, dropped, doubled or swapped."""
    spots = [i for i, c in enumerate(text) if c.isalpha() and i > 0]
    if not spots:
        return text
    for _ in range(10):
        i = rnd.choice(spots)
        op = rnd.randrange(4)
        if op == 0:
            out = text[:i] + rnd.choice("aeiounrstl") + text[i + 1:]
        elif op == 1:
            out = text[:i] + text[i + 1:]
        elif op == 2:
            out = text[:i] + text[i] + text[i:]
        else:
            out = text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
        if out != text and out.strip() == out:
            return out
    return text + "e"


@dataclass
class _Crm:
    orgs: pd.DataFrame  # base (non-duplicate) organisations, positional, with hidden columns
    org_ids: np.ndarray  # CRM org_id per base organisation
    dup_of: dict[int, str]  # base position -> org_id of its CRM-internal duplicate
    persons: pd.DataFrame
    contacts: pd.DataFrame  # contact rows of the base organisations, with "_org" and "_per"
    organisations_out: pd.DataFrame
    persons_out: pd.DataFrame
    contacts_out: pd.DataFrame


def _build_crm(rng: np.random.Generator, rnd: random.Random, pools: _Pools,
               all_orgs: pd.DataFrame, n_total: int) -> _Crm:
    """The CRM snapshot: ~1% organisations duplicated inside it, 1-3 contacts each, privates."""
    n_dup = int(round(n_total * 0.01))
    n_base = n_total - n_dup
    orgs = all_orgs.iloc[:n_base].reset_index(drop=True)
    out = orgs.copy()
    # CRM values are mostly clean: E.164 phone, KvK present for ~85%.
    national = rng.random(n_base) < 0.15
    e164 = _e164(out["_area"], out["_sub"])
    out["phone"] = pd.Series(np.where(national, out["_area"] + "-" + out["_sub"], e164),
                             dtype=object)
    out["kvk_number"] = pd.Series(np.where(rng.random(n_base) < 0.15, "", out["_kvk"]),
                                  dtype=object)

    # CRM-internal duplicates: another org's record keyed in again with a slip.
    dup_src = np.sort(rng.choice(n_base, size=n_dup, replace=False)) if n_dup else np.array([], int)
    dups = out.iloc[dup_src].copy()
    names = []
    for base, legal in zip(dups["_base"], dups["_legal"], strict=True):
        if rnd.random() < 0.5:
            names.append(_full_name(_typo(base, rnd), legal))
        else:
            names.append(_full_name(base, rnd.choice(_LEGAL_VARIANTS[legal])))
    dups["name"] = names
    dups["kvk_number"] = [k if rnd.random() < 0.5 else "" for k in dups["kvk_number"]]
    dups["phone"] = [_national(a, s) for a, s in zip(dups["_area"], dups["_sub"], strict=True)]

    # Ids in a random order, as a CRM that has merged several sources over the years.
    width = _pad(n_total)
    order = rng.permutation(n_total)
    ids = np.array([f"ORG-{i + 1:0{width}d}" for i in order.tolist()], dtype=object)
    org_ids, dup_ids = ids[:n_base], ids[n_base:]
    dup_of = {int(src): str(d) for src, d in zip(dup_src.tolist(), dup_ids.tolist(), strict=True)}
    out["org_id"], dups["org_id"] = org_ids, dup_ids
    organisations_out = pd.concat([out, dups], ignore_index=True)
    # Rows in id order: the inverse permutation, cheaper than sorting the id strings.
    organisations_out = organisations_out.iloc[np.argsort(order, kind="stable")]

    # Contact persons: 1-3 per base organisation.
    k = rng.choice([1, 2, 3], size=n_base, p=[0.45, 0.35, 0.20])
    c_org = np.repeat(np.arange(n_base), k)
    n_cp = len(c_org)
    n_priv = int(round(n_cp / 9))  # private persons are ~10% of all persons
    people = _people(rng, pools, n_cp + n_priv)
    people["_is_private"] = np.arange(n_cp + n_priv) >= n_cp
    jobs = _s(np.array(_JOBS, dtype=object)[rng.integers(0, len(_JOBS), size=n_cp)])
    c_slug = orgs["_slug"].to_numpy()[c_org]
    work = _work_emails(rng, people.iloc[:n_cp], _s(c_slug), _s(c_org))
    c_phone_sub = _phones(rng, _s(orgs["_area"].to_numpy()[c_org]))
    c_phone = _e164(_s(orgs["_area"].to_numpy()[c_org]), c_phone_sub)
    c_mobile = "+316" + people["_mobile_sub"].iloc[:n_cp].reset_index(drop=True)
    has_phone = rng.random(n_cp) < 0.5
    has_mobile = rng.random(n_cp) < 0.8

    pcols = CRM_TABLES["persons"]
    persons = people.copy()
    persons["gender"] = pd.Series(np.where(rng.random(len(people)) < 0.03, "",
                                           persons["_gender"]), dtype=object)
    is_priv = persons["_is_private"].to_numpy()
    n_all = len(persons)
    has_birth = np.where(is_priv, rng.random(n_all) < 0.7, rng.random(n_all) < 0.1)
    persons["birth_date"] = pd.Series(np.where(has_birth, persons["_birth"], ""), dtype=object)
    # Private persons: own address, personal e-mail and phones; contact persons: mobile only.
    # Only private persons have an address; contact persons' rows stay empty there.
    addr = pd.concat([pd.DataFrame("", index=range(n_cp), columns=[
        "street", "house_number", "house_number_addition", "postcode", "city", "_area"]),
        _addresses(rng, pools, n_priv)], ignore_index=True)
    home_sub = pd.concat([pd.Series([""] * n_cp, dtype=object),
                          _phones(rng, addr["_area"].iloc[n_cp:])], ignore_index=True)
    free = _s(np.array(_FREEMAIL, dtype=object)[rng.integers(0, len(_FREEMAIL), size=n_all)])
    personal = persons["_fslug"] + "." + persons["_lslug"] + "@" + free
    mob_all = "+316" + persons["_mobile_sub"]
    persons["email"] = pd.Series(np.where(is_priv & (rng.random(n_all) < 0.6), personal, ""),
                                 dtype=object)
    persons["phone"] = pd.Series(np.where(is_priv & (rng.random(n_all) < 0.4),
                                          _e164(addr["_area"], home_sub), ""), dtype=object)
    persons["mobile"] = pd.Series(np.where(rng.random(n_all) < np.where(is_priv, 0.7, 0.4),
                                           mob_all, ""), dtype=object)
    for col in ("street", "house_number", "house_number_addition", "postcode", "city"):
        persons[col] = pd.Series(np.where(is_priv, addr[col], ""), dtype=object)
    persons["country"] = pd.Series(np.where(is_priv, "NL", ""), dtype=object)
    p_width = _pad(n_all)
    p_order = rng.permutation(n_all)
    persons["person_id"] = [f"PER-{i + 1:0{p_width}d}" for i in p_order.tolist()]
    persons_out = persons.iloc[np.argsort(p_order, kind="stable")]

    contacts = pd.DataFrame({
        "_org": c_org, "_per": np.arange(n_cp),
        "org_id": org_ids[c_org], "person_id": persons["person_id"].to_numpy()[:n_cp],
        "contact_type": "person", "job_title": jobs, "email": work,
        "phone": pd.Series(np.where(has_phone, c_phone, ""), dtype=object),
        "mobile": pd.Series(np.where(has_mobile, c_mobile, ""), dtype=object),
    })
    # Half of the duplicated organisations also got one of the original's people linked.
    # c_org is sorted, so an organisation's first contact row is found by bisection.
    linked = [(int(np.searchsorted(c_org, src)), dup_id) for src, dup_id in dup_of.items()
              if rnd.random() < 0.5]
    extra = contacts.iloc[[c for c, _ in linked]].copy()
    extra["org_id"], extra["_org"] = [d for _, d in linked], -1
    all_contacts = pd.concat([contacts, extra], ignore_index=True)
    # Contacts listed per organisation id, then person id (integer keys sort fast).
    all_contacts = all_contacts.iloc[np.lexsort((
        all_contacts["person_id"].str[4:].astype(np.int64).to_numpy(),
        all_contacts["org_id"].str[4:].astype(np.int64).to_numpy()))]
    c_width = _pad(len(all_contacts))
    all_contacts["contact_id"] = [f"CON-{i + 1:0{c_width}d}" for i in range(len(all_contacts))]
    for col in CRM_TABLES["contacts"]:
        if col not in all_contacts:
            all_contacts[col] = ""
    return _Crm(
        orgs=out, org_ids=org_ids, dup_of=dup_of, persons=persons, contacts=contacts,
        organisations_out=organisations_out[list(CRM_TABLES["organisations"])],
        persons_out=persons_out[list(pcols)],
        contacts_out=all_contacts[list(CRM_TABLES["contacts"])],
    )


# ------------------------------------------------------------------------- incoming file


def _case_counts(n: int) -> dict[str, int]:
    """Rows per case for ``n`` incoming rows: the brief's mix, every case present when n allows."""
    blank = min(2, n)
    rest = n - blank
    total = sum(_CASE_SHARES.values())
    raw = {c: rest * s / total for c, s in _CASE_SHARES.items()}
    counts = {c: int(v) for c, v in raw.items()}
    short = rest - sum(counts.values())
    for c in sorted(raw, key=lambda c: raw[c] - counts[c], reverse=True)[:short]:
        counts[c] += 1  # largest remainders first
    if rest >= 40:
        for c in counts:
            if counts[c] == 0:
                counts[c] = 1
                counts["existing_org_existing_person"] -= 1
    counts["new_org_second_person"] = min(counts["new_org_second_person"], counts["new_org"])
    counts["existing_org_existing_person"] = rest - sum(
        v for c, v in counts.items() if c != "existing_org_existing_person")
    counts["blank"] = blank
    return counts


def _fmt_postcode(pc: str, rnd: random.Random) -> str:
    """A postcode as lists write it: ``1234 AB``, ``1234AB``, ``1234ab``, ``1234 ab``."""
    digits, letters = pc[:4], pc[-2:]
    return rnd.choice((f"{digits} {letters}", f"{digits}{letters}", f"{digits}{letters.lower()}",
                       f"{digits} {letters.lower()}", f"{digits}{letters}"))


def _fmt_phone(area: str, sub: str, rnd: random.Random) -> str:
    """A landline in one of the ways people write it."""
    a = area[1:]
    spaced = f"{sub[:3]} {sub[3:]}" if len(sub) == 7 else f"{sub[:2]} {sub[2:4]} {sub[4:]}"
    return rnd.choice((f"{area}-{sub}", f"+31 {a} {spaced}", f"0031{a}{sub}", f"+31{a}{sub}",
                       f"{area} {spaced}", f"{area}-{sub}"))


def _fmt_mobile(sub: str, rnd: random.Random) -> str:
    """A mobile number in one of the ways people write it."""
    return rnd.choice((f"06-{sub}", f"06 {sub}", f"+31 6 {sub}", f"+316{sub}", f"06{sub}",
                       f"06-{sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}"))


def _fmt_address(street: str, number: str, addition: str, rnd: random.Random) -> str:
    """Street, number and addition on one line: ``Hoofdstraat 12 A``, ``Kerkweg 3-2``."""
    if not addition:
        return f"{street} {number}"
    if addition.isdigit():
        return f"{street} {number}{rnd.choice(('-', '-', ' '))}{addition}"
    if len(addition) == 1:
        return rnd.choice((f"{street} {number} {addition}", f"{street} {number}{addition}",
                           f"{street} {number}{addition.lower()}", f"{street} {number}-{addition}"))
    return rnd.choice((f"{street} {number} {addition}", f"{street} {number}-{addition}"))


def _fmt_initials(initials: str, rnd: random.Random) -> str:
    """``J.P.`` as ``J.P.``, ``JP``, ``J. P.`` or ``J.P``."""
    letters = initials.replace(".", "")
    return rnd.choice((initials, letters, ". ".join(letters) + ".", initials.rstrip("."),
                       initials))


def _recase(text: str, rnd: random.Random) -> str:
    """The text in another case: upper, lower or title."""
    return rnd.choice((text.upper(), text.lower(), text.title()))


def _salutation(gender: str, rnd: random.Random) -> str:
    """Dhr./De heer or Mevr./Mevrouw for the person's gender."""
    if rnd.random() < 0.05:
        return ""
    return rnd.choice(("Dhr.", "De heer", "Dhr.")) if gender == "M" \
        else rnd.choice(("Mevr.", "Mevrouw", "Mevr."))


def _render(org: dict[str, Any], per: dict[str, Any], rnd: random.Random,
            perturb: bool) -> dict[str, str]:
    """One incoming row (16 text cells) from an organisation and a person, as a list writes it."""
    base, legal = org["_base"], org["_legal"]
    if perturb:
        roll = rnd.random()
        if roll < 0.35:
            legal = rnd.choice(_LEGAL_VARIANTS[legal])
        elif roll < 0.50:
            base = _typo(base, rnd)
    name = _full_name(base, legal)
    if perturb and rnd.random() < 0.15:
        name = _recase(name, rnd)
    kvk = org["_kvk"]
    if rnd.random() < 0.3 and not org.get("_keep_kvk"):
        kvk = ""
    elif perturb and kvk.startswith("0") and rnd.random() < 0.5:
        kvk = kvk[1:]  # Excel ate the leading zero somewhere upstream
    city = org["city"]
    if city in _CITY_ALIASES and rnd.random() < 0.5:
        city = _CITY_ALIASES[city]
    elif rnd.random() < 0.1:
        city = city.upper()
    website = rnd.choice((org["website"], org["website"], "http://" + org["website"],
                          org["website"][4:], "https://" + org["website"] + "/"))
    email = org["email"] if rnd.random() < 0.8 else _recase(org["email"], rnd)
    last, prefix = per["last_name"], per["name_prefix"]
    if prefix and rnd.random() < 0.25:
        last, prefix = f"{prefix} {last}", ""  # tussenvoegsel left in the surname column
    work = per["_work_email"]
    if perturb and rnd.random() < 0.2:
        work = rnd.choice((work.upper(), work[0].upper() + work[1:], work.title()))
    return {
        "Bedrijfsnaam": name,
        "KvK-nummer": kvk,
        "Adres": _fmt_address(org["street"], org["house_number"], org["house_number_addition"],
                              rnd),
        "Postcode": _fmt_postcode(org["postcode"], rnd),
        "Plaats": city,
        "Telefoon": "" if rnd.random() < 0.1 else _fmt_phone(org["_area"], org["_sub"], rnd),
        "E-mail": "" if rnd.random() < 0.15 else email,
        "Website": "" if rnd.random() < 0.2 else website,
        "Aanhef": _salutation(per["_gender"], rnd),
        "Voorletters": _fmt_initials(per["initials"], rnd),
        "Voornaam": "" if rnd.random() < 0.15 else per["first_name"],
        "Tussenvoegsel": prefix,
        "Achternaam": last,
        "Functie": "" if rnd.random() < 0.1 else per["_job"],
        "E-mail contactpersoon": work,
        "Mobiel": "" if rnd.random() < 0.2 else _fmt_mobile(per["_mobile_sub"], rnd),
    }


def _lightly(cells: dict[str, str], rnd: random.Random) -> dict[str, str]:
    """An in-file duplicate: the same row again with one or two small differences."""
    out = dict(cells)
    for _ in range(rnd.choice((1, 2))):
        op = rnd.randrange(6)
        if op == 0:
            field = rnd.choice(("Telefoon", "Website", "E-mail", "Functie", "Mobiel", "Voornaam",
                                "Aanhef", "KvK-nummer"))
            out[field] = ""
        elif op == 1 and out["Postcode"]:
            pc = out["Postcode"].replace(" ", "").upper()
            out["Postcode"] = _fmt_postcode(f"{pc[:4]} {pc[4:]}", rnd)
        elif op == 2:
            out["Bedrijfsnaam"] = _recase(out["Bedrijfsnaam"], rnd)
        elif op == 3:
            out["Achternaam"] = _typo(out["Achternaam"], rnd)
        elif op == 4:
            out["E-mail contactpersoon"] = out["E-mail contactpersoon"].lower().capitalize()
        else:
            out["Voorletters"] = out["Voorletters"].replace(".", "")
    return out


@dataclass
class _Row:
    case: str
    cells: dict[str, str]
    org_key: str  # "crm:<base pos>", "new:<n>" or ""
    per_key: str  # "crm:<person pos>", "new:<n>" or ""
    status: str = "accepted"
    reason: str = ""
    parent: _Row | None = None  # the earlier row this one must follow
    key: float = 0.0
    source_row: int = 0


def _build_incoming(rng: np.random.Generator, rnd: random.Random, pools: _Pools, crm: _Crm,
                    new_orgs: pd.DataFrame, n: int) -> list[_Row]:
    """The purchased list's rows, in file order, each with the truth it was built from."""
    counts = _case_counts(n)
    orgs, contacts, persons = crm.orgs, crm.contacts, crm.persons
    n_new_people = (counts["existing_org_new_person"] + counts["new_org"]
                    + counts["sister_org"] + counts["new_org_second_person"] + counts["reject"])
    people = _people(rng, pools, n_new_people).to_dict("records")
    for p in people:
        p["_job"] = _JOBS[rnd.randrange(len(_JOBS))]
    new_org_iter = iter(new_orgs.to_dict("records"))
    people_iter = iter(enumerate(people))

    def new_person(slug: str) -> tuple[str, dict[str, Any]]:
        i, p = next(people_iter)
        style = rnd.randrange(3)
        local = (p["_fslug"][0] + "." + p["_lslug"], p["_fslug"] + "." + p["_lslug"],
                 p["_fslug"])[style]
        p["_work_email"] = f"{local}@{slug}.nl"
        return f"new:{i}", p

    rows: list[_Row] = []
    # Moved organisations stay out of the other existing-organisation rows (one address each).
    need_moved = counts["moved_org"]
    movable = np.flatnonzero((orgs["kvk_number"] != "").to_numpy())
    moved = rng.choice(movable, size=min(need_moved, len(movable)), replace=False)
    moved_set = set(moved.tolist())
    free_contacts = contacts.index[~contacts["_org"].isin(moved_set)].to_numpy()
    need_existing = counts["existing_org_existing_person"]
    if need_existing > len(free_contacts) or len(moved) < need_moved:
        raise ValueError(f"{n} incoming rows need a larger CRM than {len(orgs)} organisations; "
                         "use at most about 4 incoming rows per organisation")
    picked = rng.choice(free_contacts, size=need_existing, replace=False)
    # contacts is ordered by organisation: an organisation's first contact row by bisection.
    moved_contacts = np.searchsorted(contacts["_org"].to_numpy(), moved)
    eonp = rng.choice(np.setdiff1d(np.arange(len(orgs)), moved),
                      size=counts["existing_org_new_person"])

    # Look the CRM records up in bulk: row-by-row pandas access is too slow for big runs.
    chosen = np.concatenate([picked, moved_contacts]).astype(int)
    c_recs = contacts.iloc[chosen][["_org", "_per", "job_title", "email", "mobile"]] \
        .to_dict("records")
    p_recs = persons.iloc[[int(c["_per"]) for c in c_recs]].to_dict("records")
    o_recs = orgs.iloc[[int(c["_org"]) for c in c_recs]].to_dict("records")
    moved_to = _addresses(rng, pools, len(moved))
    moved_to["_sub"] = _phones(rng, moved_to["_area"])
    moved_recs = moved_to.to_dict("records")
    for i, (c, p, org) in enumerate(zip(c_recs, p_recs, o_recs, strict=True)):
        p["_job"] = c["job_title"] if rnd.random() < 0.85 else rnd.choice(_JOBS)
        p["_work_email"] = c["email"]
        if c["mobile"]:
            p["_mobile_sub"] = c["mobile"][4:]
        case = "existing_org_existing_person"
        if i >= len(picked):
            case, there = "moved_org", moved_recs[i - len(picked)]
            for col in ("street", "house_number", "house_number_addition", "postcode", "city"):
                org[col] = there[col]
            if rnd.random() < 0.5:  # a new office often brings a new phone number too
                org["_area"], org["_sub"] = there["_area"], there["_sub"]
            org["_keep_kvk"] = True  # the KvK number is what ties the moved firm to the CRM
        rows.append(_Row(case, _render(org, p, rnd, True), f"crm:{int(c['_org'])}",
                         f"crm:{int(c['_per'])}"))
    for org in orgs.iloc[eonp].assign(_pos=eonp).to_dict("records"):
        pk, p = new_person(org["_slug"])
        rows.append(_Row("existing_org_new_person", _render(org, p, rnd, True),
                         f"crm:{int(org['_pos'])}", pk))

    new_rows: list[tuple[_Row, dict[str, Any]]] = []
    for _ in range(counts["new_org"]):
        org = next(new_org_iter)
        pk, p = new_person(org["_slug"])
        row = _Row("new_org", _render(org, p, rnd, False), f"new:{org['_n']}", pk)
        rows.append(row)
        new_rows.append((row, org))
    # Sister organisations: same building as a CRM firm, another unit and another firm.
    lettered = np.flatnonzero(orgs["house_number_addition"].isin(list("ABC")).to_numpy())
    pool = lettered if len(lettered) >= counts["sister_org"] else np.arange(len(orgs))
    for org_pos in rng.choice(pool, size=counts["sister_org"], replace=False).tolist():
        org = next(new_org_iter)
        there = orgs.iloc[org_pos]
        for col in ("street", "house_number", "postcode", "city"):
            org[col] = there[col]
        taken = there["house_number_addition"]
        org["house_number_addition"] = rnd.choice([a for a in "ABCD" if a != taken])
        pk, p = new_person(org["_slug"])
        rows.append(_Row("sister_org", _render(org, p, rnd, False), f"new:{org['_n']}", pk))
    for parent, org in rnd.sample(new_rows, counts["new_org_second_person"]):
        pk, p = new_person(org["_slug"])
        rows.append(_Row("new_org_second_person", _render(org, p, rnd, False), parent.org_key,
                         pk, parent=parent))

    reasons = [REJECT_REASONS[i % len(REJECT_REASONS)] for i in range(counts["reject"])]
    for reason in reasons:
        org = next(new_org_iter)
        pk, p = new_person(org["_slug"])
        cells = _render(org, p, rnd, False)
        if reason == "invalid_kvk":
            cells["KvK-nummer"] = rnd.choice((org["_kvk"][:5], org["_kvk"][:2] + "A"
                                              + org["_kvk"][3:], org["_kvk"] + "9"))
        elif reason == "invalid_email":
            local = cells["E-mail contactpersoon"].split("@")[0]
            cells["E-mail contactpersoon"] = rnd.choice(
                (f"{local}@", f"{local} at {org['_slug']}.nl", f"{local}@@{org['_slug']}.nl"))
        elif reason == "no_name":
            cells["Bedrijfsnaam"] = cells["Tussenvoegsel"] = cells["Achternaam"] = ""
        else:
            cells["Adres"] = cells["Postcode"] = ""
        rows.append(_Row("reject", cells, f"new:{org['_n']}", pk, status="rejected",
                         reason=reason))

    # File order: a random key per row; a row that repeats another sorts after it.
    for row in rows:
        row.key = rnd.random() if row.parent is None else 0.0
    for row in rows:
        if row.parent is not None:
            row.key = row.parent.key + (1 - row.parent.key) * rnd.random()
    originals = [r for r in rows if r.status == "accepted"]
    for parent in rnd.sample(originals, min(counts["in_file_duplicate"], len(originals))):
        dup = _Row("in_file_duplicate", _lightly(parent.cells, rnd), parent.org_key,
                   parent.per_key, status="in_file_duplicate", parent=parent)
        dup.key = parent.key + (1 - parent.key) * rnd.random()
        rows.append(dup)
    for _ in range(counts["blank"]):
        blank = _Row("blank", dict.fromkeys(INCOMING_HEADER, ""), "", "", status="skipped")
        blank.key = 0.3 + 0.4 * rnd.random()  # somewhere in the middle of the file
        rows.append(blank)
    rows.sort(key=lambda r: r.key)
    for i, row in enumerate(rows, start=1):
        row.source_row = i
    return rows


def _truth(rows: list[_Row], crm: _Crm) -> pd.DataFrame:
    """The truth table: per data row its status and the real CRM / new entities behind it."""
    new_org_no: dict[str, str] = {}
    new_per_no: dict[str, str] = {}
    person_ids = crm.persons["person_id"].to_numpy()
    records = []
    for row in rows:
        org_id = org_entity = person_id = person_entity = ""
        if row.org_key.startswith("crm:"):
            pos = int(row.org_key[4:])
            ids = sorted([str(crm.org_ids[pos])] + ([crm.dup_of[pos]] if pos in crm.dup_of
                                                    else []))
            org_id, org_entity = "|".join(ids), ids[0]
        elif row.org_key:
            org_entity = new_org_no.setdefault(row.org_key, f"NEWORG-{len(new_org_no) + 1}")
        if row.per_key.startswith("crm:"):
            person_id = person_entity = str(person_ids[int(row.per_key[4:])])
        elif row.per_key:
            person_entity = new_per_no.setdefault(row.per_key, f"NEWPER-{len(new_per_no) + 1}")
        records.append({
            "source_row": row.source_row, "expected_status": row.status, "org_id": org_id,
            "person_id": person_id, "org_entity": org_entity, "person_entity": person_entity,
            "duplicate_of": str(row.parent.source_row) if row.status == "in_file_duplicate"
            and row.parent else "",
            "reject_reason": row.reason, "case": row.case,
        })
    return pd.DataFrame(records, columns=list(TRUTH_COLUMNS))


# --------------------------------------------------------------------------------- writing


def _csv_column(values: pd.Series) -> list[str]:
    """A column's values as CSV fields: quoted only where a comma, quote or newline needs it."""
    fields = [str(v) for v in values.tolist()] if values.dtype != object else values.tolist()
    # One C-speed scan of the whole column decides whether any field needs quoting at all.
    if not any(ch in "".join(fields) for ch in '",\r\n'):
        return fields
    return ['"' + f.replace('"', '""') + '"' if any(ch in f for ch in '",\r\n') else f
            for f in fields]


def _write_csv(frame: pd.DataFrame, target: Path) -> None:
    """UTF-8 CSV with a header row and ``\\n`` line ends, empty fields for missing values."""
    # Joined by hand: pandas' to_csv takes ~10x longer on a million rows of text columns.
    columns = [_csv_column(frame[c]) for c in frame.columns]
    header = ",".join(_csv_column(pd.Series(list(frame.columns), dtype=object)))
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        step = 100_000
        for start in range(0, len(frame), step):
            chunk = [col[start:start + step] for col in columns]
            fh.write("".join(",".join(fields) + "\n" for fields in zip(*chunk, strict=True)))


def _write_xlsx(rows: list[_Row], target: Path) -> None:
    """The ``Leads`` sheet, every filled cell a text cell, byte-identical for the same rows."""
    table = pd.DataFrame([[row.cells[h] for h in INCOMING_HEADER] for row in rows],
                         columns=list(INCOMING_HEADER), dtype=object)
    if table.map(lambda v: isinstance(v, str) and v.startswith("=")).any().any():
        raise ValueError("a demo value would be read as a formula")
    write_text_xlsx({"Leads": table.replace("", None)}, target, freeze_header=False,
                    autofilter=False, creator="workbench demo")


def generate_demo(out_dir: str | Path, organisations: int = 2000, incoming: int = 500,
                  seed: int = 7) -> DemoSummary:
    """Write a synthetic CRM export, a purchased lead list and its truth under ``out_dir``."""
    if organisations < 1 or incoming < 0:
        raise ValueError("organisations must be >= 1 and incoming >= 0")
    out = Path(out_dir)
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    pools = _build_pools(seed)
    counts = _case_counts(incoming)
    n_new = counts["new_org"] + counts["sister_org"] + counts["reject"]
    n_base = organisations - int(round(organisations * 0.01))
    # CRM and new organisations come from one draw, so KvK numbers and domains never collide.
    all_orgs = _organisations(rng, pools, n_base + n_new)
    crm = _build_crm(rng, rnd, pools, all_orgs, organisations)
    new_orgs = all_orgs.iloc[n_base:].reset_index(drop=True)
    new_orgs["_n"] = np.arange(len(new_orgs))
    rows = _build_incoming(rng, rnd, pools, crm, new_orgs, incoming)
    truth = _truth(rows, crm)

    _write_csv(crm.organisations_out, out / "crm" / "organisations.csv")
    _write_csv(crm.persons_out, out / "crm" / "persons.csv")
    _write_csv(crm.contacts_out, out / "crm" / "contacts.csv")
    _write_xlsx(rows, out / "incoming.xlsx")
    _write_csv(truth, out / "truth.csv")
    tally = Counter(truth["case"])
    return DemoSummary(
        out_dir=out, organisations=len(crm.organisations_out), persons=len(crm.persons_out),
        contacts=len(crm.contacts_out), incoming_rows=len(rows),
        cases={c: tally.get(c, 0) for c in CASES},
    )


def read_truth(path: str | Path) -> pd.DataFrame:
    """Read ``truth.csv``: every column text (empty, not NaN) except ``source_row`` as int."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["source_row"] = frame["source_row"].astype(int)
    return frame
