"""The whole demo from one seed: CRM export, purchased list and truth, in memory or on disk."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.demo.crm import Crm, build_crm
from workbench.demo.hard import HARD_CASES, HARD_HEADER, harden
from workbench.demo.incoming import CASES, Row, build_incoming, case_counts
from workbench.demo.names import build_pools
from workbench.demo.records import draw_organisations
from workbench.demo.render import INCOMING_HEADER
from workbench.demo.truth import truth_table
from workbench.demo.write import write_csv, write_xlsx


@dataclass(frozen=True)
class DemoSummary:
    """What generate_demo wrote: the folder, table sizes and incoming rows per truth case."""

    out_dir: Path
    organisations: int
    persons: int
    contacts: int
    incoming_rows: int
    cases: dict[str, int]


@dataclass(frozen=True)
class DemoData:
    """The demo in memory: the CRM, the purchased list's rows in file order, and the truth."""

    crm: Crm
    rows: list[Row]
    truth: pd.DataFrame


def build_demo(organisations: int = 2000, incoming: int = 500, seed: int = 7,
               hard: bool = False) -> DemoData:
    """A synthetic CRM, a purchased list and its truth, the same for the same seed and mode."""
    if organisations < 1 or incoming < 0:
        raise ValueError("organisations must be >= 1 and incoming >= 0")
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    pools = build_pools(seed)
    counts = case_counts(incoming)
    n_new = counts["new_org"] + counts["sister_org"] + counts["reject"]
    n_base = organisations - int(round(organisations * 0.01))
    # CRM and new organisations come from one draw, so KvK numbers and domains never collide.
    all_orgs = draw_organisations(rng, pools, n_base + n_new)
    crm = build_crm(rng, rnd, pools, all_orgs, organisations)
    new_orgs = all_orgs.iloc[n_base:].reset_index(drop=True)
    new_orgs["_n"] = np.arange(len(new_orgs))
    rows = build_incoming(rng, rnd, pools, crm, new_orgs, incoming)
    if hard:  # drawn from streams of its own after the default demo: that one stays as it is
        crm, rows = harden(crm, rows, pools, seed)
    return DemoData(crm=crm, rows=rows, truth=truth_table(rows, crm))


def generate_demo(out_dir: str | Path, organisations: int = 2000, incoming: int = 500,
                  seed: int = 7, hard: bool = False) -> DemoSummary:
    """Write a synthetic CRM export, a purchased lead list and its truth under ``out_dir``.

    ``hard`` puts doubt in the list (typos, renamed and moved firms without KvK number,
    namesakes, foreign firms with a country column, values Excel mangled, same-name colleagues).
    """
    out = Path(out_dir)
    data = build_demo(organisations, incoming, seed, hard)
    crm, truth = data.crm, data.truth
    write_csv(crm.organisations_out, out / "crm" / "organisations.csv")
    write_csv(crm.persons_out, out / "crm" / "persons.csv")
    write_csv(crm.contacts_out, out / "crm" / "contacts.csv")
    write_xlsx(data.rows, out / "incoming.xlsx", HARD_HEADER if hard else INCOMING_HEADER)
    write_csv(truth, out / "truth.csv")
    tally = Counter(truth["case"])
    return DemoSummary(
        out_dir=out, organisations=len(crm.organisations_out), persons=len(crm.persons_out),
        contacts=len(crm.contacts_out), incoming_rows=len(data.rows),
        cases={c: tally.get(c, 0) for c in (CASES + HARD_CASES if hard else CASES)},
    )
