"""Baselines: ``--write-baseline`` records a scan's findings, ``--baseline`` reports only new ones; fingerprints
survive lines moving and reformatting, and findings that disappeared are counted."""

from __future__ import annotations

import json
import re
from pathlib import Path

from arclint import baseline
from arclint.findings import Finding
from arclint.model.facts import Evidence

from conftest import Cli, write

VM = """resource "azurerm_linux_virtual_machine" "{name}" {{
  name                = "vm-{name}"
  resource_group_name = "rg-app"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"
  custom_data         = base64encode(file("${{path.module}}/scripts/onboard.sh"))

  source_image_reference {{
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }}
}}
"""
SCRIPT = "#!/bin/bash\nset -e\nazcmagent connect --resource-group rg-arc --location westeurope\n"
SUMMARY = "support matrix 2026-08-20, as of 2026-11-27"


def _project(tmp_path: Path) -> Path:
    return write(tmp_path, {"main.tf": VM.format(name="app"), "scripts/onboard.sh": SCRIPT})


def _found(data: dict[str, object]) -> list[tuple[str, str, int, str]]:
    return [(f["rule"], f["file"], f["line"], f["resource"]) for f in data["findings"]]  # type: ignore[attr-defined, index]


def test_write_baseline_records_one_entry_per_finding_and_exits_0(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    code, out, err = cli.scan(tmp_path, ".", "--write-baseline", "base.json")
    assert code == 0
    assert out.startswith("main.tf:1:1: error ARC101 azurerm_linux_virtual_machine.app runs")
    assert err == "arclint: wrote 1 finding to base.json\n"
    data = json.loads((tmp_path / "base.json").read_text())
    assert list(data) == ["version", "findings"]
    assert data["version"] == 1
    [entry] = data["findings"]
    assert list(entry) == ["rule", "file", "resource", "fingerprint"]
    assert entry["rule"] == "ARC101"
    assert (entry["file"], entry["resource"]) == ("main.tf", "azurerm_linux_virtual_machine.app")
    assert re.fullmatch(r"[0-9a-f]{32}", entry["fingerprint"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".base.json")] == []  # no temporary left


def test_baseline_hides_old_findings_and_shows_a_new_one_after_lines_moved(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    assert cli.scan(tmp_path, ".", "--write-baseline", "base.json")[0] == 0
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "base.json")
    assert (code, err) == (0, "")
    assert out == (
        f"0 findings (0 error, 0 warning, 0 info) in 2 files, 1 targets; {SUMMARY}\n"
        "1 known finding in the baseline not shown; 0 fixed since the baseline\n"
    )
    # lines above the old VM move, the old VM is reformatted, the script gains lines, and a new VM appears
    moved = "# the web tier\n\n\n" + VM.format(name="app").replace("                = ", " = ").replace("  ", "    ")
    write(
        tmp_path,
        {
            "main.tf": moved + "\n" + VM.format(name="new"),
            "scripts/onboard.sh": "#!/bin/bash\n# onboard\n\nset -e\nazcmagent  connect  --resource-group rg-arc"
            "   --location westeurope\n",
        },
    )
    code, data = cli.json(tmp_path, ".", "--baseline", "base.json")
    assert code == 1
    assert _found(data) == [("ARC101", "main.tf", 20, "azurerm_linux_virtual_machine.new")]
    assert data["baseline"] == {"new": 1, "known": 1, "fixed": 0}
    assert data["summary"]["error"] == 1
    assert list(data) == ["version", "as_of", "findings", "summary", "baseline", "errors"]


def test_json_has_no_baseline_key_without_a_baseline(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    code, data = cli.json(tmp_path)
    assert code == 1
    assert list(data) == ["version", "as_of", "findings", "summary", "errors"]


def test_findings_gone_since_the_baseline_are_counted_as_fixed(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": VM.format(name="a") + VM.format(name="b"), "scripts/onboard.sh": SCRIPT})
    assert cli.scan(tmp_path, ".", "--write-baseline", "base.json")[0] == 0
    write(tmp_path, {"main.tf": VM.format(name="a")})
    code, out, _ = cli.scan(tmp_path, ".", "--baseline", "base.json")
    assert code == 0
    assert out.splitlines()[-1] == "1 known finding in the baseline not shown; 1 fixed since the baseline"
    code, data = cli.json(tmp_path, ".", "--baseline", "base.json")
    assert (code, data["baseline"]) == (0, {"new": 0, "known": 1, "fixed": 1})


def test_a_scan_of_some_files_counts_as_fixed_only_findings_of_those_files(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a.tf": VM.format(name="a"), "b.tf": VM.format(name="b"), "scripts/onboard.sh": SCRIPT},
    )
    assert cli.scan(tmp_path, ".", "--write-baseline", "base.json")[0] == 0
    code, data = cli.json(tmp_path, "a.tf", "--baseline", "base.json")
    assert (code, _found(data), data["baseline"]) == (0, [], {"new": 0, "known": 1, "fixed": 0})
    write(tmp_path, {"a.tf": "# gone\n"})
    code, data = cli.json(tmp_path, "a.tf", "--baseline", "base.json")
    assert (code, _found(data), data["baseline"]) == (0, [], {"new": 0, "known": 0, "fixed": 1})


def test_write_baseline_with_a_baseline_records_known_and_new_findings(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    assert cli.scan(tmp_path, ".", "--write-baseline", "base.json")[0] == 0
    write(tmp_path, {"b.tf": VM.format(name="b")})
    code, _, err = cli.scan(tmp_path, ".", "--baseline", "base.json", "--write-baseline", "base.json")
    assert (code, err) == (0, "arclint: wrote 2 findings to base.json\n")
    code, data = cli.json(tmp_path, ".", "--baseline", "base.json")
    assert (code, data["baseline"]) == (0, {"new": 0, "known": 2, "fixed": 0})


def test_a_broken_baseline_is_exit_2_naming_it(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, {"not-json.json": "{", "other.json": '{"version": 1, "findings": [{"rule": "ARC101"}]}'})
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "missing.json")
    assert (code, out) == (2, "")
    assert err == "arclint: missing.json: cannot read the baseline (No such file or directory)\n"
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "not-json.json")
    assert (code, out) == (2, "")
    assert err.startswith("arclint: not-json.json: not an arclint baseline (not valid JSON: ")
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "other.json")
    assert (code, out) == (2, "")
    assert err == "arclint: other.json: not an arclint baseline (findings[0] has no file or fingerprint)\n"
    write(tmp_path, {"other.json": '{"version": 2, "findings": []}'})
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "other.json")
    assert (code, out) == (2, "")
    assert err == (
        'arclint: other.json: not an arclint baseline (expected {"version": 1, "findings": [...]};'
        " write one with --write-baseline)\n"
    )
    code, out, err = cli.scan(tmp_path, ".", "--baseline", "scripts")
    assert (code, out) == (2, "")
    assert "scripts" in err and "Traceback" not in err


