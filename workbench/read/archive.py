"""A workbook's zip members measured by inflating them: the sizes a zip states can lie, and a
part of 1 MB can inflate to gigabytes. Every XML part a reader loads whole (shared strings,
styles, the workbook) is measured before any reader opens the file; the sheet is inflated
here too, block by block, for the scan that reads it before its values."""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InputFileError
from workbench.read.files import not_a_table
from workbench.read.limits import Limits, too_large

BLOCK = 1024 * 1024  # bytes of XML per block
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.I)
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def check_workbook(path: Path, limits: Limits) -> int:
    """Refuse a workbook that unpacks to more than the limit; return the bytes of its non-sheet
    XML parts (read whole by the readers), measured by inflating them."""
    if limits.max_bytes is None:
        return 0
    with _open_zip(path) as archive:
        members = archive.infolist()
    stated = sum(m.file_size for m in members)
    if stated > limits.max_bytes:
        raise too_large(path, stated, limits, unpacked=True)
    used = 0
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")) and not _SHEET_PART.fullmatch(
                member.filename):
            for block in inflate(path, member.filename, limits, used=used):
                used += len(block)
    return used


def inflate(path: Path, name: str, limits: Limits, *, used: int = 0) -> Iterator[bytes]:
    """Yield the inflated blocks of one member, counting what comes out, not what the zip says;
    raise once ``used`` plus the member passes the byte limit."""
    limit = None if limits.max_bytes is None else limits.max_bytes - used
    with _open_zip(path) as archive:
        try:
            member = archive.getinfo(name)
        except KeyError as exc:
            raise not_a_table(path, f"the workbook has no part '{name}'") from exc
    if member.flag_bits & 0x1:
        raise InputFileError("The workbook is encrypted; remove the password or save it as "
                             ".xlsx or .csv.", file=str(path))
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise not_a_table(path, "a part of it is compressed in a way Excel does not use")
    total = 0
    with path.open("rb") as fh:
        fh.seek(member.header_offset)
        magic, name_size, extra_size = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
        if magic != b"PK\x03\x04":
            raise not_a_table(path, "a part of the zip archive is damaged")
        fh.seek(name_size + extra_size, 1)
        for block in _blocks(fh, member):
            total += len(block)
            if limit is not None and total > limit:
                raise too_large(path, used + total, limits, unpacked=True)
            yield block
    if total != member.file_size:  # the readers trust the stated size: they must agree
        raise not_a_table(path, f"its part '{name}' is not the size the archive states")


def _blocks(fh: BinaryIO, member: zipfile.ZipInfo) -> Iterator[bytes]:
    read = fh.read
    left = member.compress_size
    if member.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (block := read(min(left, BLOCK))):
            left -= len(block)
            yield block
        return
    inflater = zlib.decompressobj(-15)
    try:
        while not inflater.eof:
            source = inflater.unconsumed_tail
            if not source:
                if left <= 0:
                    return
                source = read(min(left, 64 * 1024))
                if not source:
                    return
                left -= len(source)
            # max_length bounds each step: a bomb never comes out in one piece
            block = inflater.decompress(source, BLOCK)
            if block:
                yield block
    except zlib.error as exc:
        raise zipfile.BadZipFile(str(exc)) from exc


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_table(path, "it cannot be opened as an Excel workbook") from exc
