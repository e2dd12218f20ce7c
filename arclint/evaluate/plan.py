"""A Terraform plan's resources as a module-like scope: values come resolved, addresses are exact.

When the configuration the plan was made from is scanned too, each planned resource is anchored
at the configuration file and line of its resource block (and attributes at theirs).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from arclint.core.addresses import unkeyed as config_address
from arclint.core.document import Attribute, Block, Document
from arclint.core.values import Unknown
from arclint.evaluate import functions
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.expr import Evaluator, Step
from arclint.evaluate.files import Reader
from arclint.evaluate.terraform import Module, ModuleProblem, Resource
from arclint.load.plan import PlanResource


def _nothing(name: str, steps: list[Step]) -> tuple[object, int]:
    return Unknown([f"{name} is not part of the plan's values"]), 0


def config_blocks(modules: list[Module]) -> dict[str, Block]:
    """Configuration resource blocks by address without instance keys."""
    out: dict[str, Block] = {}
    for module in modules:
        for res in module.resources:
            out.setdefault(config_address(res.base_address or res.address), res.body.block)
    return out


def _anchor(planned: Block, config: Block) -> Block:
    """Point a planned block (and its attributes and nested blocks) at the configuration."""
    attrs = {
        name: Attribute(name, a.expr, config.attributes[name].loc if name in config.attributes else config.loc)
        for name, a in planned.attributes.items()
    }
    nested = []
    for child in planned.blocks:
        match = config.children(child.type)
        nested.append(_anchor(child, match[0]) if match else replace(child, loc=config.loc))
    return Block(planned.type, planned.labels, attrs, tuple(nested), config.loc)


class PlanModule:
    """The resources of one plan, ready for the model (duck-types ``Module``)."""

    def __init__(self, doc: Document, folder: Path, reader: Reader, config: dict[str, Block]) -> None:
        self.folder = folder
        self.reader = reader
        self.prefix = ""
        self.problems: list[ModuleProblem] = []
        evaluator = Evaluator(_nothing, functions.make_functions(reader, folder), reader.session)
        self.resources: list[Resource] = []
        for item in doc.plan_resources:
            assert isinstance(item, PlanResource)
            block = item.body
            if item.config_address in config:
                block = _anchor(block, config[item.config_address])
            body = EvalBlock(block, evaluator)
            self.resources.append(Resource(item.mode, item.type, item.name, item.address, body, item.address))
