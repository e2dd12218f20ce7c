"""One scan's evaluation state, shared by every evaluator it runs and owned by the scan (never module-level)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arclint.core.limits import MAX_TEMPLATE_CACHE_CHARS

if TYPE_CHECKING:
    from arclint.core.document import TemplatePart


class Session:
    """The evaluation under way and what it keeps.

    ``depth`` and ``steps`` count every evaluator on the stack (a module output evaluated inside another
    module's expression, a ``templatefile`` rendering), so the bounds hold across them; ``steps`` restart when
    an evaluation starts with nothing else under way. Template texts are parsed once per scan however often
    they are rendered (a template that renders itself twice would otherwise be parsed an exponential number
    of times), keeping at most ``MAX_TEMPLATE_CACHE_CHARS`` of text.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.steps = 0
        self._templates: dict[tuple[str, str, int], tuple[TemplatePart, ...]] = {}
        self._template_chars = 0

    def charge(self, steps: int) -> None:
        """Count work done inside a function call (a regular expression over long text) as evaluation steps."""
        self.steps += steps

    def template(self, text: str, file: str, line: int) -> tuple[TemplatePart, ...]:
        """``text`` (starting at ``line`` of ``file``) parsed as a template; raises ``LoadError``."""
        from arclint.load.hcl import parse_template

        key = (text, file, line)
        parts = self._templates.get(key)
        if parts is None:
            parts = parse_template(text, file, line)
            if len(text) <= MAX_TEMPLATE_CACHE_CHARS:
                while self._templates and self._template_chars + len(text) > MAX_TEMPLATE_CACHE_CHARS:
                    oldest = next(iter(self._templates))
                    del self._templates[oldest]
                    self._template_chars -= len(oldest[0])
                self._templates[key] = parts
                self._template_chars += len(text)
        return parts
