"""The lexer arclint gives python-hcl2's grammar: HCL that Terraform and Packer accept and python-hcl2 8.x rejects.

- Identifiers are Unicode, as in HCL (``local.π``; Terraform's own test data has one); so are heredoc
  delimiters.
- ``/* ... */`` is a comment that stands for nothing, as in HCL (not for a line end), so it may sit between
  block labels (``resource "a" /* note */ "b" {``) or anywhere a blank may.

Only terminal patterns change, never a rule: the parse tables are python-hcl2's own, loaded from its cache, so
the parser costs no more to build. A terminal whose pattern is not the one expected (a newer python-hcl2) is
left as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from copy import copy
from typing import Any

from lark.common import LexerConf
from lark.lexer import ContextualLexer, PatternRE, TerminalDef, Token

# python-hcl2 lets a block comment end a line: taken out of NL_OR_COMMENT (lark holds that ``\n`` as a newline)
_BLOCK_COMMENT = "\\/\\*(.|\n)*?(\\*\\/)|"
# (terminal, what python-hcl2 8.x has, what HCL has)
_EDITS = (
    ("NAME", "[a-zA-Z_][a-zA-Z0-9_-]*", r"[^\W\d][\w-]*"),
    ("NL_OR_COMMENT", _BLOCK_COMMENT, ""),
    ("HEREDOC_TEMPLATE", "[a-zA-Z][a-zA-Z0-9._-]*", r"[^\W\d][\w.-]*"),
    ("HEREDOC_TEMPLATE_TRIM", "[a-zA-Z][a-zA-Z0-9._-]*", r"[^\W\d][\w.-]*"),
)
_BLOCK_COMMENT_RE = r"/\*[\s\S]*?\*/"


def edit_terminals(terminals: Collection[TerminalDef]) -> tuple[list[TerminalDef], bool]:
    """The terminals with HCL's patterns, and whether block comments became blanks."""
    out: list[TerminalDef] = []
    comments_blank = False
    for term in terminals:
        value = term.pattern.value
        for name, old, new in _EDITS:
            if term.name == name and isinstance(term.pattern, PatternRE) and old in value:
                value = value.replace(old, new, 1)
                comments_blank = comments_blank or name == "NL_OR_COMMENT"
        if value != term.pattern.value:
            term = _terminal(term, term.name, value)
        out.append(term)
    if comments_blank:
        out.append(
            _terminal(next(t for t in terminals if t.name == "NL_OR_COMMENT"), "BLOCK_COMMENT", _BLOCK_COMMENT_RE)
        )
    return out, comments_blank


def _terminal(like: TerminalDef, name: str, value: str) -> TerminalDef:
    """A terminal with ``like``'s pattern type and flags object (lark compares flags across patterns)."""
    pattern = copy(like.pattern)
    pattern.value = value
    pattern._width = None  # type: ignore[attr-defined]  # lark caches the width; a new value needs it recomputed
    return TerminalDef(name, pattern, like.priority)


class HclLexer(ContextualLexer):
    """python-hcl2's contextual lexer with HCL's identifiers and comments (see the module docstring)."""

    def __init__(
        self, conf: LexerConf, states: dict[int, Collection[str]], always_accept: Collection[str] = ()
    ) -> None:
        terminals, comments_blank = edit_terminals(conf.terminals)
        conf = copy(conf)
        conf.terminals = terminals
        conf.terminals_by_name = {t.name: t for t in terminals}
        if comments_blank:
            conf.ignore = (*conf.ignore, "BLOCK_COMMENT")
        super().__init__(conf, states, always_accept)


# tokens that open a nesting, with whether newlines inside it are blanks (HCL: inside parentheses and brackets they
# are; inside braces, whether an object or a block body, they end an item; templates are left as they were)
_OPENERS = {"LPAR": True, "LSQB": True, "LBRACE": False, "INTERP_START": False, "DIRECTIVE_START": False}
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})


class BracketNewlines:
    """python-hcl2's post-lexer, after newlines and comments inside parentheses and brackets are dropped.

    In HCL a newline inside ``(...)`` or ``[...]`` is a blank, so ``try\n(...)`` inside an index is a call, as
    Terraform reads it. python-hcl2's grammar allows a newline only where it lists one (everywhere inside brackets
    that is optional), and rejects the rest. Dropping them there changes no parse it accepted: only optional
    newline nodes go, which the converter skips.
    """

    def __init__(self, stock: Any) -> None:
        self.stock = stock
        self.always_accept = stock.always_accept

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return self.stock.process(self._drop(stream))  # type: ignore[no-any-return]

    @staticmethod
    def _drop(stream: Iterator[Token]) -> Iterator[Token]:
        blanks: list[bool] = []  # per open nesting: whether newlines are blanks in it
        dropped: Token | None = None  # the last newline dropped, if nothing came after it
        for token in stream:
            kind = token.type
            if kind == "NL_OR_COMMENT":
                if blanks and blanks[-1]:
                    dropped = token
                    continue
            elif kind in _OPENERS:
                blanks.append(_OPENERS[kind])
            elif kind in _CLOSERS and blanks:
                blanks.pop()
            dropped = None
            yield token
        if dropped is not None:  # an unclosed bracket at the end: the error stays at the end of the file
            yield dropped
