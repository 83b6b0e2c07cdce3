"""Apply an import definition's column mapping and fixed values to a read file."""
from __future__ import annotations

import pandas as pd

from workbench.definition import Definition, check_against_headers


def apply_definition(raw: pd.DataFrame, definition: Definition,
                     source: str | None = None) -> pd.DataFrame:
    """The file's values under CRM field names (source_row kept; fixed values fill empty cells)."""
    headers = [c for c in raw.columns if c != "source_row"]
    check_against_headers(definition, headers, source)
    mapped = pd.DataFrame({"source_row": raw["source_row"].to_numpy()}, index=raw.index)
    for target, column in definition.columns.items():
        mapped[target] = raw[column].to_numpy(dtype=object)
    for target, value in definition.fixed.items():
        if target in mapped:  # a fixed value is the default for empty cells of a mapped column
            mapped[target] = mapped[target].where(mapped[target].notna(), value)
        else:
            mapped[target] = value
    return mapped


def mapping_table(raw: pd.DataFrame, definition: Definition, n: int = 3) -> pd.DataFrame:
    """CRM field | file column | first values: the three columns of a CRM import wizard."""
    from workbench.fields import TARGETS

    rows = []
    for target in TARGETS:
        column = definition.columns.get(target.name)
        fixed = definition.fixed.get(target.name)
        values = []
        if column is not None and column in raw:
            values = [v for v in raw[column].dropna().head(50).tolist()][:n]
        rows.append({
            "crm_field": target.name, "label": target.label,
            "file_column": column or ("(fixed)" if fixed is not None else ""),
            "fixed_value": fixed or "", "preview": " | ".join(map(str, values)),
        })
    return pd.DataFrame(rows)
