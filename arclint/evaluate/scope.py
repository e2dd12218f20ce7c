"""What Terraform modules and Packer configurations share: variables, locals and ``path``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from arclint.core.document import Attribute, Block, Document
from arclint.core.errors import LoadError
from arclint.core.values import Unknown
from arclint.evaluate import functions
from arclint.evaluate.expr import Evaluator, Step
from arclint.evaluate.files import Reader, path_value
from arclint.evaluate.session import Session


@dataclass(frozen=True)
class VarInput:
    """Variable values given outside the configuration: environment, ``--var-file``, ``--var``."""

    env: Mapping[str, str] = field(default_factory=dict)
    var_files: tuple[Document, ...] = ()
    cli_vars: tuple[tuple[str, str], ...] = ()


def _no_names(name: str, steps: list[Step]) -> tuple[object, int]:
    return Unknown([f"{name} cannot be used in a variable value"]), 0


class Scope:
    """Variables and locals of one configuration, evaluated lazily; cycles end as unknowns."""

    env_prefix = "TF_VAR_"
    var_file_hint = "terraform.tfvars"

    def __init__(self, folder: Path, reader: Reader) -> None:
        self.folder = folder
        self.reader = reader
        self.variables: dict[str, Block] = {}
        self.local_exprs: dict[str, Attribute] = {}
        self.var_values: dict[str, object] = {}
        self.evaluator = Evaluator(self._namespace, functions.make_functions(reader, folder), reader.session)
        self._plain = Evaluator(_no_names, functions.BASIC, Session())
        self._locals: dict[str, object] = {}
        self.busy: set[str] = set()
        self.pinned: set[str] = set()  # variables given a value outside the configuration (var files, --var, env)
        self.read: set[str] = set()  # variables the evaluation has read so far

    def index_common(self, blk: Block) -> bool:
        """Record a ``variable`` or ``locals`` block; False for any other block."""
        if blk.type == "variable" and blk.labels:
            self.variables[blk.labels[0]] = blk
        elif blk.type == "locals":
            self.local_exprs.update(blk.attributes)
        else:
            return False
        return True

    def set_variables(self, var_docs: list[Document], inputs: VarInput) -> None:
        """Defaults, then the environment, then var files in order, then ``--var``."""
        values: dict[str, object] = {}
        for name, blk in self.variables.items():
            if "default" in blk.attributes:
                values[name] = self._plain.eval_attribute(blk.attributes["default"])
            if self.env_prefix + name in inputs.env:
                values[name] = self._cli_value(inputs.env[self.env_prefix + name])
                self.pinned.add(name)
        for doc in var_docs:
            for name, attr in doc.body.attributes.items():
                values[name] = self._plain.eval_attribute(attr)
                self.pinned.add(name)
        for name, raw in inputs.cli_vars:
            values[name] = self._cli_value(raw)
            self.pinned.add(name)
        self.var_values = values

    def _cli_value(self, raw: str) -> object:
        """A value from the command line or environment: a string, or HCL for lists and maps."""
        from arclint.load.hcl import parse_expression

        if raw.strip()[:1] in ("[", "{"):
            try:
                return self._plain.eval(parse_expression(raw, "<--var>", 1))
            except LoadError:
                return raw
        return raw

    def var(self, name: str) -> object:
        """The value of ``var.name`` or an unknown saying how to give it one."""
        self.read.add(name)
        if name in self.var_values:
            return self.var_values[name]
        if name not in self.variables:
            return Unknown([f"var.{name} is not declared in {self.where()}"])
        return Unknown(
            [
                f"var.{name} has no value (no default; give it one in {self.var_file_hint},"
                f" with --var-file or --var {name}=...)"
            ]
        )

    def sensitive_values(self) -> list[object]:
        """Values of variables declared ``sensitive = true``: never to be printed."""
        out = []
        for name, blk in self.variables.items():
            flag = blk.attributes.get("sensitive")
            if flag is not None and self._plain.eval_attribute(flag) is True and name in self.var_values:
                out.append(self.var_values[name])
        return out

    def local(self, name: str) -> object:
        """The value of ``local.name``; a cycle is an unknown, not a hang."""
        if name in self._locals:
            return self._locals[name]
        attr = self.local_exprs.get(name)
        if attr is None:
            return Unknown([f"local.{name} is not defined in {self.where()}"])
        value = self.guarded(f"local.{name}", lambda: self.evaluator.eval_attribute(attr))
        self._locals[name] = value
        return value

    def guarded(self, key: str, compute: Callable[[], object]) -> object:
        """Evaluate something named ``key``; a reference back to it while it is evaluated is an unknown."""
        if key in self.busy:
            return Unknown([f"{key} refers to itself"])
        self.busy.add(key)
        try:
            return compute()
        finally:
            self.busy.discard(key)

    def where(self) -> str:
        """The configuration's folder, for messages."""
        return self.reader.show(self.folder) or "."

    def _namespace(self, name: str, steps: list[Step]) -> tuple[object, int]:
        if name == "var" and steps:
            return self.var(str(steps[0])), 1
        if name == "local" and steps:
            return self.local(str(steps[0])), 1
        if name == "path" and steps:
            return path_value(str(steps[0]), self.folder), 1
        return self.resolve(name, steps)

    def resolve(self, name: str, steps: list[Step]) -> tuple[object, int]:
        """Names specific to Terraform or Packer: return (value, steps consumed)."""
        return Unknown([f"unknown name {name!r}"]), 0
