"""The parts of recordlinkage a run uses, without its classifiers until one is asked for.

``import recordlinkage`` (also ``from recordlinkage.base import ...``) runs the package's
``__init__``, which imports every classifier and with them scikit-learn and SciPy: seconds warm,
up to 20 s from a cold disk, for a run that needs only the base classes (``Index`` and ``Compare`` among
them). Here the package is registered without running its ``__init__``, and the submodules
a run needs are imported one by one; the first use of any other name (``rl.ECMClassifier``, also
through ``import recordlinkage`` elsewhere) runs the real ``__init__`` then, so the package is
whole for whoever asks.

``Compare`` is recordlinkage's own with the compared columns gathered per pair as integer codes:
each column once for all features, by position, instead of a ``.loc`` per frame.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd


def _finish(package: ModuleType) -> None:
    """Run recordlinkage's own ``__init__`` in the registered package (imports everything)."""
    package.__dict__.pop("__getattr__", None)
    package.__spec__.loader.exec_module(package)


def _package() -> ModuleType:
    """recordlinkage in ``sys.modules``: the real one if imported before, else registered with
    its ``__init__`` deferred to the first name it lacks."""
    if "recordlinkage" in sys.modules:
        return sys.modules["recordlinkage"]
    spec = importlib.util.find_spec("recordlinkage")
    package = importlib.util.module_from_spec(spec)
    sys.modules["recordlinkage"] = package

    def deferred(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:  # a submodule (``from recordlinkage import rl_logging``) loads on its own
            return importlib.import_module(f"recordlinkage.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"recordlinkage.{name}":
                raise
        _finish(package)
        return getattr(package, name)

    package.__getattr__ = deferred  # type: ignore[attr-defined]
    importlib.import_module("recordlinkage.config_init")  # the options the base classes read
    return package


_package()

# recordlinkage.api's Index and Compare only add shortcuts (.block, .string) to these, and its
# string comparisons import scikit-learn: the run adds its own algorithms and features
from recordlinkage.base import (  # noqa: E402
    BaseClassifier,
    BaseCompare,
    BaseCompareFeature,
    BaseIndexAlgorithm,
)
from recordlinkage.base import BaseIndex as Index  # noqa: E402

__all__ = ["BaseClassifier", "BaseCompareFeature", "BaseIndexAlgorithm", "Compare", "Index"]


def _listify(labels) -> list:
    return [] if labels is None else [labels] if isinstance(labels, str) else list(labels)


def _positions(index: pd.Index, labels: pd.Index) -> np.ndarray:
    """The positions of ``labels`` in ``index`` (a KeyError for a label it lacks, as ``.loc``)."""
    pos = index.get_indexer(labels)
    if len(pos) and pos.min() < 0:
        raise KeyError(f"{int((pos < 0).sum())} record labels of the pairs are not in the frame")
    return pos


def _groups(features: list) -> list[set[str]]:
    """Columns coded together: those a feature compares with each other (another column on the
    right, or ``across_columns``), else one each."""
    groups: list[set[str]] = []
    for feat in features:
        left, right = _listify(feat.labels_left), _listify(feat.labels_right)
        joined = [set(left) | set(right)] if getattr(feat, "across_columns", False) else \
            [{a, b} for a, b in zip(left, right, strict=False)]
        for cols in joined:
            cols = cols.union(*(g for g in groups if g & cols))
            groups = [g for g in groups if not g & cols] + [cols]
    return groups


def _shared_codes(columns: list[pd.Series]) -> tuple[list[np.ndarray], pd.CategoricalDtype] | None:
    """The columns' own codes when they are categoricals of one set of categories, else None."""
    first = columns[0].dtype
    if not all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        return None
    if not all(c.dtype is first or c.cat.categories.equals(first.categories) for c in columns):
        return None
    return [c.cat.codes.to_numpy() for c in columns], first


def distinct_categories(values: np.ndarray) -> pd.CategoricalDtype:
    """The categorical dtype of values ``pd.factorize`` found (distinct, none missing): pandas
    would hash them all once more to check that (as long as factorizing them took)."""
    categories = pd.Index(values, dtype=object)
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)  # pandas' own unchecked way
    return fast(categories, ordered=False) if fast is not None else \
        pd.CategoricalDtype(categories)


def _code_used(columns: list[pd.Series], used: list[np.ndarray]
               ) -> tuple[list[np.ndarray], pd.CategoricalDtype]:
    """Codes over one set of categories of the ``used`` rows of each column (-1 for missing):
    only the values pairs compare are hashed."""
    parts = [c.to_numpy(dtype=object)[u] for c, u in zip(columns, used, strict=True)]
    codes, values = pd.factorize(np.concatenate(parts) if parts else np.zeros(0, dtype=object))
    dtype = distinct_categories(values)
    bounds = np.cumsum([0, *(len(p) for p in parts)])
    return [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)], dtype


