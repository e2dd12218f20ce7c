"""Start-up and parser cost: shipped data (built-in policies, support matrix editions, OS image catalog) is
checked here, by the test suite, not on every run; a scan imports no validator and compiles only the catalog
patterns it tries; the garbage collector is paused while a parse tree grows."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from arclint import policy as policies
from arclint.core.shipped import policy_root
from arclint.load import hcl
from arclint.matrix import available_editions, load_matrix_file
from arclint.model import osimage

from conftest import FIXTURES

MATRICES = sorted((policy_root() / "matrix").glob("*.yaml"))


@pytest.mark.parametrize("file", policies.built_in_files(), ids=lambda p: p.stem)
def test_each_built_in_rule_validates_and_a_scan_builds_the_same_policy(file: Path) -> None:
    assert policies.load_policy_file(file, validate=False) == policies.load_policy_file(file)


def test_load_policies_builds_every_built_in_rule_as_validation_would() -> None:
    assert policies.load_policies() == sorted(
        map(policies.load_policy_file, policies.built_in_files()), key=lambda p: p.id
    )


@pytest.mark.parametrize("file", MATRICES, ids=lambda p: p.stem)
def test_each_shipped_matrix_edition_validates_and_a_scan_builds_the_same(file: Path) -> None:
    assert [p.stem for p in MATRICES] == available_editions()
    assert load_matrix_file(file, validate=False) == load_matrix_file(file)


def test_every_catalog_pattern_compiles() -> None:
    cat = osimage._catalog()
    rules = [*cat.tokens, *(r for rs in cat.sizes.values() for r in rs)]
    rules += [r for s in cat.sections.values() for r in s.arch_patterns]
    lazy = [r.pattern for r in rules] + [p for s in cat.sections.values() for e in s.entries for _, p in e.patterns]
    assert len(lazy) > 100
    assert all(p.compiled.flags & 2 for p in lazy)  # re.IGNORECASE, as the catalog's patterns are written


SCAN_CODE = """\
import sys
from arclint.cli import main
try:
    main(['scan', '--format', 'json', '--output', sys.argv[2], sys.argv[1]])
except SystemExit:
    pass
from arclint.model import osimage
cat = osimage._catalog()
entries = [e for s in cat.sections.values() for e in s.entries]
compiled = sum(1 for e in entries for _, p in e.patterns if p._compiled is not None)
print('jsonschema' in sys.modules, compiled, len(entries))
"""


def test_a_scan_imports_no_validator_and_compiles_few_catalog_patterns(tmp_path: Path) -> None:
    folder = tmp_path / "scanned"
    shutil.copytree(FIXTURES / "rules" / "ARC101" / "bad", folder)  # an Azure VM: the catalog is used
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-c", SCAN_CODE, str(folder), str(report)], capture_output=True, text=True, check=True
    )
    assert '"ARC101"' in report.read_text(encoding="utf-8")
    imported, compiled, entries = proc.stdout.split()
    assert imported == "False"
    assert 0 < int(compiled) < int(entries) // 2


def test_a_user_policy_is_still_validated(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("id: X100\nname: mine\n", encoding="utf-8")
    with pytest.raises(policies.PolicyError, match="mine.yaml: at "):
        policies.load_policies((tmp_path,))


class _Recording:
    """The real parser, recording whether the cyclic garbage collector ran during each parse."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.collector: list[bool] = []

    def parse(self, text: str) -> Any:
        self.collector.append(gc.isenabled())
        return self.real.parse(text)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_parsing_and_restored(monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    recording = _Recording(hcl._parser())
    monkeypatch.setattr(hcl, "_parser", lambda: recording)
    (gc.enable if enabled else gc.disable)()
    try:
        body = hcl.parse_body('a = "${b}"\nc = <<EOT\n${d}\nEOT\n', "x.tf")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert sorted(body.attributes) == ["a", "c"]
    assert recording.collector and not any(recording.collector)
