"""Contact exports: Outlook and Google Contacts CSV headers, and vCard (.vcf) files.

Outlook and Google write CSV files with fixed headers; :func:`contact_export_columns` maps
them onto the workbench's fields so the analyst does not have to. A vCard file holds one card
per contact with any number of e-mail addresses, phone numbers and addresses;
:func:`vcard_records` flattens it to one row per contact (``E-mail``, ``E-mail 2``...), in
the shape :func:`workbench.read.read_table` builds its frame from.
"""
from __future__ import annotations

import quopri
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from workbench.errors import InputFileError
from workbench.fields import GOOGLE_COLUMNS, OUTLOOK_COLUMNS, VCARD_FIELDS

# Headers only these exports write: two of them identify the export (which header means which
# field is in workbench.fields with the rest of the header vocabulary).
_OUTLOOK_MARKS = frozenset({
    "Business Street", "Business Postal Code", "E-mail Address", "E-mail 2 Address",
    "Home Street", "Mobile Phone", "Company Main Phone", "Assistant's Name",
    "Werkadres, straat", "Werkadres, postcode", "E-mailadres", "Telefoon op werk",
    "Mobiele telefoon", "Middelste naam",
})
_GOOGLE_MARKS = frozenset({
    "E-mail 1 - Value", "E-mail 1 - Label", "E-mail 1 - Type", "Phone 1 - Value",
    "Phone 1 - Label", "Phone 1 - Type", "Organization Name", "Organization 1 - Name",
    "Group Membership", "Labels", "Given Name", "Family Name", "File As",
})
def contact_export_kind(headers: Sequence[str]) -> str | None:
    """Return ``"outlook"`` or ``"google"`` when the headers are those of a contact export."""
    names = {str(h).strip() for h in headers}
    outlook = len(names & _OUTLOOK_MARKS)
    google = len(names & _GOOGLE_MARKS)
    if max(outlook, google) < 2:
        return None
    return "google" if google > outlook else "outlook"


def contact_export_columns(headers: Sequence[str],
                           kind: str | None = None) -> dict[str, str] | None:
    """Return ``{field: header}`` for an Outlook, Google or vCard export, else ``None``."""
    present = [str(h) for h in headers]
    if kind == "vcard":
        return {field: name for name, field in VCARD_FIELDS.items() if name in present}
    kind = kind or contact_export_kind(present)
    if kind is None:
        return None
    table = OUTLOOK_COLUMNS if kind == "outlook" else GOOGLE_COLUMNS
    by_folded = {h.strip().casefold(): h for h in present}
    columns: dict[str, str] = {}
    for field, candidates in table.items():
        for candidate in candidates:
            header = by_folded.get(candidate.casefold())
            if header is not None:
                columns[field] = header
                break
    return columns


# --------------------------------------------------------------------------- vCard

_ESCAPES = re.compile(r"\\(.)", re.S)
_ESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}
_MOBILE_TYPES = frozenset({"CELL", "MOBILE", "IPHONE"})


def _unescape(text: str) -> str:
    return _ESCAPES.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), text)


def _split_structured(text: str) -> list[str]:
    """Split an N, ADR or ORG value on the semicolons that are not escaped."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            parts.append(_unescape("".join(current)).strip())
            current = []
        else:
            current.append(char)
    parts.append(_unescape("".join(current)).strip())
    return parts


def _property(line: str) -> tuple[str, set[str], dict[str, str], str] | None:
    """Split ``group.NAME;TYPE=WORK;X=Y:value`` into (NAME, types, params, raw value)."""
    quoted = False
    colon = -1
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = index
            break
    if colon < 0:
        return None
    head, value = line[:colon], line[colon + 1:]
    name, *raw_params = head.split(";")
    name = name.rsplit(".", 1)[-1].strip().upper()
    types: set[str] = set()
    params: dict[str, str] = {}
    for param in raw_params:
        key, _, val = param.partition("=")
        if not _:
            types.add(key.strip().upper())  # vCard 2.1: TEL;CELL:...
            continue
        key = key.strip().upper()
        params[key] = val.strip().strip('"')
        if key == "TYPE":
            types.update(t.strip().strip('"').upper() for t in val.split(","))
    return name, types, params, value


def _decode_value(value: str, params: dict[str, str]) -> str:
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP"):
        charset = params.get("CHARSET", "utf-8")
        try:
            return quopri.decodestring(value.encode("latin-1", "replace")).decode(
                charset, "replace")
        except LookupError:  # an unknown charset name: keep what UTF-8 makes of it
            return quopri.decodestring(value.encode("latin-1", "replace")).decode(
                "utf-8", "replace")
    return value


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line number, logical line): folded and quoted-printable lines joined."""
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if pending and pending[-1].endswith("=") and "QUOTED-PRINTABLE" in pending[0].upper():
            pending[-1] = pending[-1][:-1]  # soft line break of quoted-printable (vCard 2.1)
            pending.append(line)  # taken as it is, a leading space included
            continue
        if pending and line[:1] in (" ", "\t"):
            pending.append(line[1:])  # RFC 6350 folding: CRLF + one space continues the line
            continue
        if pending:
            yield start, "".join(pending)
        pending, start = [line], number
    if pending:
        yield start, "".join(pending)


