"""The error a loader raises for a file it cannot read or parse."""

from __future__ import annotations


class LoadError(Exception):
    """A file that could not be read or parsed, with the line the problem is on."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = max(1, line)
        self.message = message

    def __reduce__(self) -> tuple[type[LoadError], tuple[str, int, str]]:
        return (type(self), (self.path, self.line, self.message))  # picklable: parsed in worker processes
