"""The mapping screen's logic: required fields, problems, previews, state -> definition, save/load."""
from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pandas as pd
import pytest

from workbench.definition import Definition, load_definition, suggest_definition
from workbench.mapping import (
    NONE,
    definition_file,
    definition_from_state,
    header_differences,
    list_definitions,
    load_named,
    mapping_problems,
    preview_values,
    required_fields,
    save_named,
)

HEADERS = ["Bedrijfsnaam", "Adres", "Postcode", "Plaats", "Telefoon", "Achternaam", "E-mail"]


@pytest.fixture
def raw() -> pd.DataFrame:
    rows = [["Bakkerij Jansen BV", "Dorpsstraat 12a", "1234ab", "den haag", "020-1234567",
             "de Vries", "J.DeVries@Example.NL"],
            ["Smit Schilders VOF", "Molenlaan 3", "9711AA", "Groningen", "", "Smit", ""]]
    frame = pd.DataFrame(rows, columns=HEADERS, dtype=object)
    frame.insert(0, "source_row", [1, 2])
    return frame


@pytest.fixture
def definition() -> Definition:
    # the keys the list does not hold (a KvK number, a contact's e-mail) named all the same: the
    # screen's warnings are about such a definition (a suggestion leaves them out)
    return replace(suggest_definition(HEADERS), org_keys=("kvk", "fuzzy"),
                   person_keys=("email", "fuzzy"))


def test_required_fields_follow_keys_and_actions(definition):
    need = required_fields(definition)
    assert {"org_name", "org_postcode", "org_house_number", "org_kvk_number",
            "person_last_name", "contact_email"} <= set(need)
    lean = replace(definition, create_new=False, org_keys=("fuzzy",), import_persons=False)
    assert set(required_fields(lean)) == {"org_name"}
    assert "person_gender" in required_fields(replace(definition, person_keys=("name_gender",)))


def test_missing_required_field_is_a_problem_at_once(definition):
    problems = mapping_problems(definition, HEADERS)
    assert not [p for p in problems if p.severity == "error"]
    # the default keys use the KvK number and the contact's e-mail: without them they find nothing
    warnings = {p.target: p.message for p in problems if p.severity == "warning"}
    assert set(warnings) == {"org_kvk_number", "contact_email"}
    assert "KvK number is required" in warnings["org_kvk_number"]
    fine = replace(definition, org_keys=("fuzzy",), person_keys=("fuzzy",))
    assert mapping_problems(fine, HEADERS) == []
    lost = replace(fine, columns={k: v for k, v in fine.columns.items() if k != "person_last_name"})
    assert [(p.target, p.severity) for p in mapping_problems(lost, HEADERS)] == [
        ("person_last_name", "error")]
    # an address line provides street and house number; dropping it makes them required
    no_address = replace(fine, columns={k: v for k, v in fine.columns.items()
                                        if k != "org_address_line"})
    assert {"org_house_number"} <= {p.target for p in mapping_problems(no_address, HEADERS)}


def test_column_missing_from_file_and_double_use(definition):
    odd = replace(definition, org_keys=("fuzzy",),
                  columns={**definition.columns, "org_city": "Woonplaats", "contact_email": "E-mail"})
    messages = [p.message for p in mapping_problems(odd, HEADERS)]
    assert any("no column 'Woonplaats'" in m for m in messages)
    assert any("column 'E-mail' is mapped to" in m for m in messages)


def test_preview_is_standardised(raw, definition):
    preview = preview_values(raw, definition)
    assert preview["org_postcode"] == ["1234 AB", "9711 AA"]
    assert preview["org_city"][0] == "'s-Gravenhage"
    assert preview["org_phone"] == ["+31201234567"]
    assert preview["org_address_line"][0].startswith("Dorpsstraat 12")
    assert preview["org_country"] == []  # neither mapped nor fixed
    fixed = replace(definition, fixed={"org_country": "nl", "org_city": "Utrecht"})
    preview = preview_values(raw, fixed)
    assert preview["org_country"] == ["NL", "NL"]
    assert preview["org_city"] == ["Utrecht", "Utrecht"]  # a fixed value wins over the column
    assert preview["org_kvk_number"] == []


def test_preview_changes_with_the_mapping(raw, definition):
    moved = definition_from_state(definition, {"columns": {**definition.columns,
                                                           "org_city": "Bedrijfsnaam"}})
    assert preview_values(raw, moved)["org_city"][0] != "'s-Gravenhage"
    none = definition_from_state(definition, {"columns": {**definition.columns, "org_city": NONE}})
    assert "org_city" not in none.columns and preview_values(raw, none)["org_city"] == []


