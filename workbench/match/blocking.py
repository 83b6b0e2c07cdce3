"""Blocking rules: which record pairs are worth comparing, as small declarative objects run in DuckDB."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from workbench.match.rl_parts import BaseIndexAlgorithm

log = logging.getLogger("workbench")

# A blocking key value shared by more than this many rows of the file (or, against the CRM, whose
# file rows times CRM rows exceed this many squared) makes no pairs: 7,500 identical rows would
# otherwise make 28M pairs, the branches of a chain at one phone millions. Other rules still pair
# those rows. 1,000 let the hard benchmark's chains (100k x 1M) keep 836k review pairs and 2.6 GiB.
MAX_BLOCK_ROWS = 300

# blocking columns derived from compared ones: a rule on the derived column biases that comparison
DERIVED: dict[str, set[str]] = {
    "first_initial": {"first_name", "initials"},
    "birth_year": {"birth_date"},
    "name_k3": {"last_name_key", "first_name"},
    "pc4": {"postcode"},
    "name_token": {"name_key"},
    "name_long": {"name_key"},
}


@dataclass(frozen=True)
class BlockingRule:
    """Pairs whose values agree on every column of the rule (missing values never agree).

    ``right_columns`` pairs each column with another one on the right side (first name against
    surname finds swapped names); by default a column is compared with itself.
    """

    name: str
    columns: tuple[str, ...]
    right_columns: tuple[str, ...] | None = None
    # against the CRM: a key value that would pair more file rows and CRM records than this
    # (a business park's address) is crowded; at most the ``max_rows`` squared of the index
    max_link_pairs: int | None = None
    # against the CRM: a key value held by more CRM records than this is crowded too, however few
    # rows of the file hold it (a crowd is a property of the register, not of the file's size)
    max_crm_rows: int | None = None
    # a crowded value pairs only records whose values of this column begin alike (else none)
    salt: str | None = None

    def salted(self, left: str = "l", right: str = "r") -> str:
        """The SQL condition a crowded value's pairs meet as well."""
        return f'left({left}."{self.salt}", {SALT_LETTERS}) = left({right}."{self.salt}", ' \
            f"{SALT_LETTERS})"

    @property
    def right(self) -> tuple[str, ...]:
        """The right-side column of each of ``columns``."""
        return self.right_columns or self.columns

    def condition(self, left: str = "l", right: str = "r") -> str:
        """The SQL join condition of the rule."""
        return " AND ".join(f'{left}."{c}" = {right}."{rc}"'
                            for c, rc in zip(self.columns, self.right, strict=True))

    @property
    def sources(self) -> set[str]:
        """The compared columns this rule's pairs agree on (or nearly) by construction."""
        cols = set(self.columns) | set(self.right)
        return cols.union(*(DERIVED.get(c, set()) for c in cols))

    def holds(self, left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
        """True for each aligned pair of rows that the rule would pair."""
        out = np.ones(len(left), dtype=bool)
        for c, rc in zip(self.columns, self.right, strict=True):
            a, b = left[c].astype("string"), right[rc].astype("string")
            out &= (a.notna() & b.notna() & (a.fillna("") == b.fillna(""))).to_numpy()
        return out


# An address that pairs more file rows with CRM records than this is a business park's: there an
# organisation is only compared with those whose names begin with the same letters (a typo in
# the name still finds its record). The hard generator's parks (100k x 1M): 1.5M of 3.5M pairs.
CROWDED_PAIRS = 5_000
SALT_LETTERS = 2
# A key value held by more CRM records than this is crowded whatever the file's size: at 10M
# organisations a PC4 area and a common name word (pc4_name_token / pc4_name_long) are shared by
# hundreds, 233 pairs per row against 33 at 1M; a crowded address is salted, a crowded name word
# makes no pairs (name_city, the address rules, KvK and contacts still find a moved or renamed
# firm). Hard generator 100k x 1M: pairs 2.38M -> 1.01M, P/R 0.9994/0.9992 -> 0.9994/0.9991.
CROWDED_CRM_RECORDS = 10

ORG_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("kvk", ("kvk",)),
    BlockingRule("postcode_number", ("postcode", "house_number"), max_link_pairs=CROWDED_PAIRS,
                 max_crm_rows=CROWDED_CRM_RECORDS, salt="name_key"),
    # the same street and number in the same place: a postcode typed wrong, or a foreign one
    # written in another form
    BlockingRule("street_number_city", ("street_key", "house_number", "city_key"),
                 max_link_pairs=CROWDED_PAIRS, max_crm_rows=CROWDED_CRM_RECORDS, salt="name_key"),
    BlockingRule("pc4_name_token", ("pc4", "name_token"), max_crm_rows=CROWDED_CRM_RECORDS),
    BlockingRule("pc4_name_long", ("pc4", "name_long"), max_crm_rows=CROWDED_CRM_RECORDS),
    # the same name in the same place (a move inside the town); the same name elsewhere in the
    # country is another firm unless KvK, phone or domain agree, which have rules of their own
    BlockingRule("name_city", ("name_key", "city_key")),
    BlockingRule("phone", ("phone",)),
    BlockingRule("email_domain", ("email_domain",)),
    BlockingRule("web_domain", ("web_domain",)),
)
PERSON_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("email", ("email",)),
    BlockingRule("surname_initial", ("last_name_key", "first_initial")),
    BlockingRule("mobile", ("mobile",)),
)


