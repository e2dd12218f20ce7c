"""An interrupted run exits 130 (SIGINT) or 143 (SIGTERM) and leaves no report file behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _big_project(root: Path) -> None:
    script = "#!/bin/bash\nazcmagent connect -g rg -l westeurope --resource-name ${name}\n"
    for m in range(150):
        folder = root / f"m{m:03d}"
        folder.mkdir(parents=True)
        (folder / "onboard.sh.tftpl").write_text(script)
        body = "".join(
            (
                f'resource "aws_instance" "vm{i}" {{\n'
                '  ami = "ami-1"\n'
                f'  user_data = templatefile("${{path.module}}/onboard.sh.tftpl", {{ name = "vm{i}" }})\n'
                f"}}\n"
            )
            for i in range(60)
        )
        (folder / "main.tf").write_text(body)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_scan_writes_nothing(tmp_path: Path, sig: int, code: int) -> None:
    _big_project(tmp_path / "repo")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arclint", "scan", str(tmp_path / "repo"), "--format", "json", "-o", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    assert proc.poll() is None, "the scan finished before it could be interrupted; make the project bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert "Traceback" not in err and "nothing written" in err
    assert list(report.parent.iterdir()) == []
