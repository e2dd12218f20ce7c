"""Parse HCL (Terraform ``.tf``, Packer ``.pkr.hcl``, var files) into the neutral document.

The only module that imports python-hcl2. It uses the Lark parse tree with lines (``_Lines``), so every
block, attribute and expression keeps its line, and each file is parsed once. A file that can lead to no finding
is only checked (``check_syntax``): the same parse, building no tree.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from arclint.core.document import (
    Attribute,
    BinaryOp,
    Block,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Loc,
    Name,
    ObjectExpr,
    Splat,
    Template,
    TemplatePart,
    Text,
    TupleExpr,
    UnaryOp,
)
from arclint.core.errors import LoadError
from arclint.core.limits import MAX_HCL_BYTES, MAX_HCL_NESTING
from arclint.core.stack import deep_stack
from arclint.core.values import parse_int
from arclint.load import template

_SKIP = frozenset({"new_line_or_comment"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_HEREDOC_HEAD_RE = re.compile(r"<<(-?)([^\W\d][\w.-]*)\r?\n")  # HCL identifiers are Unicode
_FRAMES_PER_LEVEL = 8  # Python frames the converter uses per nesting level, with room to spare


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """python-hcl2's grammar and cached parse tables, with arclint's lexer (``hcl_lexer``): built once."""
    from hcl2 import parser as stock  # heavy: imported on first parse only
    from lark import Lark

    from arclint.load.hcl_lexer import BracketNewlines, HclLexer

    parser = Lark.open(
        "hcl2.lark",
        rel_to=stock.__file__,
        parser="lalr",
        cache=str(stock.PARSER_FILE),
        propagate_positions=True,
        postlex=BracketNewlines(stock.PostLexer()),  # type: ignore[attr-defined]  # re-exported, not declared
        _plugins={"ContextualLexer": HclLexer},
    )
    _track_lines_only(parser)
    return parser


def _track_lines_only(parser: Any) -> None:
    """Replace lark's position tracking, rule by rule, with ``_Lines``: the lines the converter reads, kept by
    the same rules, without the columns and offsets it never reads (a third of the parse). Left as it is if
    lark's internals are not where lark 1.x has them."""
    from lark import Token, Tree
    from lark.parse_tree_builder import PropagatePositions

    callbacks = _callbacks(parser)
    if callbacks is not None:
        for rule, callback in callbacks.items():
            if type(callback) is PropagatePositions and callback.node_filter is None:
                callbacks[rule] = _Lines(callback.node_builder, Tree, Token)


def _callbacks(parser: Any) -> dict[Any, Any] | None:
    """The LALR parser's rule callbacks (where lark 1.x keeps them), or None."""
    callbacks = getattr(getattr(getattr(parser.parser, "parser", None), "parser", None), "callbacks", None)
    return callbacks if isinstance(callbacks, dict) else None


class _Lines:
    """lark's ``PropagatePositions`` for lines only: a tree starts at the line of its first child that has one
    (a token, or a tree's container line) and ends at the end line of its last; a tree a rule passes through
    (``?rule``, one child) keeps its own lines and takes the container's as ``container_line`` and
    ``container_end_line``, which its parent reads."""

    __slots__ = ("build", "tree", "token")

    def __init__(self, build: Any, tree: Any, token: Any) -> None:
        self.build = build
        self.tree = tree
        self.token = token

    def __call__(self, children: list[Any]) -> Any:
        res = self.build(children)
        if isinstance(res, self.tree):
            meta = res.meta
            first = _edge_line(children, self.tree, self.token, "container_line", "line")
            if first is not None:
                if not hasattr(meta, "line"):
                    meta.line = first
                    meta.empty = False
                meta.container_line = first
            last = _edge_line(reversed(children), self.tree, self.token, "container_end_line", "end_line")
            if last is not None:
                if not hasattr(meta, "end_line"):
                    meta.end_line = last
                    meta.empty = False
                meta.container_end_line = last
        return res


def _edge_line(children: Any, tree: Any, token: Any, container: str, own: str) -> int | None:
    """The line the first of ``children`` that has one gives (a tree's ``container`` line, else its ``own``)."""
    for child in children:
        if isinstance(child, tree):
            meta = child.meta
            if not meta.empty:
                return getattr(meta, container, None) or getattr(meta, own)  # type: ignore[no-any-return]
        elif isinstance(child, token):
            return getattr(child, own)  # type: ignore[no-any-return]
    return None