def _union_sql(rules: tuple[BlockingRule, ...], left: str, right: str, left_id: str,
               right_id: str, dedupe: bool, capped: dict[str, str] | None = None) -> str:
    """Candidate pairs with the name of the first rule that found each (Splink's match_key);
    ``capped`` names, per rule, a registered table of key values that make no pairs."""
    # One join per rule, OR-ed by UNION: each join can use a hash join, an OR in one join cannot.
    parts = []
    for number, rule in enumerate(rules):
        extra = f' AND l."{left_id}" < r."{right_id}"' if dedupe else ""
        side = left
        if capped and rule.name in capped:  # the left rows holding a capped value sit it out
            on = " AND ".join(f'x."k{i}" = l."{c}"' for i, c in enumerate(rule.columns))
            side = f"(SELECT l.* FROM {left} l ANTI JOIN {capped[rule.name]} x ON {on})"
            if rule.salt and not dedupe:  # ... or, crowded, pair where the salt begins alike
                parts.append(f'SELECT l."{left_id}" AS left_id, r."{right_id}" AS right_id, '
                             f"{number} AS rule_no FROM (SELECT l.* FROM {left} l SEMI JOIN "
                             f"{capped[rule.name]} x ON {on}) l JOIN {right} r "
                             f"ON {rule.condition()} AND {rule.salted()}")
        parts.append(f'SELECT l."{left_id}" AS left_id, r."{right_id}" AS right_id, '
                     f"{number} AS rule_no FROM {side} l JOIN {right} r "
                     f"ON {rule.condition()}{extra}")
    names = ", ".join(f"'{r.name}'" for r in rules)
    return (f"SELECT left_id, right_id, list_extract([{names}], min(rule_no) + 1) AS match_key "
            f"FROM ({' UNION ALL '.join(parts)}) GROUP BY left_id, right_id")


@dataclass(frozen=True)
class BlockCap:
    """A blocking key value that made no pairs: its rule and how many rows shared it (never the
    value itself: it may be a sensitive one)."""

    rule: str
    where: str  # "file" (pairs inside the file) or "crm" (pairs with the snapshot)
    rows: int  # rows of the file holding the value
    other_rows: int  # rows on the other side holding it (the file's own rows inside the file)
    pairs: int  # the pairs the value would have made

    def as_dict(self) -> dict[str, object]:
        """The cap as plain data for the manifest."""
        return {"rule": self.rule, "where": self.where, "rows": self.rows,
                "other_rows": self.other_rows, "pairs_left_out": self.pairs}


def _cap_sql(rule: BlockingRule, left: str, right: str, max_rows: int, dedupe: bool) -> str:
    """The rule's key values shared by too many rows, with their row counts and pairs."""
    keys = ", ".join(f'l."{c}" AS k{i}' for i, c in enumerate(rule.columns))
    rkeys = ", ".join(f'r."{c}" AS k{i}' for i, c in enumerate(rule.right))
    on = " AND ".join(f'r."{c}" = lc.k{i}' for i, c in enumerate(rule.right))
    notnull = " AND ".join(f'l."{c}" IS NOT NULL' for c in rule.columns)
    ks = ", ".join(f"k{i}" for i in range(len(rule.columns)))
    # the same columns on both sides of one frame: n rows make n(n-1)/2 pairs
    same = dedupe and rule.right == rule.columns
    pairs = "lc.n * (lc.n - 1) // 2" if same else "lc.n * rc.m"
    limit = max_rows * max_rows if dedupe or rule.max_link_pairs is None \
        else min(rule.max_link_pairs, max_rows * max_rows)
    too_many = f"lc.n > {max_rows}" if same else f"lc.n * rc.m > {limit}"
    if not dedupe and rule.max_crm_rows is not None:
        too_many += f" OR rc.m > {rule.max_crm_rows}"
    return (f"WITH lc AS (SELECT {keys}, count(*) AS n FROM {left} l WHERE {notnull} "
            f"GROUP BY ALL), rc AS (SELECT {rkeys}, count(*) AS m FROM {right} r "
            f"SEMI JOIN lc ON {on} GROUP BY ALL) "
            f"SELECT lc.*, rc.m, {pairs} AS pairs FROM lc JOIN rc USING ({ks}) "
            f"WHERE {too_many}")


