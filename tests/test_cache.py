"""The parsed-file cache (``arclint.load.cache``): same findings warm or cold, corrupt entries rebuilt, bounded,
and written only into a folder the user scanned, unless opted out."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from arclint import scan
from arclint.core.document import Text
from arclint.core.values import Unknown
from arclint.load import cache, hcl
from arclint.report import json_report

from conftest import AS_OF, FIXTURES, REPO, Cli, write

MAIN_TF = 'resource "azurerm_linux_virtual_machine" "vm" {\n  name = "vm1"\n  size = "Standard_B2s"\n}\n'


def _json(folder: Path, *, use_cache: bool) -> str:
    report = scan.run([Path(".")], root=folder, options=scan.Options(as_of=AS_OF, env={}, cache=use_cache))
    return json_report.render(report)


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / cache.FOLDER).glob("*.json"))


@pytest.mark.parametrize("corpus", [REPO / "examples", FIXTURES], ids=["examples", "fixtures"])
def test_warm_scan_gives_the_cold_scans_json_without_parsing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder, ignore=shutil.ignore_patterns(cache.FOLDER))
    cold = _json(folder, use_cache=False)
    assert not (folder / cache.FOLDER).exists()
    assert _json(folder, use_cache=True) == cold  # fills the cache
    assert _entries(folder)

    parse = hcl.parse_body

    def no_parse(text: str, path: str, **kwargs: int) -> object:
        assert kwargs, f"{path} parsed although cached"  # a whole file; templates' expressions pass offsets
        return parse(text, path, **kwargs)

    monkeypatch.setattr(hcl, "parse_body", no_parse)
    assert _json(folder, use_cache=True) == cold


def test_entry_round_trips_every_document_type() -> None:
    text = (
        'locals {\n  a = [for k, v in var.m : "${k}=${v}" if v != null]\n  b = { for x in var.l : x => x... }\n'
        "  c = var.x ? -1.5 : !true\n  d = foo(var.l...)[0].name\n  e = var.l[*].id\n  f = <<-EOT\n"
        "    %{ if var.on }on%{ else }off%{ endif }%{ for s in var.l }${s}%{ endfor }\n  EOT\n  g = null\n}\n"
        'resource "r" "n" {\n  nested {\n    x = 1\n  }\n}\n'
    )
    block = hcl.parse_body(text, "main.tf")
    decoded = cache.decode(json.dumps(cache.encode(block)))
    assert decoded == block
    heredoc = decoded.blocks[0].attributes["f"].expr.parts
    files = {id(b.loc.file) for b in decoded.blocks} | {id(p.file) for p in heredoc if isinstance(p, Text)}
    assert len(files) == 1  # one string for the file's name, as the parse makes it, not one per node


def test_entry_keeps_a_literal_beyond_the_limits_unknown() -> None:
    block = hcl.parse_body(f"x = {'9' * 5000}\n", "main.tf")
    value = cache.decode(json.dumps(cache.encode(block))).attributes["x"].expr.value
    assert isinstance(value, Unknown)
    assert value.reasons == block.attributes["x"].expr.value.reasons
    assert "600 digits" in value.reasons[0]


def test_corrupt_entry_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF})
    cold = _json(folder, use_cache=False)
    _json(folder, use_cache=True)
    [entry] = _entries(folder)
    good = entry.read_bytes()
    for bad in (b'{"@": "Block", "f": [', b'{"@": "os.system", "f": ["x"]}', b"[1, 2]", b"\xff\x00"):
        entry.write_bytes(bad)
        assert _json(folder, use_cache=True) == cold
        assert entry.read_bytes() == good  # parsed again and rewritten


def test_cache_is_trimmed_to_its_bound_oldest_first(tmp_path: Path) -> None:
    folder = write(tmp_path / "repo", {f"m{i}/main.tf": MAIN_TF.replace("vm1", f"vm{i}") for i in range(6)})
    _json(folder, use_cache=True)
    entries = _entries(folder)
    assert len(entries) == 6
    size = entries[0].stat().st_size
    store = cache.Cache.under(folder)
    store.written = 1  # as after a run that wrote
    store.trim(limit=size * 3 + size // 2)
    assert sum(e.stat().st_size for e in _entries(folder)) <= size * 3 + size // 2
    assert len(_entries(folder)) == 3


def test_default_bound_applies_after_a_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "repo", {f"m{i}/main.tf": MAIN_TF.replace("vm1", f"vm{i}") for i in range(6)})
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    _json(folder, use_cache=True)
    assert _entries(folder) == []


def test_cli_caches_in_the_scanned_folder_by_default(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI")
    folder = write(tmp_path / "repo", {"infra/main.tf": MAIN_TF})
    cli.json(folder, "infra")
    assert len(_entries(folder / "infra")) == 1
    assert (folder / "infra" / cache.FOLDER / ".gitignore").read_text().endswith("*\n")
    assert not (folder / cache.FOLDER).exists()  # the folder arclint runs in was not scanned


def test_no_cache_flag_and_config_key_write_nothing(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI")
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF})
    code, out, err = cli.scan(folder, ".", "--no-cache")
    assert (code, err) == (0, "")
    assert not (folder / cache.FOLDER).exists()
    write(folder, {".arclint.yaml": "cache: false\n"})
    cli.json(folder)
    assert not (folder / cache.FOLDER).exists()
    cli.scan(folder, ".", "--cache")  # the flag wins over the file
    assert len(_entries(folder)) == 1


def test_given_files_only_write_no_cache(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI")
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF})
    cli.json(folder, "main.tf")
    assert not (folder / cache.FOLDER).exists()


def test_symlinked_cache_folder_is_not_used(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF})
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / cache.FOLDER).symlink_to(outside)
    code, _, err = cli.scan(folder, ".", "--cache")
    assert (code, err) == (0, "")
    assert list(outside.iterdir()) == []


def test_a_file_where_the_cache_folder_would_be_leaves_the_scan_as_it_is(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF, cache.FOLDER: "not a folder\n"})
    cached = cli.scan(folder, ".", "--cache", "--format", "json")
    assert cached == cli.scan(folder, ".", "--no-cache", "--format", "json")
    assert cached[0] == 0
    assert (folder / cache.FOLDER).read_text() == "not a folder\n"


def test_concurrent_runs_share_the_cache_and_agree(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns(cache.FOLDER))
    cold = _json(folder, use_cache=False)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "arclint", "scan", ".", "--format", "json", "--as-of", AS_OF.isoformat(), "--cache"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "CI": ""},
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [err for _, err in outputs] == [b"", b"", b""]
    assert len({out for out, _ in outputs}) == 1  # the three agree, whichever wrote an entry first
    assert json.loads(outputs[0][0]) == json.loads(cold)
    assert _entries(folder) and not list((folder / cache.FOLDER).glob(".tmp-*"))  # no temporary file left
    assert _json(folder, use_cache=True) == cold  # and the entries they left are whole


@pytest.mark.parametrize(
    ("env", "cached"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "1"}, False),
        ({"CI": "false"}, True),
        ({"TF_BUILD": "True"}, False),  # Azure Pipelines
    ],
)
def test_no_cache_by_default_in_ci_where_a_cache_can_only_come_from_the_repository(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], cached: bool
) -> None:
    monkeypatch.delenv("CI")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    folder = write(tmp_path / "repo", {"main.tf": MAIN_TF})
    cli.json(folder)
    assert (folder / cache.FOLDER).exists() is cached
    code, out, _ = cli("config", cwd=folder)
    assert code == 0
    assert re.search(rf"^cache: {str(cached).lower()} +# default$", out, re.MULTILINE)
    if not cached:
        cli.scan(folder, ".", "--cache")  # asked for: kept even in CI
        assert len(_entries(folder)) == 1
