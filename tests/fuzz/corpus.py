"""Bad inputs for every ``kim`` subcommand: files and arguments an adversary would try."""

from __future__ import annotations

import json
from pathlib import Path

LOG_LINE = {
    "v": 1,
    "type": "referred",
    "client_id": "K-1",
    "on": "2024-01-08",
    "unit": "Kreis Coesfeld",
    "case_manager": "cm-01",
    "rechtskreis": "asylblg",
    "referred_by": "sozialamt",
}
RATE = (
    "  - parameter: case_management_flat_rate\n    start: 2024-01-01\n"
    "    end: 2024-12-31\n    value: '{value}'\n    unit: EUR\n"
)

# (file name, bytes) of bad scenario files
SCENARIOS: list[tuple[str, bytes]] = [
    ("empty.yaml", b""),
    ("null.yaml", b"null\n"),
    ("list.yaml", b"- 1\n- 2\n"),
    ("latin1.yaml", "name: Grüße\n".encode("latin-1")),
    ("date.yaml", b"name: x\nparameters:\n  - parameter: kim_budget\n    start: 2023-02-30\n"),
    ("listkey.yaml", b"name: x\n? [a, b]\n: 1\n"),
    ("mapkey.yaml", b"name: x\n? {a: 1}\n: 1\n"),
    ("deep.yaml", b"name: x\nextra: " + b"[" * 400 + b"]" * 400 + b"\n"),
    ("blockdeep.yaml", b"".join(b"  " * i + b"k:\n" for i in range(300)) + b"  " * 300 + b"v\n"),
    ("digits.yaml", ("name: x\nparameters:\n" + RATE.format(value="9" * 5000)).encode()),
    ("exp.yaml", ("name: x\nparameters:\n" + RATE.format(value="1e999999")).encode()),
    ("negative.yaml", ("name: x\nparameters:\n" + RATE.format(value="-59000")).encode()),
    ("huge.yaml", ("name: x\nparameters:\n" + RATE.format(value="1e400")).encode()),
    ("nan.yaml", ("name: x\nparameters:\n" + RATE.format(value="NaN")).encode()),
    ("inf.yaml", ("name: x\nparameters:\n" + RATE.format(value="Infinity")).encode()),
    (
        "share.yaml",
        b"name: x\nparameters:\n  - parameter: minimum_post_share\n    start: 2024-01-01\n"
        b"    value: '1.5'\n    unit: share\n",
    ),
    ("ansi.yaml", ("name: \x1b[31mred\n" + "parameters:\n" + RATE.format(value="59000")).encode()),
    (
        "forged.yaml",
        ('name: "x\\nPLANTED 0 EUR"\nparameters:\n' + RATE.format(value="59000")).encode(),
    ),
    (
        "twice.yaml",
        b"name: x\nstaffing:\n  Kreis Coesfeld: {coordination: 1}\n  '05558': {coordination: 2}\n",
    ),
    ("dupkey.yaml", b"name: x\nname: y\n"),
    ("bom.json", b'\xef\xbb\xbf{"name": "x", "name": "y"}'),
    ("deep.json", b'{"name": "x", "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("longline.yaml", b"name: " + b"x" * 2_000_000 + b"\n"),
    ("unknownkey.yaml", b"name: x\nsecret: Max Mustermann\n"),
    ("python.yaml", b"name: !!python/object/apply:os.system ['true']\n"),
    ("tab.yaml", b"name:\tx\n\t- y\n"),
    (
        "anchors.yaml",
        b"a: &a [" + b"x," * 10 + b"]\nb: &b [" + b"*a," * 10 + b"]\nc: [" + b"*b," * 10 + b"]\n",
    ),
]

WEIGHTS: list[tuple[str, bytes]] = [
    ("empty.csv", b""),
    ("latin1.csv", "key,weight\n05558,1ü\n".encode("latin-1")),
    ("exp.csv", b"key,weight\n" + b"".join(b"K%d,1e999999\n" % i for i in range(54))),
    ("negexp.csv", b"key,weight\n05558,1e-999999\n"),
    ("hugefield.csv", b"key,weight\n" + b"x" * 2_000_000 + b",1\n"),
    ("nan.csv", b"key,weight\n05558,nan\n"),
    ("inf.csv", b"key,weight\n05558,inf\n"),
    ("neg.csv", b"key,weight\n05558,-1\n"),
    ("nul.csv", b"key,weight\n05558\x00,1\n"),
    ("ansi.csv", b"key,weight\n\x1b[31m05558,1\n"),
    ("digits.csv", b"key,weight\n05558," + b"9" * 5000 + b"\n"),
    ("nokey.csv", b"weight\n1\n"),
]


def _log(*lines: object) -> bytes:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


LOGS: list[tuple[str, bytes]] = [
    ("deep.jsonl", b'{"v":1,"x":' + b"[" * 5000 + b"]" * 5000 + b"}\n"),
    ("digits.jsonl", b'{"v":1,"type":"referred","n":' + b"9" * 5000 + b"}\n"),
    (
        "latin1.jsonl",
        json.dumps({**LOG_LINE, "case_manager": "Jürgen"}, ensure_ascii=False).encode("latin-1"),
    ),
    ("atlantis.jsonl", _log({**LOG_LINE, "unit": "Atlantis"})),
    (
        "dupkey.jsonl",
        b'{"v":1,"type":"referred","type":"intake_started","client_id":"K-1","on":"2024-01-08"}\n',
    ),
    ("ansi.jsonl", _log({**LOG_LINE, "case_manager": "\x1b[31mcm"})),
    ("forged.jsonl", _log({**LOG_LINE, "case_manager": "cm\nK-9 PLANTED"})),
    ("longline.jsonl", b'{"v":1,"pad":"' + b"x" * 2_000_000 + b'"}\n'),
    ("farfuture.jsonl", _log({**LOG_LINE, "on": "9999-12-31"})),
    ("badjson.jsonl", b"{not json}\n"),
]

POLICIES: list[tuple[str, bytes]] = [
    ("latin1.json", '{"unit": "Kreis Coesfeld", "note": "ü"}'.encode("latin-1")),
    ("deep.json", b'{"x":' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("list.json", b"[1, 2]"),
    ("dupkey.json", b'{"unit": "Kreis Coesfeld", "unit": "Kreis Borken"}'),
    ("digits.json", b'{"review_every_weeks": ' + b"9" * 5000 + b"}"),
    ("weeks.json", b'{"review_every_weeks": -3}'),
]

GOOD_LOG = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-log.jsonl"

GRANT = ["grant", "--district", "Kreis Coesfeld", "--year", "2023"]
ARGS: list[list[str]] = [
    [*GRANT, "--post", "case_management=1", "--measures", "1e26"],
    [*GRANT, "--post", "case_management=1", "--measures", "1e400"],
    [*GRANT, "--post", "case_management=1", "--measures", "NaN"],
    [*GRANT, "--post", "case_management=1", "--measures", "-5"],
    [*GRANT, "--post", "case_management=1e26"],
    [*GRANT, "--post", "case_management=-1"],
    [*GRANT, "--post", "case_management=nan"],
    [*GRANT, "--post", "case_management=1", "--cost", "case_management=1e26"],
    [*GRANT, "--post", "case_management=1", "--from", "9999-12-31"],
    [*GRANT, "--post", "case_management=1", "--from", "2023-02-30"],
    ["grant", "--district", "x" * 100_000, "--year", "2023", "--post", "case_management=1"],
    ["grant", "--district", "\x1b[31mCoesfeld", "--year", "2023", "--post", "case_management=1"],
    ["grant", "--district", "Kreis Coesfeld", "--year", "99999", "--post", "case_management=1"],
    ["district", "x" * 100_000],
    ["district", "\x1b]0;owned\x07"],
    ["district", ""],
    ["eligibility", "Coesfeld", "--component", "9"],
    ["eligibility", "Coesfeld", "--component", "1", "--on", "10000-01-01"],
    ["allocate", "--total", "1e30", "--step", "1e-30"],
    ["allocate", "--total", "500", "--step", "1e-40"],
    ["allocate", "--total", "1e400"],
    ["allocate", "--total", "-5"],
    ["allocate", "--total", "500", "--step", "0"],
    ["allocate", "--total", "500", "--minimum", "1e26"],
    ["rates", "--year", "0"],
    ["rates", "--on", "0001-01-00"],
    ["coverage", "--from", "2025", "--to", "2020"],
    ["coverage", "--from", "1", "--to", "9999"],
    ["report", "--scenario", ""],
    ["case", "due", str(GOOD_LOG), "--on", "9999-12-31"],
    ["case", "due", str(GOOD_LOG), "--on", "2024-01-01", "--review-weeks", "999999999999"],
    ["case", "stats", str(GOOD_LOG), "--year", "0"],
    ["case", "replay", "/dev/zero"],
    ["case", "replay", ""],
    ["allocate", "--total", "500", "--weights", "/dev/zero"],
    ["report", "--scenario", "/dev/zero"],
]