def capped_keys(con: duckdb.DuckDBPyConnection, rules: tuple[BlockingRule, ...], left: str,
                right: str, max_rows: int, dedupe: bool) -> dict[str, pd.DataFrame]:
    """Per rule: the key values (k0, k1 …) shared by more than ``max_rows`` rows of one file, or
    by file and other rows whose product exceeds ``max_rows`` squared (or the rule's
    ``max_link_pairs``), or by more other rows than the rule's ``max_crm_rows``, with their counts
    (n file rows, m other rows, pairs)."""
    out = {}
    for rule in rules:
        found = con.execute(_cap_sql(rule, left, right, max_rows, dedupe)).df()
        if not found.empty:
            out[rule.name] = found
    return out


def cap_report(caps: dict[str, pd.DataFrame], where: str,
               salted: dict[str, str] | None = None) -> list[BlockCap]:
    """The capped key values as reportable counts, largest first; logged per rule. ``salted``:
    the rules whose crowded values still pair where that column begins alike."""
    out = []
    for rule, found in caps.items():
        for n, m, pairs in found[["n", "m", "pairs"]].itertuples(index=False):
            out.append(BlockCap(rule, where, int(n), int(m), int(pairs)))
        made = (f"paired only where {salted[rule]} begins alike", "at most ") \
            if salted and rule in salted else ("made no pairs", "")
        # a crowd of the CRM (see ``max_crm_rows``) may be one row of the file: name both
        crowd = f" and up to {int(found['m'].max())} CRM records" if where == "crm" else ""
        log.warning("blocking rule %s (%s): %d key value(s) shared by up to %d rows%s %s "
                    "(%s%d pairs left out; other rules still pair those rows)", rule, where,
                    len(found), int(found["n"].max()), crowd, made[0], made[1],
                    int(found["pairs"].sum()))
    return sorted(out, key=lambda c: (-c.pairs, c.rule))


def _with_salt(rule: BlockingRule, left: set[str], right: set[str]) -> BlockingRule:
    """The rule, without its salt where a side lacks the salt's column."""
    return rule if rule.salt is None or rule.salt in left & right else replace(rule, salt=None)


def _usable(rules: tuple[BlockingRule, ...], left: pd.DataFrame,
            right: pd.DataFrame | None = None) -> tuple[BlockingRule, ...]:
    right = left if right is None else right
    return tuple(_with_salt(r, set(left.columns), set(right.columns)) for r in rules
                 if set(r.columns) <= set(left.columns) and set(r.right) <= set(right.columns))


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"left_id": pd.Series(dtype="int64"), "right_id": pd.Series(dtype=object),
                         "match_key": pd.Series(dtype=object)})


def _table_rules(con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                 rules: tuple[BlockingRule, ...]) -> tuple[BlockingRule, ...]:
    cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    return tuple(_with_salt(r, set(left.columns), cols) for r in rules
                 if set(r.columns) <= set(left.columns) and set(r.right) <= cols)


