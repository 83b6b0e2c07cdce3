"""One matcher for every entity: organisations and persons are two descriptions, not two matchers."""
from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from workbench.definition import Definition
from workbench.labels import MESSAGES
from workbench.match import rl_parts as rl
from workbench.match.blocking import (
    MAX_BLOCK_ROWS,
    BlockCap,
    BlockingRule,
    Registered,
    SqlBlock,
)
from workbench.match.classify import MATCH, NON_MATCH, REVIEW, Classifier, make_classifier
from workbench.match.cluster import (
    best_candidates,
    file_review,
    flag_loose_clusters,
    star_clusters,
)
from workbench.match.compare import LeveledComparison
from workbench.match.exact import ALWAYS_NEW, FUZZY, MATCH_KEYS
from workbench.match.frequency import crm_shares
from workbench.match.score import (
    RANDOM_PAIRS,
    Compared,
    Decisions,
    compare_part,
    crm_random_levels,
    fit_compared,
    score_compared,
    score_fitted,
    stack_pairs,
)
from workbench.messages import say, spoken_language

log = logging.getLogger("workbench")
# the columns of a scored pair that settle a row on its best CRM candidate
_SETTLING = ["left", "right_key", "score", "band", "decided", "explanation"]

CHUNK_ROWS = 20_000  # incoming rows whose CRM candidates are compared at once
# candidate pairs the classifier is fitted on, at most: a constant, so that the fit (and so
# every score) is the same whatever the memory setting; beyond it a hash-chosen sample
FIT_PAIRS = 2_000_000
FILE_PAIRS_PER_ROW = 25  # pairs compared at once, per row of a part
BYTES_PER_ROW = 2 * 1024**3 // CHUNK_ROWS  # of the run's memory, per incoming row of a part


@dataclass(frozen=True)
class MatchLimits:
    """How much matching holds at once: rows per part, rows per blocking key value."""

    chunk_rows: int = CHUNK_ROWS  # incoming rows whose CRM candidates are compared at once
    max_block_rows: int = MAX_BLOCK_ROWS  # rows sharing one blocking key value, at most
    fit_pairs: int = FIT_PAIRS  # candidate pairs the classifier is fitted on, at most

    @classmethod
    def for_memory(cls, memory_bytes: int | None) -> MatchLimits:
        """Limits for a memory setting: rows per part in proportion (20,000 at 2 GiB)."""
        if memory_bytes is None:
            return cls()
        rows = memory_bytes // BYTES_PER_ROW
        return cls(chunk_rows=max(10, min(rows, 200_000)))


@dataclass(frozen=True)
class Search:
    """Where to look in the CRM: blocking rules, for the rows that have (or lack) a column."""

    rules: tuple[BlockingRule, ...]
    having: str | None = None  # only rows with a value in this column ...
    present: bool = True  # ... or, when False, only rows without one

    def rows(self, todo: pd.DataFrame) -> pd.DataFrame:
        """The rows this search applies to."""
        if self.having is None:
            return todo
        return todo[todo[self.having].notna() == self.present]


@dataclass(frozen=True)
class EntitySpec:
    """What it takes to match one kind of record: keys, blocking, comparisons and the CRM view."""

    level: str  # "organisation" / "person": the decisions' level and the match keys' registry
    prefix: str  # column prefix of the per-row result ("org" / "person")
    crm_table: str  # the snapshot's match table
    crm_id: str
    offset: float  # total points at which two records are as likely the same as not
    comparisons: Callable[[], list[LeveledComparison]]
    searches: tuple[Search, ...]  # how far to look in the CRM
    score_rules: tuple[BlockingRule, ...]  # the rules EM fits m on, per rule
    file_rules: tuple[BlockingRule, ...]  # pairs inside the file
    crm_columns: tuple[str, ...] = ()  # columns of the CRM view (all when empty)
    crm_renames: tuple[tuple[str, str], ...] = ()  # (snapshot column, name in the view)
    term_frequencies: bool = False  # weigh agreeing values by how common they are in the CRM

    @property
    def id_col(self) -> str:
        """The per-row result column holding the matched CRM id."""
        return f"crm_{self.prefix}_id"

    def view(self, con: duckdb.DuckDBPyConnection) -> str:
        """The CRM records as this entity is compared (columns the snapshot lacks are empty: a
        snapshot built before a column existed still works)."""
        if not self.crm_columns:
            return self.crm_table
        have = {r[0] for r in con.execute(f"DESCRIBE {self.crm_table}").fetchall()}
        cols = [self.crm_id, *(f'"{src}" AS "{dst}"' for src, dst in self.crm_renames),
                *(f'"{c}"' if c in have else f'CAST(NULL AS VARCHAR) AS "{c}"'
                  for c in self.crm_columns)]
        return f"(SELECT {', '.join(cols)} FROM {self.crm_table})"


