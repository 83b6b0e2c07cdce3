"""Match incoming rows against the CRM snapshot and against each other, organisations first."""
from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import recordlinkage as rl

from workbench.definition import Definition
from workbench.keys import PERSON_ADDRESS_COLUMNS, org_keys, person_keys
from workbench.match.blocking import ORG_RULES, BlockingRule, SqlBlock, link_with_table
from workbench.match.classify import (
    MATCH,
    NON_MATCH,
    REVIEW,
    EMClassifier,
    make_classifier,
)
from workbench.match.compare import LeveledComparison, org_comparisons, person_comparisons
from workbench.match.score import (
    RANDOM_PAIRS,
    Compared,
    Decisions,
    compare_part,
    crm_shares,
    score_compared,
    scored_pairs,
)

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

# The CRM wizards' person keys: exact agreement on these columns settles a person.
PERSON_KEY_COLUMNS: dict[str, list[str]] = {
    "email": ["email"],
    "person_id": ["person_crm_id"],
    "name_gender": ["org_entity", "last_name_key", "initials", "gender"],
    "name_gender_email": ["last_name_key", "initials", "gender", "email"],
    "name_gender_birth_date": ["last_name_key", "initials", "gender", "birth_date"],
    "name_gender_mobile": ["last_name_key", "initials", "gender", "mobile"],
    "name_gender_phone": ["last_name_key", "initials", "gender", "phone"],
}



@dataclass
class MatchResult:
    """Per-row match outcome and every scored pair, for the change set and the duplicate report."""

    rows: pd.DataFrame
    pairs: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    # per kind of pair: how many scored below the floor (non-matches, counted but not kept)
    below_floor: dict[str, int] = field(default_factory=dict)
    # the rows' reasons for refusal once matching has settled them (None until then)
    rejections: pd.Series | None = None


