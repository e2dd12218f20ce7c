"""Whole-repository scans: arclint cold and warm, and checkov on the same files when it is installed.

Run: ``python benchmarks/throughput.py --files 1000 --files 10000 [--folder PATH] [--runs 5]``.

Each corpus is a seeded generated repository (``benchmarks/corpus.py``) of the given number of files, or a copy
of a given folder (so its ``.arclint_cache/`` is never written into the original). Per round: arclint cold
(no ``.arclint_cache/``: parses every file and fills it), arclint warm (the cache just filled) and checkov, the
order alternating between rounds. Each run is a whole process; wall time and peak memory (the child's maximum
resident set from ``os.wait4``, i.e. its ``getrusage`` as a child) are recorded and the medians printed as a
Markdown table, with files/s, the checkov/arclint ratios and, for two or more generated sizes, the growth of
the time per file. checkov is the ``checkov`` on PATH or ``--checkov``; it runs as
``checkov -d DIR --framework terraform --quiet --compact -o json --skip-download`` (install it in its own
virtual environment: it brings a conflicting ``hcl2``). Nothing is asserted: speed is measured here, not in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402  (a sibling script, not a package)


@dataclass
class Runs:
    """The wall times (s) and peak memory (MB) of one command's runs."""

    wall: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)

    def median(self) -> tuple[float, float]:
        return statistics.median(self.wall), statistics.median(self.peak)


def run(cmd: list[str], cwd: Path, ok: tuple[int, ...]) -> tuple[float, float]:
    """Run ``cmd`` once: (wall seconds, peak resident MB of the process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def machine() -> str:
    """One line naming the machine the numbers come from."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1048576:.1f} GB RAM"
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({model or 'unknown CPU'}){mem}"


def version(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr).strip() else "?"


def count_files(folder: Path) -> int:
    return sum(len(files) for top, _, files in os.walk(folder) if ".arclint_cache" not in Path(top).parts)


def measure(
    name: str, folder: Path, arclint: str, checkov: str | None, rounds: int
) -> tuple[str, int, Runs, Runs, Runs | None]:
    """Alternated rounds of arclint cold, arclint warm and checkov on ``folder``."""
    files = count_files(folder)
    cache = folder / ".arclint_cache"
    cold, warm, other = Runs(), Runs(), (Runs() if checkov else None)
    scan = [arclint, "scan", ".", "--format", "json"]
    for i in range(rounds + 1):  # round 0 warms the page cache and is not counted
        steps: list[tuple[str, Runs | None]] = [("cold", cold), ("warm", warm), ("checkov", other)]
        if i % 2:  # alternate: checkov first (warm always comes right after the cold run that filled the cache)
            steps = steps[2:] + steps[:2]
        for step, runs in steps:
            if step == "checkov" and checkov is None:
                continue
            if step == "cold":
                shutil.rmtree(cache, ignore_errors=True)
                result = run(scan, folder, (0, 1))
            elif step == "warm":
                result = run(scan, folder, (0, 1))
            else:
                assert checkov is not None
                cmd = [checkov, "-d", ".", "--framework", "terraform", "--quiet", "--compact", "-o", "json"]
                result = run([*cmd, "--skip-download"], folder, (0, 1))
            if i and runs is not None:
                runs.wall.append(result[0])
                runs.peak.append(result[1])
        print(f"  {name}: round {i}/{rounds} done", file=sys.stderr)
    shutil.rmtree(cache, ignore_errors=True)
    return name, files, cold, warm, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, action="append", default=[], help="a generated corpus of N files")
    parser.add_argument("--folder", type=Path, action="append", default=[], help="a folder to scan (copied)")
    parser.add_argument("--runs", type=int, default=5, help="counted rounds per corpus (default 5)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--checkov", help="checkov executable (default: checkov on PATH, if any)")
    parser.add_argument("--no-checkov", action="store_true", help="measure arclint only")
    args = parser.parse_args()
    if not args.files and not args.folder:
        args.files = [1000]
    arclint = shutil.which("arclint", path=str(Path(sys.executable).parent)) or "arclint"
    checkov = None if args.no_checkov else (args.checkov or shutil.which("checkov"))
    print(f"machine: {machine()}; Python {platform.python_version()}")
    print(f"arclint: {version([arclint, '--version'])}; checkov: {version([checkov, '--version']) if checkov else '-'}")
    print(f"command: python benchmarks/throughput.py {' '.join(sys.argv[1:])}\n")
    results = []
    with tempfile.TemporaryDirectory(prefix="arclint-bench-") as tmp:
        for n in args.files:
            folder = Path(tmp) / f"generated-{n}"
            generate(folder, n, args.seed)
            results.append(measure(f"generated, {n:,} files (seed {args.seed})", folder, arclint, checkov, args.runs))
            shutil.rmtree(folder)
        for given in args.folder:
            folder = Path(tmp) / "given" / given.resolve().name
            shutil.copytree(given, folder, symlinks=True, ignore=shutil.ignore_patterns(".arclint_cache", ".git"))
            results.append(measure(str(given), folder, arclint, checkov, args.runs))
            shutil.rmtree(folder)
    print(f"medians of {args.runs} alternated rounds; wall seconds, files/s, peak MB\n")
    print("| corpus | files | arclint cold | arclint warm | checkov | checkov / cold | checkov / warm |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, files, cold, warm, other in results:
        (cw, cm), (ww, wm) = cold.median(), warm.median()
        cells = [
            f"{cw:.2f} s, {files / cw:,.0f} files/s, {cm:.0f} MB",
            f"{ww:.2f} s, {files / ww:,.0f} files/s, {wm:.0f} MB",
        ]
        if other is not None:
            ow, om = other.median()
            cells += [f"{ow:.2f} s, {om:.0f} MB", f"{ow / cw:.1f}×", f"{ow / ww:.1f}×"]
        else:
            cells += ["-", "-", "-"]
        print(f"| {name} | {files:,} | " + " | ".join(cells) + " |")
    generated = [(f, c.median()[0], w.median()[0]) for (n, f, c, w, _) in results if n.startswith("generated")]
    if len(generated) >= 2:
        (f0, c0, w0), (f1, c1, w1) = generated[0], generated[-1]
        print(
            f"\nlinearity {f0:,} -> {f1:,} files: time per file x{(c1 / f1) / (c0 / f0):.2f} cold,"
            f" x{(w1 / f1) / (w0 / f0):.2f} warm (1.00 = linear)"
        )


if __name__ == "__main__":
    main()
