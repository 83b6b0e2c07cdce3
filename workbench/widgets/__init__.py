"""ipywidgets front ends for the notebooks: thin layers over tested functions."""
from __future__ import annotations

from workbench.widgets.mapping import MappingWidget
from workbench.widgets.review import ReviewWidget, open_review

__all__ = ["MappingWidget", "ReviewWidget", "open_review"]
