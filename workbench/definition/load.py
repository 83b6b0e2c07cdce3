"""Read a definition: strict YAML (no aliases, bounded size) checked against ``SETTINGS``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbench.definition.model import Definition, build_definition
from workbench.definition.schema import check_target_names, percent_of, read_section
from workbench.errors import DefinitionError

# A definition is a page of settings; a larger file is not one (and is not read into memory).
MAX_DEFINITION_BYTES = 1_000_000


class _AliasRefused(yaml.YAMLError):
    def __init__(self, mark: Any) -> None:
        super().__init__("alias")
        self.problem_mark = mark


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: ``*name`` could expand a small file without bound."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias where PyYAML would reuse the anchored node."""
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def definition_from_dict(data: Any, *, source: str | None = None) -> Definition:
    """Build a definition from its YAML structure, reporting every problem at once."""
    if not isinstance(data, dict):
        raise DefinitionError(["the file does not hold a definition (expected keys such as "
                               "'columns', 'match', 'actions')"], file=source)
    problems: list[str] = []
    values = read_section(data, "", problems)
    check_target_names(values, problems)
    if not values.get("contact_address_from_organisation", True) and \
            "address" in values.get("inherit", ()):
        problems.append("actions: contact_address_from_organisation is false but inherit names "
                        "address; keep one of them")
    match = values.get("thresholds.match", Definition.thresholds.match)
    review = values.get("thresholds.review", Definition.thresholds.review)
    if not review <= match:
        problems.append(f"match.thresholds: need review <= match (review {percent_of(review):g}% "
                        f"is above match {percent_of(match):g}%)")
    if problems:
        raise DefinitionError(problems, file=source)
    return build_definition(values)


def parse_definition_text(text: str, source: str | None = None) -> Any:
    """The YAML structure of a definition file, aliases refused."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _AliasRefused as exc:
        line = exc.problem_mark.line + 1
        raise DefinitionError([f"line {line}: YAML aliases (*name) are not allowed in a "
                               "definition; write the value out"], file=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DefinitionError([f"not valid YAML{where}"], file=source) from None
    except RecursionError:
        raise DefinitionError(["the YAML is nested too deeply to be a definition"],
                              file=source) from None


def load_definition(path: str | Path) -> Definition:
    """Read an import definition from a YAML file."""
    path = Path(path)
    if not path.exists():
        raise DefinitionError([f"definition file not found: {path}"], file=str(path))
    try:
        if path.stat().st_size > MAX_DEFINITION_BYTES:
            raise DefinitionError([f"larger than {MAX_DEFINITION_BYTES:,} bytes: not a "
                                   "definition"], file=str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError(["not UTF-8 text"], file=str(path)) from None
    except OSError as exc:
        raise DefinitionError([f"cannot be read ({exc.strerror or exc})"], file=str(path)) from None
    return definition_from_dict(parse_definition_text(text, str(path)), source=str(path))