def empty_result(present: pd.Series, fp: pd.Series, spec: EntitySpec) -> pd.DataFrame:
    """Per row: nothing matched yet (band non-match where there is a record to match)."""
    p = spec.prefix
    res = pd.DataFrame({f"has_{p}": present, f"{p}_fp": fp}, index=present.index)
    res[spec.id_col] = pd.Series(None, index=present.index, dtype=object)
    res[f"{p}_score"] = np.nan
    res[f"{p}_band"] = np.where(present, NON_MATCH, "")
    res[f"{p}_method"] = None
    res[f"{p}_explanation"] = ""
    res[f"{p}_review_row"] = None  # an earlier row of the file this row may repeat (review band)
    return res


@dataclass
class _Run:
    """The state of one entity's matching: what is settled, what is left, the pairs kept."""

    spec: EntitySpec
    con: duckdb.DuckDBPyConnection
    definition: Definition
    decisions: Decisions
    keys: pd.DataFrame  # comparison values per row (with "fp")
    source_rows: pd.Series
    res: pd.DataFrame
    comparisons: list[LeveledComparison]
    classifier: Classifier
    todo: pd.DataFrame
    pairs: list[pd.DataFrame]
    below: dict[str, int]
    limits: MatchLimits = MatchLimits()
    capped: list[BlockCap] = field(default_factory=list)

    def settle(self, idx: np.ndarray, ids: np.ndarray, score, band, method, explanation) -> None:
        """Give rows their CRM record; they are no longer looked for."""
        p = self.spec.prefix
        self.res.loc[idx, self.spec.id_col] = ids
        self.res.loc[idx, f"{p}_score"] = score
        self.res.loc[idx, f"{p}_band"] = band
        self.res.loc[idx, f"{p}_method"] = method
        self.res.loc[idx, f"{p}_explanation"] = explanation
        self.todo = self.todo.drop(index=idx)


def _exact(run: _Run, key: str) -> None:
    """Rows settled by one of the CRM wizards' exact keys."""
    view = run.spec.view(run.con)
    settled = MATCH_KEYS[run.spec.level][key].settle(run.con, run.todo, view, run.spec.crm_id)
    run.settle(settled["left_id"].to_numpy(), settled["right_id"].to_numpy(), 1.0, "match", key,
               f"{key} equal")


def _crm_blocks(run: _Run, view: str) -> list[SqlBlock]:
    """One index per search, its capped key values found over all rows still to match."""
    blocks = []
    for search in run.spec.searches:
        block = SqlBlock(search.rules, max_block_rows=run.limits.max_block_rows)
        block.plan_table(run.con, search.rows(run.todo), view)
        run.capped.extend(block.capped)
        blocks.append(block)
    return blocks


CANDIDATES = "__candidates"  # the temporary table of one entity's candidate pairs


