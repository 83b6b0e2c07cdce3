"""Blocking rules: which record pairs are worth comparing, as small declarative objects run in DuckDB."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from recordlinkage.base import BaseIndexAlgorithm

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


ORG_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("kvk", ("kvk",)),
    BlockingRule("postcode_number", ("postcode", "house_number")),
    # the same street and number in the same place: a postcode typed wrong, or a foreign one
    # written in another form
    BlockingRule("street_number_city", ("street_key", "house_number", "city_key")),
    BlockingRule("pc4_name_token", ("pc4", "name_token")),
    BlockingRule("pc4_name_long", ("pc4", "name_long")),
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
               right_id: str, dedupe: bool) -> str:
    """Candidate pairs with the name of the first rule that found each (Splink's match_key)."""
    # One join per rule, OR-ed by UNION: each join can use a hash join, an OR in one join cannot.
    parts = []
    for number, rule in enumerate(rules):
        extra = f' AND l."{left_id}" < r."{right_id}"' if dedupe else ""
        parts.append(f'SELECT l."{left_id}" AS left_id, r."{right_id}" AS right_id, '
                     f"{number} AS rule_no FROM {left} l JOIN {right} r "
                     f"ON {rule.condition()}{extra}")
    names = ", ".join(f"'{r.name}'" for r in rules)
    return (f"SELECT left_id, right_id, list_extract([{names}], min(rule_no) + 1) AS match_key "
            f"FROM ({' UNION ALL '.join(parts)}) GROUP BY left_id, right_id")


def _usable(rules: tuple[BlockingRule, ...], left: pd.DataFrame,
            right: pd.DataFrame | None = None) -> tuple[BlockingRule, ...]:
    right = left if right is None else right
    return tuple(r for r in rules if set(r.columns) <= set(left.columns)
                 and set(r.right) <= set(right.columns))


def link_with_table(con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                    rules: tuple[BlockingRule, ...], right_id: str,
                    where: str | None = None) -> pd.DataFrame:
    """Candidate pairs (left index, right id) between a frame and a snapshot table."""
    cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    rules = tuple(r for r in rules if set(r.columns) <= set(left.columns) and set(r.right) <= cols)
    if left.empty or not rules:
        return pd.DataFrame({"left_id": pd.Series(dtype="int64"), "right_id": pd.Series(dtype=object),
                             "match_key": pd.Series(dtype=object)})
    frame = left.reset_index(names="__row")
    con.register("__left", frame)
    try:
        right = f"(SELECT * FROM {table} WHERE {where})" if where else table
        sql = _union_sql(rules, "__left", right, "__row", right_id, False)
        # a UNION comes back in any order: sort, so every run scores (and reports) alike
        return con.execute(f"SELECT * FROM ({sql}) ORDER BY left_id, right_id").df()
    finally:
        con.unregister("__left")


class SqlBlock(BaseIndexAlgorithm):
    """recordlinkage index algorithm: the union of several blocking rules, joined in DuckDB.

    ``match_keys`` holds, after indexing, the rule that found each pair (a recordlinkage index
    returns pairs only).
    """

    def __init__(self, rules: tuple[BlockingRule, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.rules = rules
        self.match_keys = pd.Series([], dtype=object)

    def _pairs(self, df_a: pd.DataFrame, df_b: pd.DataFrame | None) -> pd.MultiIndex:
        dedupe = df_b is None
        rules = _usable(self.rules, df_a) if dedupe else _usable(self.rules, df_a, df_b)
        if not rules or df_a.empty:
            self.match_keys = pd.Series([], dtype=object)
            return pd.MultiIndex.from_arrays([[], []])
        with duckdb.connect() as con:
            con.register("__a", df_a.reset_index(names="__row"))
            con.register("__b", (df_a if dedupe else df_b).reset_index(names="__row"))
            pairs = con.execute(_union_sql(rules, "__a", "__b", "__row", "__row", dedupe)).df()
        pairs = pairs.sort_values(["left_id", "right_id"])
        index = pd.MultiIndex.from_arrays([pairs["left_id"].to_numpy(),
                                           pairs["right_id"].to_numpy()])
        self.match_keys = pd.Series(pairs["match_key"].to_numpy(), index=index)
        return index

    def _link_index(self, df_a: pd.DataFrame, df_b: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, df_b)

    def link_table(self, con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                   right_id: str) -> pd.DataFrame:
        """Candidate pairs (left index, right id, match_key) with a snapshot table, joined where
        it lies (a 10M-record CRM is never loaded into pandas to be indexed)."""
        return link_with_table(con, left, table, self.rules, right_id)

    def _dedup_index(self, df_a: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, None)
