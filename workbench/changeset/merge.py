"""One entity's changes: the rows of each record merged, inserts for new records, per-field updates
for existing ones under the definition's policies."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.changeset.frames import (
    as_missing,
    cells,
    differs_as_text,
    lookup,
    missing,
    stack_rows,
)
from workbench.definition import Definition
from workbench.fields import ADDRESS_FIELDS, CRM_TABLES

# Without country: a country alone (often the definition's default) is no address.
_ADDRESS_CORE = tuple(f for f in ADDRESS_FIELDS if f != "country")


@dataclass(frozen=True)
class EntityChanges:
    """Records to insert and update, the field-level diff, and the action of every row."""

    inserts: pd.DataFrame
    updates: pd.DataFrame
    diff: pd.DataFrame
    actions: pd.Series  # per row: insert / update / unchanged


@dataclass(frozen=True)
class _Records:
    """The rows of each record: first non-empty value per field (in source order) and its row."""

    group: pd.Series  # record id per row, as text
    source_row: pd.Series  # per row
    first: pd.DataFrame  # per record and CRM field: the first non-empty value
    first_row: pd.Series  # per record: the first row that names it
    contrib: pd.DataFrame  # per record and CRM field: the row that gave the value


def _records(ids: pd.Series, std: pd.DataFrame, fields: dict[str, str]) -> _Records:
    """Group the rows by record id and take the first value of each field."""
    rows = as_missing(std.loc[ids.index, [s for s in fields if s in std]]).rename(columns=fields)
    source_row = std.loc[ids.index, "source_row"].astype(int)
    group = ids.astype(str)
    # records in the order the rows first name them (as a group-by without sorting)
    codes, labels = pd.factorize(group)
    index = pd.Index(labels, dtype=object, name=group.name)
    values = rows.to_numpy(dtype=object)
    filled = ~missing(values)
    rows_at = source_row.to_numpy()
    # per record and field, the first row that gives a value (-1: none does)
    at = np.column_stack([_first_of_each(codes, filled[:, j], len(index))
                          for j in range(values.shape[1])]) if values.shape[1] else \
        np.empty((len(index), 0), dtype=np.int64)
    _first_address(rows.columns, codes, filled, len(index), at)
    found = at >= 0
    first = np.full(at.shape, None, dtype=object)
    first[found] = values[at[found], np.nonzero(found)[1]]
    contrib = np.full(at.shape, np.nan)
    contrib[found] = rows_at[at[found]]
    first_row = rows_at[_first_of_each(codes, np.ones(len(codes), dtype=bool), len(index))] \
        if len(index) else np.empty(0, dtype=rows_at.dtype)
    return _Records(group=group, source_row=source_row,
                    first=pd.DataFrame(first, index=index, columns=rows.columns),
                    first_row=pd.Series(first_row, index=index, name=source_row.name),
                    contrib=pd.DataFrame(contrib, index=index, columns=list(rows.columns)))


def _first_of_each(codes: np.ndarray, where: np.ndarray, groups: int) -> np.ndarray:
    """Per group, the position of its first row where ``where`` holds (-1 if none)."""
    positions = np.flatnonzero(where)
    found, first = np.unique(codes[positions], return_index=True)  # stable: the first one
    out = np.full(groups, -1, dtype=np.int64)
    out[found] = positions[first]
    return out


def _address_columns(columns: pd.Index | list[str]) -> list[str]:
    """The address fields among these columns, when they hold an address (street or postcode)."""
    cols = [c for c in ADDRESS_FIELDS if c in columns]
    return cols if any(c in _ADDRESS_CORE for c in cols) and len(cols) > 1 else []


def _first_address(columns: pd.Index, codes: np.ndarray, filled: np.ndarray, groups: int,
                   at: np.ndarray) -> None:
    """A record's address comes whole from the first row that has one: one row's street with
    another row's postcode is an address that may not exist. Sets ``at`` (per record and field,
    the row that gives the value) for the address fields."""
    cols = _address_columns(columns)
    if not cols:
        return
    where = [columns.get_loc(c) for c in cols]
    has = filled[:, [columns.get_loc(c) for c in cols if c in _ADDRESS_CORE]].any(axis=1)
    picked = _first_of_each(codes, has, groups)
    got = picked >= 0
    for j in where:  # an address field the picked row leaves empty stays empty
        at[:, j] = -1
        at[got, j] = np.where(filled[picked[got], j], picked[got], -1)


def _with_defaults(recs: _Records, is_new: np.ndarray, fields: dict[str, str],
                   definition: Definition) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The new records with the definition's defaults where empty, and the rows behind values."""
    new = recs.first[is_new].copy()
    contrib = recs.contrib.copy()
    for src, value in definition.defaults.items():
        if src in fields and fields[src] in new:
            new[fields[src]] = new[fields[src]].where(new[fields[src]].notna(), value)
            contrib[fields[src]] = contrib[fields[src]].fillna(recs.first_row)
    return new, contrib