def _candidate_table(run: _Run, view: str, blocks: list[SqlBlock]) -> bool:
    """Every row's candidate pairs (row position, CRM id, match_key) with the snapshot, joined
    once for all rows into a temporary DuckDB table (spilled to disk when large), so that each
    rule scans the snapshot once rather than once per part. False when there are none."""
    todo = run.todo.assign(__pos=np.arange(len(run.todo)))
    selects, frames = [], {}
    for number, (search, block) in enumerate(zip(run.spec.searches, blocks, strict=True)):
        left = search.rows(todo)
        sql, caps = block.table_sql(run.con, left, f"__left{number}", view, "__pos",
                                    run.spec.crm_id, str(number))
        if sql is not None:
            frames.update({f"__left{number}": left, **caps})
            selects.append(f"SELECT *, {number} AS search_no FROM ({sql})")
    if not selects:
        return False
    # a pair two searches found keeps the rule of the first
    with Registered(run.con, frames):
        run.con.execute(f"CREATE OR REPLACE TEMP TABLE {CANDIDATES} AS SELECT left_id, right_id, "
                        "arg_min(match_key, search_no) AS match_key "
                        f"FROM ({' UNION ALL '.join(selects)}) GROUP BY left_id, right_id")
    return True


def _candidates(run: _Run, start: int, stop: int, table: str = CANDIDATES) -> pd.DataFrame:
    """Candidate (left_id, right_id, match_key) pairs of the rows at positions start..stop (and
    ``in_sample`` when ``table`` has it)."""
    # in row order, then CRM id order: sorted by DuckDB when the rows' labels rise with their
    # positions (they do: rows stay in file order), as pandas sorts them otherwise
    rising = run.todo.index.is_monotonic_increasing and run.todo.index.is_unique
    order = " ORDER BY left_id, right_id" if rising else ""
    flag = ", in_sample" if table == FLAGGED else ""
    cand = run.con.execute(f"SELECT left_id, right_id, match_key{flag} FROM {table} "
                           f"WHERE left_id >= ? AND left_id < ?{order}", [start, stop]).df()
    cand["left_id"] = run.todo.index[cand["left_id"].to_numpy()]
    return cand if rising else cand.sort_values(["left_id", "right_id"], ignore_index=True)


CANDIDATE_RECORDS = "__candidate_records"  # the CRM records that are some row's candidate


def _candidate_records(run: _Run, view: str) -> str:
    """The snapshot's records that are a candidate of some row, copied once into a temporary
    table (spilled to disk when large): each part's records and EM's random records are then
    read from it rather than from a scan of the whole snapshot."""
    run.con.execute(f"CREATE OR REPLACE TEMP TABLE {CANDIDATE_RECORDS} AS SELECT v.* FROM {view} "
                    f"v SEMI JOIN (SELECT DISTINCT right_id FROM {CANDIDATES}) c "
                    f'ON v."{run.spec.crm_id}" = c.right_id')
    return CANDIDATE_RECORDS


RANDOM_RECORDS = 50_000  # candidate CRM records EM's random pairs are drawn among, at most


def _random_records(run: _Run, records: str) -> pd.DataFrame:
    """A seeded sample of the CRM records that are a candidate of some row (those in the table
    ``records``): the records EM's random pairs pair the rows with, the same whatever the parts."""
    crm_id = f'"{run.spec.crm_id}"'
    # the records table holds exactly the candidates' records: its ids are the distinct
    # candidate ids, without a pass over the (much longer) candidate pairs
    distinct = f"(SELECT DISTINCT {crm_id} AS right_id FROM {records})"
    count = run.con.execute(f"SELECT count(*) FROM {distinct}").fetchone()[0]
    rng = np.random.default_rng(20261127)
    # the sample's places in the ordered ids are drawn here; the ids stay in DuckDB (ten
    # million CRM ids as Python strings would cost gigabytes)
    places = np.sort(rng.choice(count, RANDOM_RECORDS, replace=False)) \
        if count > RANDOM_RECORDS else None
    ordered = f"(SELECT right_id, row_number() OVER (ORDER BY right_id) - 1 AS place FROM {distinct})"
    chosen = (f"SELECT right_id FROM {ordered} WHERE place IN (SELECT unnest(?))"
              if places is not None else f"SELECT right_id FROM {distinct}")
    found = run.con.execute(f"SELECT * FROM {records} WHERE {crm_id} IN ({chosen}) ORDER BY ALL",
                            [places.tolist()] if places is not None else []).df()
    return found.set_index(pd.RangeIndex(len(found)))


