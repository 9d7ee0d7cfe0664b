"""Reading the data files shipped inside the package: safe YAML, duplicate keys refused.

PyYAML's safe loader silently keeps the last of two equal keys; a duplicated date in a
parameter file would then hide a value. The loader here refuses duplicates and names
the file and the line.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from kim.errors import DataFileError

__all__ = ["load_yaml_text", "read_yaml_resource"]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[valid-type, misc]
    """A safe loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!s} (line {mark.line + 1})", mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_text(text: str, file: str) -> Any:
    """Parse YAML ``text`` safely; a syntax error or duplicate key raises ``DataFileError``."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DataFileError(file, where, str(problem)) from None
    except (ValueError, TypeError) as error:
        # A constructor refused a value: an impossible date such as 2023-02-30, or a
        # list or mapping used as a key.
        raise DataFileError(file, "", f"a value cannot be read ({error})") from None
    except RecursionError:
        raise DataFileError(file, "", "the file is nested too deeply") from None


def read_yaml_resource(package: str, name: str) -> Any:
    """Read and parse the YAML file ``name`` shipped in ``package``."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return load_yaml_text(text, name)