class Compare(BaseCompare):
    """recordlinkage's ``Compare`` with each compared column gathered per pair as integer codes
    over categories shared by the columns compared together (a categorical per pair).

    Categorical columns sharing their categories keep their codes; other columns are coded
    here, only the rows the pairs use. Each column is gathered once for all features (the same
    Series object: ``compare.shared_similarities`` works out a similarity once)."""

    def _compute(self, pairs: pd.MultiIndex, x: pd.DataFrame, x_link: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
        frames = [x] if x_link is None else [x, x_link]
        side_frame = (0, len(frames) - 1)
        pos = [_positions(frames[f].index, pairs.get_level_values(lvl))
               for lvl, f in enumerate(side_frame)]
        needed = [set(), set()]
        for feat in self.features:
            needed[0].update(_listify(feat.labels_left))
            needed[1].update(_listify(feat.labels_right))
        per_pair = self._gathered(frames, side_frame, pos, needed)
        results, labels = [], []
        for feat in self.features:
            data = (tuple(per_pair[0, c] for c in _listify(feat.labels_left)) +
                    tuple(per_pair[1, c] for c in _listify(feat.labels_right)))
            results.append(feat._compute_vectorized(*data))
            labels.append(feat.label)
        if all(isinstance(r, np.ndarray) and r.ndim == 1 for r in results):
            return pd.DataFrame(np.column_stack(results) if results else
                                np.zeros((len(pairs), 0)), index=pairs, columns=labels)
        return self._union(list(zip(results, labels, strict=True)), pairs)

    def _gathered(self, frames: list[pd.DataFrame], side_frame: tuple[int, int],
                  pos: list[np.ndarray], needed: list[set[str]]) -> dict[tuple[int, str], pd.Series]:
        """Per side and column: the column's value of each pair, as a categorical."""
        rows: tuple | None = None  # the rows the pairs use, worked out once a column needs them
        out: dict[tuple[int, str], pd.Series] = {}
        for group in _groups(self.features):
            members = [(s, c) for c in sorted(group) for s in (0, 1) if c in needed[s]]
            # a column of a frame is coded once, whichever sides read it
            cols = list(dict.fromkeys((side_frame[s], c) for s, c in members))
            series = [frames[f][c] for f, c in cols]
            if any(s.dtype == bool for s in series):
                for s, c in members:
                    out[s, c] = pd.Series(frames[side_frame[s]][c].to_numpy()[pos[s]])
                continue
            shared = _shared_codes(series)
            if shared is None and rows is None:
                rows = _used_rows(frames, side_frame, pos)
            codes, dtype = shared or _code_used(series, [rows[0][f] for f, _ in cols])
            by_col = dict(zip(cols, codes, strict=True))
            for s, c in members:
                full = by_col[side_frame[s], c]
                picked = full[pos[s]] if shared else full[rows[1][s]]
                out[s, c] = pd.Series(pd.Categorical.from_codes(picked, dtype=dtype,
                                                                validate=False), copy=False)
        return out


def _used_rows(frames: list[pd.DataFrame], side_frame: tuple[int, int], pos: list[np.ndarray]
               ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per frame the rows any pair uses; per side each pair's place among its frame's rows."""
    used, place = [], [np.zeros(0, dtype=np.int64)] * 2
    for f, frame in enumerate(frames):
        sides = [s for s in (0, 1) if side_frame[s] == f]
        mark = np.zeros(len(frame), dtype=bool)  # a mark per row: no sort of the pairs
        for s in sides:
            mark[pos[s]] = True
        rows = np.flatnonzero(mark)
        where = np.full(len(frame), -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        used.append(rows)
        for s in sides:
            place[s] = where[pos[s]]
    return used, place


def __getattr__(name: str) -> Any:
    if name == "LogisticRegressionClassifier":  # scikit-learn: only for a supervised fit
        return importlib.import_module("recordlinkage.classifiers").LogisticRegressionClassifier
    raise AttributeError(name)
