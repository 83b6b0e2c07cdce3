"""The hard demo: the default purchased list with doubt put in, and the truth kept right.

Rows of the default list are rewritten into harder cases (typos, renamed and moved firms
without a KvK number, namesakes, foreign firms, values Excel mangled, colleagues of the same
name); the rows keep their place and the entities they stand for unless the case changes them.
Everything here draws from its own random streams, so the default demo of a seed never changes.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from workbench.demo.crm import Crm, pad
from workbench.demo.foreign import (
    COUNTRIES,
    crm_record,
    draw_foreign,
    foreign_lightly,
    render_foreign,
)
from workbench.demo.incoming import Row
from workbench.demo.names import FREEMAIL, Pools, ascii_slug, full_name, typo
from workbench.demo.render import INCOMING_HEADER, _fmt_address, _fmt_phone
from workbench.fields import CRM_TABLES

HARD_HEADER: tuple[str, ...] = (*INCOMING_HEADER, "Land", "Verhuisdatum")
HARD_CASES: tuple[str, ...] = (
    "typo_org", "excel_mangled", "moved_no_kvk", "renamed_org", "namesake", "foreign_existing",
    "foreign_new", "foreign_duplicate", "same_name_colleague", "same_name_in_file",
    "typo_duplicate", "doubtful_org",
)
# Rows per hard case as a share of the list, and the default case each is made from.
_HARD_MIX: dict[str, tuple[float, str]] = {
    "typo_org": (0.04, "existing_org_existing_person"),
    "excel_mangled": (0.03, "existing_org_existing_person"),
    "moved_no_kvk": (0.025, "moved_org"),
    "renamed_org": (0.024, ""),  # half from returning contacts, half from new persons
    "namesake": (0.02, "new_org"),
    "foreign_existing": (0.02, "existing_org_existing_person"),
    "foreign_new": (0.04, "new_org"),
    "foreign_duplicate": (0.012, "in_file_duplicate"),
    "same_name_colleague": (0.016, "existing_org_new_person"),
    "same_name_in_file": (0.01, "new_org_second_person"),
    "typo_duplicate": (0.024, "in_file_duplicate"),
    "doubtful_org": (0.055, "new_org"),
}
_NL_ALIASES = ("NL", "Nederland", "Netherlands", "NEDERLAND")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def hard_counts(n: int) -> dict[str, int]:
    """Rows per hard case for a list of ``n`` rows (each at least one from 40 rows on)."""
    return {c: max(1 if n >= 40 else 0, round(n * share)) for c, (share, _) in _HARD_MIX.items()}


class _Picker:
    """Hands out rows of a default case at random, each row once, never a row others follow."""

    def __init__(self, rows: list[Row], rnd: random.Random) -> None:
        followed = {id(r.parent) for r in rows if r.parent is not None}
        self._free = [r for r in rows if id(r) not in followed]
        self._used: set[int] = set()
        self._rnd = rnd

    def take(self, case: str, k: int, keep: Any = None) -> list[Row]:
        """Up to ``k`` unused rows of ``case`` (that ``keep`` accepts, when given)."""
        pool = [r for r in self._free if r.case == case and id(r) not in self._used
                and (keep is None or keep(r))]
        chosen = self._rnd.sample(pool, min(k, len(pool)))
        self._used.update(id(r) for r in chosen)
        return chosen


def harden(crm: Crm, rows: list[Row], pools: Pools, seed: int) -> tuple[Crm, list[Row]]:
    """The CRM (foreign firms added) and the list's rows with the hard cases, renumbered."""
    from faker import Faker  # imported here, as in names.build_pools: only the demo needs it

    rnd = random.Random(f"hard-demo-{seed}")
    fakers = {}
    for code, country in COUNTRIES.items():
        fakers[code] = Faker(country.locale)
        fakers[code].seed_instance(seed)
    rows = _copy_rows(rows)
    _add_hard_columns(rows, rnd)
    counts = hard_counts(len(rows))
    pick = _Picker(rows, rnd)
    orgs = crm.orgs
    _typos(pick.take("existing_org_existing_person", counts["typo_org"]), orgs, rnd)
    # Firms whose KvK number starts with a zero first: those are the ones Excel mangles.
    mangled = pick.take("existing_org_existing_person", counts["excel_mangled"],
                        keep=lambda r: orgs.at[_pos(r.org_key), "_kvk"].startswith("0"))
    mangled += pick.take("existing_org_existing_person", counts["excel_mangled"] - len(mangled))
    _excel_mangled(mangled, orgs, rnd)
    _moved_without_kvk(pick.take("moved_org", counts["moved_no_kvk"]), orgs)
    half = counts["renamed_org"] // 2
    _renamed(pick.take("existing_org_existing_person", counts["renamed_org"] - half)
             + pick.take("existing_org_new_person", half), orgs, pools, rnd)
    _namesakes(pick.take("new_org", counts["namesake"]), orgs, rnd)
    _colleagues(pick.take("existing_org_new_person", counts["same_name_colleague"]), crm, rnd)
    _colleagues_in_file(pick.take("new_org_second_person", counts["same_name_in_file"],
                                  keep=lambda r: r.parent.cells["Voornaam"] != ""), rnd)
    taken = set(orgs["_slug"])
    crm, foreign = _foreign(crm, pick, counts, fakers, taken, rnd)
    _foreign_duplicates(pick.take("in_file_duplicate", counts["foreign_duplicate"]), foreign, rnd)
    _typo_duplicates(pick.take("in_file_duplicate", counts["typo_duplicate"]), rnd)
    _doubtful(pick.take("new_org", counts["doubtful_org"]), crm, rows, rnd)
    _unusable_rejects(rows)
    rows.sort(key=lambda r: r.key)
    for i, row in enumerate(rows, start=1):
        row.source_row = i
    return crm, rows