def _compare_crm_part(run: _Run, start: int, stop: int, view: str, table: str = CANDIDATES,
                      known: list[Compared] | None = None) -> Iterator[Compared]:
    """Compare one part of the rows with its CRM candidates (in ``table``), at most
    ``chunk_rows`` x ``FILE_PAIRS_PER_ROW`` pairs at a time (a row may have hundreds of
    candidates); keep levels, let records go. ``known``: this part's fit sample as compared
    already (``table`` is then ``FLAGGED``): those pairs' levels are taken, not worked out again."""
    part = run.todo.iloc[start:stop]
    cand = _candidates(run, start, stop, table)
    if cand.empty:
        return
    # the part's CRM records, found by a join with the candidate table (not a list of ids sent
    # from Python), in a fixed order
    crm = run.con.execute(f'SELECT v.* FROM {view} v SEMI JOIN (SELECT right_id FROM {table} '
                          f'WHERE left_id >= ? AND left_id < ?) c ON v."{run.spec.crm_id}" = '
                          "c.right_id ORDER BY ALL", [start, stop]).df()
    crm = crm.set_index(pd.RangeIndex(len(crm)))
    for col in run.spec.crm_columns:  # a snapshot built before a column existed still works
        if col not in crm:
            crm[col] = None
    pos = cand.merge(crm.reset_index(names="pos")[["pos", run.spec.crm_id]],
                     left_on="right_id", right_on=run.spec.crm_id)
    pairs = pd.MultiIndex.from_arrays([pos["left_id"].to_numpy(), pos["pos"].to_numpy()])
    keys, size = pos["match_key"].to_numpy(), max(1, run.limits.chunk_rows * FILE_PAIRS_PER_ROW)
    if known is not None:
        yield from _complete_part(run, pairs, part, crm, keys, size,
                                  pos["in_sample"].to_numpy(dtype=bool), known)
        return
    for i in range(0, len(pairs), size):
        # EM's random pairs are drawn once for all parts (see ``_fuzzy``)
        yield compare_part(pairs[i:i + size], part, crm, run.comparisons, crm[run.spec.crm_id],
                           run.spec.score_rules, run.classifier.needs_pairs, 0,
                           match_key=keys[i:i + size])


def _complete_part(run: _Run, pairs: pd.MultiIndex, part: pd.DataFrame, crm: pd.DataFrame,
                   keys: np.ndarray, size: int, in_sample: np.ndarray, known: list[Compared]
                   ) -> Iterator[Compared]:
    """All of a part's pairs compared, in order: the fit sample's levels as compared for the
    fit (the same pairs in the same order), the other pairs' compared now (no EM masks: the
    classifier is fitted already)."""
    labels = [c.label for c in run.comparisons]
    sample = (pd.concat([k.levels[labels] for k in known], ignore_index=True) if known
              else pd.DataFrame(columns=labels)).to_numpy(dtype=np.int8)
    if len(sample) != int(in_sample.sum()):
        raise RuntimeError("the fit sample's pairs of a part changed between the two passes")
    crm_ids = crm[run.spec.crm_id].to_numpy()
    taken = 0
    for i in range(0, len(pairs), size):
        chunk, flags = pairs[i:i + size], in_sample[i:i + size]
        levels = np.empty((len(chunk), len(labels)), dtype=np.int8)
        n_known = int(flags.sum())
        levels[flags] = sample[taken:taken + n_known]
        taken += n_known
        if n_known < len(chunk):
            rest = compare_part(chunk[~flags], part, crm, run.comparisons, crm[run.spec.crm_id],
                                run.spec.score_rules, False, 0)
            levels[~flags] = rest.levels[labels].to_numpy(dtype=np.int8)
        right = np.asarray(chunk.get_level_values(1))
        yield Compared(np.asarray(chunk.get_level_values(0)), right, crm_ids[right],
                       pd.DataFrame(levels, columns=labels), {}, pd.DataFrame(),
                       keys[i:i + size])


