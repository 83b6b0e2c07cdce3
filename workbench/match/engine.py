"""Match incoming rows against the CRM snapshot and against each other, organisations first."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from workbench.definition import Definition
from workbench.keys import PERSON_ADDRESS_COLUMNS, org_keys, person_keys
from workbench.match.blocking import ORG_RULES, BlockCap, BlockingRule
from workbench.match.classify import REVIEW
from workbench.match.compare import org_comparisons, person_comparisons
from workbench.match.entity import EntitySpec, MatchLimits, Search, match_entity
from workbench.match.score import Decisions, stack_pairs
from workbench.validate import has_given_name, person_without_last_name

ORG_OFFSET = 5.0  # total points at which two organisations are as likely the same as not
PERSON_OFFSET = 5.0

# Rules for persons on their own (the p_* keys and name_k3 are empty for contact persons): they
# still find a person whose surname, first name, birth date or postcode has one typo.
_OWN_PERSON_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("surname_birth_year", ("last_name_key", "birth_year")),
    BlockingRule("first_name_birth_date", ("first_name", "birth_date")),
    BlockingRule("name_prefixes", ("name_k3",)),
    BlockingRule("postcode_initial", ("p_postcode", "first_initial")),
    BlockingRule("postcode_number", ("p_postcode", "p_house_number")),
    BlockingRule("birth_date", ("birth_date",)),
    # first and last name swapped (a common slip in typed lists)
    BlockingRule("names_swapped", ("last_name_key", "first_name"), ("first_name", "last_name_key")),
)
# Person pairs inside the file: same organisation and surname, or the same e-mail / mobile.
PERSON_FILE_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("org_surname", ("org_entity", "last_name_key")),
    BlockingRule("surname_initial", ("last_name_key", "first_initial")),
    BlockingRule("email", ("email",)),
    BlockingRule("mobile", ("mobile",)),
    *_OWN_PERSON_RULES,
)
PERSON_STRONG_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("email", ("email",)),
    BlockingRule("mobile", ("mobile",)),
)
PERSON_CRM_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("surname_initial", ("last_name_key", "first_initial")),
    BlockingRule("email", ("email",)),
    BlockingRule("mobile", ("mobile",)),
    *_OWN_PERSON_RULES,
)

# EM learns m from the pairs each rule finds; a chain's phone or web domain finds hundreds of
# branches per row, which EM would take for the matches it learns from (a renamed firm, a
# moved one). Those rules still find candidates; m is learnt on the others.
ORG_SCORE_RULES = tuple(r for r in ORG_RULES
                        if r.name not in ("phone", "email_domain", "web_domain"))
ORGANISATION = EntitySpec(
    level="organisation", prefix="org", crm_table="org_match", crm_id="org_id",
    offset=ORG_OFFSET, comparisons=org_comparisons, searches=(Search(ORG_RULES),),
    score_rules=ORG_SCORE_RULES, file_rules=ORG_RULES, term_frequencies=True)

_ORG_LINK = BlockingRule("org", ("org_entity",))
PERSON = EntitySpec(
    level="person", prefix="person", crm_table="person_match", crm_id="person_id",
    offset=PERSON_OFFSET, comparisons=person_comparisons,
    # within the row's CRM organisation: everyone there; a person of an organisation is looked
    # for elsewhere only on strong evidence (the same e-mail or mobile): a namesake elsewhere in
    # the CRM is another person; persons on their own by their own rules
    searches=(Search((_ORG_LINK,), "org_entity"), Search(PERSON_STRONG_RULES, "org_entity"),
              Search(PERSON_CRM_RULES, "org_entity", present=False)),
    score_rules=(_ORG_LINK, *PERSON_CRM_RULES), file_rules=PERSON_FILE_RULES,
    crm_columns=("last_name_key", "initials", "first_name", "first_initial", "gender",
                 "birth_date", "email", "mobile", "phone", "birth_year", *PERSON_ADDRESS_COLUMNS,
                 "name_k3", "bsn"),
    crm_renames=(("org_id", "org_entity"), ("person_id", "person_crm_id")),
    term_frequencies=True)


@dataclass
class MatchResult:
    """Per-row match outcome and every scored pair, for the change set and the duplicate report."""

    rows: pd.DataFrame
    pairs: pd.DataFrame
    # pair counts, and "capped_keys": the blocking key values shared by too many rows to pair
    counts: dict[str, Any] = field(default_factory=dict)
    # per kind of pair: how many scored below the floor (non-matches, counted but not kept)
    below_floor: dict[str, int] = field(default_factory=dict)
    # the rows' reasons for refusal once matching has settled them (None until then)
    rejections: pd.Series | None = None


def fingerprint(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A stable fingerprint of each record's standardised key values."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    parts = [frame[c].astype("string").to_numpy(dtype=object, na_value="") for c in columns]
    sha1 = hashlib.sha1
    return pd.Series([sha1("|".join(t).encode()).hexdigest()[:16]
                      for t in zip(*parts, strict=True)], index=frame.index)


ORG_FP_COLUMNS = ["name_key", "kvk", "postcode", "house_number", "addition"]
PERSON_FP_COLUMNS = ["last_name_key", "initials", "first_name", "email", "org_fp"]


def match_organisations(std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                        definition: Definition, decisions: Decisions,
                        limits: MatchLimits | None = None, capped: list[BlockCap] | None = None
                        ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Organisation of every row: CRM id, score, band, method and cluster root."""
    keys = org_keys(std)
    keys["fp"] = fingerprint(keys, ORG_FP_COLUMNS)
    present = keys["name_key"].notna() | keys["kvk"].notna()
    return match_entity(ORGANISATION, keys, present, std["source_row"], con, definition,
                        decisions, limits=limits, capped=capped)