def _unusable_rejects(rows: list[Row]) -> None:
    """Reject rows that no reading of the rules can accept: without an address as well.

    A wrong KvK number or contact e-mail alone costs only that value where a wrong value
    does not make the row unusable (issue 12); without an address a new firm is unusable.
    """
    for row in rows:
        if row.reason in ("invalid_kvk", "invalid_email"):
            row.reason = "no_address"
            row.cells["Adres"] = row.cells["Postcode"] = ""


def _pos(key: str) -> int:
    """The CRM position in a row's ``crm:<pos>`` key."""
    return int(key.split(":")[1])


def _copy_rows(rows: list[Row]) -> list[Row]:
    """The rows as new objects (cells copied, parents pointing at the copies)."""
    copies = {id(r): replace(r, cells=dict(r.cells)) for r in rows}
    for copy in copies.values():
        if copy.parent is not None:
            copy.parent = copies[id(copy.parent)]
    return [copies[id(r)] for r in rows]


def _add_hard_columns(rows: list[Row], rnd: random.Random) -> None:
    """The country column (often empty for Dutch rows) and the move date of moved firms."""
    for row in rows:
        land = "" if row.case == "blank" or rnd.random() < 0.6 else rnd.choice(_NL_ALIASES)
        row.cells["Land"] = land
        row.cells["Verhuisdatum"] = ""
    for row in rows:
        if row.case == "in_file_duplicate":
            row.cells["Land"] = row.parent.cells["Land"]
        if row.case == "moved_org" and rnd.random() < 0.7:
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(900))
            # Excel shows a date it did not recognise as text, and one it did as its serial.
            row.cells["Verhuisdatum"] = str((day - _EXCEL_EPOCH).days) if rnd.random() < 0.4 \
                else day.strftime("%d-%m-%Y")


_ADDRESS_LINE = re.compile(r"^(.*?)(\s+\d.*)$")


def _street_typo(address: str, rnd: random.Random) -> str:
    """The address line with a typo in its street, the number left alone."""
    m = _ADDRESS_LINE.match(address)
    return typo(m.group(1), rnd) + m.group(2) if m else typo(address, rnd)


def _typos(rows: list[Row], orgs: pd.DataFrame, rnd: random.Random) -> None:
    """Returning contacts with a typo in the firm's name and street, half without KvK."""
    for row in rows:
        org = orgs.iloc[_pos(row.org_key)]
        row.case = "typo_org"
        row.cells["Bedrijfsnaam"] = typo(row.cells["Bedrijfsnaam"], rnd)
        row.cells["Adres"] = _fmt_address(typo(org["street"], rnd), org["house_number"],
                                          org["house_number_addition"], rnd)
        if rnd.random() < 0.5:
            row.cells["KvK-nummer"] = ""
        if rnd.random() < 0.3:
            row.cells["Achternaam"] = typo(row.cells["Achternaam"], rnd)


