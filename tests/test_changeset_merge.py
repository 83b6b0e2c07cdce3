"""The change set's array shortcuts give what the pandas spelling they replace gives, value for
value (None stays None, NaN stays NaN), on awkward values."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.changeset.frames import as_missing, as_nullable_int, differs_as_text
from workbench.changeset.merge import _records

# text, blanks, the missing kinds and the text they are written as, numbers and bytes
AWKWARD = [None, np.nan, pd.NA, "None", "nan", "<NA>", "", " ", "a", "A", "1", "1.0", 1, 1.0,
           b"a", np.str_("a")]
TEXTY = [None, np.nan, "None", "nan", "", " ", "\t", "a", "b", "1012AB", np.str_("a")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(AWKWARD), st.sampled_from(AWKWARD)), max_size=30))
def test_differs_as_text_is_astype_str_unequal(pairs: list[tuple]) -> None:
    left = np.array([a for a, _ in pairs], dtype=object)
    right = np.array([b for _, b in pairs], dtype=object)
    expected = (pd.Series(left, dtype=object).astype(str).to_numpy()
                != pd.Series(right, dtype=object).astype(str).to_numpy())
    assert differs_as_text(left, right).tolist() == expected.tolist()


def test_differs_as_text_keeps_the_shape_of_a_frame() -> None:
    left = pd.DataFrame({"a": ["x", None, "None"], "b": [np.nan, "y", None]})
    right = pd.DataFrame({"a": ["x", "None", None], "b": ["nan", None, None]})
    assert differs_as_text(left, right).tolist() == [[False, False], [False, True],
                                                     [False, False]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([None, np.nan, 0, 1, 7, 2.0, 15.0, np.int64(3), -4]),
                max_size=20))
def test_as_nullable_int_is_astype_int64(values: list) -> None:
    series = pd.Series(values, dtype=object, name="source_row", index=range(5, 5 + len(values)))
    pd.testing.assert_series_equal(as_nullable_int(series), series.astype("Int64"))


def test_as_nullable_int_refuses_what_astype_refuses() -> None:
    for values in ([1.5], ["2", None]):
        series = pd.Series(values, dtype=object)
        try:
            series.astype("Int64")
        except (TypeError, ValueError) as exc:
            expected: type | None = type(exc)
        else:
            expected = None
        try:
            got = as_nullable_int(series)
        except (TypeError, ValueError) as exc:
            assert type(exc) is expected
        else:
            assert expected is None
            pd.testing.assert_series_equal(got, series.astype("Int64"))


FIELDS = {"org_name": "name", "org_street": "street", "org_house_number": "house_number",
          "org_postcode": "postcode", "org_city": "city", "org_country": "country"}


def _grouped_first(ids: pd.Series, std: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                pd.Series]:
    """The pandas group-by the records were merged with before (the reference)."""
    rows = as_missing(std.loc[ids.index, list(FIELDS)]).rename(columns=FIELDS)
    source_row = std.loc[ids.index, "source_row"].astype(int)
    group = ids.astype(str)
    first = rows.groupby(group, sort=False).first()
    contrib = pd.DataFrame(np.where(rows.notna().to_numpy(), source_row.to_numpy()[:, None],
                                    np.nan), index=rows.index, columns=list(rows.columns)
                           ).groupby(group, sort=False).first().reindex(first.index)
    cols = ["street", "house_number", "postcode", "city", "country"]
    has = rows[["street", "house_number", "postcode", "city"]].notna().any(axis=1)
    picked = has[has].groupby(group[has], sort=False).head(1).index
    block = rows.loc[picked, cols].set_axis(group[picked].to_numpy()).reindex(first.index)
    rows_of = pd.DataFrame(np.where(block.notna(), source_row.loc[picked].set_axis(
        group[picked].to_numpy()).reindex(first.index).to_numpy()[:, None], np.nan),
        index=first.index, columns=cols)
    first[cols] = block.astype(object).where(block.notna(), None)
    contrib[cols] = rows_of
    return first, contrib, source_row.groupby(group, sort=False).first()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["O-1", "O-2", "NEW-ORG-000001", "3"]),
                          *[st.sampled_from(TEXTY)] * len(FIELDS)), max_size=25),
       st.randoms(use_true_random=False))
def test_records_take_the_first_filled_value_as_the_group_by_did(rows: list[tuple],
                                                                 rnd) -> None:
    order = list(range(len(rows)))
    rnd.shuffle(order)  # an index that is not the row order
    std = pd.DataFrame([r[1:] for r in rows], columns=list(FIELDS), dtype=object,
                       index=[10 * i for i in order])
    std["source_row"] = [2 + i for i in range(len(rows))]
    ids = pd.Series([r[0] for r in rows], index=std.index, dtype=object, name="org_id")
    recs = _records(ids, std, FIELDS)
    first, contrib, first_row = _grouped_first(ids, std)
    pd.testing.assert_frame_equal(recs.first, first)
    # None where no row gives a value, as the group-by gave it
    assert [type(v) for v in recs.first.to_numpy().ravel()] == \
        [type(v) for v in first.to_numpy().ravel()]
    pd.testing.assert_frame_equal(recs.contrib, contrib)
    pd.testing.assert_series_equal(recs.first_row, first_row)
