"""``arclint.scan.run`` as a library: a pure function of its arguments, whatever the current folder, however
often it runs in one process, and in worker processes."""

from __future__ import annotations

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
