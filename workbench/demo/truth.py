"""The demo's truth: per incoming row its expected status and the real entities behind it."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.demo.crm import Crm
from workbench.demo.incoming import Row

TRUTH_COLUMNS: tuple[str, ...] = (
    "source_row", "expected_status", "org_id", "person_id", "org_entity", "person_entity",
    "duplicate_of", "reject_reason", "case",
)


def truth_table(rows: list[Row], crm: Crm) -> pd.DataFrame:
    """The truth table: per data row its status and the real CRM / new entities behind it."""
    new_org_no: dict[str, str] = {}
    new_per_no: dict[str, str] = {}
    person_ids = crm.persons["person_id"].to_numpy()
    records = []
    for row in rows:
        org_id = org_entity = person_id = person_entity = ""
        if row.org_key.startswith("crm:"):
            pos = int(row.org_key[4:])
            ids = sorted([str(crm.org_ids[pos])] + ([crm.dup_of[pos]] if pos in crm.dup_of
                                                    else []))
            org_id, org_entity = "|".join(ids), ids[0]
        elif row.org_key:
            org_entity = new_org_no.setdefault(row.org_key, f"NEWORG-{len(new_org_no) + 1}")
        if row.per_key.startswith("crm:"):
            person_id = person_entity = str(person_ids[int(row.per_key[4:])])
        elif row.per_key:
            person_entity = new_per_no.setdefault(row.per_key, f"NEWPER-{len(new_per_no) + 1}")
        records.append({
            "source_row": row.source_row, "expected_status": row.status, "org_id": org_id,
            "person_id": person_id, "org_entity": org_entity, "person_entity": person_entity,
            "duplicate_of": str(row.parent.source_row) if row.status == "in_file_duplicate"
            and row.parent else "",
            "reject_reason": row.reason, "case": row.case,
        })
    return pd.DataFrame(records, columns=list(TRUTH_COLUMNS))


def read_truth(path: str | Path) -> pd.DataFrame:
    """Read ``truth.csv``: every column text (empty, not NaN) except ``source_row`` as int."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["source_row"] = frame["source_row"].astype(int)
    return frame
