"""Exact match keys: one registry, read by the definition and used by the matcher."""
from __future__ import annotations

import pandas as pd
import pytest
from small_crm import make_small

from workbench.definition import ORG_KEYS, PERSON_KEYS, definition_from_dict
from workbench.errors import DefinitionError
from workbench.match.exact import MATCH_KEYS, key_names
from workbench.snapshot import open_snapshot


def test_the_definition_takes_its_keys_from_the_registry():
    assert ORG_KEYS == (*MATCH_KEYS["organisation"], "fuzzy")
    assert PERSON_KEYS == (*MATCH_KEYS["person"], "fuzzy", "always_new")
    assert key_names("person") == PERSON_KEYS
    # the BSN is AFAS Profit's first person key (issue 18); a misspelt key is still refused
    assert definition_from_dict({"match": {"person": ["bsn"]}}).person_keys == ("bsn",)
    with pytest.raises(DefinitionError, match="bsn"):
        definition_from_dict({"match": {"person": ["bsm"]}})


def test_address_key_needs_the_same_addition_missing_included(tmp_path):
    paths = make_small(tmp_path)
    todo = pd.DataFrame({"postcode": ["1234 AB", "1234 AB", "3542 AD", "3542 AD"],
                         "house_number": ["12", "12", "4", "4"],
                         "addition": ["A", "B", None, "C"]}, index=[10, 11, 12, 13])
    with open_snapshot(paths["crm"]) as con:
        found = MATCH_KEYS["organisation"]["address"].settle(con, todo, "org_match", "org_id")
    # 12A is ORG-2; 12B is another address; 4 without addition is ORG-1, 4C is not
    assert dict(zip(found["left_id"], found["right_id"], strict=True)) == {10: "ORG-2",
                                                                           12: "ORG-1"}
