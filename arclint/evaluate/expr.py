"""Evaluate neutral expressions to values, Terraform/Packer style, never guessing.

Names outside the expression (``var``, ``local``, resources, ``path``) are resolved by a
``Namespace`` the caller provides; anything that cannot be known is an ``Unknown``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from arclint.core.document import (
    Attribute,
    BinaryOp,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Name,
    ObjectExpr,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    TemplatePart,
    Text,
    TupleExpr,
    UnaryOp,
)
from arclint.core.internal import located
from arclint.core.limits import MAX_EVALUATION_DEPTH, MAX_ITEMS, MAX_NODES, MAX_NUMBER_DIGITS, MAX_STEPS, MAX_STRING
from arclint.core.values import (
    BadArgument,
    SetUnknown,
    Traced,
    Unknown,
    concat,
    number_problem,
    too_big,
)
from arclint.evaluate.session import Session

_FRAMES_PER_LEVEL = 16  # Python frames between two nested evaluations at most (module outputs, resources), with room
_STACK_MARGIN = 6000  # frames for what runs inside an evaluation: HCL parsing of templates, JSON decoding


@functools.cache
def _arity(fn: Callable[..., object]) -> tuple[int, float]:
    """How many positional arguments ``fn`` takes: (least, most)."""
    import inspect

    params = inspect.signature(fn).parameters.values()
    least = sum(1 for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    most = (
        math.inf
        if any(p.kind is p.VAR_POSITIONAL for p in params)
        else sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    )
    return least, most


def arity_problem(fn: Callable[..., object], count: int) -> str | None:
    """Why ``count`` arguments do not fit ``fn`` (Terraform rejects such a call too); None when they do."""
    least, most = _arity(fn)
    if least <= count <= most:
        return None
    wanted = f"{least}" if least == most else f"at least {least}" if most == math.inf else f"{least} to {most}"
    return f"takes {wanted} argument{'' if wanted == '1' else 's'}, not {count}"


Step = Any  # str (attribute name) or evaluated index key


class Namespace(Protocol):
    """Resolves a top-level name and as many traversal steps as it understands."""

    def __call__(self, name: str, steps: list[Step]) -> tuple[object, int]:
        """Return (value, number of steps consumed)."""


class Evaluator:
    """Evaluates expressions against a namespace and a function table."""

    def __init__(self, namespace: Namespace, functions: Mapping[str, Callable[..., object]], session: Session) -> None:
        self.namespace = namespace
        self.functions = functions
        self.session = session
        self.steps = 0

    def eval_attribute(self, attr: Attribute, env: Mapping[str, object] | None = None) -> object:
        """Evaluate an attribute's expression; a bug inside is an ``InternalError`` naming its file."""
        with located(attr.loc.file):
            return self.eval(attr.expr, env)

    def eval(self, expr: Expr | TemplatePart, env: Mapping[str, object] | None = None) -> object:
        """Evaluate ``expr``; ``env`` holds local names (for-variables, ``each``, ``count``).

        Bounded: nesting deeper than ``MAX_EVALUATION_DEPTH`` (counted across evaluators), more than ``MAX_STEPS``
        steps, strings over ``MAX_STRING`` characters and numbers beyond ``MAX_NUMBER_DIGITS`` digits
        become unknowns that name the limit.
        """
        if self.session.depth == 0:
            return self._session_eval(expr, env)
        return self._eval(expr, env)

    def _session_eval(self, expr: Expr | TemplatePart, env: Mapping[str, object] | None) -> object:
        """An evaluation that starts with nothing else under way: a fresh step count and a deep enough stack."""
        from arclint.core.stack import deep_stack

        self.session.steps = 0
        try:
            with deep_stack(MAX_EVALUATION_DEPTH * _FRAMES_PER_LEVEL + _STACK_MARGIN):
                return self._eval(expr, env)
        except RecursionError:  # a last resort: the depth count ends deep evaluations first
            return Unknown(
                [f"expression nested deeper than arclint's limit of {MAX_EVALUATION_DEPTH} levels; not evaluated"]
            )
        finally:
            self.session.depth = 0

    def _eval(self, expr: Expr | TemplatePart, env: Mapping[str, object] | None) -> object:
        if self.session.depth >= MAX_EVALUATION_DEPTH:
            return Unknown(
                [f"expression nested deeper than arclint's limit of {MAX_EVALUATION_DEPTH} levels; not evaluated"]
            )
        self.steps += 1
        self.session.steps += 1
        if self.exhausted():
            return Unknown([_EXHAUSTED])
        self.session.depth += 1
        try:
            result = _DISPATCH[type(expr)](self, expr, env or {})
        finally:
            self.session.depth -= 1
        if isinstance(result, str):
            if len(result) > MAX_STRING:
                return Unknown([f"string longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"])
            # long text costs steps too: a template that renders itself twice doubles its text at every level
            self.session.steps += len(result) // 1024 + len(getattr(result, "spans", ()))
        elif isinstance(result, (int, float)):
            problem = number_problem(result)
            if problem:
                return Unknown([problem])
        elif isinstance(result, (list, dict)) and type(expr) in _BUILDERS and too_big(result):
            # a list that holds itself twice, level after level, would make every later comparison or
            # conversion exponential; references to a value already built are not counted again
            return Unknown([f"a value with more than arclint's limit of {MAX_NODES:,} parts; not evaluated"])
        return result

    def exhausted(self) -> bool:
        """Whether this evaluator or the evaluation under way has used up its steps."""
        return self.steps > MAX_STEPS or self.session.steps > MAX_STEPS

    # --- nodes ----------------------------------------------------------------------
    def _literal(self, e: Literal, env: Mapping[str, object]) -> object:
        return e.value

    def _text(self, e: Text, env: Mapping[str, object]) -> object:
        return Traced.from_file(e.text, e.file, e.line)

    def _template(self, e: Template, env: Mapping[str, object]) -> object:
        return concat(self.render(e.parts, env))

    def render(self, parts: tuple[TemplatePart, ...], env: Mapping[str, object]) -> list[object]:
        """Evaluate template parts to a list of strings and unknowns."""
        out: list[object] = []
        for part in parts:
            if isinstance(part, TemplateIf):
                cond = to_bool(self.eval(part.cond, env))
                if isinstance(cond, Unknown):
                    out.append(cond)
                else:
                    out.extend(self.render(part.then if cond else part.other, env))
            elif isinstance(part, TemplateFor):
                coll = self.eval(part.collection, env)
                if isinstance(coll, Unknown):
                    out.append(coll)
                    continue
                if _too_many(coll):
                    out.append(Unknown([_TOO_MANY]))
                    continue
                for key, value in _pairs(coll):
                    if self.exhausted():
                        out.append(Unknown([_EXHAUSTED]))
                        break
                    inner = dict(env)
                    inner[part.value_var] = value
                    if part.key_var:
                        inner[part.key_var] = key
                    out.extend(self.render(part.body, inner))
            else:
                value = self.eval(part, env)
                if isinstance(value, (list, dict)):
                    value = Unknown(["a list or map cannot be interpolated into a string"])
                out.append(value)
        return out

    def _name(self, e: Name, env: Mapping[str, object]) -> object:
        return self._traverse(e, [], env)

    def _getattr(self, e: GetAttr, env: Mapping[str, object]) -> object:
        return self._traverse(e, [], env)

    def _index(self, e: Index, env: Mapping[str, object]) -> object:
        return self._traverse(e, [], env)

    def _traverse(self, e: Expr, tail: list[Step], env: Mapping[str, object]) -> object:
        """Flatten ``a.b[c].d`` into a root and steps, resolve the root, then apply steps."""
        steps: list[Step] = list(tail)
        node: Expr = e
        while isinstance(node, (GetAttr, Index)):
            if isinstance(node, GetAttr):
                steps.insert(0, node.name)
            else:
                key = self.eval(node.key, env)
                if isinstance(key, Unknown):
                    return key
                steps.insert(0, key)
            node = node.source
        if isinstance(node, Name):
            if node.name in env:
                return apply_steps(env[node.name], steps)
            value, used = self.namespace(node.name, steps)
            return apply_steps(value, steps[used:])
        return apply_steps(self.eval(node, env), steps)

    def _splat(self, e: Splat, env: Mapping[str, object]) -> object:
        source = self.eval(e.source, env)
        if isinstance(source, Unknown):
            return source
        items = source if isinstance(source, list) else ([] if source is None else [source])
        steps = [p if isinstance(p, str) else self.eval(p, env) for p in e.path]
        return [apply_steps(item, steps) for item in items]

    def _call(self, e: Call, env: Mapping[str, object]) -> object:
        fn = self.functions.get(e.name)
        if fn is None:
            return Unknown([f"function {e.name}() is not evaluated by arclint"])
        args = [self.eval(a, env) for a in e.args]
        if e.expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            args.extend(last if isinstance(last, list) else [last])
        if e.name in ("try", "can"):
            return fn(*args)
        unknown = [a for a in args if isinstance(a, Unknown)]
        if unknown and e.name not in _UNKNOWN_TOLERANT:
            return Unknown.merge(unknown)
        problem = arity_problem(fn, len(args))
        if problem:
            return Unknown([f"{e.name}() {problem}"])
        try:
            return fn(*args)
        except BadArgument as exc:  # a call Terraform would reject: the user's mistake, an unknown
            return Unknown([f"{e.name}(): {exc}"])
        # anything else is a bug in arclint: it propagates and ends the scan with an internal error

    def _tuple(self, e: TupleExpr, env: Mapping[str, object]) -> object:
        return [self.eval(item, env) for item in e.items]

    def _object(self, e: ObjectExpr, env: Mapping[str, object]) -> object:
        out: dict[str, object] = {}
        for key_expr, value_expr in e.items:
            key = self.eval(key_expr, env)
            if isinstance(key, Unknown):
                return key
            out[str(key)] = self.eval(value_expr, env)
        return out

    def _conditional(self, e: Conditional, env: Mapping[str, object]) -> object:
        cond = to_bool(self.eval(e.cond, env))
        if isinstance(cond, Unknown):
            return Unknown(cond.reasons, cond.refs)
        return self.eval(e.then if cond else e.other, env)

    def _binary(self, e: BinaryOp, env: Mapping[str, object]) -> object:
        left = self.eval(e.left, env)
        if e.op in ("&&", "||"):
            left = to_bool(left)
        if e.op == "&&" and left is False or e.op == "||" and left is True:
            return left
        right = self.eval(e.right, env)
        if e.op in ("==", "!=") and _set_against_null(left, right):
            return e.op == "!="
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown.merge([left, right])
        if e.op in ("==", "!=") and (_unknown_inside(left) or _unknown_inside(right)):
            return Unknown([f"cannot compare with {e.op}: a part of a value is not known"])
        try:
            return _BINARY[e.op](left, right)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError) as exc:
            return Unknown([f"cannot evaluate {e.op}: {exc}"])

    def _unary(self, e: UnaryOp, env: Mapping[str, object]) -> object:
        value = self.eval(e.operand, env)
        if e.op == "!":
            value = to_bool(value)
        if isinstance(value, Unknown):
            return value
        try:
            return (not value) if e.op == "!" else -value  # type: ignore[operator]  # TypeError is caught below
        except TypeError as exc:
            return Unknown([f"cannot evaluate {e.op}: {exc}"])

    def _for(self, e: ForExpr, env: Mapping[str, object]) -> object:
        coll = self.eval(e.collection, env)
        if isinstance(coll, Unknown):
            return coll
        if _too_many(coll):
            return Unknown([_TOO_MANY])
        out_list: list[object] = []
        out_map: dict[str, object] = {}
        for key, value in _pairs(coll):
            if self.exhausted():
                return Unknown([_EXHAUSTED])
            inner = dict(env)
            inner[e.value_var] = value
            if e.key_var:
                inner[e.key_var] = key
            if e.cond is not None:
                keep = to_bool(self.eval(e.cond, inner))
                if isinstance(keep, Unknown):
                    return keep
                if not keep:
                    continue
            result = self.eval(e.value, inner)
            if e.key is None:
                out_list.append(result)
                continue
            k = self.eval(e.key, inner)
            if isinstance(k, Unknown):
                return k
            if e.grouping:
                group = out_map.setdefault(str(k), [])
                assert isinstance(group, list)  # grouping keys hold lists only
                group.append(result)
            else:
                out_map[str(k)] = result
        return out_list if e.key is None else out_map


