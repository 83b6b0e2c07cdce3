"""The import definition: a named, saved YAML file holding mapping, fixed values, match keys and actions.

``schema`` holds the one table of settings (sections, keys, kinds, defaults, choices); ``model``
the frozen ``Definition``; ``load`` the strict reading of a file; ``suggest`` the definition
suggested from a file's headers.
"""
from __future__ import annotations

from workbench.definition.load import definition_from_dict, load_definition
from workbench.definition.model import Definition, Thresholds
from workbench.definition.schema import (
    CLASSIFIERS,
    INHERITABLE,
    ORG_KEYS,
    PERSON_KEYS,
    POLICIES,
    REJECT_INVALID,
    SETTINGS,
    UNDECIDED,
    Setting,
)
from workbench.definition.suggest import check_against_headers, suggest_columns, suggest_definition
from workbench.fields import header_key

__all__ = [
    "CLASSIFIERS", "INHERITABLE", "ORG_KEYS", "PERSON_KEYS", "POLICIES", "REJECT_INVALID",
    "SETTINGS", "UNDECIDED", "Definition", "Setting", "Thresholds", "check_against_headers",
    "definition_from_dict", "header_key", "load_definition", "suggest_columns",
    "suggest_definition",
]
