"""The workbench: load purchased Dutch address lists into a CRM without duplicates."""
from __future__ import annotations

from typing import Any

from workbench.definition import Definition, load_definition, suggest_definition
from workbench.errors import WorkbenchError

__all__ = ["Definition", "RunSettings", "WorkbenchError", "load_definition", "run",
           "suggest_definition"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The pipeline pulls in every step; import it only when asked, so `import workbench` stays light.
    if name in ("RunSettings", "run"):
        from workbench import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