def _birth_date(value: str) -> str:
    digits = value.strip()
    if re.fullmatch(r"\d{8}", digits):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return digits[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", digits) else digits


def _card(properties: list[tuple[str, set[str], dict[str, str], str]]) -> dict[str, Any]:
    """One contact: single values by column name, repeated ones as lists."""
    card: dict[str, Any] = {"E-mail": [], "Telefoon": [], "Mobiel": [], "Adres": []}
    for name, types, params, raw in properties:
        value = _decode_value(raw, params)
        if name == "FN":
            card["Naam"] = _unescape(value).strip()
        elif name == "N":
            parts = _split_structured(value) + [""] * 5
            card["Achternaam"], card["Voornaam"], card["Tussenvoegsel"] = parts[0:3]
            card["Aanhef"] = parts[3]
        elif name == "ORG":
            parts = _split_structured(value) + [""]
            card["Bedrijfsnaam"], card["Afdeling"] = parts[0], parts[1]
        elif name in ("TITLE", "ROLE") and not card.get("Functie"):
            card["Functie"] = _unescape(value).strip()
        elif name == "EMAIL":
            card["E-mail"].append(_unescape(value).strip())
        elif name == "TEL":
            number = _unescape(value).strip()
            if number.lower().startswith("tel:"):
                number = number[4:]
            card["Mobiel" if types & _MOBILE_TYPES else "Telefoon"].append(number)
        elif name == "ADR":
            parts = _split_structured(value) + [""] * 7
            street = ", ".join(p for p in (parts[2], parts[1]) if p)  # street, extended
            card["Adres"].append((street, parts[5], parts[3], parts[6]))
        elif name == "URL" and not card.get("Website"):
            card["Website"] = _unescape(value).strip()
        elif name == "BDAY":
            card["Geboortedatum"] = _birth_date(_unescape(value))
        elif name == "NOTE":
            card["Notitie"] = _unescape(value).strip()
    return card


_SINGLE = ("Naam", "Aanhef", "Voornaam", "Tussenvoegsel", "Achternaam", "Bedrijfsnaam",
           "Afdeling", "Functie")
_TAIL = ("Website", "Geboortedatum", "Notitie")
_ADDRESS_PARTS = ("Adres", "Postcode", "Plaats", "Land")


def _numbered(name: str, index: int) -> str:
    return name if index == 0 else f"{name} {index + 1}"


def vcard_records(text: str, path: Path,
                  info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Yield the header, then (line of BEGIN:VCARD, cells) per contact, one row per contact."""
    cards: list[tuple[int, dict[str, Any]]] = []
    current: list[tuple[str, set[str], dict[str, str], str]] | None = None
    begin = 0
    for number, line in _lines(text):
        if not line.strip():
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                raise InputFileError(
                    f"The contact that starts on line {begin} has no END:VCARD before the next "
                    "BEGIN:VCARD; the file is cut or damaged.", file=str(path), row=number)
            current, begin = [], number
            continue
        if upper == "END:VCARD":
            if current is None:
                raise InputFileError("END:VCARD without a BEGIN:VCARD before it.",
                                     file=str(path), row=number)
            cards.append((begin, _card(current)))
            current = None
            continue
        if current is None:
            raise InputFileError(
                "Text outside a contact: a vCard file holds only BEGIN:VCARD ... END:VCARD "
                "blocks.", file=str(path), row=number)
        parsed = _property(line)
        if parsed is None:
            raise InputFileError(
                f"Line {number} of the contact that starts on line {begin} has no ':' between "
                "the property name and its value.", file=str(path), row=number)
        current.append(parsed)
    if current is not None:
        raise InputFileError(f"The contact that starts on line {begin} has no END:VCARD; the "
                             "file is cut off.", file=str(path), row=begin)
    if not cards:
        raise InputFileError("The file holds no contacts (no BEGIN:VCARD).", file=str(path))
    info["export"] = "vcard"
    header = [name for name in _SINGLE if any(card.get(name) for _, card in cards)]
    most = {kind: max(len(card[kind]) for _, card in cards)
            for kind in ("E-mail", "Telefoon", "Mobiel", "Adres")}
    for kind in ("E-mail", "Telefoon", "Mobiel"):
        header += [_numbered(kind, i) for i in range(most[kind])]
    for i in range(most["Adres"]):
        header += [_numbered(part, i) for part in _ADDRESS_PARTS]
    header += [name for name in _TAIL if any(card.get(name) for _, card in cards)]
    if not header:
        raise InputFileError("The contacts in this vCard file hold no names, e-mail addresses, "
                             "phone numbers or addresses.", file=str(path))
    yield 1, header
    for begin, card in cards:
        row: dict[str, Any] = {name: card.get(name) for name in (*_SINGLE, *_TAIL)}
        for kind in ("E-mail", "Telefoon", "Mobiel"):
            row.update({_numbered(kind, i): v for i, v in enumerate(card[kind])})
        for i, parts in enumerate(card["Adres"]):
            row.update({_numbered(p, i): v for p, v in zip(_ADDRESS_PARTS, parts, strict=True)})
        yield begin, [row.get(name) for name in header]


__all__ = ["contact_export_kind", "contact_export_columns", "vcard_records", "OUTLOOK_COLUMNS",
           "GOOGLE_COLUMNS", "VCARD_FIELDS"]
