"""Blocking rules: which record pairs are worth comparing, as small declarative objects run in DuckDB."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
from recordlinkage.base import BaseIndexAlgorithm


@dataclass(frozen=True)
class BlockingRule:
    """Pairs whose values agree on every column of the rule (missing values never agree)."""

    name: str
    columns: tuple[str, ...]

    def condition(self, left: str = "l", right: str = "r") -> str:
        """The SQL join condition of the rule."""
        return " AND ".join(f'{left}."{c}" = {right}."{c}"' for c in self.columns)


ORG_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("kvk", ("kvk",)),
    BlockingRule("postcode_number", ("postcode", "house_number")),
    BlockingRule("pc4_name_token", ("pc4", "name_token")),
    BlockingRule("pc4_name_long", ("pc4", "name_long")),
    BlockingRule("name", ("name_key",)),
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
    # One join per rule, OR-ed by UNION: each join can use a hash join, an OR in one join cannot.
    parts = []
    for rule in rules:
        extra = f' AND l."{left_id}" < r."{right_id}"' if dedupe else ""
        parts.append(f'SELECT l."{left_id}" AS left_id, r."{right_id}" AS right_id '
                     f"FROM {left} l JOIN {right} r ON {rule.condition()}{extra}")
    return "\nUNION\n".join(parts)


def _usable(rules: tuple[BlockingRule, ...], *frames: pd.DataFrame) -> tuple[BlockingRule, ...]:
    return tuple(r for r in rules if all(c in f.columns for f in frames for c in r.columns))


def link_with_table(con: duckdb.DuckDBPyConnection, left: pd.DataFrame, table: str,
                    rules: tuple[BlockingRule, ...], right_id: str,
                    where: str | None = None) -> pd.DataFrame:
    """Candidate pairs (left index, right id) between a frame and a snapshot table."""
    cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    rules = tuple(r for r in _usable(rules, left) if set(r.columns) <= cols)
    if left.empty or not rules:
        return pd.DataFrame({"left_id": pd.Series(dtype="int64"), "right_id": pd.Series(dtype=object)})
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
    """recordlinkage index algorithm: the union of several blocking rules, joined in DuckDB."""

    def __init__(self, rules: tuple[BlockingRule, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.rules = rules

    def _pairs(self, df_a: pd.DataFrame, df_b: pd.DataFrame | None) -> pd.MultiIndex:
        dedupe = df_b is None
        rules = _usable(self.rules, df_a) if dedupe else _usable(self.rules, df_a, df_b)
        if not rules or df_a.empty:
            return pd.MultiIndex.from_arrays([[], []])
        with duckdb.connect() as con:
            con.register("__a", df_a.reset_index(names="__row"))
            con.register("__b", (df_a if dedupe else df_b).reset_index(names="__row"))
            pairs = con.execute(_union_sql(rules, "__a", "__b", "__row", "__row", dedupe)).df()
        pairs = pairs.sort_values(["left_id", "right_id"])
        return pd.MultiIndex.from_arrays([pairs["left_id"].to_numpy(), pairs["right_id"].to_numpy()])

    def _link_index(self, df_a: pd.DataFrame, df_b: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, df_b)

    def _dedup_index(self, df_a: pd.DataFrame) -> pd.MultiIndex:
        return self._pairs(df_a, None)
