"""The demo's records drawn in bulk with numpy: addresses, phones, persons and organisations."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from workbench.demo.names import Pools, ascii_slug, full_name

# PostNL does not use F, I, O, Q, U, Y in postcodes, nor the pairs SA, SD, SS.
_PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_PC_PAIRS = np.array([a + b for a in _PC_LETTERS for b in _PC_LETTERS
                      if a + b not in ("SA", "SD", "SS")], dtype=object)

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
# (legal form, weight) of the mix; names.PREFIX_FORMS says which stand before the name.
_LEGAL_FORMS = (("B.V.", 34), ("BV", 10), ("", 24), ("V.O.F.", 10), ("N.V.", 2), ("C.V.", 2),
                ("Holding B.V.", 7), ("Stichting", 7), ("Vereniging", 4))
_ADDITIONS = np.array(["A", "B", "C", "2", "1", "3", "bis", "hs"], dtype=object)
_ADDITION_P = np.array([0.30, 0.22, 0.08, 0.14, 0.08, 0.06, 0.04, 0.08])


def texts(values: Any) -> pd.Series:
    """An object Series of str from an array (pandas string ops then work element-wise)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _digits(rng: np.random.Generator, n: int, width: int, first_nonzero: bool = True) -> pd.Series:
    """``n`` random digit strings of ``width`` characters."""
    low = 10 ** (width - 1) * 2 if first_nonzero else 0
    nums = rng.integers(low, 10**width, size=n) + 10**width
    # "1" + the zero-padded digits as fixed-width text, then drop the "1": all in numpy.
    chars = nums.astype(f"U{width + 1}").view("U1").reshape(n, width + 1)[:, 1:]
    return texts(np.ascontiguousarray(chars).view(f"U{width}").ravel())


def draw_addresses(rng: np.random.Generator, pools: Pools, n: int) -> pd.DataFrame:
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
        "street": texts(pools.streets[rng.integers(0, len(pools.streets), size=n)]),
        "house_number": texts([str(x) for x in number.tolist()]),
        "house_number_addition": texts(addition),
        "postcode": texts(pools.pc4[pc]) + " " + texts(_PC_PAIRS[pair]),
        "city": texts(pools.pc4_city[pc]),
        "_area": texts(areas),
    })


def draw_phones(rng: np.random.Generator, areas: pd.Series) -> pd.Series:
    """Subscriber numbers that make a 10-digit national number with their area code."""
    n = len(areas)
    seven, six = _digits(rng, n, 7), _digits(rng, n, 6)
    return pd.Series(np.where(areas.str.len() == 3, seven, six), dtype=object)


def e164(areas: pd.Series, subs: pd.Series) -> pd.Series:
    """``+31201234567`` from area code ``020`` and subscriber ``1234567``."""
    prefix = {a: "+31" + a[1:] for a in pd.unique(areas)}  # a few dozen area codes
    return areas.map(prefix) + subs


def draw_people(rng: np.random.Generator, pools: Pools, n: int) -> pd.DataFrame:
    """``n`` persons: gender, first name, initials, surname prefix and surname, birth date."""
    male = rng.random(n) < 0.5
    im = rng.integers(0, len(pools.male), size=n)
    iff = rng.integers(0, len(pools.female), size=n)
    first = texts(np.where(male, pools.male[im], pools.female[iff]))
    # A second given name for some: Dutch initials often list two or three.
    sm = pools.male[rng.integers(0, len(pools.male), size=n)]
    sf = pools.female[rng.integers(0, len(pools.female), size=n)]
    second = texts(np.where(male, sm, sf)).str[0]
    has_second = rng.random(n) < 0.35
    initials = first.str[0] + "." + pd.Series(np.where(has_second, second + ".", ""), dtype=object)
    sn = rng.integers(0, len(pools.surnames), size=n)
    days = rng.integers(0, (dt.date(2004, 12, 31) - dt.date(1945, 1, 1)).days, size=n)
    birth = np.datetime_as_string(np.datetime64("1945-01-01") + days.astype("timedelta64[D]"))
    prefix, last = texts(pools.prefixes[sn]), texts(pools.surnames[sn])
    return pd.DataFrame({
        "_gender": texts(np.where(male, "M", "F")),
        "first_name": first,
        "initials": initials,
        "name_prefix": prefix,
        "last_name": last,
        "_birth": texts(birth),
        "_fslug": texts(np.where(male, pools.male_slug[im], pools.female_slug[iff])),
        "_lslug": texts(pools.surname_slug[sn]),
        "_mobile_sub": _digits(rng, n, 8, first_nonzero=False),
    })


