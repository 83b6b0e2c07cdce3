"""Small frame helpers the change-set builder shares: empties, look-ups, CRM records, extra columns."""
from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd

from workbench.fields import CRM_TABLES, MAX_VALUES

# second to fifth e-mails, phones and addresses, exported after the canonical columns
MORE_VALUES = rf"(email|phone|mobile|street|house_number|house_number_addition|postcode|city)_[2-{MAX_VALUES}]"


def missing(values: np.ndarray) -> np.ndarray:
    """``pd.isna`` of an array; one of text and None (most) is only tested for None, which takes
    half the time."""
    if values.dtype != object:
        return pd.isna(values)
    none = np.equal(values, None)
    rest = values[~none]
    if not len(rest) or pd.api.types.infer_dtype(rest, skipna=False) == "string":
        return none
    return pd.isna(values)


def as_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank strings become missing, so 'first value' and 'empty' mean the same everywhere."""
    out = frame.astype(object)
    columns = {i: _blank_as_missing(out.iloc[:, i]) for i in range(len(out.columns))}
    if not any(values is not None for values in columns.values()):
        return out
    # the changed columns put in at once: assigning them one by one copies the frame each time
    new = pd.DataFrame({i: out.iloc[:, i].to_numpy() if values is None else values
                        for i, values in columns.items()}, index=out.index, dtype=object)
    new.columns = out.columns
    return new


def _blank_as_missing(col: pd.Series) -> np.ndarray | None:
    """The column's values with blank strings as None; None when it has no blank string."""
    values = col.to_numpy()
    blank = missing(values)
    filled = np.flatnonzero(~blank)
    texts = values[filled]
    if pd.api.types.infer_dtype(texts, skipna=False) == "string":
        # all text (most columns): "" or only spaces; str.isspace mapped in C, no Python loop
        blank[filled] = (texts == "") | np.fromiter(map(str.isspace, texts.tolist()), dtype=bool,
                                                    count=len(texts))
    else:
        # .str gives NaN for what is not text, so only blank strings compare equal to ""
        try:
            # isspace is False for "" and makes no new strings, unlike strip
            blank = (blank | (values == "") | col.str.isspace().eq(True).to_numpy(dtype=bool))
        except AttributeError:  # no text in the column at all
            pass
    if not blank.any():
        return None
    values = values.copy()
    values[blank] = None
    return values


def differs_as_text(left: pd.Series | pd.DataFrame | np.ndarray,
                    right: pd.Series | pd.DataFrame | np.ndarray) -> np.ndarray:
    """``left.astype(str) != right.astype(str)`` cell by cell (a missing value reads 'None' or
    'nan'), without writing out again the values that are text already."""
    left, right = np.asarray(left, dtype=object), np.asarray(right, dtype=object)
    left_missing, right_missing = missing(left), missing(right)
    if not (_all_text(left[~left_missing]) and _all_text(right[~right_missing])):
        return _as_text(left) != _as_text(right)
    some = left_missing | right_missing  # a missing value reads as str() writes it ('None')
    out = np.empty(left.shape, dtype=bool)
    out[~some] = left[~some] != right[~some]  # text is compared as it is
    if some.any():
        out[some] = _missing_as_text(left[some], left_missing[some]) != \
            _missing_as_text(right[some], right_missing[some])
    return out


def _all_text(values: np.ndarray) -> bool:
    """True when every value is a str (or there are none)."""
    return not len(values) or pd.api.types.infer_dtype(values, skipna=False) == "string"