@functools.lru_cache(maxsize=1)
def _checker() -> Any:
    """The same grammar, lexer and parse tables, building no tree: each rule's result is its depth (an int). It
    accepts and rejects exactly what ``_parser`` does, at the same token (callbacks take no part in LALR's
    decisions), in about half the time. ``_parser`` itself if lark's internals are not where lark 1.x has them."""
    checker = _parser.__wrapped__()  # a second instance, built with the same options (they key the cached tables)
    callbacks = _callbacks(checker)
    if not callbacks:
        return _parser()
    for rule in callbacks:
        callbacks[rule] = _depth
    return checker


def _depth(children: list[Any]) -> int:
    """A rule's depth: one more than its deepest child's (tokens count nothing). Every rule counts, also those
    the tree leaves out, so it is never less than the nesting the converter counts."""
    deepest = 0
    for child in children:
        if type(child) is int and child > deepest:
            deepest = child
    return deepest + 1


def _nested_too_deep(path: str, line: int) -> LoadError:
    return LoadError(path, line, f"nested deeper than arclint's limit of {MAX_HCL_NESTING} levels")


def parse_body(text: str, path: str, *, line_offset: int = 0, depth: int = 0) -> Block:
    """Parse HCL text into a root ``Block`` (type ``""``) or raise ``LoadError``.

    Bounded: text over ``MAX_HCL_BYTES`` is not parsed, and blocks and expressions nested deeper than
    ``MAX_HCL_NESTING`` (counting templates parsed inside heredocs) are a ``LoadError`` at their line.
    ``depth``: the nesting already reached around this text (a template's expression inside a heredoc).
    """
    try:
        with deep_stack(MAX_HCL_NESTING * _FRAMES_PER_LEVEL + 200), _collector_paused():
            tree = _lark_parse(_parser(), text, path, line_offset)
            conv = _Converter(path, line_offset, depth)
            return conv.body(tree.children[0], "", (), 1, text.count("\n") + 1)
    except RecursionError:  # a last resort: the explicit depth counts end deep input first
        raise _nested_too_deep(path, 1 + line_offset) from None


def check_syntax(text: str, path: str) -> None:
    """Raise the ``LoadError`` ``parse_body`` would raise for ``text``, building nothing when that is enough: for
    files that cannot lead to a finding (``arclint.model.relevance``). What only building the document finds (a
    heredoc or template directive that does not parse, nesting beyond the limit) is looked for by building it
    when the text has a heredoc (``<<``) or a directive (``%{``), or the parse is deep."""
    if "<<" in text or "%{" in text:
        parse_body(text, path)
        return
    with _collector_paused():
        depth = _lark_parse(_checker(), text, path, 0)
    if not isinstance(depth, int) or depth >= MAX_HCL_NESTING:
        parse_body(text, path)


def _lark_parse(parser: Any, text: str, path: str, line_offset: int) -> Any:
    """``parser``'s parse of ``text``, its errors as ``LoadError`` at their line."""
    from lark.exceptions import LarkError, UnexpectedInput

    if len(text) > MAX_HCL_BYTES:
        raise LoadError(
            path, 1 + line_offset, f"HCL text larger than arclint's limit of {MAX_HCL_BYTES // 1048576} MB; not parsed"
        )
    try:
        return parser.parse(text + "\n")
    except UnexpectedInput as exc:
        line = exc.line if isinstance(exc.line, int) and exc.line > 0 else text.count("\n") + 1
        raise LoadError(path, line + line_offset, _describe(exc)) from None
    except LarkError as exc:
        raise LoadError(path, 1 + line_offset, f"cannot parse: {exc}") from None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a parse tree grows: the tree holds no cycles, and the
    collections its millions of new objects trigger made parsing superlinear (2 MB: 7.7 s, 1.5 s without them)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def parse_expression(text: str, path: str, line: int, depth: int = 0) -> Expr:
    """Parse one expression (the inside of ``${...}``) found at ``line`` of ``path``."""
    body = parse_body(f"__x = (\n{text}\n)", path, line_offset=line - 2, depth=depth)
    return body.attributes["__x"].expr


