"""Address history: organisations that move, with their old address closed and the new one opened."""
from __future__ import annotations

import pandas as pd

from workbench.changeset.frames import as_missing
from workbench.fields import ADDRESS_FIELDS, ADDRESS_HISTORY_COLUMNS

HISTORY_COLUMNS = [*ADDRESS_HISTORY_COLUMNS, "run_id", "source_row"]
# another postcode or house number (addition included) is another address
_ADDRESS_KEY = ["postcode", "house_number", "house_number_addition"]


def moving_organisations(orgs: pd.Series, std: pd.DataFrame, crm_orgs: pd.DataFrame,
                         new_orgs: set) -> tuple[pd.Series, pd.DataFrame]:
    """Existing organisations with a move date and another address: the date per organisation,
    and the incoming address of each."""
    group = orgs.astype(str)
    dates = std.loc[orgs.index, "org_move_date"] if "org_move_date" in std else None
    if dates is None or dates.isna().all():
        return pd.Series(dtype=object), pd.DataFrame(columns=list(ADDRESS_FIELDS))
    date = dates.groupby(group).first().dropna()
    date = date[~date.index.isin(new_orgs)]
    src = {f"org_{f}": f for f in ADDRESS_FIELDS}
    incoming = as_missing(std.loc[orgs.index, list(src)]).rename(columns=src)
    incoming = incoming.groupby(group).first().reindex(date.index)
    old = as_missing(crm_orgs.reindex(date.index).reindex(columns=list(ADDRESS_FIELDS)))
    differs = (incoming[_ADDRESS_KEY].fillna("").astype(str)
               != old[_ADDRESS_KEY].fillna("").astype(str)).any(axis=1)
    return date[differs & incoming["postcode"].notna()], incoming


def address_history(orgs: pd.Series, std: pd.DataFrame, crm_orgs: pd.DataFrame, new_orgs: set,
                    run_id: str) -> tuple[list[str], pd.DataFrame]:
    """Existing organisations that move (a move date and another address), and their history rows."""
    moving, incoming = moving_organisations(orgs, std, crm_orgs, new_orgs)
    if moving.empty:
        return [], pd.DataFrame(columns=HISTORY_COLUMNS)
    group = orgs.astype(str)
    dates = std.loc[orgs.index, "org_move_date"]
    old = as_missing(crm_orgs.reindex(moving.index).reindex(columns=list(ADDRESS_FIELDS)))
    first_row = std.loc[orgs.index, "source_row"].where(dates.notna()).groupby(group).min()
    rows = []
    for org_id, when in moving.items():
        base = {"entity": "organisation", "record_id": org_id, "run_id": run_id,
                "source_row": int(first_row[org_id])}
        rows.append({**base, **old.loc[org_id].to_dict(), "valid_from": None, "valid_to": when})
        new_address = {f: incoming.at[org_id, f] for f in ADDRESS_FIELDS}
        new_address = {f: v if v is not None else old.at[org_id, f]  # e.g. the country stays
                       for f, v in new_address.items()}
        rows.append({**base, **new_address, "valid_from": when, "valid_to": None})
    return list(moving.index), pd.DataFrame(rows, columns=HISTORY_COLUMNS)
