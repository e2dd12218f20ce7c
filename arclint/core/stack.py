"""Room on the Python stack for walks over nested input, whose depth arclint bounds itself.

Loaders and the evaluator recurse once per nesting level and stop at their own named limits
(``MAX_HCL_NESTING``, ``MAX_JSON_NESTING``, ``MAX_EVALUATION_DEPTH`` in ``arclint.core.limits``).
Python's default recursion limit (1000 frames) is lower than
those limits need, and how much of it is left depends on the caller (pytest, pre-commit), so
each deep walk asks for the frames it needs on top of the frames already in use.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


def stack_depth() -> int:
    """The number of Python frames on the stack now."""
    frame, depth = sys._getframe(1), 1
    while frame.f_back is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@contextmanager
def deep_stack(frames: int) -> Iterator[None]:
    """Allow ``frames`` more Python frames than are in use now, until the block ends."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, stack_depth() + frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
