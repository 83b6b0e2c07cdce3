"""Property tests: whatever bytes an analyst is handed, read_table reads them or says why.

It either returns a frame of text values with source_row 1..n, or raises the workbench's own
error type with a message; never another exception.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.read import read_table

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_CELL = st.text(alphabet=st.sampled_from(list('ab1 é"\'=,;|\t\r\n\u00a0') + ["\x00", "€"]),
                max_size=8)
_DELIMITER = st.sampled_from([",", ";", "\t", "|"])
_ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1"])


def check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in{suffix}"
        path.write_bytes(data)
        try:
            frame = read_table(path)
        except WorkbenchError as error:
            assert error.message.strip(), "an error needs a message"
            assert str(path) in str(error)
            return
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns[0] == "source_row"
    assert frame["source_row"].tolist() == list(range(1, len(frame) + 1))
    assert len(frame) >= 1
    for name in frame.columns[1:]:
        assert isinstance(name, str) and name.strip() == name and name
        assert all(v is None or (isinstance(v, str) and v and v == v.strip())
                   for v in frame[name])


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".txt", ".xlsx", ".vcf", ".tsv"]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    check(data, suffix)


@SETTINGS
@given(st.lists(st.lists(_CELL, min_size=0, max_size=5), min_size=0, max_size=8), _DELIMITER,
       st.sampled_from(["\n", "\r\n", "\r"]), _ENCODING)
def test_random_csv_like_text(rows: list[list[str]], delimiter: str, newline: str,
                              encoding: str) -> None:
    text = newline.join(delimiter.join(row) for row in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    check(data, ".csv")


@SETTINGS
@given(st.lists(st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:3.0", "FN:Jan", "N:Berg;Jan;van der;;",
    "EMAIL:a@b.nl", "TEL;TYPE=CELL:0612345678", "ADR:;;Straat 1;Zwolle;;8011 AB;NL",
    "N;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9=", " folded", "garbage", "", "ORG:X\\;Y;Z",
    "NOTE:a\\nb", "BDAY:19850302", "TEL;TYPE=\"a:b\":1",
]), max_size=15))
def test_random_vcard_lines(lines: list[str]) -> None:
    check("\r\n".join(lines).encode(), ".vcf")
