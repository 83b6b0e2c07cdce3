"""Fields of a target CRM beyond the canonical model (AFAS's ``Voorkeursmedium (Persoon)``):
declared by its layout or by the definition, given values by the definition's ``fixed`` and
``defaults``, checked against their codes before anything is matched."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from workbench.crm.load import load_layout, shipped_names
from workbench.crm.model import CrmLayout, ExtraField
from workbench.errors import DefinitionError, WorkbenchError
from workbench.fields import TARGET_BY_NAME

if TYPE_CHECKING:
    from workbench.definition import Definition


def definition_fields(extra_fields: Mapping[str, Mapping[str, Any]]) -> tuple[ExtraField, ...]:
    """The fields a definition declares (``extra_fields: {header: {entity, codes}}``)."""
    return tuple(ExtraField(header, str(spec["entity"]), "", tuple(spec.get("codes", ())))
                 for header, spec in extra_fields.items())


def declared_names(target: str | None = None) -> set[str]:
    """The names a definition may fix or default beyond the canonical fields: every shipped
    layout's extra fields (header and key), and those of ``target`` when it is a layout file."""
    names = [*shipped_names(), *([target] if target and target not in shipped_names() else [])]
    out: set[str] = set()
    for name in names:
        try:
            layout = load_layout(name)
        except WorkbenchError:  # a bad layout file is reported where the run loads it
            continue
        out.update(n for f in layout.output.extra_fields for n in (f.header, f.key) if n)
    return out


def _fields(layout: CrmLayout, own: tuple[ExtraField, ...], problems: list[str]
            ) -> dict[str, ExtraField]:
    """The target's extra fields by header and key; the definition's declaration of a header
    wins over the layout's (its own codes), keeping the layout's key."""
    fields = {f.header: f for f in layout.output.extra_fields}
    for f in own:
        if f.header in layout.output.columns:
            problems.append(f"extra_fields: '{f.header}' is already a column of {layout.name} "
                            f"(from {layout.output.columns[f.header]}); map its canonical field")
            continue
        fields[f.header] = replace(f, key=fields[f.header].key) if f.header in fields else f
    return {**{f.key: f for f in fields.values() if f.key}, **fields}


def _values(layout: CrmLayout, by_name: dict[str, ExtraField], setting: str,
            values: Mapping[str, str], problems: list[str]) -> dict[str, str]:
    """Output header -> value for the definition's names that are the target's own fields."""
    out = {}
    known = sorted({f.header for f in by_name.values()})
    for name, value in values.items():
        if name in TARGET_BY_NAME:
            continue  # a canonical field: the change set carries it
        field = by_name.get(name)
        if field is None:
            have = ", ".join(known) or "none"
            problems.append(f"{setting}: '{name}' is not a field of {layout.name} (its own "
                            f"fields: {have}); declare it under extra_fields")
            continue
        codes = {c.casefold(): c for c in field.codes}
        if codes and value.casefold() not in codes:
            problems.append(f"{setting}.{name}: '{value}' is not a code of {field.header} "
                            f"(use {', '.join(field.codes)})")
            continue
        out[field.header] = codes.get(value.casefold(), value)
    return out


def with_target_fields(layout: CrmLayout, definition: Definition, source: str | None = None
                       ) -> CrmLayout:
    """``layout`` with the definition's fixed values and defaults of the target's own fields;
    a DefinitionError names a field the target lacks or a value outside its codes."""
    problems: list[str] = []
    by_name = _fields(layout, definition_fields(definition.extra_fields), problems)
    fixed = _values(layout, by_name, "fixed", definition.fixed, problems)
    defaults = _values(layout, by_name, "defaults", definition.defaults, problems)
    if problems:
        raise DefinitionError(problems, file=source)
    output = replace(layout.output,
                     extra_fields=tuple({f.header: f for f in by_name.values()}.values()),
                     fixed=MappingProxyType(fixed),
                     defaults=MappingProxyType({**layout.output.defaults, **defaults}))
    return replace(layout, output=output)


def target_layout(definition: Definition, source: str | None = None) -> CrmLayout:
    """The layout of the definition's target, with its number series and its own fields."""
    layout = load_layout(definition.target, number_series=definition.number_series)
    return with_target_fields(layout, definition, source)