def _excel_mangled(rows: list[Row], orgs: pd.DataFrame, rnd: random.Random) -> None:
    """Rows that went through Excel: KvK without leading zeros, phones as numbers."""
    for row in rows:
        org = orgs.iloc[_pos(row.org_key)]
        row.case = "excel_mangled"
        row.cells["KvK-nummer"] = org["_kvk"].lstrip("0")
        national = (org["_area"] + org["_sub"]).lstrip("0")
        row.cells["Telefoon"] = national if rnd.random() < 0.7 else "31" + national
        mobile = re.sub(r"\D", "", row.cells["Mobiel"])
        if mobile:
            row.cells["Mobiel"] = "6" + mobile[-8:]


def _moved_without_kvk(rows: list[Row], orgs: pd.DataFrame) -> None:
    """Moved firms whose row lost its KvK number: name, web domain and person remain."""
    for row in rows:
        row.case = "moved_no_kvk"
        row.cells["KvK-nummer"] = ""
        row.cells["Website"] = row.cells["Website"] or orgs.at[_pos(row.org_key), "website"]


def _renamed(rows: list[Row], orgs: pd.DataFrame, pools: Pools, rnd: random.Random) -> None:
    """Firms under another name at the same address, phone and web domain, no KvK number."""
    for row in rows:
        org = orgs.iloc[_pos(row.org_key)]
        base = org["_base"]
        while base == org["_base"]:
            base = str(pools.companies[rnd.randrange(len(pools.companies))])
        row.case = "renamed_org"
        row.cells["Bedrijfsnaam"] = full_name(base, org["_legal"])
        row.cells["KvK-nummer"] = ""
        row.cells["Telefoon"] = row.cells["Telefoon"] or _fmt_phone(org["_area"], org["_sub"], rnd)
        row.cells["Website"] = row.cells["Website"] or org["website"]


def _set_domain(cells: dict[str, str], new: str) -> None:
    """Move the row's web domain (website, e-mails) to ``new``."""
    old = cells["E-mail contactpersoon"].split("@")[1].lower()
    for col in ("Website", "E-mail", "E-mail contactpersoon"):
        cells[col] = re.sub(re.escape(old), new, cells[col], flags=re.IGNORECASE)


def _namesakes(rows: list[Row], orgs: pd.DataFrame, rnd: random.Random) -> None:
    """New firms that carry a CRM firm's exact name in another place (and their own domain)."""
    for row in rows:
        other = orgs.iloc[rnd.randrange(len(orgs))]
        while other["city"].lower() == row.cells["Plaats"].lower():
            other = orgs.iloc[rnd.randrange(len(orgs))]
        row.case = "namesake"
        row.cells["Bedrijfsnaam"] = other["name"]
        city = ascii_slug(row.cells["Plaats"])[:12]
        _set_domain(row.cells, f"{ascii_slug(other['_base'])[:20]}-{city}.nl")


def _other_local(first: str, last: str, taken: str) -> str:
    """An e-mail local part for the name that is not ``taken``."""
    f, lst = ascii_slug(first), ascii_slug(last)
    for local in (f"{f[:1]}.{lst}", f"{f}.{lst}", f"{f[:1]}{lst}", f"{f}{lst}"):
        if local != taken.lower():
            return local
    return f"{f}.{lst}2"  # pragma: no cover


def _other_initials(first: str, taken: str, rnd: random.Random) -> str:
    """Initials for ``first`` with a second letter, not ``taken``."""
    while True:
        initials = f"{first[0]}.{rnd.choice('ABCDEFGHJKLMNPRSTW')}."
        if initials != taken:
            return initials


def _same_name(cells: dict[str, str], person: dict[str, str], taken_email: str,
               rnd: random.Random) -> None:
    """Give the row's new person ``person``'s name, with their own initials and e-mail."""
    female = person["gender"] == "F"
    cells["Aanhef"] = "Mevr." if female else "Dhr."
    cells["Voornaam"], cells["Tussenvoegsel"] = person["first"], person["prefix"]
    cells["Achternaam"] = person["last"]
    cells["Voorletters"] = _other_initials(person["first"], person["initials"], rnd)
    domain = cells["E-mail contactpersoon"].split("@")[1]
    local = _other_local(person["first"], person["prefix"] + person["last"],
                         taken_email.split("@")[0])
    cells["E-mail contactpersoon"] = f"{local}@{domain}"


