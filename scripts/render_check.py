"""Render every built docs page in headless Chromium and fail on what a reader would see.

Builds the site (unless ``--site DIR`` is given), serves it on 127.0.0.1 and opens every
HTML page in Debian's ``chromium`` (driven by Playwright, 1280 px wide). A page fails on

- a console error or an uncaught exception;
- any request to another host (the site must work offline; such requests are blocked);
- a request to the site that fails or answers 4xx/5xx, an image that does not load;
- raw Sphinx roles (``:func:`x```), doctest examples rendered as nested quotes or raw
  Mermaid source in the rendered text;
- horizontal overflow of the main column: the page scrolls sideways, or a table is wider
  than the column (Material hides the rest behind a scroll bar);
- an internal link to a page or an anchor that does not exist.

Screenshots of the key pages go to ``site-screenshots/`` (git-ignored; CI keeps it).

Usage: ``python scripts/render_check.py [--site DIR] [--chromium PATH] [--shots DIR]``.
Exit codes: 0 all pages pass, 1 a page failed, 2 Chromium or Playwright is missing.
Install Chromium with ``apt-get install chromium``; Playwright comes with the docs extra.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 1280
HEIGHT = 900
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but the local server resolves: a request to another host fails at once
    # (and is reported from the request log).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# Key pages and what to photograph: (page, CSS selector to scroll to or None, file name).
SHOTS = (
    ("", None, "home"),
    ("tutorials/how-kim-funding-works/", ".mermaid", "tutorial-diagram"),
    ("reference/funding/", "[id='kim.funding.rules.grant']", "reference-funding"),
    ("reference/money/", None, "reference-money"),
    ("casework/", ".mermaid", "casework-states"),
    ("getting-started/", None, "getting-started"),
    ("data/districts/", None, "data-districts"),
    ("data/coverage/", None, "data-coverage"),
    ("data/parameters/", None, "data-parameters"),
    ("notebooks/researcher-scenario-study/", None, "notebook-researcher"),
)
# In the rendered text the role's backticks have become a code span: ":func:name".
# Pages whose Python examples are copied with the copy buttons and pasted, in order, into
# a plain interactive `python` session, which must print no traceback.
PASTE_PAGES = ("getting-started/", "tutorials/how-kim-funding-works/")
COPY_BUTTON = '.md-code__button[data-md-type="copy"], .md-clipboard'
COPY_ALL = """() => [...document.querySelectorAll(".highlight")]
  .filter((b) => b.querySelector("code .gp") && b.querySelector(BUTTON))
  .map((b) => { const button = b.querySelector(BUTTON); button.click();
                return [button.getAttribute("data-clipboard-text") || "",
                        b.querySelector("code").innerText]; })""".replace(
    "BUTTON", repr(COPY_BUTTON)
)
SPHINX_ROLE = re.compile(
    r":(?:py:)?(?:func|class|meth|attr|mod|exc|data|obj|const|ref|term):(?=[`\w~])"
)
MERMAID_SOURCE = re.compile(r"^\s*(?:flowchart|graph|sequenceDiagram|stateDiagram)\b", re.M)

# Run in the page: what the reader sees, measured.
# Material draws a diagram into a closed shadow root: what is left as text is source.
RAW_MERMAID = "(m) => m.innerText.trim() !== ''"
INSPECT = (
    """() => {
  const RAW_MERMAID = @RAW@;
  const main = document.querySelector("article.md-content__inner") || document.body;
  // Material lets a table's scroll box reach into the article's padding: the limit is
  // the main column (.md-content), not the text.
  const box = (main.closest(".md-content") || main).getBoundingClientRect();
  const wide = [];
  for (const el of main.querySelectorAll("table")) {
    const wrap = el.closest(".md-typeset__scrollwrap") || el.parentElement;
    const need = Math.max(el.scrollWidth, wrap.scrollWidth);
    if (need > wrap.clientWidth + 1 || el.getBoundingClientRect().right > box.right + 1) {
      const head = el.querySelector("th") ? el.querySelector("th").innerText : "";
      wide.push(`table (${head}...) needs ${need}px in a ${wrap.clientWidth}px column`);
    }
  }
  // A doctest outside a code block: Markdown reads ">>>" as three nested quotes.
  const quoted = [...main.querySelectorAll("blockquote blockquote blockquote")].length;
  const images = [...document.images].filter((i) => i.complete && i.naturalWidth === 0)
    .map((i) => i.getAttribute("src"));
  const mermaid = [...main.querySelectorAll(".mermaid")].filter(RAW_MERMAID).length;
  return {
    text: main.innerText,
    pageWidth: document.documentElement.scrollWidth,
    wide: wide,
    images: images,
    mermaid: mermaid,
    quoted: quoted,
    links: [...main.querySelectorAll("a[href]")].map((a) => a.href),
  };
}"""
).replace("@RAW@", RAW_MERMAID)


@dataclass
class Page:
    """What one page showed."""

    url: str
    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def _anchors(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def build(site: Path) -> None:
    """Build the site strictly into ``site``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        env=env,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    """Serve ``site`` on a free local port in a daemon thread."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to the site root."""
    found = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        found.append(rel.removesuffix("index.html"))
    return found


def target_file(site: Path, path: str) -> Path | None:
    """The file a site path serves, or None."""
    local = site / unquote(path).lstrip("/")
    if local.is_dir():
        local = local / "index.html"
    return local if local.is_file() else None


