import argparse
import json
import subprocess
import sys
from datetime import date

import pytest

from kim import __version__
from kim.cli import main
from kim.parameters import embedded_parameters


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    fast = capsys.readouterr().out
    assert fast == f"kim-nrw {__version__}\n"
    # After another option, argparse answers (and exits): the same line.
    with pytest.raises(SystemExit) as info:
        main(["--debug", "--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == fast


def test_version_alone_builds_no_command_parsers() -> None:
    code = (
        "import sys, kim.cli\n"
        "kim.cli.main(['--version'])\n"
        "print('kim.scenarios.cli' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [f"kim-nrw {__version__}", "False"]


def test_argparse_errors_do_not_pass_escapes_or_newlines_through(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # argparse echoes unrecognised arguments as given; the error line must stay one
    # printable line (an ANSI escape shown as \x1b, a newline as \n).
    with pytest.raises(SystemExit) as info:
        main(["report", "\x1b[31mX\nTOTAL 0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert err.splitlines()[-1] == "kim: error: unrecognized arguments: \\x1b[31mX\\nTOTAL 0"


def test_rates_2023_shows_every_known_2023_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rates", "--year", "2023", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    params = embedded_parameters()
    expected = {
        (p.id, v.start.isoformat())
        for p in params.values()
        for v in p.overlapping(date(2023, 1, 1), date(2023, 12, 31))
    }
    shown = {(r["parameter"], r["valid"].split("..")[0]) for r in rows if r["status"] != "missing"}
    assert shown == expected
    cm = next(r for r in rows if r["parameter"] == "case_management_flat_rate")
    assert cm["amount"] == "57000" and cm["status"] == "confirmed"
    assert "coesfeld-sv-10-0898" in cm["sources"]
    missing = {r["parameter"] for r in rows if r["status"] == "missing"}
    assert "kim_budget" in missing


def test_rates_table_has_status_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rates", "--year", "2023", "--wide")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("case_management_flat_rate"))
    assert "EUR 57,000.00" in line and "confirmed" in line and "coesfeld-sv-10-0898" in line


def test_rates_on_a_day_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rates", "--on", "2020-05-01", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("parameter,name,amount")
    assert any(
        x.startswith("authorities_flat_rate_half_post,") and ",derived," in x
        for x in out.splitlines()
    )


def test_both_year_and_day_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rates", "--year", "2023", "--on", "2023-01-01")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kim: error:")


def test_bad_date_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["rates", "--on", "31.12.2023"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_sources_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sources", "--format", "json")
    assert code == 0 and any(s["id"] == "tintg-9" for s in json.loads(out))
    code, out, _ = run(capsys, "coverage", "--from", "2023", "--to", "2024")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("case_management_flat_rate"))
    assert line.split()[1:] == ["confirmed", "missing"]
    code, _, err = run(capsys, "coverage", "--from", "2024", "--to", "2023")
    assert code == 2 and "before" in err


def test_python_dash_m_kim_runs_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kim", "rates", "--year", "2023", "--on", "2023-01-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "kim", "coverage"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0 and "kim_budget" in ok.stdout


def test_districts_lists_all_54(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "districts", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 54 and {r["key"] for r in rows} >= {"05334", "05334002"}
    code, out, _ = run(capsys, "districts")
    assert "NRW population 17,890,489" in out


def test_district_by_alias_and_municipality(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "district", "StädteRegion Aachen", "--format", "json")
    assert code == 0 and json.loads(out)[0]["key"] == "05334"
    code, out, _ = run(capsys, "district", "Kamen")
    assert code == 0 and "Kreis Unna (05978)" in out and "auslaenderbehoerde      False" in out
    code, _, err = run(capsys, "district", "Kreis Coesfelt")
    assert code == 2 and "Kreis Coesfeld" in err


def test_eligibility_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "eligibility",
        "Rheine",
        "--component",
        "1",
        "--extra-coordination",
        "--on",
        "2022-06-01",
        "--format",
        "json",
    )
    assert code == 0
    decision = json.loads(out)
    assert decision["outcome"] == "eligible"
    assert [r["rule"] for r in decision["reasons"]][-1] == "extra_coordination"
    code, out, _ = run(
        capsys, "eligibility", "Kreis Soest", "--component", "3", "--on", "2020-03-15"
    )
    assert code == 0 and "undetermined" in out.splitlines()[0]
    assert "missing facts" in out
    code, _, err = run(capsys, "eligibility", "Köln", "--component", "4")
    assert code == 2 and "Unknown component" in err


def test_rates_in_german_fit_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "rates", "--year", "2023", "--lang", "de")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Parameter", "Wert", "Einheit", "gültig", "Status"]
    line = next(x for x in lines if x.startswith("case_management_flat_rate"))
    # https://www.kreis-coesfeld.de (coesfeld-sv-10-0898): 57.000 € per post in 2023
    assert line.split() == [
        "case_management_flat_rate",
        "57.000,00",
        "€",
        "EUR",
        "2023",
        "bestätigt",
    ]
    assert max(len(x) for x in lines) <= 80


def test_report_in_german_fits_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "report", "--year", "2023", "--lang", "de")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "KIM landesweit 2023"
    assert max(len(x) for x in lines) <= 80
    unna = next(x for x in lines if x.startswith("Kreis Unna"))
    # 18 case-management posts at 57.000 € each in 2023 (1.026.000,00 €, the grant notice)
    # plus the estimated coordination quota: a German-formatted, estimated total
    from kim.scenarios import run_statewide

    total = next(u for u in run_statewide(2023).units if u.key == "05978").total
    assert total.format_de().removesuffix(" €") in unna and unna.endswith("geschätzt")
    assert any(x.startswith("Summen:") for x in lines)


def test_lang_defaults_to_kim_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIM_LANG", "de")
    code, out, _ = run(capsys, "coverage", "--from", "2023", "--to", "2023")
    assert code == 0
    assert out.splitlines()[0].split() == ["Parameter", "2023"]
    assert "bestätigt" in out


def test_every_command_takes_lang_and_wide() -> None:
    from kim.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, cmd in sub.choices.items():
        options = {o for action in cmd._actions for o in action.option_strings}
        assert {"--lang", "--wide"} <= options, name


@pytest.mark.parametrize("argument", ["--version", "--help"])
def test_version_and_help_load_no_models_nor_numpy(argument: str) -> None:
    code = (
        "import sys\n"
        "from kim.cli import main\n"
        f"try:\n    main([{argument!r}])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'numpy', 'yaml')]\n"
        "heavy += [m for m in sys.modules if m.startswith(('kim.scenarios.', 'kim.funding.'))\n"
        "          and not m.endswith('.cli')]\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_report_loads_neither_numpy_nor_explanations() -> None:
    # The computed statewide run (a few hundred lines) uses the batch engine's rule on
    # Python integers; NumPy's import would cost more than the whole pricing. Explanations and
    # parameter coverage are built only when asked for.
    unneeded = ("numpy", "kim.explain.model", "kim.receipt", "kim.parameters.coverage_table")
    code = (
        "import sys, io, contextlib\n"
        "from kim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main(['report', '--recompute'])\n"
        f"print([m for m in {unneeded!r} if m in sys.modules],\n"
        "      'Kreis Coesfeld' in out.getvalue())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] True"


def test_importing_kim_scenarios_loads_no_statewide_run() -> None:
    code = "import sys, kim.scenarios; print('kim.scenarios.statewide' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
