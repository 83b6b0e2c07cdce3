"""The mapping screen: CRM field | file column | fixed value | preview, match options, save/load."""
from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.context import RunContext, open_run
from workbench.definition import ORG_KEYS, PERSON_KEYS, POLICIES, Definition
from workbench.errors import WorkbenchError
from workbench.fields import TARGETS
from workbench.labels import field_label, label, language_of, transform_label
from workbench.mapping import (
    NONE,
    Problem,
    definition_from_state,
    fit_to_headers,
    headers_of,
    list_definitions,
    load_named,
    mapping_problems,
    preview_values,
    provided_through,
    required_fields,
    save_named,
)
from workbench.widgets.thresholds import ThresholdsWidget

_CSS = """<style>
.wb-mapping .wb-map-head{font-weight:bold;border-bottom:1px solid #999}
.wb-mapping .wb-map-required{color:#b71c1c;font-weight:bold}
.wb-mapping .wb-map-problem-cell{background:#ffebee}
.wb-mapping .wb-map-transform{color:#666;font-size:11px;line-height:14px}
.wb-mapping .wb-map-preview{font-family:monospace;font-size:12px;line-height:14px}
</style>"""


class MappingWidget:
    """Edit an import definition against a file: every change re-checks and re-previews at once."""

    def __init__(self, raw: pd.DataFrame, definition: Definition,
                 definitions_dir: str | Path, n_preview: int = 3,
                 language: str | None = None,
                 ctx: RunContext | None = None) -> None:
        # the analyst's language: given here, else the definition's ``language`` setting
        self.language = language_of(language or definition.language)
        self.raw = raw
        self.headers = headers_of(raw)
        self.definitions_dir = Path(definitions_dir)
        self.n_preview = n_preview
        self.base = fit_to_headers(definition, self.headers)
        self._quiet = False  # set while loading, so one load triggers one refresh
        self.grid = self._field_grid()
        options_box = self._option_boxes()
        # the hit percentage; with a run context (the snapshot) it counts this list's pairs
        self.ctx = ctx
        self.bands = ThresholdsWidget(self.base.thresholds, raw, ctx, lambda: self.definition,
                                      self.language)
        self.problems = w.HTML()
        self.problems.add_class("wb-map-problems")
        save_load = self._save_load_bar()
        self.status = w.HTML()
        self.status.add_class("wb-map-status")
        self.view = w.VBox([
            w.HTML(_CSS + f"<b>{self._t('rows_columns', rows=len(self.raw), columns=len(self.headers))}"
                   f"</b> <span class='wb-map-required'>*</span> {self._t('mapping_intro')}"),
            self.problems, self.grid, w.HTML(f"<h4>{self._t('matching_and_actions')}</h4>"),
            options_box,
            self.bands.view, save_load, self.status])
        self.view.add_class("wb-mapping")
        self.refresh()

    # -- building the screen -------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        """A screen text in the analyst's language (``workbench.labels``)."""
        return label(key, self.language, **values)

    def field_label(self, name: str) -> str:
        """A field as the analyst knows it: the target CRM's name, else in their language."""
        return field_label(name, self.language, self.base.target)

    def _field_row(self, name: str, options: list[str]) -> list[w.Widget]:
        """One CRM field's row: label, file column, fixed value, default and preview."""
        self.label[name] = w.HTML()
        dd = w.Dropdown(options=options, value=self.base.columns.get(name, NONE),
                        layout=w.Layout(width="210px"))
        dd.add_class(f"wb-map-col-{name}")
        fx = w.Text(value=self.base.fixed.get(name, ""), placeholder=self._t("fixed_value"),
                    continuous_update=False, layout=w.Layout(width="120px"))
        fx.add_class(f"wb-map-fixed-{name}")
        df = w.Text(value=self.base.defaults.get(name, ""), placeholder=self._t("default"),
                    continuous_update=False, layout=w.Layout(width="120px"))
        df.add_class(f"wb-map-default-{name}")
        pv = w.HTML()
        pv.add_class(f"wb-map-preview-{name}")
        for widget in (dd, fx, df):
            widget.observe(self._changed, "value")
        self.column[name], self.fixed[name], self.default[name] = dd, fx, df
        self.preview[name] = pv
        return [self.label[name], dd, fx, df, pv]

    def _field_grid(self) -> w.GridBox:
        """The grid of every CRM field against the file's columns."""
        options = [NONE, *self.headers]
        self.column: dict[str, w.Dropdown] = {}
        self.fixed: dict[str, w.Text] = {}
        self.default: dict[str, w.Text] = {}
        self.label: dict[str, w.HTML] = {}
        self.preview: dict[str, w.HTML] = {}
        cells: list[w.Widget] = [w.HTML(f"<span class='wb-map-head'>{self._t(t)}</span>")
                                 for t in ("crm_field", "file_column", "fixed_value",
                                           "default_new", "preview")]
        for target in TARGETS:
            cells += self._field_row(target.name, options)
        grid = w.GridBox(cells, layout=w.Layout(
            grid_template_columns="260px 220px 130px 130px 1fr", grid_gap="2px 8px"))
        grid.add_class("wb-map-grid")
        return grid

    def _option_boxes(self) -> w.HBox:
        """Match keys and actions: check boxes and the update policy."""
        self.org_keys = {k: w.Checkbox(value=k in self.base.org_keys, description=self._t(f"key.{k}"),
                                       indent=False) for k in ORG_KEYS}
        self.person_keys = {k: w.Checkbox(value=k in self.base.person_keys,
                                          description=self._t(f"key.{k}"), indent=False)
                            for k in PERSON_KEYS}
        self.create_new = w.Checkbox(value=self.base.creates("organisations"), indent=False,
                                     description=self._t("create_new"))
        self.update_existing = w.Checkbox(value=self.base.update_existing, indent=False,
                                          description=self._t("update_existing"))
        self.import_persons = w.Checkbox(value=self.base.import_persons, indent=False,
                                         description=self._t("import_persons"))
        self.lookup_city = w.Checkbox(value=self.base.lookup_city_from_postcode, indent=False,
                                      description=self._t("lookup_city"))
        self.postal = w.Checkbox(value=self.base.postal_is_visiting, indent=False,
                                 description=self._t("postal_is_visiting"))
        self.policy = w.Dropdown(options=[(self._t(f"policy.{p}"), p) for p in POLICIES],
                                 value=self.base.update_policy,
                                 description=self._t("update_policy"),
                                 style={"description_width": "initial"})
        for key, box in {**{f"org-{k}": b for k, b in self.org_keys.items()},
                         **{f"person-{k}": b for k, b in self.person_keys.items()},
                         "create-new": self.create_new, "update-existing": self.update_existing,
                         "import-persons": self.import_persons,
                         "lookup-city": self.lookup_city, "postal": self.postal,
                         "policy": self.policy}.items():
            box.add_class(f"wb-map-opt-{key}")
            box.observe(self._changed, "value")
        return w.HBox([
            w.VBox([w.HTML(f"<b>{self._t('org_keys')}</b> {self._t('tried_in_order')}"),
                    *self.org_keys.values()]),
            w.VBox([w.HTML(f"<b>{self._t('person_keys')}</b>"), *self.person_keys.values()]),
            w.VBox([w.HTML(f"<b>{self._t('actions')}</b>"), self.create_new, self.update_existing,
                    self.import_persons, self.policy, self.lookup_city, self.postal]),
        ], layout=w.Layout(grid_gap="24px"))

    def _save_load_bar(self) -> w.HBox:
        """The name box with Save, and the saved definitions with Load."""
        self.name = w.Text(value=self.base.name, description=self._t("name"))
        self.name.add_class("wb-map-save-name")
        save = w.Button(description=self._t("save_definition"), button_style="primary")
        save.add_class("wb-map-save")
        save.on_click(lambda _b: self.save())
        self.saved = w.Dropdown(options=list_definitions(self.definitions_dir),
                                description=self._t("saved"))
        self.saved.add_class("wb-map-load-name")
        load = w.Button(description=self._t("load"))
        load.add_class("wb-map-load")
        load.on_click(lambda _b: self.load(self.saved.value))
        return w.HBox([self.name, save, self.saved, load])

    # -- state <-> definition ------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The screen's settings as plain data (see ``definition_from_state``)."""
        return {
            "name": self.name.value.strip() or self.base.name,
            "columns": {t: dd.value for t, dd in self.column.items()},
            "fixed": {t: fx.value for t, fx in self.fixed.items()},
            "defaults": {t: df.value for t, df in self.default.items()},
            "org_keys": [k for k, b in self.org_keys.items() if b.value],
            "person_keys": [k for k, b in self.person_keys.items() if b.value],
            "create_new": self.create_new.value, "update_existing": self.update_existing.value,
            "import_persons": self.import_persons.value,
            "lookup_city_from_postcode": self.lookup_city.value,
            "postal_is_visiting": self.postal.value,
            "update_policy": self.policy.value,
        }

    @property
    def definition(self) -> Definition:
        """The definition as currently shown."""
        return replace(definition_from_state(self.base, self.state()),
                       thresholds=self.bands.thresholds)

    def show(self, definition: Definition) -> None:
        """Put a definition on the screen."""
        self._quiet = True
        try:
            for t, dd in self.column.items():
                dd.value = definition.columns.get(t, NONE)
            for t, fx in self.fixed.items():
                fx.value = definition.fixed.get(t, "")
            for t, df in self.default.items():
                df.value = definition.defaults.get(t, "")
            for k, box in self.org_keys.items():
                box.value = k in definition.org_keys
            for k, box in self.person_keys.items():
                box.value = k in definition.person_keys
            self.create_new.value = definition.creates("organisations")
            self.update_existing.value = definition.update_existing
            self.import_persons.value = definition.import_persons
            self.lookup_city.value = definition.lookup_city_from_postcode
            self.postal.value = definition.postal_is_visiting
            self.policy.value = definition.update_policy
            self.name.value = definition.name
            self.bands.show(definition.thresholds)
        finally:
            self._quiet = False
        self.base = definition
        self.refresh()

    # -- reactions -----------------------------------------------------------------------
    def _changed(self, _change: dict) -> None:
        if not self._quiet:
            self.refresh()

    def refresh(self) -> None:
        """Re-check and re-preview the whole mapping (a few rows: fast enough on every change)."""
        definition = self.definition
        required = required_fields(definition, self.language)
        # a required field given by another (house number from the address line) says so, so a
        # star beside an empty dropdown never stands next to "ready to run"
        through = {t: self._t("mapping.given_by", field=self.field_label(by))
                   for t, by in provided_through(definition).items()}
        problems = mapping_problems(definition, self.headers, self.language)
        bad = {p.target for p in problems if p.severity == "error"}
        try:
            previews = preview_values(self.raw, definition, self.n_preview)
        except WorkbenchError as exc:  # a value standardisation cannot take: show, do not crash
            previews = {}
            problems.insert(0, Problem(None, str(exc)))
        for target in TARGETS:
            name = target.name
            why = html.escape(required.get(name, ""))
            star = f" <span class='wb-map-required' title='{why}'>*</span>" if why else ""
            cls = " class='wb-map-problem-cell'" if name in bad else ""
            how = html.escape(through.get(name, "") + transform_label(name, self.language))
            self.label[name].value = (f"<div{cls}>{html.escape(self.field_label(name))}{star}"
                                      f"<div class='wb-map-transform'>{how}</div></div>")
            values = previews.get(name, [])
            self.preview[name].value = ("<div class='wb-map-preview'>"
                                        + " | ".join(html.escape(v) for v in values) + "</div>")
        if problems:
            items = "".join(f"<li style='color:{'#b71c1c' if p.severity == 'error' else '#8d6e00'}'>"
                            f"{html.escape(p.message)}</li>" for p in problems)
            self.problems.value = f"<b>{self._t('problems')}</b><ul>{items}</ul>"
        else:
            self.problems.value = f"<span style='color:#2e7d32'>{self._t('no_problems')}</span>"

    def save(self) -> Path:
        """Save under the name in the name box; the file lands in the definitions folder."""
        name = self.name.value.strip()
        try:
            path = save_named(self.definition, self.definitions_dir, name)
        except ValueError as exc:
            self.status.value = f"<span style='color:#b71c1c'>{html.escape(str(exc))}</span>"
            raise
        self.saved.options = list_definitions(self.definitions_dir)
        self.saved.value = path.stem  # ipywidgets leaves the value empty when options change
        self.status.value = self._t("mapping.saved_to", path=html.escape(str(path)))
        return path

    def load(self, name: str | None) -> list[str]:
        """Load a saved definition; say which of its columns this file lacks or adds."""
        if not name:
            self.status.value = self._t("mapping.choose_first")
            return []
        try:
            definition, messages = load_named(self.definitions_dir, name, self.headers,
                                              self.language)
        except WorkbenchError as exc:
            self.status.value = f"<span style='color:#b71c1c'>{html.escape(str(exc))}</span>"
            return [str(exc)]
        self.show(definition)
        self.status.value = (self._t("mapping.loaded", name=html.escape(name))
                             + "".join(f"<br>{html.escape(m)}" for m in messages))
        return messages

    def rebuild(self) -> None:
        """Fresh widgets showing the same definition (the browser lost the first ones; see
        widgets.comeback.show_screen)."""
        definition, old = self.definition, self.view
        self.__init__(self.raw, definition, self.definitions_dir, self.n_preview,
                      self.language, self.ctx)
        old.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)


def mapping_screen(raw: pd.DataFrame, definition: Definition, definitions_dir: str | Path,
                   crm_path: str | Path | None = None, *, state_path: str | Path | None = None,
                   language: str | None = None) -> MappingWidget:
    """The mapping screen as 02 opens it: given the CRM snapshot, its threshold sliders show this
    list's pair counts from the start; without it (``None``) they only set the thresholds."""
    # read-only, and kept open while the screen is shown (its Count button matches again);
    # ``screen.ctx.close()`` or the kernel's end closes it
    ctx = open_run(crm_path, definition=definition, state_path=state_path) if crm_path else None
    try:
        screen = MappingWidget(raw, definition, definitions_dir, language=language, ctx=ctx)
        screen.bands.count()  # no-op without a snapshot
    except BaseException:
        if ctx is not None:
            ctx.close()
        raise
    return screen
