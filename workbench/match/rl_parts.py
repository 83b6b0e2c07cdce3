"""The parts of recordlinkage a run uses, without its classifiers until one is asked for.

``import recordlinkage`` (also ``from recordlinkage.base import ...``) runs the package's
``__init__``, which imports every classifier and with them scikit-learn and SciPy: seconds warm,
up to 20 s from a cold disk, for a run that needs only the base classes (``Index`` and ``Compare`` among
them). Here the package is registered without running its ``__init__``, and the submodules
a run needs are imported one by one; the first use of any other name (``rl.ECMClassifier``, also
through ``import recordlinkage`` elsewhere) runs the real ``__init__`` then, so the package is
whole for whoever asks.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any


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
    BaseCompareFeature,
    BaseIndexAlgorithm,
)
from recordlinkage.base import BaseCompare as Compare  # noqa: E402
from recordlinkage.base import BaseIndex as Index  # noqa: E402

__all__ = ["BaseClassifier", "BaseCompareFeature", "BaseIndexAlgorithm", "Compare", "Index"]


def __getattr__(name: str) -> Any:
    if name == "LogisticRegressionClassifier":  # scikit-learn: only for a supervised fit
        return importlib.import_module("recordlinkage.classifiers").LogisticRegressionClassifier
    raise AttributeError(name)