def check_links(site: Path, origin: str, page: Page) -> None:
    """Add a problem for each link to a missing page or anchor of the site."""
    for href in sorted(set(page.links)):
        if not href.startswith(origin):
            continue
        bare, fragment = urldefrag(href)
        local = target_file(site, urlsplit(bare).path)
        if local is None:
            page.problems.append(f"broken link: {href}")
        elif fragment and local.suffix == ".html" and unquote(fragment) not in _anchors(local):
            page.problems.append(f"broken anchor: {href}")


def inspect(ctx: Any, origin: str, path: str, shots: Path) -> Page:
    """Open one page, wait for it to settle and record every problem."""
    page = Page(origin + "/" + path)
    tab = ctx.new_page()
    tab.on(
        "console",
        lambda m: page.problems.append(f"console error: {m.text}") if m.type == "error" else None,
    )
    tab.on("pageerror", lambda e: page.problems.append(f"uncaught exception: {e}"))
    tab.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((origin, "data:", "blob:", "about:"))
            else page.problems.append(f"request to another host: {r.url}")
        ),
    )
    tab.on(
        "requestfailed",
        lambda r: (
            page.problems.append(f"request failed: {r.url} ({r.failure})")
            if r.url.startswith(origin)
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    try:
        tab.goto(page.url, wait_until="load", timeout=30_000)
        if tab.locator(".mermaid").count():
            # A diagram still not drawn after 10 s is reported below as raw source.
            with contextlib.suppress(Exception):
                tab.wait_for_function(
                    f"![...document.querySelectorAll('.mermaid')].some({RAW_MERMAID})",
                    timeout=10_000,
                )
        seen = tab.evaluate(INSPECT)
    except Exception as error:  # a page that cannot load is a failed page
        page.problems.append(f"could not load: {error}")
        tab.close()
        return page
    roles = sorted(set(m.group(0) for m in SPHINX_ROLE.finditer(seen["text"])))
    if roles:
        count = len(SPHINX_ROLE.findall(seen["text"]))
        page.problems.append(f"{count} raw Sphinx roles in the text: {', '.join(roles)}")
    if seen["mermaid"] or MERMAID_SOURCE.search(seen["text"]):
        page.problems.append("raw Mermaid source in the text (diagram not drawn)")
    if seen["quoted"]:
        page.problems.append(f"{seen['quoted']} doctest examples shown as nested quotes")
    if seen["pageWidth"] > WIDTH:
        page.problems.append(f"the page is {seen['pageWidth']}px wide at {WIDTH}px")
    page.problems += [f"too wide: {w}" for w in seen["wide"]]
    page.problems += [f"broken image: {src}" for src in seen["images"]]
    page.links = seen["links"]
    if path in PASTE_PAGES:
        page.problems += paste(tab.evaluate(COPY_ALL))
    for key, selector, name in SHOTS:
        if key == path:
            if selector and tab.locator(selector).count():
                tab.locator(selector).first.scroll_into_view_if_needed()
                tab.evaluate("window.scrollBy(0, -80)")
            tab.screenshot(path=str(shots / f"{name}.png"))
    tab.close()
    return page


def paste(blocks: list[tuple[str, str]]) -> list[str]:
    """Paste copied examples into an interactive ``python``; the problems it shows.

    ``blocks`` holds each example's copied text and its text as shown. An example may show
    a traceback on purpose; the session must show as many tracebacks, and no more.
    """
    copied = [text for text, _ in blocks]
    expected = sum(shown.count("Traceback (most recent call last)") for _, shown in blocks)
    if not copied:
        return ["no copyable Python example found"]
    if any(line.startswith((">>>", "...")) for text in copied for line in text.splitlines()):
        return ["a copy button copies the >>> or ... prompts"]
    done = subprocess.run(
        [sys.executable, "-i", "-q"],
        input="".join(copied),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    tracebacks = done.stderr.count("Traceback (most recent call last)")
    if tracebacks != expected:
        return [
            f"pasted into python, the copied examples show {tracebacks} tracebacks where the "
            f"page shows {expected}: {done.stderr.strip()[-800:]}"
        ]
    return []


def run(site: Path, chromium: str, shots: Path, only: list[str] | None = None) -> int:
    """Check every page of ``site``; print one line per page; return the exit code."""
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    server, port = serve(site)
    origin = f"http://127.0.0.1:{port}"
    all_pages = [p for p in pages(site) if not only or p in only]
    failed = 0
    start = time.perf_counter()
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
            ctx = pw.chromium.launch_persistent_context(
                profile,
                executable_path=chromium,
                args=FLAGS,
                headless=True,
                viewport={"width": WIDTH, "height": HEIGHT},
                service_workers="block",
            )
            for path in all_pages:
                page = inspect(ctx, origin, path, shots)
                check_links(site, origin, page)
                if page.problems:
                    failed += 1
                    print(f"FAILED: /{path}")
                    for line in page.problems:
                        print(f"    {line}")
            ctx.close()
    finally:
        server.shutdown()
    took = time.perf_counter() - start
    print(f"{len(all_pages) - failed} of {len(all_pages)} pages passed in {took:.0f}s; "
          f"screenshots in {shots}")  # fmt: skip
    return 1 if failed else 0


def find_chromium(given: str | None) -> str | None:
    """The Chromium binary to drive: the given one, else Debian's ``chromium``."""
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, build the site if needed and check it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="an already built site folder")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH)")
    parser.add_argument("--shots", type=Path, default=ROOT / "site-screenshots")
    parser.add_argument("--page", action="append", help="check only this page (repeatable)")
    args = parser.parse_args(argv)
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("render check: no Chromium found (install it with: apt-get install chromium)")
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("render check: Playwright is missing (pip install -e '.[docs]')")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        return run(site, chromium, args.shots, args.page)


if __name__ == "__main__":
    sys.exit(main())
