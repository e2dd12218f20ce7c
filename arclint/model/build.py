"""The model stage: every target of an evaluated project, each tagged with the configuration it belongs to,
then linked across configurations (images to the machines made from them) and compared (shared names)."""

from __future__ import annotations

from collections.abc import Sequence

from arclint.core.internal import located
from arclint.evaluate.files import Reader
from arclint.evaluate.plan import PlanModule
from arclint.evaluate.project import Project, RootTree
from arclint.evaluate.terraform import Module
from arclint.model import azure_side, links, names
from arclint.model import packer as packer_model
from arclint.model import terraform as terraform_model
from arclint.model.target import Target

PACKER_TREE = "packer:"  # tree keys of Packer configurations: their build sources are not count/for_each instances


def targets(project: Project, reader: Reader) -> list[Target]:
    """Targets of every module instance and Packer configuration, each tagged with its configuration."""
    out: list[Target] = []
    for tree in project.roots:
        with located(reader.show(tree.root.folder)):
            out.extend(terraform_targets(tree.modules, reader, tree_key(tree)))
    for i, plan in enumerate(project.plans):
        with located(reader.show(plan.folder)):
            out.extend(terraform_targets([plan], reader, f"plan:{i}"))
    for i, config in enumerate(project.packer):
        with located(reader.show(config.folder)):
            for target in packer_model.targets(config, reader):
                target.tree = f"{PACKER_TREE}{i}"
                out.append(target)
    links.link_images(out)
    names.mark_fixed_names(out)
    return out


def tree_key(tree: RootTree) -> str:
    """The key of a root module's configuration (``Target.tree``)."""
    return f"terraform:{tree.root.folder}"


def terraform_targets(modules: Sequence[Module | PlanModule], reader: Reader, tree: str) -> list[Target]:
    """The targets of one Terraform configuration (its module instances, or a plan), Azure side linked."""
    # a PlanModule duck-types Module (the attributes the model reads); it is not a subclass
    out = [t for module in modules for t in terraform_model.targets(module, reader)]  # type: ignore[arg-type]
    out.extend(azure_side.link(modules, out))  # type: ignore[arg-type]  # the same duck-typed PlanModule
    for target in out:
        target.tree = tree
    return out


def relink(tree: RootTree, modules: list[Module], others: list[Target], reader: Reader) -> list[Target]:
    """The targets of a root module evaluated again (other input values), linked to the rest unchanged."""
    new = terraform_targets(modules, reader, tree_key(tree))
    links.link_images([*others, *new], consumers=new)
    names.mark_fixed_names(new)
    return new
