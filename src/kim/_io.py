"""Bounded reading and atomic writing of the files the library reads and writes.

Every file a user hands the library (scenario, weights CSV, case log, local policy) is
read through `read_text()`, which counts the bytes *while reading* (a ``stat`` size
can lie: ``/dev/zero`` reports 0 bytes and never ends), decodes UTF-8 (a byte order mark
is dropped), and refuses over-long lines. JSON goes through `load_json()`, which
refuses duplicate keys, nesting deeper than `MAX_DEPTH` and numbers longer than
`MAX_DIGITS` digits before any value is built. Every limit is named in the error.

Scenario, facts and case files (YAML or JSON, which is YAML) are parsed into their
model by `parse_document()`: size limit, nesting limit, safe YAML without duplicate
keys, and a validation error mapped to the file's line and key.

Every file the library writes goes through `write_atomic()`: a temporary file in
the same folder, renamed over the target only when complete, so an interrupted write
never leaves a truncated file that would load without error.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from kim._data import load_yaml_text
from kim._model import KimModel, ModelInputError
from kim.errors import DataFileError, InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LINE",
    "load_document",
    "load_json",
    "parse_document",
    "read_text",
    "write_atomic",
    "yaml_line",
]

MAX_LINE = 65_536
"""The longest line (in characters) of any file the library reads."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings in a JSON or YAML file."""
MAX_DIGITS = 40
"""The most digits of one number in a file (money to the cent up to 10**26 needs 29)."""

_CHUNK = 65_536

_M = TypeVar("_M", bound=KimModel)


def _name(path: str | Path) -> str:
    return Path(path).name or str(path)


def read_text(path: str | Path, limit: int, what: str = "file") -> str:
    r"""The UTF-8 text of ``path``, read in chunks and refused once over ``limit`` bytes.

    Args:
        path: the file.
        limit: the most bytes read; the error names it.
        what: what the file is, for messages ("scenario", "case log", ...).

    Raises:
        DataFileError: the file cannot be opened, is larger than ``limit``, is not UTF-8,
            or has a line longer than `MAX_LINE` characters.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> _ = p.write_bytes(b"\xef\xbb\xbfline 1\n")
        >>> read_text(p, 100)
        'line 1\n'
        >>> read_text(p, 5)
        Traceback (most recent call last):
        ...
        kim.errors.DataFileError: x.txt: the file is larger than the limit of 5 bytes ...

    """
    name = _name(path)
    if str(path) == "":
        raise DataFileError(f"<{what}>", "", f"no {what} file given; give a path")
    parts: list[bytes] = []
    size = 0
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                parts.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise DataFileError(
                        name,
                        "",
                        f"the file is larger than the limit of {limit:,} bytes for a {what}; "
                        "split it or give a smaller one",
                    )
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DataFileError(name, "", f"cannot read the {what}: {reason}") from None
    data = b"".join(parts)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataFileError(
            name, f"line {line}", f"the {what} is not UTF-8 text; save it as UTF-8"
        ) from None
    for number, line_text in enumerate(text.splitlines(), start=1):
        if len(line_text) > MAX_LINE:
            raise DataFileError(
                name,
                f"line {number}",
                f"the line is longer than the limit of {MAX_LINE:,} characters",
            )
    return text


def check_depth(text: str, file: str, where: str = "") -> None:
    """Refuse JSON or flow-style YAML nested deeper than `MAX_DEPTH`.

    Counts brackets outside quoted strings; cheap, linear, and run before parsing.
    """
    depth = 0
    in_string = ""
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\" and in_string == '"':
                escaped = True
            elif char == in_string:
                in_string = ""
        elif char == '"':
            in_string = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise DataFileError(
                    file, where, f"lists and mappings are nested deeper than {MAX_DEPTH} levels"
                )
        elif char in "]}":
            depth -= 1


