"""Read a CRM layout file (shipped or the analyst's own), checking every key strictly."""
from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from workbench.crm.model import (
    EXTRA_ENTITIES,
    FORMATS,
    SHAPES,
    UPDATES,
    WHEN,
    CrmLayout,
    ExtraField,
    FileLimits,
    NumberSeries,
    Output,
    Repeat,
    Required,
    TableIntake,
)
from workbench.errors import WorkbenchError
from workbench.fields import CRM_TABLES, TARGET_BY_NAME

DEFAULT = "workbench"
_ENTITIES = ("org", "person", "contact", "card")


class _Problems(list):
    """The problems of one file, all reported at once."""

    def need(self, data: Any, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
             ) -> dict:
        if not isinstance(data, dict):
            self.append(f"{where}: expected a mapping")
            return {}
        for key in data:
            if key not in allowed:
                self.append(f"{where}: unknown key '{key}' (known: {', '.join(allowed)})")
        for key in required:
            if key not in data:
                self.append(f"{where}: '{key}' is missing")
        return data


def shipped_names() -> list[str]:
    """The names of the CRM layouts shipped with the workbench."""
    return sorted(p.name[:-4] for p in resources.files("workbench.crm").iterdir()
                  if p.name.endswith(".yml"))


def _strings(value: Any, where: str, problems: _Problems) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        problems.append(f"{where}: expected a list of names")
        return ()
    return tuple(str(v) for v in value)


def _text_map(value: Any, where: str, problems: _Problems) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping")
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _intake(data: Any, problems: _Problems) -> dict[str, TableIntake]:
    tables = problems.need(data, "intake", tuple(CRM_TABLES), ("organisations",))
    out = {}
    for table, spec in tables.items():
        where = f"intake.{table}"
        spec = problems.need(spec, where, ("files", "columns", "required"), ("files", "columns"))
        columns = _text_map(spec.get("columns"), f"{where}.columns", problems)
        for canonical in columns:
            if table in CRM_TABLES and canonical not in CRM_TABLES[table]:
                problems.append(f"{where}.columns: '{canonical}' is not a field of {table}")
        key = CRM_TABLES.get(table, ("",))[0]
        required = _strings(spec.get("required", []), f"{where}.required", problems)
        if key not in columns:
            problems.append(f"{where}.columns: the record id '{key}' needs a column")
        out[table] = TableIntake(files=_strings(spec.get("files", []), f"{where}.files", problems),
                                 columns=MappingProxyType(columns),
                                 required=tuple(dict.fromkeys((key, *required))))
    return out


def _source_ok(source: str, where: str, problems: _Problems) -> None:
    if source.startswith("="):
        return
    entity, _, name = source.partition(".")
    if entity not in _ENTITIES or not name:
        problems.append(f"{where}: '{source}' is not entity.field ({', '.join(_ENTITIES)})")


def _repeats(value: Any, problems: _Problems) -> tuple[Repeat, ...]:
    out = []
    for i, spec in enumerate(value or []):
        where = f"output.repeats[{i}]"
        spec = problems.need(spec, where, ("header", "sources", "count"),
                             ("header", "sources", "count"))
        sources = _strings(spec.get("sources", []), where, problems)
        for s in sources:
            _source_ok(s, where, problems)
        # one column (count 1) is the first of several sources and needs no number
        if "{n}" not in str(spec.get("header", "{n}")) and spec.get("count", 1) != 1:
            problems.append(f"{where}.header: needs '{{n}}' for the number")
        out.append(Repeat(str(spec.get("header", "")), sources, int(spec.get("count", 1))))
    return tuple(out)


def _required(value: Any, problems: _Problems) -> tuple[Required, ...]:
    out = []
    for i, spec in enumerate(value or []):
        where = f"output.required[{i}]"
        spec = problems.need(spec, where, ("any_of", "when"), ("any_of",))
        when = str(spec.get("when", "always"))
        if when not in WHEN:
            problems.append(f"{where}.when: '{when}' is not one of {', '.join(WHEN)}")
        out.append(Required(_strings(spec.get("any_of", []), where, problems), when))
    return tuple(out)


def _extra_fields(value: Any, columns: dict[str, str], problems: _Problems
                  ) -> tuple[ExtraField, ...]:
    """The target's own import fields beyond the canonical model, by header."""
    out = []
    for header, spec in _mapping_or_empty(value, "output.extra_fields", problems).items():
        where = f"output.extra_fields.{header}"
        spec = problems.need(spec, where, ("entity", "key", "codes"), ("entity",))
        entity = _choice(spec.get("entity"), f"{where}.entity", EXTRA_ENTITIES, problems)
        key = str(spec.get("key", "") or "")
        if str(header) in columns or key in TARGET_BY_NAME:
            problems.append(f"{where}: already a column or canonical field; map that instead")
        codes = _strings(spec.get("codes", []), f"{where}.codes", problems)
        out.append(ExtraField(str(header), entity, key, codes))
    return tuple(out)


