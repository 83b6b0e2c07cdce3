"""The demo's purchased list: which case each row plays, its cells, and the file order."""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.demo.crm import Crm
from workbench.demo.names import JOBS, Pools
from workbench.demo.records import draw_addresses, draw_people, draw_phones
from workbench.demo.render import INCOMING_HEADER, lightly, render_row

CASES: tuple[str, ...] = (
    "existing_org_existing_person", "existing_org_new_person", "moved_org", "new_org",
    "sister_org", "new_org_second_person", "in_file_duplicate", "reject", "blank",
)
# What makes a row unusable: no name at all, a new organisation without an address. A wrong
# value (a KvK number, an e-mail) costs only the value, so it is no reason to refuse a row.
REJECT_REASONS: tuple[str, ...] = ("no_name", "no_address")

# Share of the non-blank incoming rows per case (normalised; the brief's rough mix).
_CASE_SHARES: dict[str, float] = {
    "existing_org_existing_person": 0.40, "moved_org": 0.05, "existing_org_new_person": 0.10,
    "new_org": 0.26, "sister_org": 0.02, "new_org_second_person": 0.03,
    "in_file_duplicate": 0.08, "reject": 0.04,
}
_ADDRESS = ("street", "house_number", "house_number_addition", "postcode", "city")


def case_counts(n: int) -> dict[str, int]:
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


@dataclass
class Row:
    """One row of the purchased list and the truth it was built from."""

    case: str
    cells: dict[str, str]
    org_key: str  # "crm:<base pos>", "new:<n>" or ""
    per_key: str  # "crm:<person pos>", "new:<n>" or ""
    status: str = "accepted"
    reason: str = ""
    parent: Row | None = None  # the earlier row this one must follow
    key: float = 0.0
    source_row: int = 0


class _NewPeople:
    """The persons drawn for the rows that bring someone new, handed out one at a time."""

    def __init__(self, rng: np.random.Generator, rnd: random.Random, pools: Pools,
                 n: int) -> None:
        people = draw_people(rng, pools, n).to_dict("records")
        for p in people:
            p["_job"] = JOBS[rnd.randrange(len(JOBS))]
        self._rnd = rnd
        self._next = iter(enumerate(people))

    def take(self, slug: str) -> tuple[str, dict[str, Any]]:
        """The next person, with a work e-mail at the domain ``slug``: (person key, record)."""
        i, p = next(self._next)
        style = self._rnd.randrange(3)
        local = (p["_fslug"][0] + "." + p["_lslug"], p["_fslug"] + "." + p["_lslug"],
                 p["_fslug"])[style]
        p["_work_email"] = f"{local}@{slug}.nl"
        return f"new:{i}", p


def build_incoming(rng: np.random.Generator, rnd: random.Random, pools: Pools, crm: Crm,
                   new_orgs: pd.DataFrame, n: int) -> list[Row]:
    """The purchased list's rows, in file order, each with the truth it was built from."""
    counts = case_counts(n)
    n_new_people = (counts["existing_org_new_person"] + counts["new_org"]
                    + counts["sister_org"] + counts["new_org_second_person"] + counts["reject"])
    people = _NewPeople(rng, rnd, pools, n_new_people)
    new_org_iter = iter(new_orgs.to_dict("records"))
    rows = _existing_org_rows(rng, rnd, pools, crm, counts, people, n)
    rows += _new_org_rows(rng, rnd, crm.orgs, counts, new_org_iter, people)
    rows += _reject_rows(rnd, counts["reject"], new_org_iter, people)
    return _in_file_order(rnd, rows, counts)