def _number(file: str, where: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if sum(c.isdigit() for c in text) > MAX_DIGITS:
            raise DataFileError(file, where, f"a number has more than {MAX_DIGITS} digits")
        return convert(text)

    return parse


def _no_duplicates(file: str, where: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise DataFileError(file, where, "a key appears twice in one object")
            result[key] = value
        return result

    return build


def load_json(text: str, file: str, where: str = "", *, exact: bool = True) -> Any:
    """Parse JSON with the limits: no duplicate keys, depth, digits; fractions as ``Decimal``.

    With ``exact=False`` numbers with a fraction are floats, as `json.loads()` gives.

    Raises:
        DataFileError: invalid JSON (with line and column) or a limit exceeded.

    Examples:
        >>> load_json('{"a": 1.50}', "x.json")
        {'a': Decimal('1.50')}
        >>> load_json('{"a": 1, "a": 2}', "x.json")
        Traceback (most recent call last):
        ...
        kim.errors.DataFileError: x.json: a key appears twice in one object

    """
    from decimal import Decimal

    check_depth(text, file, where)
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates(file, where),
            parse_int=_number(file, where, int),
            parse_float=_number(file, where, Decimal if exact else float),
            parse_constant=_refuse_constant(file, where),
        )
    except json.JSONDecodeError as error:
        at = where or f"line {error.lineno}"
        problem = f"not valid JSON: {error.msg} at column {error.colno}"
        raise DataFileError(file, at, problem) from None
    except RecursionError:
        raise DataFileError(file, where, f"nested deeper than {MAX_DEPTH} levels") from None


def _refuse_constant(file: str, where: str) -> Callable[[str], Any]:
    def refuse(name: str) -> Any:
        raise DataFileError(file, where, f"{name} is not a number JSON allows")

    return refuse


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, opened for writing: (descriptor, path).

    It gets the permissions a plain ``open()`` would give (``0o666`` less the umask), or
    those of ``target`` when it exists, not the owner-only ``0o600`` of ``mkstemp``.
    """
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = None
    for _ in range(100):
        temp = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
        try:
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            os.chmod(temp, mode)
        return handle, str(temp)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def write_atomic(path: str | Path, data: str | bytes, what: str = "file") -> None:
    r"""Write ``data`` to ``path`` through a temporary file renamed into place.

    A new file gets the permissions a plain ``open()`` would give it; a file written over
    keeps its own.

    Raises:
        InputError: the folder does not exist, ``path`` is a folder, or writing fails.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> write_atomic(p, "done\n")
        >>> p.read_text()
        'done\n'

    """
    target = Path(path)
    if str(path) == "":
        raise InputError(f"No {what} path given; give a file name.")
    if target.is_dir():
        raise InputError(f"Cannot write the {what} {target.name!r}: it is a folder; give a file.")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(
            f"Cannot write the {what} {target.name!r}: the folder {str(folder)!r} does not "
            "exist; create it first."
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        handle, temp = _temporary(target)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"Cannot write the {what} {target.name!r}: {reason}.") from None


def yaml_line(root: yaml.Node | None, path: Sequence[str]) -> int | None:
    """The 1-based line of the node at ``path`` (keys and list indexes), if found.

    Args:
        root: the composed YAML document (``yaml.compose``), or ``None``.
        path: the keys and list indexes from the root, as text.

    Returns:
        The line of the deepest node found on the path; ``None`` for no document.

    """
    node = root
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def parse_document(model: type[_M], text: str, file: str, limit: int) -> _M:
    r"""Parse YAML or JSON ``text`` into ``model``, naming file, line and key on error.

    The text may be at most ``limit`` bytes (UTF-8) and nested at most `MAX_DEPTH`
    deep; YAML is read safely and refuses duplicate keys; the top level must be a
    mapping; a validation error names the line of the offending key.

    Args:
        model: the model to validate into (a `KimModel`, so unknown keys are refused).
        text: the file's text.
        file: the file's name, for messages.
        limit: the most bytes allowed.

    Raises:
        DataFileError: over the limit, invalid YAML or JSON, not a mapping, or invalid
            for ``model`` (with line and key).

    Examples:
        >>> from kim.scenarios.model import Scenario
        >>> parse_document(Scenario, "name: x\nstaffing: 3\n", "s.yaml", 1000)
        Traceback (most recent call last):
        ...
        kim.errors.DataFileError: s.yaml at line 2, staffing: Input should be a valid dictionary

    """
    if len(text.encode("utf-8")) > limit:
        raise DataFileError(file, "", f"the file is larger than {limit:,} bytes")
    check_depth(text, file)
    raw = load_yaml_text(text, file)
    if not isinstance(raw, dict):
        raise DataFileError(file, "line 1", "expected a mapping with at least a 'name'")
    try:
        return model.model_validate(raw)
    except ModelInputError as error:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        loc, problem = error.problems[0] if error.problems else ("", str(error))
        line = yaml_line(root, [p for p in loc.split(".") if p])
        raise DataFileError(file, f"line {line}, {loc}" if line else loc, problem) from None


def load_document(model: type[_M], path: str | Path, limit: int, what: str = "file") -> _M:
    """Read ``path`` with `read_text()` and parse it with `parse_document()`."""
    return parse_document(model, read_text(path, limit, what), str(path), limit)
