"""What kind of file this is: suffixes and magic numbers, and the checks every reader shares."""
from __future__ import annotations

from pathlib import Path

from workbench.errors import InputFileError

TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".tab", ""})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
XLS_SUFFIXES = frozenset({".xls"})  # Excel 97-2003, read by python-calamine
VCARD_SUFFIXES = frozenset({".vcf", ".vcard"})
# Formats analysts often receive; named so the message can say what to do instead.
OTHER_SUFFIXES = {
    ".xlsb": "a binary Excel workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "an Apple Numbers file",
    ".pdf": "a PDF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".json": "a JSON file",
    ".xml": "an XML file",
    ".zip": "a zip archive",
    ".parquet": "a Parquet file",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx


def column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 1-based column position (1 -> A, 27 -> AA)."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes) -> int:
    """Return the 1-based position of spreadsheet column letters (b'A' -> 1, b'AA' -> 27)."""
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def where(position: int) -> str:
    """Name a column for a message: 'column 3 (C)'."""
    return f"column {position} ({column_letter(position)})"


def check_path(path: Path) -> Path:
    """Refuse a path that is missing, a folder, empty or of a kind the workbench cannot read."""
    if not path.exists():
        raise InputFileError("The file does not exist. Check the name and the folder.",
                             file=str(path))
    if path.is_dir():
        raise InputFileError("This is a folder, not a file.", file=str(path))
    suffix = path.suffix.lower()
    if suffix in OTHER_SUFFIXES:
        raise InputFileError(
            f"This is {OTHER_SUFFIXES[suffix]}, which the workbench cannot read; "
            "save it as .xlsx or .csv.", file=str(path))
    if suffix not in TEXT_SUFFIXES | EXCEL_SUFFIXES | XLS_SUFFIXES | VCARD_SUFFIXES:
        raise InputFileError(
            f"Files ending in '{path.suffix}' are not supported; save it as .xlsx or .csv.",
            file=str(path))
    if path.stat().st_size == 0:
        raise InputFileError("The file is empty (0 bytes).", file=str(path))
    return path


def not_a_table(path: Path, detail: str = "") -> InputFileError:
    """The error for a file that is no table at all, with what gave it away."""
    return InputFileError(
        "The file is not a text table or an Excel workbook" + (f" ({detail})" if detail else "")
        + "; save it as .xlsx or .csv.", file=str(path))
