"""Evaluate a Terraform module: variables, locals, resources and data sources.

Variables take Terraform's precedence: defaults, ``TF_VAR_*``, ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars[.json]`` (lexical order), then ``--var-file`` and
``--var`` in the order given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from arclint.document import Block, Document
from arclint.evaluate import functions
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.expr import Evaluator, Step
from arclint.evaluate.files import Reader, path_value
from arclint.evaluate.values import Unknown
from arclint.load.errors import LoadError


@dataclass(frozen=True)
class VarInput:
    """Variable values given outside the configuration, in Terraform's precedence order."""

    env: Mapping[str, str] = field(default_factory=dict)
    var_files: tuple[Document, ...] = ()
    cli_vars: tuple[tuple[str, str], ...] = ()


@dataclass
class Resource:
    """A resource or data source of a module, ready to be read by the model."""

    mode: str  # managed | data
    type: str
    name: str
    address: str
    body: EvalBlock
    count: object = None
    for_each: object = None


class Module:
    """One evaluated Terraform module (a folder of ``.tf`` files)."""

    def __init__(
        self,
        folder: Path,
        docs: list[Document],
        reader: Reader,
        *,
        tfvars: list[Document] = (),  # type: ignore[assignment]
        inputs: VarInput | None = None,
        prefix: str = "",
    ) -> None:
        self.folder = folder
        self.reader = reader
        self.prefix = prefix
        self.variables: dict[str, Block] = {}
        self.local_exprs: dict[str, Block] = {}
        self.blocks: dict[tuple[str, str, str], Block] = {}
        self.module_calls: dict[str, Block] = {}
        self.providers: list[Block] = []
        self.terraform_blocks: list[Block] = []
        for doc in docs:
            self._index(doc.body)
        self.evaluator = Evaluator(self._namespace, functions.make_functions(reader, folder))
        self._plain = Evaluator(lambda name, steps: (Unknown([f"{name} cannot be used here"]), 0), functions.BASIC)
        self.var_values = self._variable_values(list(tfvars), inputs or VarInput())
        self._locals: dict[str, object] = {}
        self._busy: set[str] = set()
        self.resources = [self._resource(key, block) for key, block in self.blocks.items()]

    # --- indexing ------------------------------------------------------------------
    def _index(self, body: Block) -> None:
        for blk in body.blocks:
            if blk.type == "variable" and blk.labels:
                self.variables[blk.labels[0]] = blk
            elif blk.type == "locals":
                for name in blk.attributes:
                    self.local_exprs[name] = blk
            elif blk.type in ("resource", "data") and len(blk.labels) >= 2:
                mode = "managed" if blk.type == "resource" else "data"
                self.blocks[(mode, blk.labels[0], blk.labels[1])] = blk
            elif blk.type == "module" and blk.labels:
                self.module_calls[blk.labels[0]] = blk
            elif blk.type == "provider":
                self.providers.append(blk)
            elif blk.type == "terraform":
                self.terraform_blocks.append(blk)

    def _resource(self, key: tuple[str, str, str], block: Block) -> Resource:
        mode, rtype, name = key
        address = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
        body = EvalBlock(block, self.evaluator)
        return Resource(
            mode, rtype, name, self.prefix + address, body,
            count=body.get("count"), for_each=body.get("for_each"),
        )

    # --- variables -----------------------------------------------------------------
    def _variable_values(self, tfvars: list[Document], inputs: VarInput) -> dict[str, object]:
        values: dict[str, object] = {}
        for name, blk in self.variables.items():
            if "default" in blk.attributes:
                values[name] = self._plain.eval(blk.attributes["default"].expr)
        for name in self.variables:
            if f"TF_VAR_{name}" in inputs.env:
                values[name] = self._cli_value(inputs.env[f"TF_VAR_{name}"])
        for doc in [*_ordered_tfvars(tfvars), *inputs.var_files]:
            for name, attr in doc.body.attributes.items():
                values[name] = self._plain.eval(attr.expr)
        for name, raw in inputs.cli_vars:
            values[name] = self._cli_value(raw)
        return values

    def _cli_value(self, raw: str) -> object:
        from arclint.load.hcl import parse_expression

        if raw.strip()[:1] in ("[", "{"):
            try:
                return self._plain.eval(parse_expression(raw, "<--var>", 1))
            except LoadError:
                return raw
        return raw

    def var(self, name: str) -> object:
        """The value of ``var.name`` or an unknown saying how to give it one."""
        if name in self.var_values:
            return self.var_values[name]
        if name not in self.variables:
            return Unknown([f"var.{name} is not declared in {self._where()}"])
        return Unknown(
            [f"var.{name} has no value (no default; give it one in terraform.tfvars, with --var-file or --var {name}=...)"]
        )

    def _where(self) -> str:
        from arclint.evaluate.files import display_path

        return display_path(self.folder) or "."

    # --- names ---------------------------------------------------------------------
    def _namespace(self, name: str, steps: list[Step]) -> tuple[object, int]:
        if name == "var" and steps:
            return self.var(str(steps[0])), 1
        if name == "local" and steps:
            return self.local(str(steps[0])), 1
        if name == "path" and steps:
            return path_value(str(steps[0]), self.folder), 1
        if name == "data" and len(steps) >= 2:
            return self._reference("data", str(steps[0]), str(steps[1]), steps[2:]), 2
        if name == "module" and steps:
            return Unknown([f"module.{steps[0]} outputs are not evaluated"], [f"module.{steps[0]}"]), min(len(steps), 2)
        if name in ("count", "each", "self", "terraform"):
            return Unknown([f"{name}.{'.'.join(map(str, steps[:1]))} is known only per instance"]), min(len(steps), 1)
        if steps:
            return self._reference("managed", name, str(steps[0]), steps[1:]), 1
        return Unknown([f"unknown name {name!r}"]), 0

    def _reference(self, mode: str, rtype: str, rname: str, rest: list[Step]) -> object:
        """A reference to another resource: its written attributes, else an unknown naming it."""
        address = f"{'data.' if mode == 'data' else ''}{rtype}.{rname}"
        block = self.blocks.get((mode, rtype, rname))
        ref = Unknown([f"{address} is known only after apply"], [self.prefix + address])
        if block is None:
            return Unknown([f"{address} is not defined in {self._where()}"], [self.prefix + address])
        if not rest or not isinstance(rest[0], str) or rest[0] not in block.attributes:
            return _RefObject(ref, block)
        if address in self._busy:
            return Unknown([f"{address}.{rest[0]} refers to itself"])
        self._busy.add(address)
        try:
            return {rest[0]: self.evaluator.eval(block.attributes[rest[0]].expr)}
        finally:
            self._busy.discard(address)

    def local(self, name: str) -> object:
        """The value of ``local.name``; a cycle is an unknown, not a hang."""
        if name in self._locals:
            return self._locals[name]
        blk = self.local_exprs.get(name)
        if blk is None:
            return Unknown([f"local.{name} is not defined in {self._where()}"])
        key = f"local.{name}"
        if key in self._busy:
            return Unknown([f"local.{name} refers to itself"])
        self._busy.add(key)
        try:
            value = self.evaluator.eval(blk.attributes[name].expr)
        finally:
            self._busy.discard(key)
        self._locals[name] = value
        return value


class _RefObject(Unknown):
    """An unknown resource attribute that still knows the resource it points to."""

    __slots__ = ("block",)

    def __init__(self, ref: Unknown, block: Block) -> None:
        super().__init__(ref.reasons, ref.refs)
        self.block = block


def _ordered_tfvars(docs: list[Document]) -> list[Document]:
    """Order var files as Terraform loads them."""

    def rank(doc: Document) -> tuple[int, str]:
        name = Path(doc.path).name
        if name == "terraform.tfvars":
            return (0, name)
        if name == "terraform.tfvars.json":
            return (1, name)
        return (2, name)

    return sorted((d for d in docs if _auto_loaded(d.path)), key=rank)


def _auto_loaded(path: str) -> bool:
    name = Path(path).name
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))
