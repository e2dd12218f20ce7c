"""Bugs, told apart from the user's mistakes: an unexpected exception becomes an ``InternalError``
that says where the scan was (the file being loaded, evaluated, modelled or checked).

The CLI reports it as ``arclint: internal error while scanning WHERE: ...`` with exit code 2; it is
never a finding and never a passing run.
"""

from __future__ import annotations

from types import TracebackType


class InternalError(Exception):
    """An unexpected exception (a bug in arclint) and the place the scan was at when it happened."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"{where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause


class located:  # noqa: N801  (used as a statement: ``with located(file):``)
    """Turn an unexpected exception raised inside the block into an ``InternalError`` naming ``where``.

    The innermost place wins (an ``InternalError`` passes unchanged). ``expected`` exceptions pass too,
    for their handlers outside the block; so does ``RecursionError``, which the loaders and the evaluator
    catch as a last resort. ``BaseException``s (an interrupt, SIGTERM) are never touched.
    """

    __slots__ = ("where", "expected")

    def __init__(self, where: str, expected: tuple[type[Exception], ...] = ()) -> None:
        self.where = where
        self.expected = expected

    def __enter__(self) -> located:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Never swallows an exception: it passes it on, or raises the ``InternalError`` in its place."""
        if (
            exc is None
            or not isinstance(exc, Exception)
            or isinstance(exc, (InternalError, RecursionError, *self.expected))
        ):
            return
        raise InternalError(self.where, exc) from exc
