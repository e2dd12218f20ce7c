"""A progress line on standard error for scans that take longer than a second, on a terminal only, erased when the
scan ends (however it ends)."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TextIO

DELAY = 1.0  # seconds before the line appears: a quick scan shows nothing
INTERVAL = 0.5  # seconds between updates
_ERASE = "\r\033[K"


class Progress:
    """``with Progress(stream, what):`` shows ``arclint: scanning WHAT (Ns)`` on ``stream`` after ``delay``
    seconds when ``stream`` is a terminal, updates it, and erases it on exit."""

    def __init__(self, stream: TextIO, what: str, delay: float = DELAY, interval: float = INTERVAL) -> None:
        self._stream = stream
        self._what = what
        self._delay = delay
        self._interval = interval
        self._stop = threading.Event()
        self._shown = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if _is_terminal(self._stream):
            self._thread = threading.Thread(target=self._run, name="arclint-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self._write(_ERASE)

    def _run(self) -> None:
        start = time.monotonic()
        if self._stop.wait(self._delay):
            return
        while not self._stop.is_set():
            self._shown = True
            self._write(f"{_ERASE}arclint: scanning {self._what} ({int(time.monotonic() - start)}s)")
            self._stop.wait(self._interval)

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal: the scan goes on without its progress line
            pass


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
