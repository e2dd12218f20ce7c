"""Evaluate a Terraform module: variables, locals, resources and data sources.

Variables take Terraform's precedence: defaults, ``TF_VAR_*``, ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars[.json]`` (lexical order), then ``--var-file`` and
``--var`` in the order given.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from arclint.document import Block, Document
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.expr import Step
from arclint.evaluate.files import Reader
from arclint.evaluate.scope import Scope, VarInput
from arclint.evaluate.values import Unknown


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


class Module(Scope):
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
        super().__init__(folder, reader)
        self.prefix = prefix
        self.blocks: dict[tuple[str, str, str], Block] = {}
        self.module_calls: dict[str, Block] = {}
        for doc in docs:
            for blk in doc.body.blocks:
                self._index(blk)
        inputs = inputs or VarInput()
        self.set_variables([*_ordered_tfvars(list(tfvars)), *inputs.var_files], inputs)
        self.resources = [self._resource(key, block) for key, block in self.blocks.items()]

    def _index(self, blk: Block) -> None:
        if self.index_common(blk):
            return
        if blk.type in ("resource", "data") and len(blk.labels) >= 2:
            mode = "managed" if blk.type == "resource" else "data"
            self.blocks[(mode, blk.labels[0], blk.labels[1])] = blk
        elif blk.type == "module" and blk.labels:
            self.module_calls[blk.labels[0]] = blk

    def _resource(self, key: tuple[str, str, str], block: Block) -> Resource:
        mode, rtype, name = key
        address = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
        body = EvalBlock(block, self.evaluator)
        return Resource(
            mode, rtype, name, self.prefix + address, body,
            count=body.get("count"), for_each=body.get("for_each"),
        )

    def resolve(self, name: str, steps: list[Step]) -> tuple[object, int]:
        """``data.*``, ``module.*``, per-instance names, and references to resources."""
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
        if block is None:
            return Unknown([f"{address} is not defined in {self.where()}"], [self.prefix + address])
        if not rest or not isinstance(rest[0], str) or rest[0] not in block.attributes:
            return _RefObject(Unknown([f"{address} is known only after apply"], [self.prefix + address]), block)
        if address in self.busy:
            return Unknown([f"{address}.{rest[0]} refers to itself"])
        self.busy.add(address)
        try:
            return {rest[0]: self.evaluator.eval(block.attributes[rest[0]].expr)}
        finally:
            self.busy.discard(address)


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