def _org_names(rng: np.random.Generator, pools: Pools, cities: pd.Series) -> pd.DataFrame:
    """Organisation base names and legal forms from a handful of Dutch naming patterns."""
    n = len(cities)
    forms = np.array([f for f, _ in _LEGAL_FORMS], dtype=object)
    weights = np.array([w for _, w in _LEGAL_FORMS], dtype=float)
    legal = texts(rng.choice(forms, size=n, p=weights / weights.sum()))
    sn = rng.integers(0, len(pools.surnames), size=n)
    sn2 = rng.integers(0, len(pools.surnames), size=n)
    # At the start of a company name the prefix is capitalised: "De Vries", "Van Dijk".
    full = texts(pools.prefixes[sn]) + " " + texts(pools.surnames[sn])
    full = full.str.strip()
    full = full.str[0].str.upper() + full.str[1:]
    other = (texts(pools.prefixes[sn2]) + " " + texts(pools.surnames[sn2])).str.strip()
    other = other.str[0].str.upper() + other.str[1:]

    def pick(options: tuple[str, ...]) -> pd.Series:
        return texts(np.array(options, dtype=object)[rng.integers(0, len(options), size=n)])

    trade, sector, fantasy = pick(_TRADES), pick(_SECTORS), pick(_FANTASY)
    company = texts(pools.companies[rng.integers(0, len(pools.companies), size=n)])
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


def draw_organisations(rng: np.random.Generator, pools: Pools, n: int) -> pd.DataFrame:
    """``n`` distinct organisations with name, unique KvK, address, phone, e-mail and website."""
    orgs = draw_addresses(rng, pools, n)
    orgs = pd.concat([orgs, _org_names(rng, pools, orgs["city"])], axis=1)
    orgs["name"] = [full_name(b, lg) for b, lg in zip(orgs["_base"], orgs["_legal"], strict=True)]
    # Unique 8-digit KvK numbers; uniform draws give about 10% with a leading zero.
    orgs["_kvk"] = [f"{k:08d}" for k in rng.choice(10**8, size=n, replace=False).tolist()]
    distinct = pd.unique(orgs["_base"])
    slug = orgs["_base"].map(dict(zip(distinct, map(ascii_slug, distinct), strict=True)))
    rank = slug.groupby(slug).cumcount()
    # Two firms cannot share a domain: later ones get a number, as real registrants do.
    orgs["_slug"] = slug + pd.Series(np.where(rank > 0, rank.astype(str), ""), dtype=object)
    orgs["_sub"] = draw_phones(rng, orgs["_area"])
    orgs["website"] = "www." + orgs["_slug"] + ".nl"
    orgs["email"] = "info@" + orgs["_slug"] + ".nl"
    orgs["country"] = "NL"
    return orgs


def work_emails(rng: np.random.Generator, people: pd.DataFrame, slugs: pd.Series,
                 keys: pd.Series) -> pd.Series:
    """Work e-mail per person at the organisation's domain, unique within each organisation."""
    n = len(people)
    fs, ls = people["_fslug"].to_numpy(), people["_lslug"].to_numpy()
    init = people["_fslug"].str[0].to_numpy()
    style = rng.choice(4, size=n, p=[0.5, 0.3, 0.1, 0.1])
    local = texts(np.select([style == 0, style == 1, style == 2],
                         [init + "." + ls, fs + "." + ls, fs], default=init + ls))
    rank = local.groupby([keys.to_numpy(), local.to_numpy()]).cumcount()
    local = local + pd.Series(np.where(rank > 0, rank.astype(str), ""), dtype=object)
    return local + "@" + slugs.reset_index(drop=True) + ".nl"


# ------------------------------------------------------------------------------- the CRM