def match_persons(std: pd.DataFrame, orgs: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                  definition: Definition, decisions: Decisions,
                  limits: MatchLimits | None = None, capped: list[BlockCap] | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Person of every row: CRM id, score, band, method and cluster root."""
    keys = person_keys(std)
    keys["org_entity"] = orgs["org_entity"].astype("string")
    keys["fp"] = fingerprint(keys.assign(org_fp=orgs["org_fp"]), PERSON_FP_COLUMNS)
    # a first name but no last name and no organisation: such a row can still be an existing
    # person (or a later copy of a row of the file); it never makes a person of its own
    partial = person_without_last_name(std) & has_given_name(std) & orgs["has_org"].ne(True)
    present = keys["last_name_key"].notna() | partial
    return match_entity(PERSON, keys, present, std["source_row"], con, definition, decisions,
                        partial, limits=limits, capped=capped)


def _entities(ids: pd.Series, roots: pd.Series, prefix: str) -> pd.Series:
    """CRM id where matched, else a new id shared by every row of the same in-file cluster."""
    out = ids.astype(object).copy()
    new_roots = roots[ids.isna() & roots.notna()]
    numbering = {r: f"NEW-{prefix}-{i:06d}" for i, r in enumerate(sorted(set(new_roots)), 1)}
    out.loc[new_roots.index] = new_roots.map(numbering)
    # a row whose cluster root was matched to the CRM shares that record
    root_ids = pd.Series(ids.reindex(roots.to_numpy()).to_numpy(), index=roots.index)
    take = ids.isna() & root_ids.notna()
    out[take] = root_ids[take]
    return out


def capped_counts(org: list[BlockCap], person: list[BlockCap]) -> dict[str, Any]:
    """How many blocking key values were capped, the pairs that left out, and the keys."""
    keys = [{"level": level, **c.as_dict()} for level, caps in
            (("organisation", org), ("person", person)) for c in caps]
    return {"keys_capped": len(keys), "pairs_capped": sum(k["pairs_left_out"] for k in keys),
            "capped_keys": keys}


def match_rows(std: pd.DataFrame, con: duckdb.DuckDBPyConnection, definition: Definition,
               decisions: Decisions | None = None, limits: MatchLimits | None = None
               ) -> MatchResult:
    """Match organisations, then persons, against the snapshot and inside the file."""
    decisions, org_capped, person_capped = decisions or {}, [], []
    orgs, org_pairs, org_below = match_organisations(std, con, definition, decisions, limits,
                                                     org_capped)
    orgs["org_entity"] = _entities(orgs["crm_org_id"], orgs["org_root"], "ORG")
    persons, person_pairs, person_below = match_persons(std, orgs, con, definition, decisions,
                                                        limits, person_capped)
    persons["person_entity"] = _entities(persons["crm_person_id"], persons["person_root"], "PER")
    rows = pd.concat([std[["source_row"]], orgs, persons], axis=1)
    parts = [org_pairs, person_pairs]
    del org_pairs, person_pairs  # the list holds the only references: each goes once copied
    pairs = stack_pairs(parts)
    counts = {
        "org_matched_crm": int(rows["crm_org_id"].notna().sum()),
        "person_matched_crm": int(rows["crm_person_id"].notna().sum()),
        "pairs_scored": len(pairs) + sum(org_below.values()) + sum(person_below.values()),
        "pairs_review": int((pairs["band"] == REVIEW).sum()) if not pairs.empty else 0,
        **capped_counts(org_capped, person_capped),
    }
    return MatchResult(rows=rows, pairs=pairs, counts=counts,
                       below_floor={**org_below, **person_below})
