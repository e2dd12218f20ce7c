"""Parse many files at once in worker processes (``--jobs``): the documents come back in input order.

Only the parse runs in the workers: ``load`` is a pure function of the file's bytes, so a document parsed in a
worker equals the one parsed here. Anything a worker cannot hand back (a bug, a document too deep to pickle, a
worker that died) is loaded again here, so errors are reported exactly as in a scan without workers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from arclint.core.document import Document, Suppression
from arclint.core.errors import LoadError
from arclint.discover import Input

if TYPE_CHECKING:
    from arclint.load.cache import Cache

# less text to parse: no workers. Starting two (each imports the parser) costs ~0.3 s; parsing takes ~3 s per MB
# of typical Terraform, so below ~256 KB the workers cost more than they save (measured on 2 cores)
MIN_BYTES = 256 * 1024
_CHUNK = 16  # files handed to a worker at once

# a loaded document, None (a .json file that is no configuration), a load error, or ``AGAIN`` (load it here: the
# only string; compared by type, since a string from a worker is a copy)
Outcome = Document | None | LoadError | str
AGAIN = "again"
CommentReader = Callable[[str, bool], tuple[Suppression, ...]]
# ``arclint.load.load``: module level, so picklable
Load = Callable[[Input, CommentReader, "Cache | None", bool], Document | None]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def total_bytes(items: Sequence[Input]) -> int:
    """The size of the items' files (those that cannot be read count nothing: loading reports them)."""
    total = 0
    for item in items:
        with contextlib.suppress(OSError):
            total += item.path.stat().st_size
    return total


def parse_all(
    items: Sequence[Input], checks: Sequence[bool], load: Load, comments: CommentReader, cache: Cache | None, jobs: int
) -> list[Outcome]:
    """Each item loaded by ``load`` in this process and ``jobs - 1`` workers, in input order; ``AGAIN`` where a
    worker failed.
    ``checks``: per item, whether it is only checked (``arclint.load.load``'s ``check_only``). The workers read
    and write ``cache`` like the main process would (its writes are atomic)."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pairs = list(zip(items, checks, strict=True))
    chunks = [pairs[i : i + _CHUNK] for i in range(0, len(pairs), _CHUNK)]
    try:  # this process is one of the ``jobs``: it parses too, from the other end, while the workers start
        pool = ProcessPoolExecutor(max_workers=min(jobs - 1, len(chunks)), mp_context=context)
    except OSError:  # no workers: everything is loaded here
        return [AGAIN] * len(items)
    results: list[list[Outcome] | None] = [None] * len(chunks)
    sent: dict[Future[list[Outcome]], int] = {}
    front, back = 0, len(chunks)  # chunks[front:back] are neither sent nor parsed here
    try:
        while front < back:
            while front < back and sum(not f.done() for f in sent) < 2 * (jobs - 1):  # keep the workers busy
                try:
                    sent[pool.submit(_parse_chunk, chunks[front], load, comments, cache)] = front
                except (BrokenProcessPool, RuntimeError):  # no more workers: the rest is parsed here
                    break
                front += 1
            if front < back:
                back -= 1
                results[back] = _parse_chunk(chunks[back], load, comments, cache)
        for future, i in sent.items():
            try:
                results[i] = future.result()
            except Exception:  # a worker died (BrokenProcessPool), or the result could not come back: loaded here
                results[i] = [AGAIN] * len(chunks[i])
    except BaseException:  # an interrupt: stop at once, without waiting for the workers' chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [o for chunk, got in zip(chunks, results, strict=True) for o in (got or [AGAIN] * len(chunk))]


def _parse_chunk(
    items: list[tuple[Input, bool]], load: Load, comments: CommentReader, cache: Cache | None
) -> list[Outcome]:
    """Run in a worker: each item loaded (or only checked), or its load error, or ``AGAIN`` on anything else."""
    out: list[Outcome] = []
    for item, check_only in items:
        try:
            out.append(load(item, comments, cache, check_only))
        except LoadError as exc:
            out.append(exc)
        except Exception:  # a bug: loaded again in the main process, which reports it naming the file
            out.append(AGAIN)
    return out