def _compared_parts(run: _Run, view: str, table: str = CANDIDATES,
                    known: dict[int, list[Compared]] | None = None
                    ) -> Iterator[tuple[int, Compared]]:
    """The rows' candidate pairs in ``table`` compared, one part of the rows at a time, each
    with the position of its part's first row. ``known``: per part, its fit sample compared."""
    size = run.limits.chunk_rows
    for start in range(0, len(run.todo), size):
        part_known = None if known is None else known.pop(start, [])
        for compared in _compare_crm_part(run, start, start + size, view, table, part_known):
            yield start, compared
        gc.collect()  # pandas frames hold reference cycles: free the part's records now


FIT_SAMPLE = "__fit_sample"  # the temporary table of the candidate pairs EM is fitted on
FLAGGED = "__candidates_flagged"  # the candidate pairs, each marked when in the fit sample


def _flag_sample(run: _Run) -> str:
    """The candidate pairs with ``in_sample`` (the pair is one of the fit sample's)."""
    run.con.execute(f"CREATE OR REPLACE TEMP TABLE {FLAGGED} AS SELECT c.*, "
                    "s.left_id IS NOT NULL AS in_sample "
                    f"FROM {CANDIDATES} c LEFT JOIN {FIT_SAMPLE} s "
                    "ON c.left_id = s.left_id AND c.right_id = s.right_id")
    return FLAGGED


def _fit_sample(run: _Run, candidates: int) -> str:
    """The table of candidate pairs the classifier is fitted on: all of them when there are at
    most ``fit_pairs``, else that many chosen by a hash of the pair (the same sample whatever
    the parts or the memory setting)."""
    if candidates <= run.limits.fit_pairs:
        return CANDIDATES
    run.con.execute(f"CREATE OR REPLACE TEMP TABLE {FIT_SAMPLE} AS SELECT * FROM {CANDIDATES} "
                    "ORDER BY hash(left_id, right_id), left_id, right_id LIMIT ?",
                    [run.limits.fit_pairs])
    return FIT_SAMPLE


def _fit_crm(run: _Run, records: str, fitted: list[Compared], sampled: float) -> None:
    """Fit the classifier once, on the compared sample and the run's random pairs (drawn
    among the candidates' CRM records, in the table ``records``)."""
    random = crm_random_levels(run.todo, _random_records(run, records), run.comparisons) \
        if run.classifier.needs_pairs else pd.DataFrame()
    compared = replace(Compared.combine(fitted), random=random)
    crm_size = run.con.execute(f"SELECT count(*) FROM {run.spec.crm_table}").fetchone()[0]
    total = len(run.todo) * crm_size
    if sampled < 1:  # the sample stands for its share of all pairs
        total = total * sampled
    fit_compared(compared, run.classifier, total,
                 decide=(run.spec.level, run.keys["fp"], None, run.decisions))


def _score_crm_part(run: _Run, compared: Compared, shares) -> pd.DataFrame:
    """One part's pairs scored; those below the floor counted, those refused dropped."""
    scored = score_fitted(f"crm_{run.spec.level}", compared, run.todo, run.comparisons,
                          run.classifier, run.source_rows, shares,
                          decide=(run.spec.level, run.keys["fp"], None, run.decisions),
                          below=run.below)
    refused = scored["decided"].to_numpy() & (scored["band"] == NON_MATCH).to_numpy()
    return scored[~refused] if refused.any() else scored


