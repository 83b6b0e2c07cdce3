"""ipywidgets front ends for the notebooks: thin layers over tested functions."""
from __future__ import annotations

from workbench.widgets.mapping import MappingWidget

__all__ = ["MappingWidget"]