_UNKNOWN_TOLERANT = frozenset(
    {"coalesce", "concat", "merge", "join", "format", "base64encode", "jsonencode", "yamlencode"}
)


def to_bool(value: object) -> object:
    """A condition's value as Terraform converts it: the strings ``"true"``/``"false"`` are bools (a
    ``--var``, ``TF_VAR_*`` or tfvars string); other strings and null are unknowns, never Python truthiness."""
    if isinstance(value, str):
        if value in ("true", "false"):
            return value == "true"
        return Unknown([f"{value[:40]!r} is not a bool"])
    if value is None:
        return Unknown(["a condition is null"])
    return value


def _strict_bool(value: object) -> bool:
    converted = to_bool(value)
    if isinstance(converted, Unknown):
        raise TypeError(converted.reasons[0])
    return bool(converted)


def _set_against_null(left: object, right: object) -> bool:
    """Whether one side is a value known to be set and the other is null (their comparison is known)."""
    return (isinstance(left, SetUnknown) and right is None) or (isinstance(right, SetUnknown) and left is None)


def apply_steps(value: object, steps: list[Step]) -> object:
    """Apply attribute and index steps to a value; a missing key is an unknown."""
    for step in steps:
        if isinstance(value, SetUnknown):
            return Unknown(value.reasons, value.refs)  # a part of a set value may be null
        if isinstance(value, Unknown):
            return value
        if isinstance(value, dict):
            key = str(step)
            if key not in value:
                return Unknown([f"no attribute or key {key!r}"])
            value = value[key]
        elif isinstance(value, list):
            try:
                value = value[int(step)]
            except (ValueError, TypeError, IndexError, OverflowError):
                return Unknown([f"index {step!r} is not in the list"])
        else:
            return Unknown([f"cannot read {step!r} of a {type(value).__name__}"])
    return value