def parse_template(text: str, path: str, line: int) -> tuple[TemplatePart, ...]:
    """Parse template text (a ``templatefile`` file, a JSON string) that starts at ``line`` of ``path``."""
    return template.parse(text, path, line, parse_expression)


def _describe(exc: Exception) -> str:
    """Turn a Lark error into one line a user can act on."""
    token = getattr(exc, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "unexpected end of file (unclosed block, string or bracket?)"
    if token is not None and getattr(token, "type", "") == "NL_OR_COMMENT":
        return "unexpected end of line (missing value, operator or closing bracket?)"
    if token is not None:
        return f"unexpected {str(token).strip()[:40]!r}"
    char = getattr(exc, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "syntax error"


def _line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return int(meta.line)
    return int(getattr(node, "line", 0) or 0)


def _is_tree(node: Any) -> bool:
    return hasattr(node, "data")


def _trees(node: Any) -> list[Any]:
    return [c for c in node.children if _is_tree(c) and c.data not in _SKIP]


def unescape(raw: str) -> str:
    """Apply HCL string escapes (``\\n``, ``\\"``, ``\\uXXXX``)."""
    if "\\" not in raw:
        return raw

    def sub(m: re.Match[str]) -> str:
        s = m.group(1)
        if s[0] in "uU" and len(s) > 1:
            code = int(s[1:], 16)
            # not a character (a lone surrogate, beyond U+10FFFF): the replacement character, as on output
            return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return _ESCAPES.get(s, "\\" + s)

    return _ESCAPE_RE.sub(sub, raw)


class _Converter:
    """Walk the Lark tree once and build neutral nodes."""

    def __init__(self, path: str, line_offset: int, depth: int) -> None:
        self.path = path
        self.off = line_offset
        self.nesting = depth  # nesting reached by the conversions on the stack (a heredoc's template parses inside)

    def nested_expression(self, text: str, path: str, line: int) -> Expr:
        """Parse an expression inside a heredoc's template, at the nesting reached here."""
        return parse_expression(text, path, line, self.nesting)

    def loc(self, node: Any) -> Loc:
        meta = node.meta
        return Loc(self.path, meta.line + self.off, meta.end_line + self.off)

    # structure ----------------------------------------------------------------
    def body(self, node: Any, btype: str, labels: tuple[str, ...], line: int, end: int) -> Block:
        attrs: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in _trees(node):
            if child.data == "attribute":
                name = self.word(child.children[0])
                attrs[name] = Attribute(name, self.expr(child.children[2]), self.loc(child))
            elif child.data == "block":
                blocks.append(self.block(child))
        return Block(btype, labels, attrs, tuple(blocks), Loc(self.path, line + self.off, end + self.off))

    def block(self, node: Any) -> Block:
        parts = [c for c in node.children if not (_is_tree(c) and c.data in _SKIP)]
        header: list[str] = []
        inner = None
        for c in parts:
            if _is_tree(c) and c.data == "body":
                inner = c
                break
            if _is_tree(c):
                header.append(self.word(c))
        loc = self.loc(node)
        btype, labels = header[0], tuple(header[1:])
        if inner is None:
            return Block(btype, labels, {}, (), loc)
        self.nesting += 1
        try:
            if self.nesting > MAX_HCL_NESTING:
                raise _nested_too_deep(self.path, loc.line)
            blk = self.body(inner, btype, labels, loc.line - self.off, loc.end_line - self.off)
        finally:
            self.nesting -= 1
        return Block(blk.type, blk.labels, blk.attributes, blk.blocks, loc)

    def word(self, node: Any) -> str:
        """Return an identifier, keyword or (block label) string as plain text."""
        if node.data == "string":
            return "".join(unescape(str(p.children[0])) for p in node.children if _is_tree(p))
        return sys.intern(str(node.children[0]))  # names repeat in every file: one string each

    # expressions ---------------------------------------------------------------
    def expr(self, node: Any) -> Expr:
        handler = getattr(self, "x_" + str(node.data), None)
        if handler is None:
            raise LoadError(self.path, _line(node) + self.off, f"unsupported syntax {node.data}")
        # an expr_term only wraps its term, unless it is a parenthesized expression
        step = 0 if node.data == "expr_term" and not _parenthesized(node) else 1
        self.nesting += step
        try:
            if self.nesting > MAX_HCL_NESTING:
                raise _nested_too_deep(self.path, _line(node) + self.off)
            result: Expr = handler(node)
        finally:
            self.nesting -= step
        return result

    def ln(self, node: Any) -> int:
        return _line(node) + self.off

    def x_expr_term(self, node: Any) -> Expr:
        inner = _trees(node)
        return self.expr(inner[0])

    def x_int_lit(self, node: Any) -> Expr:
        return Literal(parse_int(str(node.children[0])), self.ln(node))

    def x_float_lit(self, node: Any) -> Expr:
        return Literal(float(str(node.children[0])), self.ln(node))

    def x_literal_value(self, node: Any) -> Expr:
        word = str(node.children[0])
        return Literal({"true": True, "false": False, "null": None}[word], self.ln(node))

    def x_identifier(self, node: Any) -> Expr:
        return Name(sys.intern(str(node.children[0])), self.ln(node))

    def x_keyword(self, node: Any) -> Expr:
        return Name(sys.intern(str(node.children[0])), self.ln(node))

    def x_template_string(self, node: Any) -> Expr:
        raw = str(node.children[0])
        return Literal(unescape(raw.strip("\\").strip('"')), self.ln(node))

    def x_string(self, node: Any) -> Expr:
        line = self.ln(node)
        flat: list[Any] = []
        for part in node.children:
            if not _is_tree(part):
                continue
            (inner,) = part.children
            if _is_tree(inner):
                if inner.data == "interpolation":
                    flat.append(self.expr(_trees(inner)[0]))
                else:
                    flat.append(self.directive(inner))
            else:
                kind = inner.type
                raw = str(inner)
                if kind == "ESCAPED_INTERPOLATION":
                    text = "${" + raw[3:]
                elif kind == "ESCAPED_DIRECTIVE":
                    text = "%{" + raw[3:]
                else:
                    text = unescape(raw)
                flat.append(Text(text, inner.line + self.off, self.path))
        flat = _merge_text(flat)
        if len(flat) == 1 and isinstance(flat[0], Text):
            return Literal(flat[0].text, line)
        if not flat:
            return Literal("", line)
        return Template(template.one_line(template.assemble(flat, self.path, line)), line)

    def directive(self, node: Any) -> tuple[str, Any]:
        """Return a flat directive marker that ``template.assemble`` nests."""
        kind = node.data
        if kind == "template_if_start":
            return ("if", self.expr(_trees(node)[0]))
        if kind == "template_for_start":
            names = [str(c.children[0]) for c in _trees(node) if c.data == "identifier"]
            coll = [c for c in _trees(node) if c.data != "identifier"][0]
            return ("for", (names, self.expr(coll)))
        return (kind.replace("template_", ""), None)

    def _heredoc(self, node: Any) -> Expr:
        token = node.children[0]
        raw = str(token)
        line = token.line + self.off
        parsed = _split_heredoc(raw)
        if parsed is None:
            raise LoadError(self.path, line, "malformed heredoc")
        trim, body = parsed
        if trim:
            body = _dedent(body)
        return Template(template.parse(body, self.path, line + 1, self.nested_expression), line)

    x_heredoc_template = _heredoc
    x_heredoc_template_trim = _heredoc

    def x_tuple(self, node: Any) -> Expr:
        return TupleExpr(tuple(self.expr(c) for c in _trees(node)), self.ln(node))

    def x_object(self, node: Any) -> Expr:
        items: list[tuple[Expr, Expr]] = []
        for elem in _trees(node):
            key_node, value_node = _trees(elem)
            key_inner = _trees(key_node)[0]
            key = self.expr(key_inner)
            if isinstance(key, Name):
                key = Literal(key.name, key.line)
            items.append((key, self.expr(value_node)))
        return ObjectExpr(tuple(items), self.ln(node))

    def x_conditional(self, node: Any) -> Expr:
        cond, then, other = _trees(node)
        return Conditional(self.expr(cond), self.expr(then), self.expr(other), self.ln(node))

    def x_binary_op(self, node: Any) -> Expr:
        left, term = _trees(node)[:2]
        op_node, right = _trees(term)
        op = str(op_node.children[0]).strip()
        return BinaryOp(op, self.expr(left), self.expr(right), self.ln(node))

    def x_unary_op(self, node: Any) -> Expr:
        op = str(node.children[0])
        return UnaryOp(op, self.expr(_trees(node)[0]), self.ln(node))

    def x_function_call(self, node: Any) -> Expr:
        names = [str(c.children[0]) for c in _trees(node) if c.data == "identifier"]
        args_node = [c for c in _trees(node) if c.data == "arguments"]
        args: tuple[Expr, ...] = ()
        expand = False
        if args_node:
            args = tuple(self.expr(c) for c in _trees(args_node[0]))
            expand = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in args_node[0].children)
        return Call("::".join(names), args, expand, self.ln(node))

    def x_index_expr_term(self, node: Any) -> Expr:
        source, index = _trees(node)
        return Index(self.expr(source), self.index_key(index), self.ln(node))

    def index_key(self, node: Any) -> Expr:
        if node.data == "short_index":
            token = [c for c in node.children if not _is_tree(c) and c.type == "INT_LITERAL"][0]
            return Literal(int(str(token)), self.ln(node))
        return self.expr(_trees(node)[0])

    def x_get_attr_expr_term(self, node: Any) -> Expr:
        source, attr = _trees(node)
        return GetAttr(self.expr(source), self.word(_trees(attr)[0]), self.ln(node))

    def _splat(self, node: Any) -> Expr:
        source, splat = _trees(node)
        path: list[Any] = []
        for step in _trees(splat):
            if step.data == "get_attr":
                path.append(self.word(_trees(step)[0]))
            else:
                path.append(self.index_key(step))
        return Splat(self.expr(source), tuple(path), self.ln(node))

    x_attr_splat_expr_term = _splat
    x_full_splat_expr_term = _splat

    def _for(self, node: Any, is_object: bool) -> Expr:
        intro = [c for c in _trees(node) if c.data == "for_intro"][0]
        names = [str(c.children[0]) for c in _trees(intro) if c.data == "identifier"]
        coll = [c for c in _trees(intro) if c.data != "identifier"][0]
        rest = [c for c in _trees(node) if c.data not in ("for_intro", "for_cond")]
        conds = [c for c in _trees(node) if c.data == "for_cond"]
        cond = self.expr(_trees(conds[0])[0]) if conds else None
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        grouping = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in node.children)
        if is_object:
            key, value = self.expr(rest[0]), self.expr(rest[1])
        else:
            key, value = None, self.expr(rest[0])
        return ForExpr(key_var, value_var, self.expr(coll), key, value, cond, grouping, self.ln(node))

    def x_for_tuple_expr(self, node: Any) -> Expr:
        return self._for(node, is_object=False)

    def x_for_object_expr(self, node: Any) -> Expr:
        return self._for(node, is_object=True)