class Registered:
    """Frames registered on a connection for one query, unregistered after it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
        self.con, self.frames = con, frames

    def __enter__(self) -> None:
        for name, frame in self.frames.items():
            self.con.register(name, frame)

    def __exit__(self, *exc: object) -> None:
        for name in self.frames:
            self.con.unregister(name)


def _cap_tables(caps: dict[str, pd.DataFrame], prefix: str = "__cap"
                ) -> tuple[dict[str, str], dict[str, pd.DataFrame]]:
    names = {rule: f"{prefix}{i}" for i, rule in enumerate(caps)}
    return names, {names[rule]: found for rule, found in caps.items()}


def link_with_table(con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                    rules: tuple[BlockingRule, ...], right_id: str,
                    where: str | None = None, caps: dict[str, pd.DataFrame] | None = None
                    ) -> pd.DataFrame:
    """Candidate pairs (left index, right id) between a frame and a snapshot table; key values in
    ``caps`` (see ``capped_keys``) make no pairs."""
    rules = _table_rules(con, left, table, rules)
    if left.empty or not rules:
        return _empty_pairs()
    names, frames = _cap_tables(caps or {})
    with Registered(con, {"__left": left.reset_index(names="__row"), **frames}):
        right = f"(SELECT * FROM {table} WHERE {where})" if where else table
        sql = _union_sql(rules, "__left", right, "__row", right_id, False, names)
        # a UNION comes back in any order: sort, so every run scores (and reports) alike
        return con.execute(f"SELECT * FROM ({sql}) ORDER BY left_id, right_id").df()


class SqlBlock(BaseIndexAlgorithm):
    """recordlinkage index algorithm: the union of several blocking rules, joined in DuckDB.

    ``match_keys`` holds, after indexing, the rule that found each pair (a recordlinkage index
    returns pairs only); ``capped`` the key values shared by too many rows to pair (see
    ``MAX_BLOCK_ROWS``).
    """

    def __init__(self, rules: tuple[BlockingRule, ...], max_block_rows: int = MAX_BLOCK_ROWS,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.rules = rules
        self.max_block_rows = max_block_rows
        self.match_keys = pd.Series([], dtype=object)
        self.capped: list[BlockCap] = []
        self._caps: dict[str, pd.DataFrame] | None = None

    def _pairs(self, df_a: pd.DataFrame, df_b: pd.DataFrame | None) -> pd.MultiIndex:
        dedupe = df_b is None
        rules = _usable(self.rules, df_a) if dedupe else _usable(self.rules, df_a, df_b)
        if not rules or df_a.empty:
            self.match_keys = pd.Series([], dtype=object)
            return pd.MultiIndex.from_arrays([[], []])
        with duckdb.connect() as con:
            con.register("__a", df_a.reset_index(names="__row"))
            con.register("__b", (df_a if dedupe else df_b).reset_index(names="__row"))
            caps = capped_keys(con, rules, "__a", "__b", self.max_block_rows, dedupe)
            self.capped = cap_report(caps, "file" if dedupe else "link")
            names, frames = _cap_tables(caps)
            with Registered(con, frames):
                pairs = con.execute(_union_sql(rules, "__a", "__b", "__row", "__row", dedupe,
                                               names)).df()
        pairs = pairs.sort_values(["left_id", "right_id"])
        index = pd.MultiIndex.from_arrays([pairs["left_id"].to_numpy(),
                                           pairs["right_id"].to_numpy()])
        self.match_keys = pd.Series(pairs["match_key"].to_numpy(), index=index)
        return index

    def _link_index(self, df_a: pd.DataFrame, df_b: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, df_b)

    def plan_table(self, con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str) -> None:
        """Find the capped key values of all of ``left`` against a snapshot table once, so that
        linking it in parts caps the same values whatever the parts."""
        rules = _table_rules(con, left, table, self.rules)
        if left.empty or not rules:
            self._caps, self.capped = {}, []
            return
        with Registered(con, {"__left": left}):
            self._caps = capped_keys(con, rules, "__left", table, self.max_block_rows, False)
        self.capped = cap_report(self._caps, "crm", {r.name: r.salt for r in rules if r.salt})

    def link_table(self, con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                   right_id: str) -> pd.DataFrame:
        """Candidate pairs (left index, right id, match_key) with a snapshot table, joined where
        it lies (a 10M-record CRM is never loaded into pandas to be indexed)."""
        if self._caps is None:
            self.plan_table(con, left, table)
        return link_with_table(con, left, table, self.rules, right_id, caps=self._caps)

    def table_sql(self, con: duckdb.DuckDBPyConnection, left: pd.DataFrame, left_name: str,
                  table: str, left_id: str, right_id: str, tag: str
                  ) -> tuple[str | None, dict[str, pd.DataFrame]]:
        """The SQL of the candidate pairs (left_id, right_id, match_key) of ``left``, registered
        as ``left_name``, with a snapshot table; and the capped values' frames it reads, to be
        registered under their names (``tag`` keeps them apart from another block's)."""
        if self._caps is None:
            self.plan_table(con, left, table)
        rules = _table_rules(con, left, table, self.rules)
        if left.empty or not rules:
            return None, {}
        names, frames = _cap_tables(self._caps or {}, f"__cap{tag}_")
        return _union_sql(rules, left_name, table, left_id, right_id, False, names), frames

    def _dedup_index(self, df_a: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, None)