def _missing_as_text(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """The values with each missing one as its text."""
    if not missing.any():
        return values
    out = values.copy()
    out[missing] = np.fromiter(map(str, values[missing].tolist()), dtype=object,
                               count=int(missing.sum()))
    return out


def _as_text(values: np.ndarray) -> np.ndarray:
    """The values as pandas writes them with ``astype(str)``, in their shape."""
    flat = pd.Series(values.ravel(), dtype=object).astype(str).to_numpy(dtype=object)
    return flat.reshape(values.shape)


def as_nullable_int(values: pd.Series) -> pd.Series:
    """``values.astype("Int64")``; whole numbers held as Python numbers are converted at once
    (pandas converts an object column value by value)."""
    data = values.to_numpy(dtype=object)
    missing = pd.isna(data)
    present = data[~missing]
    if pd.api.types.infer_dtype(present, skipna=False) not in ("integer", "floating",
                                                               "mixed-integer-float"):
        return values.astype("Int64")
    numbers = present.astype(np.float64)
    if not (np.isfinite(numbers).all() and (numbers == np.round(numbers)).all()
            and (np.abs(numbers) < 2**53).all()):
        return values.astype("Int64")
    whole = np.zeros(len(data), dtype=np.int64)
    whole[~missing] = numbers.astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(whole, missing), index=values.index,
                     name=values.name)


def stack_rows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)``; frames of the same text columns are joined
    column by column (pandas checks every value of an all-empty column for its kind of NA)."""
    columns = list(frames[0].columns) if frames else []
    if len(frames) < 2 or len(set(columns)) != len(columns) or any(
            set(f.columns) != set(columns) or not all(map(pd.api.types.is_object_dtype, f.dtypes))
            for f in frames):
        return pd.concat(frames, ignore_index=True)
    return pd.DataFrame({c: np.concatenate([f[c].to_numpy() for f in frames]) for c in columns},
                        dtype=object)


def lookup(frame: pd.DataFrame, ids: pd.Series, fields: pd.Series) -> np.ndarray:
    """frame.at[id, field] for many (id, field) at once; None where either is unknown."""
    return cells(frame, frame.index.get_indexer(ids), frame.columns.get_indexer(fields))


def cells(frame: pd.DataFrame, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """frame.iat[row, col] for many (row, col) positions at once; None where either is -1."""
    out = np.full(len(rows), None, dtype=object)
    ok = (rows >= 0) & (cols >= 0)
    # column by column: the whole frame as one object array would box every value it holds
    for col in np.unique(cols[ok]):
        at = ok & (cols == col)
        out[at] = frame.iloc[:, col].to_numpy(dtype=object)[rows[at]]
    return out


def crm_frame(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> pd.DataFrame:
    """The CRM records of one table with these ids, indexed by id (None for empty values)."""
    if not ids:
        return pd.DataFrame(columns=list(CRM_TABLES[table])).set_index(key, drop=False)
    frame = con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT unnest(?))", [ids]).df()
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.drop_duplicates(key).set_index(frame[key].drop_duplicates().to_numpy())


def extra_columns(std: pd.DataFrame, prefix: str) -> dict[str, str]:
    """The multi-valued columns (``contact_email_2``, ``org_street_3`` ...) present, with their
    export names."""
    from workbench.standardise import ADDRESS_EXTRA_FIELDS, EXTRA_FIELDS

    return {f: f[len(prefix):].replace("contact_", "") for f in (*EXTRA_FIELDS,
                                                               *ADDRESS_EXTRA_FIELDS)
            if f.startswith(prefix) and f in std}


def export_columns(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table with the CRM's columns in the CRM's order, extra values and run columns after."""
    frames = {}
    for name, frame in tables.items():
        if name == "address_history":
            frames[name] = frame.reset_index(drop=True)
            continue
        table = name.split("_")[0]
        extra = ("changed_fields",) if name.endswith("update") else \
            ("postal_address_is_visiting",) if name == "organisations_insert" else ()
        # second to fifth e-mails and phones follow the canonical columns they belong to
        more = sorted((c for c in frame.columns if re.fullmatch(MORE_VALUES, c)),
                      key=lambda c: (c[-1], c))
        frames[name] = frame.reindex(columns=[*CRM_TABLES[table], *more, *extra, "run_id",
                                              "source_row"]).reset_index(drop=True)
    return frames
