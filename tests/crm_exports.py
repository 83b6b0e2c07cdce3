"""Hand-made CRM exports in each system's own layout (its column names and codes), for tests."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from small_crm import CONTACTS, ORGS, PERSONS

from workbench.crm import load_layout

CANONICAL = {"organisations": ORGS, "persons": PERSONS, "contacts": CONTACTS}
UNKNOWN = "Notitie intern"  # a column no layout knows


def write_export(system: str, folder: Path, *, csv: bool = False) -> Path:
    """The small CRM as ``system`` exports it: its file and column names, its codes, one column
    it does not map; CSV as Dutch Excel saves it (Windows-1252, semicolons) or XLSX."""
    layout = load_layout(system)
    folder.mkdir(parents=True, exist_ok=True)
    for table, text in CANONICAL.items():
        intake = layout.intake.get(table)
        if intake is None:
            continue
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for field, codes in layout.codes.items():
            if field in frame:
                frame[field] = frame[field].map(lambda v, c=codes: c.get(v, v))
        frame = frame[list(intake.columns)].rename(columns=dict(intake.columns))
        frame[UNKNOWN] = [f"note {i}" for i in range(len(frame))]
        if csv:
            (folder / f"{intake.files[0]}.csv").write_bytes(
                frame.to_csv(sep=";", index=False).encode("cp1252"))
        else:
            book = Workbook()
            sheet = book.active
            sheet.append(list(frame.columns))
            for row in frame.itertuples(index=False):
                sheet.append([v or None for v in row])
            book.save(folder / f"{intake.files[0]}.xlsx")
    return folder
