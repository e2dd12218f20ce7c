"""Measure what a pre-commit user feels: start-up, one-file latency, whole-repository scans.

Run: ``python benchmarks/bench.py`` (uses the ``arclint`` on PATH next to this interpreter).
Prints median wall times; nothing is asserted (speed is measured here, not in tests).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 7


def timed(cmd: list[str], cwd: Path) -> float:
    """Median wall time of ``cmd`` over RUNS runs, in milliseconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic_repo(root: Path, modules: int, machines: int) -> None:
    """Write ``modules`` folders of ``machines`` onboarded instances each, with a shared script."""
    script = (
        "#!/bin/bash\ncurl -sSL https://aka.ms/azcmagent -o /tmp/i.sh\nbash /tmp/i.sh\n"
        "azcmagent connect -g ${rg} -l westeurope --resource-name ${name}\n"
    )
    for m in range(modules):
        folder = root / f"module{m:03d}"
        folder.mkdir(parents=True)
        (folder / "onboard.sh.tftpl").write_text(script)
        parts = [
            'data "aws_ami" "ubuntu" {\n  owners = ["099720109477"]\n  filter {\n    name   = "name"\n'
            '    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]\n  }\n}\n'
        ]
        for i in range(machines):
            parts.append(
                f'resource "aws_instance" "vm{i}" {{\n  ami = data.aws_ami.ubuntu.id\n  instance_type = "t3.small"\n'
                f'  user_data = templatefile("${{path.module}}/onboard.sh.tftpl", {{ rg = "rg", name = "vm{i}" }})\n'
                f'  tags = {{ Name = "vm{i}", Team = "ops" }}\n}}\n'
            )
        (folder / "main.tf").write_text("\n".join(parts))


def main() -> None:
    exe = shutil.which("arclint", path=str(Path(sys.executable).parent)) or "arclint"
    rows: list[tuple[str, float]] = []
    rows.append(("python -c pass (interpreter floor)", timed([sys.executable, "-c", "pass"], REPO)))
    rows.append(("arclint --help", timed([exe, "--help"], REPO)))
    rows.append(("arclint scan <one .tf file>", timed([exe, "scan", "examples/bad/terraform/aws.tf"], REPO)))
    script = "examples/bad/terraform/modules/web-server/scripts/arc.sh.tftpl"  # what pre-commit passes
    rows.append(("arclint scan <one module script>", timed([exe, "scan", script], REPO)))
    rows.append(("arclint scan examples/", timed([exe, "scan", "examples/"], REPO)))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic_repo(root, modules=100, machines=10)
        rows.append(("arclint scan (100 modules, 1,000 instances)", timed([exe, "scan", "."], root)))
        one = ["module042/onboard.sh.tftpl"]
        rows.append(("arclint scan <one script of those 100 modules>", timed([exe, "scan", *one], root)))
    width = max(len(name) for name, _ in rows)
    print(f"{'what':<{width}}  median of {RUNS} (ms)")
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.1f}")


if __name__ == "__main__":
    main()