def _mapping_or_empty(value: Any, where: str, problems: _Problems) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping")
        return {}
    return value


def _choice(value: Any, where: str, choices: tuple[str, ...], problems: _Problems) -> str:
    if value not in choices:
        problems.append(f"{where}: '{value}' is not one of {', '.join(choices)}")
    return str(value)


def _ints(value: Any, where: str, problems: _Problems) -> dict[str, int]:
    out = {}
    for k, v in (value or {}).items():
        if not isinstance(v, int) or v <= 0:
            problems.append(f"{where}.{k}: expected a positive whole number")
        else:
            out[str(k)] = v
    return out


def _output(data: Any, problems: _Problems) -> Output:
    spec = problems.need(data, "output", (
        "shape", "formats", "sheet", "columns", "repeats", "required", "max_length", "limits",
        "updates", "number_series", "defaults", "kind_person", "extra_fields"), ("shape", "formats", "columns"))
    columns = _text_map(spec.get("columns"), "output.columns", problems)
    for header, source in columns.items():
        _source_ok(source, f"output.columns.{header}", problems)
    formats = _strings(spec.get("formats", []), "output.formats", problems)
    for f in formats:
        _choice(f, "output.formats", FORMATS, problems)
    limits = _ints(problems.need(spec.get("limits", {}), "output.limits",
                                 ("rows", "xlsx_bytes", "csv_bytes")), "output.limits", problems)
    series = None
    if "number_series" in spec:
        ns = problems.need(spec["number_series"], "output.number_series",
                           ("prefix", "width", "start"), ("prefix", "width", "start"))
        series = NumberSeries(str(ns.get("prefix", "")), int(ns.get("width", 1)),
                              int(ns.get("start", 1)))
    return Output(
        shape=_choice(spec.get("shape"), "output.shape", SHAPES, problems), formats=formats,
        sheet=str(spec.get("sheet", "Import")), columns=MappingProxyType(columns),
        repeats=_repeats(spec.get("repeats"), problems),
        required=_required(spec.get("required"), problems),
        max_length=MappingProxyType(_ints(spec.get("max_length"), "output.max_length", problems)),
        limits=FileLimits(**limits),
        updates=_choice(spec.get("updates", "changed_only"), "output.updates", UPDATES, problems),
        number_series=series,
        defaults=MappingProxyType(_text_map(spec.get("defaults"), "output.defaults", problems)),
        kind_person=MappingProxyType(_text_map(spec.get("kind_person"), "output.kind_person",
                                               problems)),
        extra_fields=_extra_fields(spec.get("extra_fields"), columns, problems))


def parse_layout(data: Any, path: str) -> CrmLayout:
    """A CRM layout from its YAML structure; every problem is reported in one error."""
    problems = _Problems()
    top = problems.need(data, "layout", ("name", "system", "description", "intake", "codes",
                                         "output"), ("name", "system", "intake", "output"))
    intake = _intake(top.get("intake", {}), problems)
    codes_in = problems.need(top.get("codes", {}) or {}, "codes",
                             tuple(dict.fromkeys(f for cols in CRM_TABLES.values() for f in cols)))
    codes = {f: MappingProxyType(_text_map(v, f"codes.{f}", problems)) for f, v in codes_in.items()}
    output = _output(top.get("output", {}), problems)
    if problems:
        raise WorkbenchError("CRM layout: " + "; ".join(problems), file=path)
    return CrmLayout(name=str(top["name"]), system=str(top["system"]),
                     description=str(top.get("description", "")).strip(),
                     intake=MappingProxyType(intake), codes=MappingProxyType(codes),
                     output=output, path=path)


def load_layout(name_or_path: str | Path | None = None, *, number_series: str = ""
                ) -> CrmLayout:
    """A shipped CRM layout by name (``afas-profit``) or an analyst's own file by path; a
    definition's ``number_series`` (its first number, ``CT000101``) replaces the layout's."""
    layout = _load(name_or_path)
    if not number_series:
        return layout
    try:
        series = NumberSeries.first(number_series)
    except ValueError as exc:
        raise WorkbenchError(f"export.number_series: {exc}") from None
    return replace(layout, output=replace(layout.output, number_series=series))


def _load(name_or_path: str | Path | None) -> CrmLayout:
    name_or_path = str(name_or_path or DEFAULT)
    if name_or_path in shipped_names():
        resource = resources.files("workbench.crm") / f"{name_or_path}.yml"
        text, path = resource.read_text(encoding="utf-8"), f"{name_or_path}.yml"
    else:
        file = Path(name_or_path)
        if not file.is_file():
            raise WorkbenchError(f"no CRM layout called '{name_or_path}' (shipped: "
                                 f"{', '.join(shipped_names())}) and no such file",
                                 file=str(file))
        text, path = file.read_text(encoding="utf-8"), str(file)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WorkbenchError(f"CRM layout is not valid YAML ({exc})".replace("\n", " "),
                             file=path) from None
    return parse_layout(data, path)
