"""Render built docs pages in headless Chromium and fail on console errors.

Builds the site (unless ``--site DIR`` is given), serves it on 127.0.0.1, opens the home
page, one generated page and one notebook page in Debian's ``chromium`` with the DevTools
console logged to stderr, saves a screenshot of each into the site folder, and exits 1
if Chromium reports a console error or an uncaught exception.

Usage: ``python scripts/render_check.py [--site DIR] [--chromium PATH]``.
Install Chromium first: ``apt-get install chromium``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("", "data/parameters/", "notebooks/researcher-scenario-study/")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1280,2000",
    "--virtual-time-budget=5000",
]
CONSOLE = re.compile(r":CONSOLE[(:]\d+|Uncaught |Failed to load resource", re.I)


def build(site: Path) -> None:
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
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def render(chromium: str, url: str, shot: Path, profile: Path) -> list[str]:
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    problems = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
    if done.returncode != 0:
        problems.append(f"chromium exited with {done.returncode}")
    if not shot.exists():
        problems.append("no screenshot was written")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, help="an already built site folder")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        server, port = serve(site)
        failed = False
        try:
            for page in PAGES:
                url = f"http://127.0.0.1:{port}/{page}"
                shot = site / f"screenshot-{page.strip('/').replace('/', '-') or 'home'}.png"
                problems = render(args.chromium, url, shot, Path(tmp) / "profile")
                status = "ok" if not problems else "FAILED"
                size = shot.stat().st_size if shot.exists() else 0
                print(f"{status}: {url} -> {shot} ({size} bytes)")
                for line in problems:
                    print(f"    {line}")
                failed = failed or bool(problems)
        finally:
            server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