def fingerprint(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A stable fingerprint of each record's standardised key values."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    parts = [frame[c].astype("string").fillna("").to_numpy(dtype=object) for c in columns]
    text = ["|".join(t) for t in zip(*parts, strict=True)]
    return pd.Series([hashlib.sha1(t.encode()).hexdigest()[:16] for t in text], index=frame.index)


ORG_FP_COLUMNS = ["name_key", "kvk", "postcode", "house_number", "addition"]
PERSON_FP_COLUMNS = ["last_name_key", "initials", "first_name", "email", "org_fp"]


CHUNK_ROWS = 20_000  # incoming rows whose CRM candidates are compared at once
def _best(pairs: pd.DataFrame) -> pd.DataFrame:
    """The best-scoring candidate per left record."""
    if pairs.empty:
        return pairs
    # equal scores (a record the CRM holds twice): the lowest id, so every run picks the same;
    # ranked on three arrays, so millions of pairs are not copied to sort them
    key_rank = pd.factorize(pairs["right_key"].astype(str).to_numpy(), sort=True)[0]
    left = pairs["left"].to_numpy()
    order = np.lexsort((key_rank, -pairs["score"].to_numpy(), left))
    first = order[np.r_[True, left[order][1:] != left[order][:-1]]]
    return pairs.iloc[first]


def _empty_result(present: pd.Series, fp: pd.Series, prefix: str, id_col: str) -> pd.DataFrame:
    """Per row: nothing matched yet (band non-match where there is a record to match)."""
    name = "has_org" if prefix == "org" else f"has_{prefix}"
    res = pd.DataFrame({name: present, f"{prefix}_fp": fp}, index=present.index)
    res[id_col] = pd.Series(None, index=present.index, dtype=object)
    res[f"{prefix}_score"] = np.nan
    res[f"{prefix}_band"] = np.where(present, NON_MATCH, "")
    res[f"{prefix}_method"] = None
    res[f"{prefix}_explanation"] = ""
    return res


def _in_file(frame: pd.DataFrame, rules: tuple[BlockingRule, ...], level: str,
             comparisons: list[LeveledComparison], classifier, std: pd.DataFrame,
             fp: pd.Series, decisions: Decisions, all_pairs: list[pd.DataFrame],
             below: dict[str, int]) -> pd.DataFrame:
    """Scored pairs of records inside the file (recordlinkage Index with the SQL blocking)."""
    if len(frame) < 2:
        return pd.DataFrame()
    index = rl.Index()
    index.add(SqlBlock(rules))
    scored = scored_pairs(f"file_{level}", index.index(frame), frame, None, comparisons,
                          classifier, std["source_row"], std["source_row"], rules,
                          decide=(level, fp, fp, decisions), below=below)
    all_pairs.append(scored)
    return scored


def _settle_scored(res: pd.DataFrame, scored: pd.DataFrame, prefix: str, id_col: str,
                   all_pairs: list[pd.DataFrame]) -> np.ndarray:
    """Give each record its best CRM candidate that is not a non-match; returns the settled rows."""
    refused = scored["decided"].to_numpy() & (scored["band"] == NON_MATCH).to_numpy()
    if refused.any():
        scored = scored[~refused]
    all_pairs.append(scored)
    best = _best(scored)
    best = best[best["band"] != NON_MATCH]
    idx = best["left"].to_numpy()
    res.loc[idx, id_col] = best["right_key"].to_numpy()
    res.loc[idx, f"{prefix}_score"] = best["score"].to_numpy()
    res.loc[idx, f"{prefix}_band"] = best["band"].to_numpy()
    res.loc[idx, f"{prefix}_method"] = np.where(best["decided"], "decision", "fuzzy")
    res.loc[idx, f"{prefix}_explanation"] = best["explanation"].to_numpy()
    return idx


def _star_clusters(pairs: pd.DataFrame, members: pd.Index,
                   partial: pd.Series | None = None) -> pd.Series:
    """Cluster roots: a record joins the earliest root it matches directly (no chaining).

    ``partial`` marks records that cannot stand alone (a person without a last name): they never
    become a root, and join the cluster of the complete record they match best.
    """
    root = pd.Series(members, index=members)
    if pairs.empty:
        return root
    matched = pairs[pairs["band"] == MATCH]
    weak = (partial.reindex(members, fill_value=False) if partial is not None
            else pd.Series(False, index=members))
    weak_l = weak.reindex(matched["left"]).to_numpy()
    weak_r = weak.reindex(matched["right"]).to_numpy()
    full = matched[~weak_l & ~weak_r].sort_values(["right", "left"])
    for left, right in zip(full["left"], full["right"], strict=True):
        if root[right] == right and root[left] == left and left < right:
            root[right] = left
    one = matched[weak_l ^ weak_r]
    if len(one):
        flip = weak.reindex(one["left"]).to_numpy()
        joins = pd.DataFrame({"member": np.where(flip, one["left"], one["right"]),
                              "other": np.where(flip, one["right"], one["left"]),
                              "score": one["score"].to_numpy()})
        joins = joins.sort_values(["member", "score", "other"], ascending=[True, False, True])
        for member, other in zip(joins["member"], joins["other"], strict=True):
            if root[member] == member:
                root[member] = root[other]
    return root


def _flag_loose_clusters(pairs: pd.DataFrame, roots: pd.Series) -> None:
    """Two members of one cluster compared and found unalike: their pair goes to review.

    A row joins a cluster only through a direct match with its first row (no chaining), yet two
    members may still differ from each other; the analyst should see that pair.
    """
    if pairs.empty:
        return
    a = roots.reindex(pairs["left"]).to_numpy()
    b = roots.reindex(pairs["right"]).to_numpy()
    loose = (pd.notna(a) & (a == b) & (pairs["band"] == NON_MATCH).to_numpy()
             & ~pairs["decided"].to_numpy(dtype=bool))
    if loose.any():
        idx = pairs.index[loose]
        pairs.loc[idx, "band"] = REVIEW
        pairs.loc[idx, "explanation"] = ("in one cluster, but not alike: "
                                         + pairs.loc[idx, "explanation"].astype(str))


def _deterministic(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, table: str,
                   id_col: str, on: list[str], where: str | None = None) -> pd.DataFrame:
    """Rows settled by an exact key: (left index, candidate id); ambiguous keys settle nothing."""
    rule = BlockingRule("key", tuple(on))
    found = link_with_table(con, frame[on].dropna(), table, (rule,), id_col, where)
    if found.empty:
        return found
    counts = found.groupby("left_id")["right_id"].transform("nunique")
    return found[counts == 1]


def match_organisations(std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                        definition: Definition, decisions: Decisions
                        ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Organisation of every row: CRM id, score, band and method; the scored pairs kept, and how
    many scored below the floor."""
    keys = org_keys(std)
    keys["fp"] = fingerprint(keys, ORG_FP_COLUMNS)
    has_org = keys["name_key"].notna() | keys["kvk"].notna()
    res = _empty_result(has_org, keys["fp"], "org", "crm_org_id")
    comparisons = org_comparisons()
    classifier = make_classifier(definition.classifier, ORG_OFFSET, definition.thresholds,
                                 comparisons)
    all_pairs: list[pd.DataFrame] = []
    below: dict[str, int] = {}
    todo = keys[has_org]
    for key in definition.org_keys:
        if todo.empty:
            break
        if key in ("kvk", "name", "address"):
            on = {"kvk": ["kvk"], "name": ["name_key"],
                  "address": ["postcode", "house_number"]}[key]
            settled = _deterministic(con, todo, "org_match", "org_id", on)
            if key == "address":  # the addition must agree too, missing on both sides included
                settled = settled.merge(
                    con.execute("SELECT org_id AS right_id, addition AS crm_add FROM org_match "
                                "WHERE org_id IN (SELECT unnest(?))",
                                [settled["right_id"].tolist()]).df(), on="right_id")
                inc_add = todo["addition"].loc[settled["left_id"]].fillna("").to_numpy()
                settled = settled[settled["crm_add"].fillna("").to_numpy() == inc_add]
            idx = settled["left_id"].to_numpy()
            res.loc[idx, "crm_org_id"] = settled["right_id"].to_numpy()
            res.loc[idx, "org_score"] = 1.0
            res.loc[idx, "org_band"] = MATCH
            res.loc[idx, "org_method"] = key
            res.loc[idx, "org_explanation"] = f"{key} equal"
            todo = todo.drop(index=idx)
        elif key == "fuzzy":
            # In parts of the file: the CRM records of one part's candidates are compared and
            # let go, only their comparison levels stay (a 1M-record CRM does not fit otherwise).
            em = isinstance(classifier, EMClassifier)
            crm_size = con.execute("SELECT count(*) FROM org_match").fetchone()[0]
            parts = []
            for number, start in enumerate(range(0, len(todo), CHUNK_ROWS)):
                part = todo.iloc[start:start + CHUNK_ROWS]
                cand = link_with_table(con, part.drop(columns=["fp"]), "org_match", ORG_RULES,
                                       "org_id")
                if cand.empty:
                    continue
                crm = con.execute("SELECT * FROM org_match WHERE org_id IN (SELECT unnest(?))",
                                  [cand["right_id"].unique().tolist()]).df()
                crm = crm.set_index(pd.RangeIndex(len(crm)))
                pos = pd.Series(crm.index, index=crm["org_id"])
                pairs = pd.MultiIndex.from_arrays([cand["left_id"].to_numpy(),
                                                   pos.loc[cand["right_id"]].to_numpy()])
                parts.append(compare_part(
                    pairs, part, crm, comparisons, crm["org_id"], ORG_RULES, em,
                    -(-RANDOM_PAIRS * len(part) // len(todo)), number))
                del crm, cand, pairs, pos
                gc.collect()  # pandas frames hold reference cycles: free the part's records now
            if not parts:
                continue
            scored = score_compared("crm_organisation", Compared.combine(parts), todo,
                                    comparisons, classifier, std["source_row"],
                                    len(todo) * crm_size,
                                    decide=("organisation", keys["fp"], None, decisions),
                                    below=below)
            del parts
            idx = _settle_scored(res, scored, "org", "crm_org_id", all_pairs)
            todo = todo.drop(index=idx)
    # Inside the file: organisations that no CRM record settled.
    review = res["org_band"] == REVIEW
    if definition.undecided == "new":  # a doubtful CRM candidate is ignored: the row is new
        res.loc[review, "crm_org_id"] = None
    new = res.index[has_org & res["crm_org_id"].isna()]
    frame = keys.loc[new].drop(columns=["fp"])
    file_pairs = _in_file(frame, ORG_RULES, "organisation", comparisons, classifier, std,
                          keys["fp"], decisions, all_pairs, below)
    roots = _star_clusters(file_pairs, new)
    _flag_loose_clusters(file_pairs, roots)
    res["org_root"] = pd.Series(res.index, index=res.index).where(has_org)
    res.loc[new, "org_root"] = roots.to_numpy()
    res["org_file_band"] = ""
    if not file_pairs.empty:  # a doubtful in-file pair is worth a look: mark the later row
        doubtful = file_pairs[file_pairs["band"] == REVIEW]
        later = doubtful.groupby("right")["left"].min()
        later = later[roots.loc[later.index].to_numpy() == later.index.to_numpy()]
        res.loc[later.index, "org_file_band"] = REVIEW
        res.loc[later.index, "org_file_other"] = std["source_row"].loc[later.to_numpy()].to_numpy()
    all_pairs = [p for p in all_pairs if not p.empty]
    pairs_out = pd.concat(all_pairs, ignore_index=True) if all_pairs else pd.DataFrame()
    return res, pairs_out, below


def match_persons(std: pd.DataFrame, orgs: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                  definition: Definition, decisions: Decisions
                  ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Person of every row: CRM id, score, band and method; the scored pairs kept, and how many
    scored below the floor."""
    keys = person_keys(std)
    keys["org_entity"] = orgs["org_entity"].astype("string")
    keys["org_fp"] = orgs["org_fp"]
    keys["fp"] = fingerprint(keys, PERSON_FP_COLUMNS)
    # a row with a first name but no last name and no organisation can still be an existing
    # person (or a later copy of a row in the file); it never makes a person of its own
    partial = (keys["last_name_key"].isna() & orgs["has_org"].ne(True)
               & (keys["first_name"].notna() | keys["initials"].notna()))
    has_person = keys["last_name_key"].notna() | partial
    res = _empty_result(has_person, keys["fp"], "person", "crm_person_id")
    comparisons = person_comparisons()
    classifier = make_classifier(definition.classifier, PERSON_OFFSET, definition.thresholds,
                                 comparisons)
    all_pairs: list[pd.DataFrame] = []
    below: dict[str, int] = {}
    todo = keys[has_person].drop(columns=["fp", "org_fp"])
    if "always_new" in definition.person_keys:
        todo = todo.iloc[0:0]
    # a snapshot built before the person address keys existed still works, without them
    have = {r[0] for r in con.execute("DESCRIBE person_match").fetchall()}
    wanted = ["last_name_key", "initials", "first_name", "first_initial", "gender", "birth_date",
              "email", "mobile", "phone", "birth_year", *PERSON_ADDRESS_COLUMNS, "name_k3"]
    crm_cols = ", ".join(["person_id", "org_id AS org_entity", *[c for c in wanted if c in have]])
    for key in definition.person_keys:
        if todo.empty:
            break
        if key in PERSON_KEY_COLUMNS:
            on = PERSON_KEY_COLUMNS[key]
            view = f"(SELECT {crm_cols}, person_id AS person_crm_id FROM person_match)"
            settled = _deterministic(con, todo.reindex(columns=[*todo.columns, *(
                c for c in on if c not in todo)]), view, "person_id", on)
            idx = settled["left_id"].to_numpy()
            res.loc[idx, "crm_person_id"] = settled["right_id"].to_numpy()
            res.loc[idx, ["person_score", "person_band", "person_method"]] = [1.0, MATCH, key]
            res.loc[idx, "person_explanation"] = f"{key} equal"
            todo = todo.drop(index=idx)
        elif key == "fuzzy":
            # Within the row's CRM organisation: everyone there; elsewhere only strong keys.
            in_org = todo[todo["org_entity"].notna()]
            cand = [link_with_table(con, in_org, f"(SELECT {crm_cols} FROM person_match)",
                                    (BlockingRule("org", ("org_entity",)),), "person_id")]
            # a person of an organisation is looked for elsewhere on strong evidence only (the
            # same e-mail or mobile): a namesake elsewhere in the CRM is another person
            cand.append(link_with_table(con, in_org, f"(SELECT {crm_cols} FROM person_match)",
                                        PERSON_STRONG_RULES, "person_id"))
            cand.append(link_with_table(con, todo[todo["org_entity"].isna()],
                                        f"(SELECT {crm_cols} FROM person_match)",
                                        PERSON_CRM_RULES, "person_id"))
            cand_df = pd.concat(cand, ignore_index=True).drop_duplicates()
            if cand_df.empty:
                continue
            crm = con.execute(f"SELECT {crm_cols} FROM person_match WHERE person_id IN "
                              "(SELECT unnest(?))", [cand_df["right_id"].unique().tolist()]).df()
            crm = crm.set_index(pd.RangeIndex(len(crm)))
            for col in wanted:
                if col not in crm:
                    crm[col] = None
            merged = cand_df.merge(crm.reset_index(names="pos")[["pos", "person_id"]],
                                   left_on="right_id", right_on="person_id")
            pairs = pd.MultiIndex.from_arrays([merged["left_id"].to_numpy(), merged["pos"].to_numpy()])
            scored = scored_pairs("crm_person", pairs, todo, crm, comparisons, classifier,
                                  std["source_row"], crm["person_id"],
                                  (BlockingRule("org", ("org_entity",)), *PERSON_CRM_RULES),
                                  con.execute("SELECT count(*) FROM person_match").fetchone()[0],
                                  crm_shares(con, todo, comparisons)
                                  if definition.classifier in ("ecm", "logistic") else None,
                                  decide=("person", keys["fp"], None, decisions), below=below)
            idx = _settle_scored(res, scored, "person", "crm_person_id", all_pairs)
            todo = todo.drop(index=idx)
    review = res["person_band"] == REVIEW
    if definition.undecided == "new":
        res.loc[review, "crm_person_id"] = None
    new = res.index[has_person & res["crm_person_id"].isna()]
    frame = keys.loc[new].drop(columns=["fp", "org_fp"])
    if "always_new" in definition.person_keys:
        frame = frame.iloc[0:0]
    file_pairs = _in_file(frame, PERSON_FILE_RULES, "person", comparisons, classifier, std,
                          keys["fp"], decisions, all_pairs, below)
    res["person_root"] = pd.Series(res.index, index=res.index).where(has_person)
    scored_file = file_pairs
    if not file_pairs.empty:  # two rows without a last name make no person together
        both = partial.reindex(file_pairs["left"]).to_numpy() & \
            partial.reindex(file_pairs["right"]).to_numpy()
        file_pairs = file_pairs[~both]
    roots = _star_clusters(file_pairs, new, partial)
    _flag_loose_clusters(scored_file, roots)
    res.loc[new, "person_root"] = roots.to_numpy()
    all_pairs = [p for p in all_pairs if not p.empty]
    pairs_out = pd.concat(all_pairs, ignore_index=True) if all_pairs else pd.DataFrame()
    return res, pairs_out, below


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


def match_rows(std: pd.DataFrame, con: duckdb.DuckDBPyConnection, definition: Definition,
               decisions: Decisions | None = None) -> MatchResult:
    """Match organisations, then persons, against the snapshot and inside the file."""
    decisions = decisions or {}
    orgs, org_pairs, org_below = match_organisations(std, con, definition, decisions)
    orgs["org_entity"] = _entities(orgs["crm_org_id"], orgs["org_root"], "ORG")
    persons, person_pairs, person_below = match_persons(std, orgs, con, definition, decisions)
    persons["person_entity"] = _entities(persons["crm_person_id"], persons["person_root"], "PER")
    rows = pd.concat([std[["source_row"]], orgs, persons], axis=1)
    pairs = pd.concat([p for p in (org_pairs, person_pairs) if not p.empty], ignore_index=True) \
        if not (org_pairs.empty and person_pairs.empty) else pd.DataFrame()
    counts = {
        "org_matched_crm": int(rows["crm_org_id"].notna().sum()),
        "person_matched_crm": int(rows["crm_person_id"].notna().sum()),
        "pairs_scored": len(pairs) + sum(org_below.values()) + sum(person_below.values()),
        "pairs_review": int((pairs["band"] == REVIEW).sum()) if not pairs.empty else 0,
    }
    return MatchResult(rows=rows, pairs=pairs, counts=counts,
                       below_floor={**org_below, **person_below})