def _fuzzy(run: _Run) -> None:
    """Score every row's CRM candidates, in parts (a 10M-record CRM does not fit otherwise).

    The classifier is fitted once, on at most ``fit_pairs`` candidate pairs; then each part is
    compared and scored, and only its pairs above the floor are held."""
    view = run.spec.view(run.con)
    blocks = _crm_blocks(run, view)
    kept = []
    try:
        if not _candidate_table(run, view, blocks):
            return
        records = _candidate_records(run, view)
        candidates = run.con.execute(f"SELECT count(*) FROM {CANDIDATES}").fetchone()[0]
        # the number a large run's time and spill depend on: in the run log
        log.info("%s: %d candidate pairs with the CRM for %d rows", run.spec.level, candidates,
                 len(run.todo))
        table = _fit_sample(run, candidates)
        by_part: dict[int, list[Compared]] = {}
        for start, compared in _compared_parts(run, records, table):
            by_part.setdefault(start, []).append(compared)
        fitted = [c for part in by_part.values() for c in part]
        if not fitted:
            return
        _fit_crm(run, records, fitted, 1.0 if table == CANDIDATES
                 else sum(len(c.levels) for c in fitted) / candidates)
        shares = crm_shares(run.con, run.todo, run.comparisons, run.spec.crm_table) \
            if run.spec.term_frequencies and run.classifier.needs_pairs else None
        if table == CANDIDATES:  # the pairs fitted on are all the pairs: score them as held
            by_part.clear()
            while fitted:
                kept.append(_score_crm_part(run, fitted.pop(0), shares))
        else:  # a sample: every part's other pairs compared, scored with the sample's, kept
            fitted.clear()
            for _, compared in _compared_parts(run, records, _flag_sample(run), by_part):
                kept.append(_score_crm_part(run, compared, shares))
    finally:
        run.con.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")
        run.con.execute(f"DROP TABLE IF EXISTS {FIT_SAMPLE}")
        run.con.execute(f"DROP TABLE IF EXISTS {FLAGGED}")
        run.con.execute(f"DROP TABLE IF EXISTS {CANDIDATE_RECORDS}")
    # the parts are kept as they are and stacked once with the file's pairs (``stack_pairs``);
    # the best candidate of each row is found on the few columns settling it needs
    best = best_candidates(pd.concat([k[_SETTLING] for k in kept], ignore_index=True))
    run.pairs.extend(kept)
    best = best[best["band"] != NON_MATCH]
    run.settle(best["left"].to_numpy(), best["right_key"].to_numpy(), best["score"].to_numpy(),
               best["band"].to_numpy(), np.where(best["decided"], "decision", "fuzzy"),
               best["explanation"].to_numpy())


def _in_file(run: _Run, present: pd.Series, partial: pd.Series | None) -> None:
    """Pairs inside the file among the rows no CRM record settled; each row's cluster root."""
    spec, res = run.spec, run.res
    if run.definition.undecided == "new":  # a doubtful CRM candidate is ignored: the row is new
        res.loc[res[f"{spec.prefix}_band"] == REVIEW, spec.id_col] = None
    new = res.index[present & res[spec.id_col].isna()]
    tied = _file_ties(run, new)
    frame = run.keys.loc[new.difference(tied.index)].drop(columns=["fp"])
    if ALWAYS_NEW in _keys(run.definition, spec.level):
        frame = frame.iloc[0:0]
    scored = pd.DataFrame()
    if len(frame) >= 2:
        index = rl.Index()
        block = SqlBlock(spec.file_rules, max_block_rows=run.limits.max_block_rows)
        index.add(block)
        pairs = index.index(frame)
        run.capped.extend(block.capped)
        scored = score_compared_file(run, pairs, frame, block.match_keys.reindex(pairs).to_numpy())
    linked = scored
    if partial is not None and not scored.empty:  # two rows without a last name make no person
        both = partial.reindex(scored["left"]).to_numpy() & \
            partial.reindex(scored["right"]).to_numpy()
        linked = scored[~both]
    roots = star_clusters(linked, new.difference(tied.index), partial)
    roots = pd.concat([roots, tied.map(roots)]).reindex(new)
    flag_loose_clusters(scored, roots)
    review = file_review(scored, roots)
    if len(review):  # a doubtful earlier row of the file: in the review band like a CRM one
        p = spec.prefix
        res.loc[review.index, f"{p}_band"] = REVIEW
        res.loc[review.index, f"{p}_score"] = review["score"].to_numpy(float)
        res.loc[review.index, f"{p}_method"] = "file"
        res.loc[review.index, f"{p}_explanation"] = review["explanation"].to_numpy()
        res.loc[review.index, f"{p}_review_row"] = review["other_row"].to_numpy()
    res[f"{spec.prefix}_root"] = pd.Series(res.index, index=res.index).where(present)
    res.loc[new, f"{spec.prefix}_root"] = roots.to_numpy()