def _unknown_inside(value: object) -> bool:
    """Whether a list or map holds an unknown anywhere (the walk stops after ``MAX_NODES`` parts)."""
    if not isinstance(value, (list, dict)):
        return False
    stack: list[object] = [value]
    seen = 0
    while stack and seen <= MAX_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, Unknown):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return bool(stack)


_EXHAUSTED = f"evaluation stopped after arclint's limit of {MAX_STEPS:,} steps (exploding expressions?)"
_TOO_MANY = f"a for expression over more than arclint's limit of {MAX_ITEMS:,} items; not evaluated"


def _too_many(coll: object) -> bool:
    return isinstance(coll, (dict, list)) and len(coll) > MAX_ITEMS


def _pairs(coll: object) -> list[tuple[object, object]]:
    if isinstance(coll, dict):
        return list(coll.items())
    if isinstance(coll, list):
        return list(enumerate(coll))
    return []


_INT_TEXT = re.compile(rf"[+-]?[0-9]{{1,{MAX_NUMBER_DIGITS}}}")


def _num(value: object) -> int | float:
    """An operand of arithmetic or ordering: a number, or a string that is one (as Terraform converts)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadArgument(f"a {type(value).__name__} is not a number")
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text) if _INT_TEXT.fullmatch(text) else float(text)
        except ValueError:
            raise BadArgument(f"{value[:40]!r} is not a number") from None
    return value


_BINARY: dict[str, Callable[[Any, Any], object]] = {
    "+": lambda a, b: _num(a) + _num(b),
    "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b),
    "/": lambda a, b: _num(a) / _num(b),
    "%": lambda a, b: _num(a) % _num(b),
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: _num(a) < _num(b),
    ">": lambda a, b: _num(a) > _num(b),
    "<=": lambda a, b: _num(a) <= _num(b),
    ">=": lambda a, b: _num(a) >= _num(b),
    "&&": lambda a, b: _strict_bool(a) and _strict_bool(b),
    "||": lambda a, b: _strict_bool(a) or _strict_bool(b),
}

_BUILDERS = frozenset({TupleExpr, ObjectExpr, ForExpr, Splat, Call})

_DISPATCH: dict[type, Callable[[Evaluator, Any, Mapping[str, object]], object]] = {
    Literal: Evaluator._literal,
    Text: Evaluator._text,
    Template: Evaluator._template,
    Name: Evaluator._name,
    GetAttr: Evaluator._getattr,
    Index: Evaluator._index,
    Splat: Evaluator._splat,
    Call: Evaluator._call,
    TupleExpr: Evaluator._tuple,
    ObjectExpr: Evaluator._object,
    Conditional: Evaluator._conditional,
    BinaryOp: Evaluator._binary,
    UnaryOp: Evaluator._unary,
    ForExpr: Evaluator._for,
}
