"""Hundreds of bad inputs to the ``kim`` command: one error line each, never a traceback.

The explicit corpus (``corpus.py``) holds the inputs an adversary tries first; the
hypothesis part adds generated arguments for every subcommand. Together they are more
than 300 bad inputs; each must end in one ``kim: error:`` line (or argparse's usage
error), exit status 1 or 2, within the time and memory budget.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import corpus
from .harness import MEMORY, SECONDS, cli_problem, run_cli

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def file_cases(folder: Path) -> list[tuple[str, list[str]]]:
    """Every bad file under every option that reads a file, plus bad output paths."""
    cases: list[tuple[str, list[str]]] = []

    def put(name: str, data: bytes) -> str:
        path = folder / name
        path.write_bytes(data)
        return str(path)

    for name, data in corpus.SCENARIOS:
        cases.append((f"scenario {name}", ["report", "--scenario", put("s-" + name, data)]))
    for name, data in corpus.WEIGHTS:
        argv = ["allocate", "--total", "500", "--weights", put("w-" + name, data)]
        cases.append((f"weights {name}", argv))
    for name, data in corpus.LOGS:
        path = put("l-" + name, data)
        cases.append((f"replay {name}", ["case", "replay", path]))
        cases.append((f"stats {name}", ["case", "stats", path, "--year", "2024"]))
        cases.append((f"due {name}", ["case", "due", path, "--on", "2024-06-01"]))
    for name, data in corpus.POLICIES:
        path = put("p-" + name, data)
        good = str(corpus.GOOD_LOG)
        cases.append(
            (f"policy {name}", ["case", "due", good, "--on", "2024-06-01", "--policy", path])
        )
        cases.append((f"policy replay {name}", ["case", "replay", good, "--policy", path]))
    directory = folder / "adir"
    directory.mkdir()
    for option, command in (
        ("--scenario", ["report"]),
        ("--weights", ["allocate", "--total", "5"]),
    ):
        cases.append((f"{option} directory", [*command, option, str(directory)]))
        cases.append((f"{option} missing", [*command, option, str(folder / "missing")]))
    cases.append(("replay directory", ["case", "replay", str(directory)]))
    blocker = put("afile", b"x")
    for target in (
        folder / "no" / "such" / "dir" / "p.png",
        folder / "p.exe",
        Path(blocker) / "p.png",
        directory,
    ):
        cases.append((f"plot {target.name}", ["report", "--plot", str(target)]))
    return cases


def all_cases(folder: Path) -> list[tuple[str, list[str]]]:
    """The explicit corpus: files and arguments."""
    return file_cases(folder) + [(" ".join(a)[:60], a) for a in corpus.ARGS]


def test_the_explicit_corpus_of_bad_cli_inputs(tmp_path: Path) -> None:
    cases = all_cases(tmp_path)
    failures = []
    for label, argv in cases:
        problem = cli_problem(run_cli(argv), bad=True, plant="PLANTED")
        if problem:
            failures.append(f"{label}: {problem}")
    assert len(cases) >= 100
    assert failures == []


# Generated arguments: every option of every subcommand gets hostile text.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "-1",
            "1e26",
            "1e400",
            "NaN",
            "-Infinity",
            "9999-12-31",
            "10000-01-01",
            "\x1b[2J",
            "0x10",
            "1_000",
            "١٢",
            "2023-02-30",
            "x=y=z",
            "case_management=",
            "=1",
            " ",
            "\n",
        ]
    ),
)
COMMANDS: list[tuple[list[str], list[str]]] = [
    (["grant", "--year", "2023", "--post", "case_management=1", "--district"], []),
    (["grant", "--district", "Coesfeld", "--year", "2023", "--post"], []),
    (
        ["grant", "--district", "Coesfeld", "--year", "2023", "--post", "coordination=1", "--cost"],
        [],
    ),
    (
        [
            "grant",
            "--district",
            "Coesfeld",
            "--year",
            "2023",
            "--post",
            "coordination=1",
            "--measures",
        ],
        [],
    ),
    (["grant", "--district", "Coesfeld", "--post", "coordination=1", "--year"], []),
    (["explain", "--district", "Coesfeld", "--year", "2023", "--post"], []),
    (
        ["grant", "--district", "Coesfeld", "--year", "2023", "--post", "coordination=1", "--from"],
        [],
    ),
    (["district"], []),
    (["eligibility", "Coesfeld", "--component"], []),
    (["eligibility", "--component", "1"], []),
    (["allocate", "--total"], []),
    (["allocate", "--total", "500", "--step"], []),
    (["allocate", "--total", "500", "--minimum"], []),
    (["allocate", "--total", "500", "--method"], []),
    (["rates", "--on"], []),
    (["rates", "--year"], []),
    (["coverage", "--from"], []),
    (["case", "due", str(corpus.GOOD_LOG), "--on"], []),
    (["case", "stats", str(corpus.GOOD_LOG), "--year"], []),
    (["case", "due", str(corpus.GOOD_LOG), "--on", "2024-06-01", "--review-weeks"], []),
    (["report", "--year"], []),
]


@settings(
    max_examples=260,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), value=HOSTILE)
def test_generated_arguments(command: tuple[list[str], list[str]], value: str) -> None:
    head, tail = command
    outcome = run_cli([*head, value, *tail])
    # A generated value may happen to be valid (exit 0); everything else must be clean.
    assert cli_problem(outcome, bad=False) == ""


def _limit_memory() -> None:
    # The whole address space of the child, interpreter and numpy included (measured:
    # a full `kim report` peaks at about 64 MiB resident and runs under this cap).
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run_capped(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run ``kim`` in a child under the memory cap; its time and peak resident size."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kim", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    seconds = time.perf_counter() - start
    # ru_maxrss (KiB on Linux) is the largest of all children so far: an upper bound.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return done, seconds, peak


@pytest.mark.parametrize(
    "argv",
    [
        ["case", "replay", "/dev/zero"],
        ["case", "stats", "/dev/zero", "--year", "2024"],
        ["report", "--scenario", "/dev/zero"],
        ["allocate", "--total", "500", "--weights", "/dev/zero"],
        ["grant", "--district", "Coesfeld", "--year", "2023", "--post", "case_management=1e26"],
    ],
)
def test_real_processes_fail_fast_with_one_line(argv: list[str]) -> None:
    done, seconds, peak = _run_capped(argv)
    assert done.returncode in (1, 2)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("kim: error: ")
    assert peak <= MEMORY and seconds <= 2 * SECONDS  # a cold interpreter start included


def test_a_full_run_fits_under_the_memory_cap() -> None:
    # The cap is not so tight that it fails good input: the statewide run imports numpy.
    done, _seconds, peak = _run_capped(["report", "--year", "2023"])
    assert done.returncode == 0, done.stderr
    assert peak <= MEMORY
