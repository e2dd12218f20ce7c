"""``arclint.scan.run`` as a library: a pure function of its arguments, whatever the current folder, however
often it runs in one process, and in worker processes."""

from __future__ import annotations

import json
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from arclint import scan
from arclint.report import json_report

from conftest import AS_OF, REPO


def _scan_examples(root: str) -> str:
    """The JSON report of ``examples/`` under ``root`` (module level: a worker process runs it)."""
    report = scan.run([Path("examples")], root=Path(root), options=scan.Options(as_of=AS_OF, env={}))
    return json_report.render(report)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of the bundled examples, in a folder of its own."""
    shutil.copytree(REPO / "examples", tmp_path / "repo" / "examples")
    return tmp_path / "repo"


def test_two_scans_from_two_working_directories_give_identical_json(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(repository / "examples" / "bad")
    first = _scan_examples(str(repository))
    monkeypatch.chdir(elsewhere)
    second = _scan_examples(str(repository))
    assert first == second
    assert '"file": "examples/bad/terraform/modules/web-server/main.tf"' in first  # shown from root, not the cwd
    assert '"error": 8' in first


def test_a_scan_leaves_the_recursion_limit_as_it_was(repository: Path) -> None:
    before = sys.getrecursionlimit()
    _scan_examples(str(repository))
    assert sys.getrecursionlimit() == before


def test_worker_processes_give_the_same_report(repository: Path) -> None:
    in_process = _scan_examples(str(repository))
    with ProcessPoolExecutor(max_workers=2) as pool:
        in_workers = list(pool.map(_scan_examples, [str(repository)] * 2))
    assert in_workers == [in_process, in_process]


TWO_UNKNOWN_SCRIPTS = """variable "script_path" {}
variable "instances" {}

resource "azurerm_linux_virtual_machine" "primary" {
  name                  = "primary"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["nic"]
  count                 = var.instances

  provisioner "file" {
    source      = "${var.script_path}/primaryPrep.sh"
    destination = "primaryPrep.sh"
  }

  provisioner "file" {
    source      = "${var.script_path}/deployOpenShift.sh"
    destination = "deployOpenShift.sh"
  }

  provisioner "remote-exec" {
    inline = ["sudo bash primaryPrep.sh && sudo bash deployOpenShift.sh"]
  }
}
"""


def test_the_report_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Findings that tie on file, line, rule and resource come in one order, whatever order sets iterate in."""
    import os
    import subprocess

    (tmp_path / "main.tf").write_text(TWO_UNKNOWN_SCRIPTS, encoding="utf-8")
    reports = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        proc = subprocess.run(
            [sys.executable, "-m", "arclint", "scan", ".", "--format", "json", "--as-of", "2026-11-27"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        reports.add(proc.stdout)
    assert len(reports) == 1
    messages = [f["message"] for f in json.loads(reports.pop())["findings"]]
    assert [m.split(": ")[1].split(" onboards")[0] for m in messages] == [
        "cannot tell how many machines it creates",
        "cannot tell whether file provisioner deployOpenShift.sh",
        "cannot tell whether file provisioner primaryPrep.sh",
    ]
