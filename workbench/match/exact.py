"""Exact match keys (the CRM wizards' keys) as small objects in one registry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by the definition: no matching machinery on import
    import duckdb
    import pandas as pd


@dataclass(frozen=True)
class MatchKey:
    """Exact agreement on ``columns`` settles a record; ambiguous keys settle nothing.

    ``also_same`` columns must agree too, a value missing on both sides included (12A is not 12).
    An ``in_file`` key names one person on its own (a BSN): rows of the file that share it are
    one record, whatever their names say.
    """

    name: str
    columns: tuple[str, ...]
    also_same: tuple[str, ...] = ()
    in_file: bool = False

    def file_ties(self, keys: pd.DataFrame) -> pd.Series:
        """Rows that share this key with an earlier row: row -> the earliest such row."""
        import pandas as pd

        frame = keys[list(self.columns)].dropna()
        if frame.empty:
            return pd.Series(dtype=object)
        first = frame.index.to_series().groupby([frame[c] for c in self.columns]).transform("min")
        return first[first != first.index]

    def settle(self, con: duckdb.DuckDBPyConnection, todo: pd.DataFrame, view: str,
               crm_id: str) -> pd.DataFrame:
        """Rows settled by this key: (left_id, right_id) pairs."""
        from workbench.match.blocking import BlockingRule, SqlBlock

        frame = todo.reindex(columns=list(dict.fromkeys([*self.columns, *self.also_same])))
        found = SqlBlock((BlockingRule(self.name, self.columns),)).link_table(
            con, frame.dropna(subset=list(self.columns)), view, crm_id)
        if found.empty:
            return found
        found = found[found.groupby("left_id")["right_id"].transform("nunique") == 1]
        for col in self.also_same:
            crm = con.execute(f'SELECT "{crm_id}" AS right_id, "{col}" AS crm_value FROM {view} '
                              f'WHERE "{crm_id}" IN (SELECT unnest(?))',
                              [found["right_id"].tolist()]).df()
            found = found.merge(crm, on="right_id")
            mine = frame[col].astype(object).loc[found["left_id"]].fillna("").to_numpy()
            found = found[found["crm_value"].fillna("").to_numpy() == mine]
            found = found.drop(columns=["crm_value"])
        return found


FUZZY, ALWAYS_NEW = "fuzzy", "always_new"

MATCH_KEYS: dict[str, dict[str, MatchKey]] = {
    "organisation": {k.name: k for k in (
        MatchKey("kvk", ("kvk",)),
        MatchKey("name", ("name_key",)),
        MatchKey("address", ("postcode", "house_number"), also_same=("addition",)),
    )},
    "person": {k.name: k for k in (
        MatchKey("bsn", ("bsn",), in_file=True),
        MatchKey("email", ("email",)),
        MatchKey("person_id", ("person_crm_id",)),
        MatchKey("name_gender", ("org_entity", "last_name_key", "initials", "gender")),
        MatchKey("name_gender_email", ("last_name_key", "initials", "gender", "email")),
        MatchKey("name_gender_birth_date", ("last_name_key", "initials", "gender", "birth_date")),
        MatchKey("name_gender_mobile", ("last_name_key", "initials", "gender", "mobile")),
        MatchKey("name_gender_phone", ("last_name_key", "initials", "gender", "phone")),
    )},
}


def key_names(level: str) -> tuple[str, ...]:
    """Every key a definition may name for ``level``, in the registry's order."""
    special = (FUZZY,) if level == "organisation" else (FUZZY, ALWAYS_NEW)
    return (*MATCH_KEYS[level], *special)