def _pick_existing(rng: np.random.Generator, crm: Crm, counts: dict[str, int],
                   n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Positions of the returning contacts, the moved organisations, the first contact of each
    moved organisation, and the organisations that get a new person."""
    orgs, contacts = crm.orgs, crm.contacts
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
    return picked, moved, moved_contacts, eonp


def _existing_org_rows(rng: np.random.Generator, rnd: random.Random, pools: Pools, crm: Crm,
                       counts: dict[str, int], people: _NewPeople, n: int) -> list[Row]:
    """Rows of CRM organisations: returning contacts, moved firms, new persons at known firms."""
    picked, moved, moved_contacts, eonp = _pick_existing(rng, crm, counts, n)
    # Look the CRM records up in bulk: row-by-row pandas access is too slow for big runs.
    chosen = np.concatenate([picked, moved_contacts]).astype(int)
    c_recs = crm.contacts.iloc[chosen][["_org", "_per", "job_title", "email", "mobile"]] \
        .to_dict("records")
    p_recs = crm.persons.iloc[[int(c["_per"]) for c in c_recs]].to_dict("records")
    o_recs = crm.orgs.iloc[[int(c["_org"]) for c in c_recs]].to_dict("records")
    moved_to = draw_addresses(rng, pools, len(moved))
    moved_to["_sub"] = draw_phones(rng, moved_to["_area"])
    moved_recs = moved_to.to_dict("records")
    rows: list[Row] = []
    for i, (c, p, org) in enumerate(zip(c_recs, p_recs, o_recs, strict=True)):
        p["_job"] = c["job_title"] if rnd.random() < 0.85 else rnd.choice(JOBS)
        p["_work_email"] = c["email"]
        if c["mobile"]:
            p["_mobile_sub"] = c["mobile"][4:]
        case = "existing_org_existing_person"
        if i >= len(picked):
            case = "moved_org"
            _move(org, moved_recs[i - len(picked)], rnd)
        rows.append(Row(case, render_row(org, p, rnd, True), f"crm:{int(c['_org'])}",
                        f"crm:{int(c['_per'])}"))
    for org in crm.orgs.iloc[eonp].assign(_pos=eonp).to_dict("records"):
        pk, p = people.take(org["_slug"])
        rows.append(Row("existing_org_new_person", render_row(org, p, rnd, True),
                        f"crm:{int(org['_pos'])}", pk))
    return rows


def _move(org: dict[str, Any], there: dict[str, Any], rnd: random.Random) -> None:
    """Give an organisation's record (a row's own copy) its new address, and maybe phone."""
    for col in _ADDRESS:
        org[col] = there[col]
    if rnd.random() < 0.5:  # a new office often brings a new phone number too
        org["_area"], org["_sub"] = there["_area"], there["_sub"]
    org["_keep_kvk"] = True  # the KvK number is what ties the moved firm to the CRM


def _new_org_rows(rng: np.random.Generator, rnd: random.Random, orgs: pd.DataFrame,
                  counts: dict[str, int], new_org_iter: Iterator[dict[str, Any]],
                  people: _NewPeople) -> list[Row]:
    """Rows of organisations the CRM lacks: new firms, sisters of CRM firms, second persons."""
    rows: list[Row] = []
    new_rows: list[tuple[Row, dict[str, Any]]] = []
    for _ in range(counts["new_org"]):
        org = next(new_org_iter)
        pk, p = people.take(org["_slug"])
        row = Row("new_org", render_row(org, p, rnd, False), f"new:{org['_n']}", pk)
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
        pk, p = people.take(org["_slug"])
        rows.append(Row("sister_org", render_row(org, p, rnd, False), f"new:{org['_n']}", pk))
    for parent, org in rnd.sample(new_rows, counts["new_org_second_person"]):
        pk, p = people.take(org["_slug"])
        rows.append(Row("new_org_second_person", render_row(org, p, rnd, False), parent.org_key,
                        pk, parent=parent))
    return rows


def _reject_rows(rnd: random.Random, n: int, new_org_iter: Iterator[dict[str, Any]],
                 people: _NewPeople) -> list[Row]:
    """``n`` rows the import must refuse, the reasons taken in turn."""
    rows: list[Row] = []
    for reason in [REJECT_REASONS[i % len(REJECT_REASONS)] for i in range(n)]:
        org = next(new_org_iter)
        pk, p = people.take(org["_slug"])
        cells = render_row(org, p, rnd, False)
        if reason == "no_name":
            cells["Bedrijfsnaam"] = cells["Tussenvoegsel"] = cells["Achternaam"] = ""
        else:
            cells["Adres"] = cells["Postcode"] = ""
        rows.append(Row("reject", cells, f"new:{org['_n']}", pk, status="rejected",
                        reason=reason))
    return rows


def _in_file_order(rnd: random.Random, rows: list[Row], counts: dict[str, int]) -> list[Row]:
    """The rows with in-file duplicates and blank rows added, shuffled and numbered from 1."""
    # File order: a random key per row; a row that repeats another sorts after it.
    for row in rows:
        row.key = rnd.random() if row.parent is None else 0.0
    for row in rows:
        if row.parent is not None:
            row.key = row.parent.key + (1 - row.parent.key) * rnd.random()
    originals = [r for r in rows if r.status == "accepted"]
    rows = list(rows)
    for parent in rnd.sample(originals, min(counts["in_file_duplicate"], len(originals))):
        dup = Row("in_file_duplicate", lightly(parent.cells, rnd), parent.org_key,
                  parent.per_key, status="in_file_duplicate", parent=parent)
        dup.key = parent.key + (1 - parent.key) * rnd.random()
        rows.append(dup)
    for _ in range(counts["blank"]):
        blank = Row("blank", dict.fromkeys(INCOMING_HEADER, ""), "", "", status="skipped")
        blank.key = 0.3 + 0.4 * rnd.random()  # somewhere in the middle of the file
        rows.append(blank)
    rows.sort(key=lambda r: r.key)
    for i, row in enumerate(rows, start=1):
        row.source_row = i
    return rows


def incoming_table(rows: list[Row], header: tuple[str, ...] = INCOMING_HEADER) -> pd.DataFrame:
    """The rows' cells as a text table with the list's header ('' where a cell is empty)."""
    return pd.DataFrame([[row.cells[h] for h in header] for row in rows],
                        columns=list(header), dtype=object)