def test_state_to_definition(definition):
    d = definition_from_state(definition, {
        "name": "leads", "fixed": {"org_country": "NL", "org_city": "  "},
        "org_keys": ["fuzzy", "kvk"], "person_keys": ["always_new"], "create_new": False,
        "update_policy": "overwrite", "lookup_city_from_postcode": True})
    assert d.name == "leads" and d.fixed == {"org_country": "NL"}
    assert definition_from_state(d, {"defaults": {"org_country": "NL "}}).defaults == {
        "org_country": "NL"}
    assert d.org_keys == ("kvk", "fuzzy")  # the order keys are tried in is fixed
    assert d.person_keys == ("always_new",) and not d.create_new
    assert d.update_policy == "overwrite" and d.lookup_city_from_postcode
    assert d.columns == definition.columns
    with pytest.raises(ValueError):
        definition_from_state(definition, {"update_policy": "sometimes"})


def test_save_and_load_by_name(tmp_path, definition):
    path = save_named(definition, tmp_path / "defs", "Beurs leads 2026")
    assert path == tmp_path / "defs" / "Beurs_leads_2026.yml" and path.exists()
    assert load_definition(path).name == "Beurs leads 2026"
    assert list_definitions(tmp_path / "defs") == ["Beurs_leads_2026"]
    with pytest.raises(ValueError):
        definition_file(tmp_path, " / ")
    loaded, messages = load_named(tmp_path / "defs", "Beurs_leads_2026", HEADERS)
    assert loaded.columns == definition.columns and messages == []


def test_loading_onto_other_headers_says_what_is_missing_or_new(tmp_path, definition):
    save_named(definition, tmp_path, "leads")
    other = [h for h in HEADERS if h != "Plaats"] + ["Website", "Notities"]
    loaded, messages = load_named(tmp_path, "leads", other)
    assert "org_city" not in loaded.columns
    assert any("missing" in m and "'Plaats' (City)" in m for m in messages)
    assert any("new" in m and "'Notities'" in m for m in messages)
    assert header_differences(definition, other) == (["Plaats"], ["Website", "Notities"])


def test_widget_is_a_thin_layer(tmp_path, raw, definition):
    from workbench.widgets import MappingWidget

    screen = MappingWidget(raw, definition, tmp_path / "defs")
    assert "KvK number is required" in screen.problems.value
    assert "1234 AB" in screen.preview["org_postcode"].value
    screen.org_keys["kvk"].value = False
    screen.person_keys["email"].value = False
    assert "No problems" in screen.problems.value
    screen.column["person_last_name"].value = NONE
    assert "Last name is required" in screen.problems.value
    screen.column["person_last_name"].value = "Achternaam"
    screen.column["org_city"].value = NONE
    assert screen.preview["org_city"].value.count("|") == 0 and "org_city" not in screen.definition.columns
    screen.fixed["org_city"].value = "Utrecht"
    assert "Utrecht" in screen.preview["org_city"].value
    screen.name.value = "leads"
    screen.default["org_country"].value = "NL"
    path = screen.save()
    assert load_definition(path).fixed["org_city"] == "Utrecht"
    assert load_definition(path).defaults == {"org_country": "NL"}
    assert screen.saved.options == ("leads",) and screen.saved.value == "leads"
    screen.column["org_city"].value = "Plaats"
    screen.load("leads")
    assert screen.column["org_city"].value == NONE and screen.fixed["org_city"].value == "Utrecht"


ADDRESS_FIELDS = ("org_postcode", "org_house_number", "org_street", "org_city", "org_address_line")


@pytest.mark.parametrize("mapped", [set(c) for n in range(len(ADDRESS_FIELDS) + 1)
                                    for c in combinations(ADDRESS_FIELDS, n)],
                         ids=lambda m: "+".join(sorted(m)) or "none")
def test_ready_agrees_with_the_runs_address_rule(mapped):
    from workbench.mapping import provided_through
    from workbench.validate import has_usable_address

    columns = {"org_name": "Bedrijfsnaam", "person_last_name": "Achternaam",
               **{t: f"col {t}" for t in mapped}}
    definition = replace(suggest_definition(HEADERS), columns=columns, org_keys=("fuzzy",),
                         person_keys=("fuzzy",))
    headers = list(columns.values())
    # (a warning, such as an address line and a street both mapped, is worth a look, no block)
    errors = [p for p in mapping_problems(definition, headers) if p.severity == "error"]
    required = required_fields(definition)
    given = mapped | set(provided_through(definition)) | {"org_name", "person_last_name"}
    # no error exactly when every field marked required is given
    assert (errors == []) == all(t in given for t in required)
    # and exactly when a row filled in those fields has an address the run accepts
    row = pd.DataFrame([{t: "x" for t in given}])
    assert (errors == []) == bool(has_usable_address(row).iloc[0])


def test_a_required_field_given_by_the_address_line_says_so(tmp_path, raw, definition):
    from workbench.widgets import MappingWidget

    screen = MappingWidget(raw, replace(definition, org_keys=("fuzzy",), person_keys=("fuzzy",)),
                           tmp_path / "defs")
    assert screen.column["org_house_number"].value == NONE
    assert "wb-map-required" in screen.label["org_house_number"].value
    assert "given by Address (street + number)" in screen.label["org_house_number"].value
    assert "ready to run" in screen.problems.value
    screen.column["org_address_line"].value = NONE
    assert "ready to run" not in screen.problems.value
    assert "House number is required" in screen.problems.value
