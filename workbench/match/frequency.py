"""Term frequencies: how many CRM records hold a value, so that agreeing on a rare value counts
for more than agreeing on a common one (a chain's national phone number, a business park's
address, the surname Jansen)."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from workbench.match.compare import LeveledComparison, TfKey


def crm_shares(con: duckdb.DuckDBPyConnection, left: pd.DataFrame,
               comparisons: list[LeveledComparison], table: str = "person_match"
               ) -> dict[TfKey, np.ndarray]:
    """Per term-frequency key (one or more columns): the share of the table's records holding
    each left row's value, in the order of ``left`` (NaN where the row has none or no record
    holds it)."""
    out = {}
    total = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    keys = {k for c in comparisons for k in c.tf_keys if set(k) <= set(left.columns)}
    for key in sorted(keys):
        values = left[list(key)].dropna().drop_duplicates()
        cols = ", ".join(f'"{c}"' for c in key)
        con.register("__tf_values", values.astype(object).reset_index(drop=True))
        try:
            got = con.execute(f"SELECT {cols}, count(*) AS n FROM {table} "
                              f"SEMI JOIN __tf_values USING ({cols}) GROUP BY ALL").df()
        finally:
            con.unregister("__tf_values")
        share = got["n"].to_numpy(float) / max(total, 1)
        if len(key) == 1:
            index = pd.Index(got[key[0]].astype(object))
            out[key] = pd.Series(share, index=index).reindex(left[key[0]].astype(object)).to_numpy()
        else:
            index = pd.MultiIndex.from_frame(got[list(key)].astype(object))
            rows = pd.MultiIndex.from_frame(left[list(key)].astype(object))
            out[key] = pd.Series(share, index=index).reindex(rows).to_numpy()
    return out


def pair_shares(shares: dict[TfKey, np.ndarray], comparisons: list[LeveledComparison],
                positions: np.ndarray, levels: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per comparison label: each pair's share of its agreeing value, from the shares of the
    left rows (``positions``: each pair's left row, as a position in the frame of ``shares``)."""
    out = {}
    for comp in comparisons:
        if comp.tf_keys and all(k in shares for k in comp.tf_keys):
            level = levels[comp.label].to_numpy()
            # only agreeing pairs carry a share: most candidates of a large CRM agree on nothing
            at = np.flatnonzero(np.isin(level, comp.tf_levels))
            by_key = {k: shares[k][positions[at]] for k in comp.tf_keys}
            share = np.full(len(level), np.nan)
            share[at] = comp.pair_shares(by_key, level[at])
            out[comp.label] = share
    return out