def _colleagues(rows: list[Row], crm: Crm, rnd: random.Random) -> None:
    """New persons with the exact name of a CRM contact of the same firm (other e-mail, mobile)."""
    firsts = np.searchsorted(crm.contacts["_org"].to_numpy(), [_pos(r.org_key) for r in rows])
    for row, c in zip(rows, firsts.tolist(), strict=True):
        contact = crm.contacts.iloc[c]
        p = crm.persons.iloc[int(contact["_per"])]
        person = {"first": p["first_name"], "prefix": p["name_prefix"], "last": p["last_name"],
                  "gender": p["_gender"], "initials": p["initials"]}
        row.case = "same_name_colleague"
        _same_name(row.cells, person, contact["email"], rnd)


def _colleagues_in_file(rows: list[Row], rnd: random.Random) -> None:
    """A new firm's second person with the first person's name (other initials and e-mail)."""
    for row in rows:
        first = row.parent.cells
        person = {"first": first["Voornaam"], "prefix": first["Tussenvoegsel"],
                  "last": first["Achternaam"], "initials": first["Voorletters"],
                  "gender": "F" if first["Aanhef"].startswith("Mevr") else "M"}
        row.case = "same_name_in_file"
        _same_name(row.cells, person, first["E-mail contactpersoon"], rnd)


def _foreign_mix(k: int, rnd: random.Random) -> list[str]:
    """``k`` country codes, the foreign countries in turn from a random start."""
    codes = list(COUNTRIES)
    start = rnd.randrange(len(codes))
    return [codes[(start + i) % len(codes)] for i in range(k)]


def _foreign(crm: Crm, pick: _Picker, counts: dict[str, int], fakers: dict[str, Any],
             taken: set[str], rnd: random.Random) -> tuple[Crm, list[Row]]:
    """Foreign firms: some already in the CRM (added to it), some new; their rows."""
    existing = pick.take("existing_org_existing_person", counts["foreign_existing"])
    new = pick.take("new_org", counts["foreign_new"])
    in_crm = [draw_foreign(rnd, fakers, code, 1, taken)[0]
              for code in _foreign_mix(len(existing), rnd)]
    crm = _with_foreign(crm, in_crm, rnd)
    n_orgs, n_per = len(crm.org_ids) - len(in_crm), len(crm.persons) - len(in_crm)
    for i, (row, org) in enumerate(zip(existing, in_crm, strict=True)):
        row.case, row.org_key, row.per_key = "foreign_existing", f"crm:{n_orgs + i}", \
            f"crm:{n_per + i}"
        row.cells = render_foreign(org, rnd)
        if rnd.random() < 0.3:
            row.cells["Bedrijfsnaam"] = row.cells["Bedrijfsnaam"].upper()
    for row, code in zip(new, _foreign_mix(len(new), rnd), strict=True):
        row.case = "foreign_new"
        row.cells = render_foreign(draw_foreign(rnd, fakers, code, 1, taken)[0], rnd)
    return crm, existing + new


def _with_foreign(crm: Crm, orgs: list[dict[str, Any]], rnd: random.Random) -> Crm:
    """The CRM with the foreign firms and their one contact person each appended."""
    n_org, n_per, n_con = (len(crm.organisations_out), len(crm.persons_out),
                           len(crm.contacts_out))
    width = pad(n_org + len(orgs))
    org_ids = [f"ORG-{n_org + i + 1:0{width}d}" for i in range(len(orgs))]
    per_ids = [f"PER-{n_per + i + 1:0{pad(n_per + len(orgs))}d}" for i in range(len(orgs))]
    org_rows, per_rows, con_rows = [], [], []
    for i, org in enumerate(orgs):
        org_rows.append({"org_id": org_ids[i], **crm_record(org)})
        mobile = crm_record({**org, "phone": org["mobile"]})["phone"] if rnd.random() < 0.6 \
            else ""
        per_rows.append({"person_id": per_ids[i], "initials": org["first_name"][0] + ".",
                         "first_name": org["first_name"], "last_name": org["last_name"],
                         "gender": org["gender"], "mobile": mobile})
        con_rows.append({"contact_id": f"CON-{n_con + i + 1:0{pad(n_con + len(orgs))}d}",
                         "org_id": org_ids[i], "person_id": per_ids[i],
                         "contact_type": "person", "job_title": org["job"],
                         "email": org["email"], "mobile": mobile})

    def table(out: pd.DataFrame, new: list[dict[str, str]], name: str) -> pd.DataFrame:
        added = pd.DataFrame(new, columns=list(CRM_TABLES[name]), dtype=object).fillna("")
        return pd.concat([out, added], ignore_index=True)

    return replace(
        crm, orgs=pd.concat([crm.orgs, pd.DataFrame(org_rows)], ignore_index=True),
        org_ids=np.concatenate([crm.org_ids, np.array(org_ids, dtype=object)]),
        persons=pd.concat([crm.persons, pd.DataFrame(per_rows)], ignore_index=True),
        organisations_out=table(crm.organisations_out, org_rows, "organisations"),
        persons_out=table(crm.persons_out, per_rows, "persons"),
        contacts_out=table(crm.contacts_out, con_rows, "contacts"),
    )


