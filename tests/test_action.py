"""The GitHub Action (``action.yml``): its inputs and steps, and its scan step's script run with bash as the runner
would run it (no network: a stand-in ``arclint`` records what it is given; the real one scans examples/bad)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
BASH = shutil.which("bash")

needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _step(name: str) -> dict[str, Any]:
    (step,) = [s for s in STEPS if s["name"] == name]
    return step


def test_inputs_and_their_defaults() -> None:
    inputs = {name: spec.get("default") for name, spec in ACTION["inputs"].items()}
    assert inputs == {
        "paths": ".",
        "format": "github",
        "args": "",
        "upload-sarif": "false",
        "sarif-file": "arclint.sarif",
        "summary": "true",
        "python-version": "3.12",
    }
    assert all(not spec["required"] and spec["description"] for spec in ACTION["inputs"].values())
    assert set(ACTION["outputs"]) == {"exit-code", "sarif-file"}


def test_composite_steps_set_up_python_install_from_the_action_checkout_scan_upload_and_fail() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert [(s["name"], s.get("uses")) for s in STEPS] == [
        ("Set up Python", "actions/setup-python@v5"),
        ("Install arclint", None),
        ("Run arclint", None),
        ("Upload SARIF to code scanning", "github/codeql-action/upload-sarif@v3"),
        ("Fail when arclint failed", None),
    ]
    assert STEPS[0]["with"] == {"python-version": "${{ inputs.python-version }}"}
    install = _step("Install arclint")
    assert install["env"] == {"ARCLINT_SOURCE": "${{ github.action_path }}"}
    assert "pip install" in install["run"] and '"$ARCLINT_SOURCE"' in install["run"]
    upload = _step("Upload SARIF to code scanning")
    assert upload["if"] == "${{ always() && inputs.upload-sarif == 'true' && steps.scan.outputs.sarif-file != '' }}"
    assert upload["with"] == {"sarif_file": "${{ steps.scan.outputs.sarif-file }}", "category": "arclint"}
    assert _step("Fail when arclint failed")["if"] == "${{ steps.scan.outputs.exit-code != '0' }}"


def test_run_steps_use_bash_and_never_paste_an_expression_into_the_script() -> None:
    runs = [s for s in STEPS if "run" in s]
    assert len(runs) == 3
    assert all(s["shell"] == "bash" and "${{" not in s["run"] for s in runs)  # inputs come in as environment


def _run_scan_step(tmp_path: Path, inputs: dict[str, str], path: str, cwd: Path) -> tuple[int, str, dict[str, str]]:
    """The scan step's script under bash, the inputs in its environment as the runner sets them: (exit code,
    stdout, the step's outputs); the job summary is ``tmp_path/summary.md``."""
    step = _step("Run arclint")
    defaults = {name: spec["default"] for name, spec in ACTION["inputs"].items()}
    env = {
        key: value.replace("${{ inputs.", "").replace(" }}", "") for key, value in step["env"].items()
    }  # ARCLINT_PATHS -> "paths"
    environment = {k: {**defaults, **inputs}[v] for k, v in env.items()}
    (tmp_path / "output").write_text("")
    (tmp_path / "summary.md").write_text("")
    proc = subprocess.run(
        [BASH or "bash", "-e", "-c", step["run"]],
        cwd=cwd,
        env={
            "PATH": path,
            "HOME": str(tmp_path),
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_OUTPUT": str(tmp_path / "output"),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stderr == "" or "Traceback" not in proc.stderr, proc.stderr
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    return proc.returncode, proc.stdout, outputs


STAND_IN = """#!/bin/sh
printf '%s\\n' "$@" > "$RUNNER_TEMP/argv"
for a in "$@"; do
  case "$a" in markdown:*) printf '## arclint\\n\\n1 finding\\n' > "${a#markdown:}";; esac
done
echo findings
exit 1
"""


@needs_bash
def test_scan_step_passes_paths_formats_and_args_writes_the_summary_and_records_the_exit_code(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "arclint").write_text(STAND_IN)
    (bin_dir / "arclint").chmod(0o755)
    inputs = {"paths": "infra/prod  packer\nmodules", "args": "--fail-on error --var-file prod.tfvars"}
    code, out, outputs = _run_scan_step(
        tmp_path, {**inputs, "upload-sarif": "true"}, f"{bin_dir}:{os.environ['PATH']}", tmp_path
    )
    assert (code, out) == (0, "findings\n")  # the step records the code; the last step fails the job
    assert outputs == {"exit-code": "1", "sarif-file": "arclint.sarif"}
    assert (tmp_path / "argv").read_text().splitlines() == [
        "scan",
        "infra/prod",
        "packer",
        "modules",
        "--format",
        "github",
        "--format",
        "sarif:arclint.sarif",
        "--format",
        f"markdown:{tmp_path}/arclint-summary.md",
        "--fail-on",
        "error",
        "--var-file",
        "prod.tfvars",
    ]
    assert (tmp_path / "summary.md").read_text() == "## arclint\n\n1 finding\n"


@needs_bash
def test_scan_step_without_sarif_or_summary_passes_one_format(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "arclint").write_text(STAND_IN)
    (bin_dir / "arclint").chmod(0o755)
    code, _, outputs = _run_scan_step(
        tmp_path, {"summary": "false", "format": "text"}, f"{bin_dir}:{os.environ['PATH']}", tmp_path
    )
    assert code == 0
    assert outputs == {"exit-code": "1", "sarif-file": ""}
    assert (tmp_path / "argv").read_text().splitlines() == ["scan", ".", "--format", "text"]
    assert (tmp_path / "summary.md").read_text() == ""


@needs_bash
def test_scan_step_runs_the_real_arclint_on_examples_bad(tmp_path: Path) -> None:
    here = Path(sys.executable).parent
    if not (here / "arclint").exists():
        pytest.skip("the arclint command is not installed next to this Python")
    inputs = {"paths": "examples/bad", "format": "json", "summary": "false", "args": "--as-of 2026-11-27"}
    code, out, outputs = _run_scan_step(tmp_path, inputs, f"{here}:{os.environ['PATH']}", REPO)
    assert code == 0
    assert outputs == {"exit-code": "1", "sarif-file": ""}
    report = json.loads(out)
    assert report["summary"]["error"] > 0


@needs_bash
@pytest.mark.parametrize(("given", "expected"), [("1", 1), ("2", 2)])
def test_last_step_exits_with_arclints_code(given: str, expected: int) -> None:
    step = _step("Fail when arclint failed")
    proc = subprocess.run(
        [BASH or "bash", "-e", "-c", step["run"]],
        env={"ARCLINT_EXIT_CODE": given, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (expected, f"arclint exited with {given}\n")
