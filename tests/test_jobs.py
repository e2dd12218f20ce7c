"""``--jobs``: a large scan's files parsed in worker processes, the report the same whatever the job count."""

from __future__ import annotations

import functools
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from arclint.core.document import Document
from arclint.core.errors import LoadError
from arclint.discover import Input, discover
from arclint.load import Loader, hcl, load, pool
from arclint.load.cache import Cache
from arclint.suppress import comments

from conftest import REPO, Cli


def test_jobs_1_and_jobs_2_give_identical_json(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    parse_all = pool.parse_all

    def counted(items: list[Input], *rest: Any) -> list[pool.Outcome]:
        calls.append(rest[-1])  # jobs
        return parse_all(items, *rest)

    monkeypatch.setattr(pool, "parse_all", counted)
    monkeypatch.setattr(pool, "MIN_BYTES", 64 * 1024)  # the corpus (~150 KB) stands for a large scan
    scan = ("tests/fixtures", "examples", "--format", "json", "--jobs")
    one = cli.scan(REPO, *scan, "1")
    assert calls == []
    two = cli.scan(REPO, *scan, "2")
    assert calls == [2]  # workers parsed the corpus
    assert one == two
    assert one[0] == 1
    assert '"rule": "ARC001"' in one[1]  # load errors (parsed in workers) are reported the same way


def test_a_small_scan_starts_no_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> list[pool.Outcome]:
        raise AssertionError("workers started for a small scan")

    monkeypatch.setattr(pool, "parse_all", refuse)
    inputs, _ = discover([REPO / "examples"], REPO)
    assert 0 < pool.total_bytes(inputs) < pool.MIN_BYTES
    loader = Loader(REPO, comments, jobs=4)
    assert loader.inputs(inputs, []) != []


def test_what_a_worker_cannot_hand_back_is_loaded_in_the_main_process(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, _ = discover([REPO / "tests" / "fixtures"], REPO)
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    handed: list[int] = []

    def failed(items: list[Input], *rest: Any) -> list[pool.Outcome]:
        handed.append(len(items))
        return [pool.AGAIN] * len(items)

    monkeypatch.setattr(pool, "parse_all", failed)
    again = Loader(REPO, comments, jobs=2)
    again.inputs(inputs, [])
    assert handed == [len([i for i in inputs if i.kind != "source"])]
    serial = Loader(REPO, comments)
    serial.inputs(inputs, [])
    assert again.docs == serial.docs
    assert [str(e) for e in again.errors] == [str(e) for e in serial.errors] != []


def test_a_load_error_survives_the_trip_from_a_worker() -> None:
    error = pickle.loads(pickle.dumps(LoadError("main.tf", 3, "unexpected token")))
    assert (error.path, error.line, error.message, str(error)) == ("main.tf", 3, "unexpected token", str(error))
    assert str(error) == "main.tf:3: unexpected token"


def test_jobs_must_be_positive(cli: Cli) -> None:
    code, _, err = cli.scan(REPO / "examples", "--jobs", "0")
    assert code == 2
    assert "--jobs" in err


def test_workers_fill_the_cache_and_a_warm_run_reads_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(shutil.copytree(REPO / "tests" / "fixtures", tmp_path / "fixtures"))
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    scan = (".", "--format", "json", "--jobs", "2")
    cold = cli.scan(folder, *scan, "--no-cache")
    assert cli.scan(folder, *scan, "--cache") == cold  # workers parse and write entries
    entries = sorted((folder / ".arclint_cache").glob("*.json"))
    assert len(entries) > 100
    parse = hcl.parse_body

    def no_parse(text: str, path: str, **kwargs: int) -> object:
        assert kwargs, f"{path} parsed although cached"  # a whole file; templates' expressions pass offsets
        return parse(text, path, **kwargs)

    monkeypatch.setattr(hcl, "parse_body", no_parse)
    monkeypatch.setattr(pool, "MIN_BYTES", 1 << 40)  # in this process, where parsing is watched
    assert cli.scan(folder, *scan, "--cache") == cold  # every file read from the cache
    assert sorted((folder / ".arclint_cache").glob("*.json")) == entries


def _die_in_a_worker(
    item: Input, comments: pool.CommentReader, cache: Cache | None, check_only: bool, *, parent: int
) -> Document | None:
    """``load`` for a worker that dies (killed, out of memory): module level, so the workers can import it."""
    if os.getpid() != parent:
        os._exit(1)
    return load(item, comments, cache, check_only)


def test_a_worker_that_dies_leaves_its_files_to_this_process(capfd: pytest.CaptureFixture[str]) -> None:
    inputs, _ = discover([REPO / "tests" / "fixtures"], REPO)
    todo = [i for i in inputs if i.kind != "source"]
    dying = functools.partial(_die_in_a_worker, parent=os.getpid())
    outcomes = pool.parse_all(todo, [False] * len(todo), dying, comments, None, 2)
    serial = [_comparable(load_outcome(i)) for i in todo]
    got = [_comparable(o) for o in outcomes]
    assert [o for o in got if o != pool.AGAIN] == [s for o, s in zip(got, serial, strict=True) if o != pool.AGAIN]
    assert pool.AGAIN in outcomes  # what the worker took is loaded again by the loader
    assert sum(o != pool.AGAIN for o in outcomes) > 0  # this process parsed its share meanwhile
    assert capfd.readouterr().err == ""  # no traceback from the pool's threads


def load_outcome(item: Input) -> pool.Outcome:
    try:
        return load(item, comments)
    except LoadError as exc:
        return exc


def _comparable(outcome: pool.Outcome) -> object:
    return str(outcome) if isinstance(outcome, LoadError) else outcome


def test_no_more_processes_than_one_per_min_bytes_of_text(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(pool, "parse_all", lambda items, *rest: asked.append(rest[-1]) or [pool.AGAIN] * len(items))
    inputs, _ = discover([REPO / "tests" / "fixtures"], REPO)
    size = pool.total_bytes([i for i in inputs if i.kind != "source"])
    monkeypatch.setattr(pool, "MIN_BYTES", size // 3 + 1)  # the corpus is a little under 3 x MIN_BYTES
    Loader(REPO, comments, jobs=64).inputs(inputs, [])
    assert asked == [3]
