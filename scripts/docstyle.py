"""Convert the docstrings of ``src/kim`` to the Google style mkdocstrings renders.

Two rewrites, both safe to run again (a converted file is left as it is):

1. Sphinx roles (``:func:`name```, ``:class:`~kim.x.Y```, ``:meth:``, ``:attr:``,
   ``:mod:``, ``:data:``, ``:exc:``, ``:const:``, ``:obj:``) become mkdocs-autorefs
   cross-references, ``[`name`][kim.module.name]``, when the name resolves (at run time,
   from the scope of the docstring) to an object the docs reference renders; otherwise
   plain code, ``` `name` ```.
2. Doctest blocks (``>>>`` lines and their output) that stand in a docstring's prose
   become ``Examples:`` sections, so mkdocstrings shows them as code instead of nested
   block quotes. Blocks already under ``Examples:`` or inside a fence stay as they are.

The rendered objects come from the ``objects.inv`` of a built site (``--inventory``), or
the script builds the site to find them. Usage::

    python scripts/docstyle.py [--inventory site/objects.inv] [--check] [FILES...]

``--check`` changes nothing and exits 1 when a file would change.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")
PROMPT = re.compile(r"^(\s*)>>> ")
FENCE = re.compile(r"^\s*(```|~~~)")
LIMIT = 100  # the line length ruff allows
SECTION_ANY = re.compile(r"^\s*Examples:\s*$", re.M)
SECTION = re.compile(r"^\s*Examples?:\s*$")


def read_inventory(path: Path) -> set[str]:
    """The identifiers in a Sphinx ``objects.inv`` (as mkdocstrings writes it)."""
    data = path.read_bytes()
    lines = data.split(b"\n", 4)
    body = zlib.decompress(lines[4]).decode("utf-8")
    return {line.split(" ", 1)[0] for line in body.splitlines() if line.strip()}


def build_inventory() -> set[str]:
    """Build the site into a temporary folder and read its inventory."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", tmp],
            cwd=ROOT,
            check=True,
            env=env,
        )
        return read_inventory(Path(tmp) / "objects.inv")


def module_name(path: Path) -> str:
    """The dotted module name of a file under ``src``."""
    rel = path.resolve().relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _canonical(obj: object, fallback: str) -> str:
    if isinstance(obj, ModuleType):
        return obj.__name__
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    named = isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname
    if named and (inspect.isclass(obj) or inspect.isfunction(obj)):
        return f"{module}.{qualname}"
    return fallback


def _lookup(start: object, start_path: str, dotted: str) -> str | None:
    """Walk ``dotted`` from ``start`` by attribute; the canonical path of the end, or None."""
    obj, path = start, start_path
    for part in dotted.split("."):
        try:
            nxt = inspect.getattr_static(obj, part)
        except AttributeError:
            try:
                nxt = getattr(obj, part)
            except Exception:  # any failure means: not in this scope
                return None
        if isinstance(nxt, (staticmethod, classmethod)):
            nxt = nxt.__func__
        if isinstance(nxt, property):
            path = f"{_canonical(obj, path)}.{part}"
            obj = nxt
            continue
        path = _canonical(nxt, f"{_canonical(obj, path)}.{part}")
        obj = nxt
    return path


def resolve(name: str, module: ModuleType, scopes: list[str]) -> str | None:
    """The full path of ``name`` as seen from ``scopes`` (class names) in ``module``."""
    starts: list[tuple[object, str]] = []
    for qual in reversed(scopes):
        obj: object = module
        for part in qual.split("."):
            obj = getattr(obj, part, None)
        if obj is not None:
            starts.append((obj, f"{module.__name__}.{qual}"))
    starts.append((module, module.__name__))
    for obj, path in starts:
        found = _lookup(obj, path, name)
        if found:
            return found
    head = name.split(".")
    for cut in range(len(head), 0, -1):
        try:
            root = importlib.import_module(".".join(head[:cut]))
        except ImportError:
            continue
        rest = ".".join(head[cut:])
        return _lookup(root, root.__name__, rest) if rest else root.__name__
    return None


def convert_roles(
    text: str, module: ModuleType, scopes: list[str], known: set[str], first_col: int = 0
) -> str:
    """Replace the Sphinx roles of one docstring, keeping its lines within ``LIMIT``.

    ``first_col`` is the column where the docstring's text starts in the file. The
    summary line stays one line: a cross-reference that would make it too long is
    written as plain code there.
    """

    def replace(match: re.Match[str], link: bool = True) -> str:
        tilde, target = match.group(2), match.group(3).strip()
        shown = target.rsplit(".", 1)[-1] if tilde else target
        if match.group(1) in ("func", "meth") and not shown.endswith(")"):
            shown += "()"
        full = resolve(target, module, scopes)
        if link and full and full in known:
            return f"[`{shown}`][{full}]"
        return f"`{shown}`"

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not ROLE.search(line):
            continue
        new = ROLE.sub(replace, line)
        if i == 0 and first_col + len(new) + 3 > LIMIT:
            new = ROLE.sub(lambda m: replace(m, link=False), line)
        lines[i] = new
    return "\n".join(_rewrap(lines, first_col))


# Lines that start something new: list items, doctest lines, section heads, Args items.
MARKER = re.compile(
    r"^\s*(?:[*+-] |\d+\. |>>> |\.\.\. |[A-Z]\w*( \w+)?:\s*$|\*{0,2}\w[\w.]*(?: \([^)]*\))?: )"
)


