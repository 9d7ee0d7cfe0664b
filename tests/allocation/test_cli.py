from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kim.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_allocate_population_sainte_lague(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "allocate", "--total", "500", "--step", "0.5", "--method", "sainte-lague",
        "--key", "population", "--minimum", "3", "--cap", "30", "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    shares = [Decimal(r["share"]) for r in rows]
    assert len(rows) == 54 and sum(shares) == 500
    assert min(shares) >= 3 and max(shares) <= 30
    koeln = next(r for r in rows if r["key"] == "05315000")
    assert koeln["name"] == "Köln" and Decimal(koeln["share"]) == max(shares)


def test_allocate_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "allocate", "--total", "54", "--key", "equal")
    assert code == 0 and out.splitlines()[0].split() == ["key", "name", "weight", "quota", "share"]
    code, out, _ = run(capsys, "allocate", "--total", "60", "--base", "1", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "key,name,weight,quota,share"
    assert all(Decimal(line.split(",")[-1]) >= 1 for line in out.splitlines()[1:])


def test_allocate_with_a_weights_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.csv"
    path.write_text("key,weight\n" + "\n".join(f"{k},1" for k in _keys()), encoding="utf-8")
    code, out, _ = run(
        capsys, "allocate", "--total", "27", "--weights", str(path), "--format", "json"
    )
    assert code == 0 and {r["share"] for r in json.loads(out)} == {"0.5"}


def _keys() -> list[str]:
    from kim.territory import embedded_territory

    return [d.key for d in embedded_territory()]


def test_compare_observed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "allocate", "--compare-observed", "--year", "2021", "--component", "2",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["units"] == len(data["rows"]) >= 5
    assert {"Kreis Unna", "Kreis Minden-Lübbecke"} <= {r["name"] for r in data["rows"]}
    code, out, _ = run(
        capsys, "allocate", "--compare-observed", "--year", "2021", "--component", "2",
        "--base", "6", "--confirmed-only",
    )  # fmt: skip
    assert code == 0 and "rmse" in out and "Minden" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["allocate", "--total", "5", "--minimum", "3"], "minimums add up"),
        (["allocate", "--total", "10.2"], "not a whole number of steps"),
        (["allocate"], "--total"),
        (["allocate", "--compare-observed"], "--year"),
        (["allocate", "--total", "5", "--method", "borda"], "Unknown method"),
        (["allocate", "--total", "5", "--key", "equal", "--weights", "x.csv"], "either"),
        (["allocate", "--total", "60", "--base", "1", "--minimum", "1"], "--base"),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kim: error:") and message in err
