"""What a CRM system's layout says, as frozen dataclasses: intake, codes and output."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SHAPES = ("org_with_person", "person_with_company", "contact_cards", "canonical")
WHEN = ("always", "new_org", "new_person")
FORMATS = ("xlsx", "csv")
UPDATES = ("changed_only", "whole_record")
EXTRA_ENTITIES = ("org", "person", "contact")  # the records a target's extra field belongs to


@dataclass(frozen=True)
class TableIntake:
    """One export file: the names it may have and its columns per canonical field."""

    files: tuple[str, ...]  # file names without extension, tried in order (case-insensitive)
    columns: Mapping[str, str]  # canonical field -> the export's column name
    required: tuple[str, ...] = ()  # canonical fields whose column must be present


@dataclass(frozen=True)
class Repeat:
    """Numbered columns (``E-mail 1`` … ``E-mail 5``) filled from several canonical values."""

    header: str  # with ``{n}`` for the number
    sources: tuple[str, ...]  # ``entity.field`` values, the first distinct ones in order
    count: int


@dataclass(frozen=True)
class Required:
    """At least one of these output columns must be filled (on the rows ``when`` names)."""

    any_of: tuple[str, ...]
    when: str = "always"


@dataclass(frozen=True)
class FileLimits:
    """The import wizard's limits per file; a larger change set is split into numbered parts."""

    rows: int | None = None
    xlsx_bytes: int | None = None
    csv_bytes: int | None = None


@dataclass(frozen=True)
class NumberSeries:
    """New record numbers: prefix plus a zero-padded number, from ``start`` up."""

    prefix: str
    width: int
    start: int

    @classmethod
    def first(cls, number: str) -> NumberSeries:
        """The series that starts at ``number``: its prefix, then its digits (``CT000101``)."""
        digits = len(number) - len(number.rstrip("0123456789"))
        if not digits:
            raise ValueError(f"number series '{number}' does not end in digits")
        return cls(number[:-digits], digits, int(number[-digits:]))


@dataclass(frozen=True)
class ExtraField:
    """A field the target's import has and the canonical model does not (AFAS's
    ``Voorkeursmedium (Persoon)``): filled only by a definition's ``fixed`` / ``defaults``."""

    header: str  # the import's column name
    entity: str  # "org", "person" or "contact": the rows that carry it
    key: str = ""  # a short name a definition may use instead of the header
    codes: tuple[str, ...] = ()  # the values the import accepts (none: any text)


@dataclass(frozen=True)
class Output:
    """How the system's import wizard wants the change set."""

    shape: str
    formats: tuple[str, ...]
    sheet: str
    columns: Mapping[str, str]  # output header -> ``entity.field`` (or ``=text`` for a fixed value)
    repeats: tuple[Repeat, ...] = ()
    required: tuple[Required, ...] = ()
    max_length: Mapping[str, int] = field(default_factory=dict)
    limits: FileLimits = FileLimits()
    updates: str = "changed_only"
    number_series: NumberSeries | None = None
    defaults: Mapping[str, str] = field(default_factory=dict)  # output header -> value when empty
    # contact kinds written with a stand-in person number (AFAS: department -20, delivery -10)
    kind_person: Mapping[str, str] = field(default_factory=dict)
    extra_fields: tuple[ExtraField, ...] = ()  # declared by the layout (and a definition)
    # output header -> value on every inserted or updated record of its entity; set from a
    # definition's ``fixed`` (workbench/crm/target_fields.py), not in a layout file
    fixed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CrmLayout:
    """One CRM system: how its export becomes the snapshot and how its wizard loads a change set."""

    name: str
    system: str
    description: str
    intake: Mapping[str, TableIntake]  # canonical table -> its export file
    codes: Mapping[str, Mapping[str, str]]  # canonical field -> {canonical code: system code}
    output: Output
    path: str = ""

    def extra_field(self, name: str) -> ExtraField | None:
        """The declared extra field called ``name`` (its header or its key)."""
        return next((f for f in self.output.extra_fields if name in (f.header, f.key)), None)

    def to_canonical(self, field_name: str) -> dict[str, str]:
        """System code -> canonical code for one field (also accepting the codes' case)."""
        codes = self.codes.get(field_name, {})
        back = {system.casefold(): canonical for canonical, system in codes.items()}
        return back

    def new_person_needs(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """What the wizard refuses a new person without: per rule, the person fields of which one
        must be filled and the columns' names (``(("gender",), "Geslacht (Persoon)")``)."""
        out = []
        for rule in self.output.required:
            sources = [self.output.columns.get(header, "") for header in rule.any_of]
            if rule.when == "new_person" and sources and \
                    all(s.startswith("person.") for s in sources):
                out.append((tuple(s.partition(".")[2] for s in sources), " or ".join(rule.any_of)))
        return tuple(out)
