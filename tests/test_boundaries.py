"""Boundaries: no network, no processes, no code from YAML, nothing written into the scanned tree."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from pathlib import Path

import pytest
from arclint.policy import PolicyError, load_policy_file

from conftest import FIXTURES, REPO, brief, run_scan


class _Forbidden(AssertionError):
    pass


def _refuse(*args: object, **kwargs: object) -> None:
    raise _Forbidden(f"arclint tried to use the network or start a process: {args!r}")


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Disable the network at the socket level and every way of starting a process."""

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            _refuse(*args)

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setattr(subprocess, "Popen", _refuse)
    for name in ("system", "popen", "execv", "execve", "execvp", "spawnv", "fork", "posix_spawn"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _refuse)


def test_full_scan_runs_without_network_or_processes(sealed: None) -> None:
    report = run_scan(REPO / "examples")
    assert {f.rule for f in report.findings} == {"ARC101", "ARC102", "ARC201", "ARC301", "ARC302", "ARC402", "ARC403"}
    for rule_dir in sorted((FIXTURES / "rules").iterdir()):
        assert run_scan(rule_dir / "bad").findings


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_scanning_writes_nothing_into_the_tree() -> None:
    root = REPO / "examples"
    before = _digest(root)
    run_scan(root)
    assert _digest(root) == before


def test_yaml_tags_that_run_code_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    policy = tmp_path / "evil.yaml"
    policy.write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\nname: x\n')
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy_file(policy)
    assert not marker.exists()


def test_script_outside_the_root_through_a_symlink_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.sh").write_text("azcmagent connect -g rg\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.sh").symlink_to(tmp_path / "outside.sh")
    (repo / "main.tf").write_text('resource "aws_instance" "x" {\n  ami = "ami-1"\n  user_data = file("link.sh")\n}\n')
    report = run_scan(repo)
    assert brief(report) == [("ARC002", "main.tf", 1, "aws_instance.x", "info")]
    assert "outside the scan root" in report.findings[0].message


def test_symlink_loop_ends(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "main.tf").write_text('resource "aws_instance" "x" {\n  ami = "ami-1"\n  user_data = file("a")\n}\n')
    report = run_scan(tmp_path)
    assert brief(report) == [("ARC002", "main.tf", 1, "aws_instance.x", "info")]


def test_module_source_outside_the_root_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'resource "aws_instance" "x" {\n  user_data = "azcmagent connect -g rg"\n}\n'
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text('module "m" {\n  source = "../mod"\n}\n')
    report = run_scan(repo)
    assert brief(report) == [("ARC002", "main.tf", 1, "module.m", "info")]
    assert "outside the scan root" in report.findings[0].message
