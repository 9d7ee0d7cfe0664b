import json

import pytest

from kim.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_grant_table(capsys: pytest.CaptureFixture[str]) -> None:
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924
    code, out, _ = run(
        capsys, "grant", "--district", "Kreis Coesfeld", "--year", "2023",
        "--post", "case-management=12", "--post", "coordination=3.5", "--wide",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("Kreis Coesfeld (05558), funding year 2023")
    assert "Baustein 2 (Case management): EUR 684,000.00" in out
    assert "Total: EUR 883,500.00" in out
    line = next(x for x in out.splitlines() if x.lstrip().startswith("1 "))
    assert "12/12" in line and "confirmed" in line and "coesfeld-sv-10-0898" in line


def test_grant_from_date_and_cost(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "grant", "--district", "05770", "--year", "2021",
        "--post", "case-management=9", "--from", "2021-04-01",
        "--cost", "case-management=300000",
    )  # fmt: skip
    assert code == 0
    assert "9/12" in out and "Total: EUR 300,000.00" in out
    assert "own share (Eigenanteil): EUR 0.00" in out


def test_grant_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "grant", "--district", "Kreis Unna", "--year", "2023",
        "--post", "case-management=18", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["total"] == "1026000.00" and data["basis"] == "confirmed"
    assert data["lines"][0]["rate"]["sources"] == ["coesfeld-sv-10-0898", "kamen-vo-4501"]


def test_explain_text_json_html(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--district", "Soest", "--year", "2020", "--post", "auslaenderbehoerde=0.5"]
    code, out, _ = run(capsys, "explain", *base, "--lang", "de")
    assert code == 0 and out.startswith("Förderung für Kreis Soest (05974), Förderjahr 2020")
    assert "25.000,00 € × 1 halbe Stelle(n) × 12/12 = 25.000,00 €" in out
    code, out, _ = run(capsys, "grant", *base, "--explain", "--format", "json")
    assert code == 0 and json.loads(out)["schema_version"] == "1.1"
    code, out, _ = run(capsys, "explain", *base, "--format", "html")
    assert code == 0 and '<div class="kim-explanation">' in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--year", "2024", "--post", "case-management=1"], "No known value of parameter"),
        (["--year", "2023", "--post", "manager=1"], "Unknown kind of post 'manager'"),
        (["--year", "2023"], "Give at least one --post"),
        (
            ["--year", "2023", "--post", "case-management=1", "--from", "2022-01-01"],
            "must lie in the funding year 2023",
        ),
        (
            ["--year", "2023", "--post", "case-management=1", "--post", "case_management=2"],
            "given twice",
        ),
    ],
)
def test_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "grant", "--district", "05558", *argv)
    # A value the sources do not give is a data gap (1); the rest is bad input (2).
    assert code == (1 if "No known value" in message else 2) and out == ""
    assert err.startswith("kim: error: ") and message in err


def test_bad_pair_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["grant", "--district", "05558", "--year", "2023", "--post", "case-management"])
    assert info.value.code == 2
    assert "write KIND=NUMBER" in capsys.readouterr().err