def _rewrap(lines: list[str], first_col: int) -> list[str]:
    """Move the words that overflow a line to the start of the next (or a new) line."""
    i = 0
    while i < len(lines):
        line = lines[i]
        col = first_col if i == 0 else 0
        if i == 0 or col + len(line) <= LIMIT or " " not in line.strip():
            i += 1
            continue
        indent = len(line) - len(line.lstrip())
        cut = line.rfind(" ", indent + 1, LIMIT - col + 1)
        while cut > indent and line[cut - 1] == " ":
            cut -= 1
        if cut <= indent:
            i += 1
            continue
        head, tail = line[:cut].rstrip(), line[cut:].strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        nxt_indent = len(nxt) - len(nxt.lstrip())
        if nxt.strip() and nxt_indent >= indent and not MARKER.match(nxt):
            lines[i + 1] = " " * nxt_indent + tail + " " + nxt.strip()
        else:
            bullet = re.match(r"^\s*(?:[*+-] |\d+\. )", line)
            item = re.match(r"^\s*\w[\w.]*(?: \([^)]*\))?: \S", line) and indent > 0
            more = len(bullet.group(0)) - indent if bullet else (4 if item else 0)
            lines.insert(i + 1, " " * (indent + more) + tail)
        lines[i] = head
        i += 1
    return lines


def convert_examples(text: str) -> str:
    """Put doctest blocks that stand in prose under an ``Examples:`` heading."""
    lines = text.split("\n")
    out: list[str] = []
    in_fence = False
    in_section: str | None = None  # the indentation of the Examples: heading we are in
    i = 0
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            in_fence = not in_fence
        if in_section is not None and line.strip():
            depth = len(line) - len(line.lstrip())
            if depth <= len(in_section):
                in_section = None
        if SECTION.match(line):
            in_section = line[: len(line) - len(line.lstrip())]
        prompt = PROMPT.match(line)
        if in_fence or in_section is not None or not prompt:
            out.append(line)
            i += 1
            continue
        indent = prompt.group(1)
        end = i
        while end < len(lines):
            if lines[end].strip():
                end += 1
                continue
            nxt = end
            while nxt < len(lines) and not lines[nxt].strip():
                nxt += 1
            if nxt < len(lines) and lines[nxt].startswith(indent + ">>> "):
                end = nxt
                continue
            break
        if out and out[-1].strip():
            out.append("")
        block = lines[i:end]
        if any(len(x) + 4 > LIMIT for x in block):
            # Indented, a line would be too long: a fence keeps it a doctest and code.
            out += [f"{indent}```pycon", *block, "", f"{indent}```"]
            i = end
            continue
        out.append(f"{indent}Examples:")
        for before, x in zip(["", *block], block, strict=False):
            if before.endswith("\\"):
                out.append(x)  # the rest of a line continued with a backslash: as it is
            else:
                out.append(f"{indent}    {x[len(indent) :]}" if x.strip() else "")
        i = end
        if i >= len(lines) - 1 and (out[-1].strip() or i == len(lines)):
            out.append("")  # a blank line closes the last section (pydocstyle D413)
    return "\n".join(out)


def _docstrings(tree: ast.Module) -> list[tuple[ast.Constant, list[str]]]:
    found: list[tuple[ast.Constant, list[str]]] = []

    def visit(node: ast.AST, scopes: list[str]) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.append((first.value, scopes))
        if isinstance(body, list):
            # Attribute docstrings: a string right after an assignment.
            for before, stmt in itertools.pairwise(body):
                if (
                    isinstance(before, (ast.Assign, ast.AnnAssign))
                    and isinstance(stmt, ast.Expr)
                    and isinstance(stmt.value, ast.Constant)
                    and isinstance(stmt.value.value, str)
                ):
                    found.append((stmt.value, scopes))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*scopes, ".".join([*scopes[-1:], child.name])])
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, scopes)

    visit(tree, [])
    return found


def convert_file(path: Path, known: set[str]) -> str:
    """The converted text of one source file."""
    source = path.read_text(encoding="utf-8")
    module = importlib.import_module(module_name(path))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    for node, scopes in _docstrings(ast.parse(source)):
        start = offsets[node.lineno - 1] + node.col_offset
        if node.end_lineno is None or node.end_col_offset is None:
            continue
        end = offsets[node.end_lineno - 1] + node.end_col_offset
        raw = source[start:end]
        quote = re.match(r'^[rRbBuU]*("""|\'\'\'|"|\')', raw)
        if not quote:
            continue
        q = quote.group(1)
        inner = raw[len(quote.group(0)) : len(raw) - len(q)]
        first_col = node.col_offset + len(quote.group(0))
        new = convert_examples(convert_roles(inner, module, scopes, known, first_col))
        if new != inner and SECTION_ANY.search(new) and not re.search(r"\n[ \t]*\n[ \t]*$", new):
            # pydocstyle (D413) wants a blank line after the last section, even with
            # prose after it.
            indent = new[new.rfind("\n") + 1 :] if "\n" in new else ""
            new = new.rstrip() + "\n\n" + (indent if not indent.strip() else "")
        if new != inner:
            edits.append((start, end, raw[: len(quote.group(0))] + new + q))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source


def main(argv: list[str] | None = None) -> int:
    """Convert (or with ``--check`` only test) the given files, by default all of src/kim."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--inventory", type=Path, help="objects.inv of a built site")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SRC))
    known = read_inventory(args.inventory) if args.inventory else build_inventory()
    files = args.files or sorted(p for p in (SRC / "kim").rglob("*.py") if p.name != "__main__.py")
    changed = []
    for path in files:
        new = convert_file(path, known)
        if new != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if changed and not args.check and shutil.which("ruff"):
        # A "noqa: E501" that the indented examples no longer need.
        subprocess.run(["ruff", "check", "-q", "--fix", "--select", "RUF100", *map(str, changed)])
    verb = "would change" if args.check else "changed"
    for path in changed:
        print(f"{verb}: {path.relative_to(ROOT)}")
    print(f"{len(changed)} of {len(files)} files {verb}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