def _inserts(new: pd.DataFrame, key_col: str, first_row: pd.Series, contrib: pd.DataFrame,
             run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One insert per new record, and its non-empty fields as diff lines."""
    inserts = new.copy()
    inserts.insert(0, key_col, new.index)
    inserts["run_id"] = run_id
    inserts["source_row"] = first_row.reindex(new.index).to_numpy()
    # the non-empty cells, field by field (as ``melt`` gives them), found by position
    values = new.to_numpy(dtype=object).T.ravel()
    keep = ~missing(values)
    rows = np.tile(np.arange(len(new)), len(new.columns))[keep]
    cols = np.repeat(np.arange(len(new.columns)), len(new))[keep]
    diff = pd.DataFrame({"id": new.index.to_numpy(dtype=object)[rows],
                         "field": new.columns.to_numpy(dtype=object)[cols], "new": values[keep]})
    diff["source_row"] = cells(contrib, contrib.index.get_indexer(new.index)[rows],
                               contrib.columns.get_indexer(new.columns)[cols])
    diff["old"] = None
    diff["action"] = "insert"
    return inserts, diff


def _changed_fields(old: pd.DataFrame, cur: pd.DataFrame, fields: dict[str, str],
                    definition: Definition, contrib: pd.DataFrame, first_row: pd.Series
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per existing record and field, whether its policy takes the incoming value; an empty
    incoming value never erases unless asked. Also the rows behind the values."""
    crm_cols = list(old.columns)
    changed = pd.DataFrame(False, index=old.index, columns=crm_cols)
    contrib = contrib.copy()
    if not (definition.update_existing and len(old)):
        return changed, contrib
    target_of = {crm: src for src, crm in fields.items()}
    # the CRM's blank values as missing, once for every field compared
    clean = as_missing(cur[[c for c in crm_cols if c in cur]])
    # all fields compared at once: the CRM's value (None for a field it lacks) and the file's
    before = np.column_stack([clean[c].to_numpy(dtype=object) if c in clean
                              else np.full(len(old), None, dtype=object) for c in crm_cols])
    incoming = old.to_numpy(dtype=object)
    incoming_missing, before_missing = missing(incoming), missing(before)
    differs_all = np.zeros(incoming.shape, dtype=bool)  # an empty incoming value never differs
    filled = ~incoming_missing
    differs_all[filled] = differs_as_text(incoming[filled], before[filled])
    for j, col in enumerate(crm_cols):
        policy = definition.policy_for(target_of[col])
        differs = differs_all[:, j]
        if target_of[col] in definition.erase_when_empty and \
                target_of[col] in definition.columns and policy != "leave":
            # asked for explicitly: an empty cell in a mapped column clears the CRM value
            differs = differs | (incoming_missing[:, j] & ~before_missing[:, j])
            contrib[col] = contrib[col].fillna(first_row)
        if policy == "overwrite":
            changed[col] = differs
        elif policy == "fill_empty":
            changed[col] = differs & before_missing[:, j]
    return _address_unit(changed, old, clean, target_of, definition, contrib, first_row)


def _address_unit(changed: pd.DataFrame, old: pd.DataFrame, clean: pd.DataFrame,
                  target_of: dict[str, str], definition: Definition, contrib: pd.DataFrame,
                  first_row: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Street, number, addition, postcode, city and country taken together or not at all, under
    the street's policy: fill_empty takes the file's address only where the CRM has none.
    ``clean``: the CRM records with their blank values as missing."""
    cols = _address_columns(changed.columns)
    if not cols or not len(old):
        return changed, contrib
    policy = definition.policy_for(target_of[cols[0]])
    incoming = old[cols].astype(object)  # merged from the rows' values: blanks already missing
    before = clean.reindex(columns=cols).astype(object)
    core = [c for c in cols if c in _ADDRESS_CORE]
    differs = differs_as_text(incoming, before)
    take = incoming[core].notna().any(axis=1).to_numpy() & differs.any(axis=1)
    if policy == "fill_empty":
        take &= before[core].isna().all(axis=1).to_numpy()
    elif policy != "overwrite":
        take &= False
    changed, contrib = changed.copy(), contrib.copy()
    changed[cols] = take[:, None] & differs  # a field the file leaves empty is emptied too
    for col in cols:  # the row behind an emptied field is the row behind the address
        contrib[col] = contrib[col].fillna(first_row)
    return changed, contrib


def _updates(changed: pd.DataFrame, old: pd.DataFrame, cur: pd.DataFrame, key_col: str,
             contrib: pd.DataFrame, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One update per changed existing record (its CRM values with the changed fields taken from
    the file), and each changed field as a diff line."""
    crm_cols = list(changed.columns)
    upd_ids = changed.index[changed.any(axis=1)]
    updates = cur.loc[upd_ids].copy()
    for col in crm_cols:
        take = changed.loc[upd_ids, col].to_numpy()
        if col not in updates:
            updates[col] = None
        updates[col] = updates[col].astype(object)
        updates.loc[take, col] = old.loc[upd_ids, col].to_numpy()[take]
    updates[key_col] = upd_ids
    picked = changed.loc[upd_ids]
    updates["changed_fields"] = picked.dot(pd.Index(crm_cols) + ",").str.rstrip(",").to_numpy() \
        if len(upd_ids) else []
    updates["run_id"] = run_id
    updates["source_row"] = contrib.loc[upd_ids, crm_cols].where(picked).min(axis=1) \
        .astype(int).to_numpy() if len(upd_ids) else []
    long = picked.reset_index(names="id").melt(id_vars="id", var_name="field",
                                               value_name="changed")
    long = long[long["changed"]]
    diff = pd.DataFrame({
        "id": long["id"].to_numpy(), "field": long["field"].to_numpy(),
        "old": lookup(cur, long["id"], long["field"]),
        "new": lookup(old, long["id"], long["field"]),
        "source_row": lookup(contrib, long["id"], long["field"]),
        "action": "update"})
    return updates, diff


def _row_actions(recs: _Records, inserted: pd.Index, upd_diff: pd.DataFrame) -> pd.Series:
    """Insert for the first row of a new record, update for a row that gave a changed value."""
    actions = pd.Series("unchanged", index=recs.group.index, dtype=object)
    is_first = recs.source_row.to_numpy() == recs.first_row.reindex(recs.group).to_numpy()
    actions[is_first & recs.group.isin(inserted).to_numpy()] = "insert"
    if len(upd_diff):
        # (record, source row) pairs as one number each: the record's code and the row
        codes, records = pd.factorize(recs.group)
        upd_codes = pd.Index(records).get_indexer(upd_diff["id"])
        upd_rows = upd_diff["source_row"].astype(int).to_numpy()
        rows = recs.source_row.to_numpy(dtype=np.int64)
        low = min(rows.min(initial=0), upd_rows.min(initial=0))
        span = int(max(rows.max(initial=0), upd_rows.max(initial=0))) - low + 1
        found = upd_codes >= 0
        hit = np.isin(codes * span + (rows - low),
                      upd_codes[found] * span + (upd_rows[found] - low))
        actions[hit] = "update"
    return actions


def entity_changes(entity: str, ids: pd.Series, std: pd.DataFrame, fields: dict[str, str],
                   current: pd.DataFrame, definition: Definition, run_id: str,
                   new_ids: pd.Series) -> EntityChanges:
    """Merge the rows of each record (first non-empty value per field, in source order), then
    decide inserts for new records and per-field updates for existing ones."""
    key_col = CRM_TABLES[f"{entity}s"][0]
    recs = _records(ids, std, fields)
    is_new = recs.first.index.isin(new_ids)
    new, contrib = _with_defaults(recs, is_new, fields, definition)
    inserts, new_diff = _inserts(new, key_col, recs.first_row, contrib, run_id)
    old = recs.first[~is_new]
    cur = current.reindex(old.index)
    changed, contrib = _changed_fields(old, cur, fields, definition, contrib, recs.first_row)
    updates, upd_diff = _updates(changed, old, cur, key_col, contrib, run_id)
    diff = stack_rows([new_diff, upd_diff])
    diff.insert(0, "entity", entity)
    return EntityChanges(inserts=inserts, updates=updates, diff=diff,
                         actions=_row_actions(recs, new.index, upd_diff))