def _split_heredoc(raw: str) -> tuple[bool, str] | None:
    """``(trim, body)`` of a heredoc token ``<<[-]DELIM\\n body [ \\t]*DELIM[\\r]\\n``; None when malformed.

    Plain string operations, not one regular expression: a body of many blanks would make the lazy
    match backtrack quadratically.
    """
    head = _HEREDOC_HEAD_RE.match(raw)
    if head is None:
        return None
    delim, tail = head.group(2), raw[head.end() :]
    for end in ("\n", "\n", "\r"):  # what may follow the delimiter: [\r][\n], then one more newline
        if tail.endswith(end):
            tail = tail[:-1]
    if not tail.endswith(delim):
        return None
    return head.group(1) == "-", tail[: len(tail) - len(delim)].rstrip(" \t")


def _parenthesized(node: Any) -> bool:
    return any(not _is_tree(c) and str(c) == "(" for c in node.children)


def _merge_text(parts: list[Any]) -> list[Any]:
    """Join adjacent literal pieces (escapes split them) into one ``Text``."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + part.text, out[-1].line, out[-1].file)
        else:
            out.append(part)
    return out


def _dedent(body: str) -> str:
    """Remove the common leading whitespace of a ``<<-`` heredoc body."""
    lines = body.split("\n")
    widths = [len(s) - len(s.lstrip(" \t")) for s in lines if s.strip()]
    cut = min(widths) if widths else 0
    return "\n".join(s[cut:] for s in lines)