def _file_ties(run: _Run, rows: pd.Index) -> pd.Series:
    """Rows an in-file exact key (the BSN) ties to an earlier row of the file: row -> that row.

    Such a row is a match with that row whatever else differs; its method names the key."""
    wanted = _keys(run.definition, run.spec.level)
    tied = pd.Series(dtype=object)
    if ALWAYS_NEW in wanted:
        return tied
    p = run.spec.prefix
    for name in wanted:
        key = MATCH_KEYS[run.spec.level].get(name)
        if key is None or not key.in_file:
            continue
        ties = key.file_ties(run.keys.loc[rows.difference(tied.index)])
        if len(ties):
            first = run.source_rows.loc[ties.to_numpy()].to_numpy()
            run.res.loc[ties.index, [f"{p}_band", f"{p}_score", f"{p}_method"]] = [MATCH, 1.0, name]
            # English names the key as the definition does, Dutch as the mapping screen
            said_key = (say(f"key.{name}") if spoken_language() != "en"
                        and f"key.{name}" in MESSAGES else name)
            run.res.loc[ties.index, f"{p}_explanation"] = [say("match.tie", key=said_key, row=r)
                                                          for r in first]
            tied = pd.concat([tied, ties]) if len(tied) else ties
    return tied


def score_compared_file(run: _Run, pairs: pd.MultiIndex, frame: pd.DataFrame,
                        match_key: np.ndarray) -> pd.DataFrame:
    """Score pairs of rows of the file, keep them all."""
    spec = run.spec
    # in parts of pairs: each part's records are gathered as strings, its levels are kept;
    # EM's random pairs are drawn with the first part only (as for all pairs at once)
    size = max(1, run.limits.chunk_rows * FILE_PAIRS_PER_ROW)
    compared = Compared.combine([
        compare_part(pairs[i:i + size], frame, None, run.comparisons, run.source_rows,
                     spec.file_rules, run.classifier.needs_pairs,
                     RANDOM_PAIRS if i == 0 else 0, match_key=match_key[i:i + size])
        for i in range(0, max(len(pairs), 1), size)])
    scored = score_compared(f"file_{spec.level}", compared, frame, run.comparisons,
                            run.classifier, run.source_rows, len(frame) * (len(frame) - 1) / 2,
                            decide=(spec.level, run.keys["fp"], run.keys["fp"], run.decisions),
                            below=run.below)
    run.pairs.append(scored)
    return scored


def _keys(definition: Definition, level: str) -> tuple[str, ...]:
    return definition.org_keys if level == "organisation" else definition.person_keys


def match_entity(spec: EntitySpec, keys: pd.DataFrame, present: pd.Series,
                 source_rows: pd.Series, con: duckdb.DuckDBPyConnection, definition: Definition,
                 decisions: Decisions, partial: pd.Series | None = None,
                 limits: MatchLimits | None = None, capped: list[BlockCap] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Every row's CRM record (id, score, band, method) and cluster root inside the file; the
    scored pairs kept, and how many pairs scored below the floor per kind. The blocking key values
    capped (too many rows shared them) are added to ``capped``."""
    comparisons = spec.comparisons()
    run = _Run(spec=spec, con=con, definition=definition, decisions=decisions, keys=keys,
               source_rows=source_rows, res=empty_result(present, keys["fp"], spec),
               comparisons=comparisons,
               classifier=make_classifier(definition.classifier, spec.offset,
                                          definition.thresholds, comparisons),
               todo=keys[present].drop(columns=["fp"]), pairs=[], below={},
               limits=limits or MatchLimits())
    wanted = _keys(definition, spec.level)
    if ALWAYS_NEW in wanted:
        run.todo = run.todo.iloc[0:0]
    for key in wanted:
        if run.todo.empty:
            break
        if key == FUZZY:
            _fuzzy(run)
        elif key in MATCH_KEYS[spec.level]:
            _exact(run, key)
    _in_file(run, present, partial)
    if capped is not None:
        capped.extend(run.capped)
    return run.res, stack_pairs(run.pairs), run.below