def _finding(line: int, message: str, evidence: str, file: str = "main.tf") -> Finding:
    return Finding(
        "ARC101", "arc-on-azure-vm", "error", message, file, line, line + 5, "azurerm_linux_virtual_machine.app",
        "fix", "https://example.org", (Evidence("scripts/onboard.sh", line + 2, evidence),),
    )  # fmt: skip


def test_fingerprints_ignore_line_numbers_file_line_references_and_whitespace() -> None:
    a = _finding(1, "app onboards (scripts/onboard.sh:3) on line 4", "azcmagent connect --location=westeurope")
    b = _finding(40, "app  onboards (scripts/onboard.sh:17)\non line 60", "azcmagent   connect --location = westeurope")
    assert baseline.fingerprint(a) == baseline.fingerprint(b)
    assert baseline.normalise("x (main.tf:12) and a.sh:3-5, line 7") == "x()and,line"
    for other in (
        _finding(1, "app onboards (scripts/onboard.sh:3) on line 4", "azcmagent connect --location=eastus"),
        _finding(1, "db onboards (scripts/onboard.sh:3) on line 4", "azcmagent connect --location=westeurope"),
        _finding(1, "app onboards (scripts/onboard.sh:3) on line 4", "azcmagent connect --location=westeurope", "x.tf"),
    ):
        assert baseline.fingerprint(other) != baseline.fingerprint(a)


def test_a_second_identical_finding_is_new() -> None:
    first = _finding(1, "app onboards", "azcmagent connect")
    second = _finding(30, "app onboards", "azcmagent connect")
    recorded = baseline.Baseline((("main.tf", baseline.fingerprint(first)),))
    new, summary = baseline.apply([first, second], recorded, lambda file: True)
    assert (new, summary.known, summary.fixed) == ([second], (first,), 0)
    new, summary = baseline.apply([], recorded, lambda file: True)
    assert (new, summary.known, summary.fixed) == ([], (), 1)
    new, summary = baseline.apply([], recorded, lambda file: file != "main.tf")
    assert (new, summary.known, summary.fixed) == ([], (), 0)