def _follow(dup: Row, parent: Row, rnd: random.Random) -> None:
    """Make ``dup`` a later copy of ``parent``: same entities, placed after it in the file."""
    dup.parent, dup.org_key, dup.per_key = parent, parent.org_key, parent.per_key
    dup.key = parent.key + (1 - parent.key) * rnd.random()


def _foreign_duplicates(rows: list[Row], foreign: list[Row], rnd: random.Random) -> None:
    """In-file duplicates of foreign rows, with small differences."""
    for dup, parent in zip(rows, rnd.sample(foreign, min(len(rows), len(foreign))), strict=False):
        _follow(dup, parent, rnd)
        dup.case = "foreign_duplicate"
        dup.cells = foreign_lightly(parent.cells, rnd)


def _typo_duplicates(rows: list[Row], rnd: random.Random) -> None:
    """In-file duplicates with typos in name and street, without the KvK number."""
    for dup in rows:
        cells = dict(dup.parent.cells)
        cells["Bedrijfsnaam"] = typo(cells["Bedrijfsnaam"], rnd)
        cells["Adres"] = _street_typo(cells["Adres"], rnd)
        cells["KvK-nummer"] = ""
        if rnd.random() < 0.5:
            cells["Achternaam"] = typo(cells["Achternaam"], rnd)
        dup.case, dup.cells = "typo_duplicate", cells


def _name_key(name: str) -> str:
    """The name as the matcher compares it (legal form and case gone)."""
    from workbench.standardise import org_name

    return str(org_name(pd.Series([name]))["name_key"].iloc[0] or "")


def _two_slips(name: str, rnd: random.Random) -> str | None:
    """``name`` with two slips outside its longest word (the word a matcher still finds it by):
    close to it, but further off than one slip; None when the name has no room for that."""
    from rapidfuzz.distance import JaroWinkler

    key = _name_key(name)
    longest = max(key.split() or [""], key=len)
    words = name.split(" ")
    others = [i for i, w in enumerate(words)
              if len(w) >= 3 and re.sub(r"\W", "", w.lower()) in set(key.split()) - {longest}]
    for _ in range(30 if others else 0):
        out = list(words)
        for _ in range(2):
            i = rnd.choice(others)
            out[i] = typo(out[i], rnd)
        slipped = " ".join(out)
        got = _name_key(slipped)
        if longest in got.split() and 0.92 <= JaroWinkler.normalized_similarity(got, key) < 0.96:
            return slipped
    return None


def _doubtful(doubtful: list[Row], crm: Crm, rows: list[Row], rnd: random.Random) -> None:
    """Rows whose evidence points both ways, left for review: a CRM firm's name with two slips,
    in its street and postcode at another house number, and no KvK, phone or web domain.

    The truth keeps the CRM firm it was made from, so an analyst's answer can be checked.
    """
    orgs = crm.orgs
    # firms no other row of the list stands for and without a CRM duplicate: one reading each
    taken = {_pos(r.org_key) for r in rows if r.org_key.startswith("crm:")}
    free = [i for i in range(len(orgs)) if i not in taken and i not in crm.dup_of
            and str(orgs.at[i, "house_number"]).isdigit()]
    rnd.shuffle(free)
    for row in doubtful:
        name = None
        while name is None and free:
            org = orgs.iloc[free.pop()]
            name = _two_slips(org["name"], rnd)
        if name is None:  # pragma: no cover - a CRM of only one-word names
            return
        number = int(org["house_number"])
        cells = row.cells
        cells["Bedrijfsnaam"] = name
        cells["Adres"] = f"{org['street']} {max(1, number + rnd.choice((-4, -2, 2, 4, 8)))}"
        cells["Postcode"], cells["Plaats"] = org["postcode"], org["city"]
        cells["KvK-nummer"] = cells["Telefoon"] = cells["Website"] = cells["E-mail"] = ""
        local = cells["E-mail contactpersoon"].split("@")[0]
        cells["E-mail contactpersoon"] = f"{local}@{rnd.choice(FREEMAIL)}"
        row.case, row.status, row.org_key = "doubtful_org", "skipped", f"crm:{int(org.name)}"
