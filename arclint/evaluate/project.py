"""Group loaded documents into Terraform module trees and Packer configurations, and evaluate them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from arclint.core.document import Block, Document
from arclint.discover import TERRAFORM_KINDS
from arclint.evaluate.files import Reader
from arclint.evaluate.packer import PackerConfig
from arclint.evaluate.plan import PlanModule, config_blocks
from arclint.evaluate.scope import VarInput
from arclint.evaluate.terraform import Module, is_local_source

# loads the configuration files of a folder that discovery did not reach (a called module)
FolderLoader = Callable[[Path], "list[Document] | str"]


@dataclass
class RootTree:
    """A root module with the modules it calls, and how to evaluate it again with other input values."""

    modules: list[Module]
    rebuild: Callable[[Mapping[str, object]], list[Module]]

    @property
    def root(self) -> Module:
        """The root module itself."""
        return self.modules[0]


@dataclass
class Project:
    """Everything evaluated: every Terraform module instance and every Packer configuration."""

    modules: list[Module] = field(default_factory=list)
    roots: list[RootTree] = field(default_factory=list)
    packer: list[PackerConfig] = field(default_factory=list)
    plans: list[PlanModule] = field(default_factory=list)


def _called_folders(by_folder: dict[Path, list[Document]]) -> set[Path]:
    """Folders that another scanned module calls through a local ``source``: not roots."""
    called: set[Path] = set()
    for folder, docs in by_folder.items():
        for doc in docs:
            for blk in doc.body.blocks:
                source = _literal_source(blk)
                if source and is_local_source(source) and (folder / source).resolve() != folder.resolve():
                    called.add((folder / source).resolve())
    return called


def _literal_source(blk: Block) -> str | None:
    if blk.type != "module" or "source" not in blk.attributes:
        return None
    value = getattr(blk.attributes["source"].expr, "value", None)
    return value if isinstance(value, str) else None


def evaluate(
    docs: list[Document],
    reader: Reader,
    inputs: VarInput,
    load_folder: FolderLoader,
    plan_roots: dict[str, Path] | None = None,
) -> Project:
    """Evaluate root modules (and the modules they call), plans and Packer configurations.

    A plan stands for the root module in its folder (or the folder ``plan_roots`` names): that
    module tree is evaluated only to anchor the plan's resources at their configuration lines.
    """
    tf: dict[Path, list[Document]] = defaultdict(list)
    tfvars: dict[Path, list[Document]] = defaultdict(list)
    packer: dict[tuple[str, Path], list[Document]] = defaultdict(list)
    pkrvars: dict[Path, list[Document]] = defaultdict(list)
    for doc in docs:
        folder = doc.folder
        if doc.kind in TERRAFORM_KINDS:
            tf[folder].append(doc)
        elif doc.kind == "tfvars":
            tfvars[folder].append(doc)
        elif doc.kind == "packer":
            packer[("hcl", folder)].append(doc)
        elif doc.kind == "packer-json":
            packer[(doc.path, folder)].append(doc)
        elif doc.kind == "pkrvars":
            pkrvars[folder].append(doc)

    def loader(folder: Path) -> list[Document] | str:
        known = tf.get(folder) or tf.get(folder.resolve())
        return known if known else load_folder(folder)

    plans = [d for d in docs if d.kind == "plan"]
    planned_roots = {(plan_roots or {}).get(d.path, d.folder).resolve(): d for d in plans}
    project = Project()
    tf_inputs = replace(inputs, var_files=tuple(d for d in inputs.var_files if d.kind == "tfvars"))
    called = _called_folders(tf)
    reached: set[Path] = set()
    # roots first (folders nothing else calls); then any folder still not reached (a cycle of calls)
    for folder in [
        *sorted(f for f in tf if f.resolve() not in called),
        *sorted(f for f in tf if f.resolve() in called),
    ]:
        if folder.resolve() in reached:
            continue

        def build(overrides: Mapping[str, object], folder: Path = folder) -> list[Module]:
            root = Module(
                folder,
                tf[folder],
                reader,
                tfvars=tfvars.get(folder, []),
                inputs=tf_inputs,
                loader=loader,
                overrides=overrides,
            )
            return list(root.walk())

        modules = build({})
        reached.update(m.folder.resolve() for m in modules)
        plan = planned_roots.pop(folder.resolve(), None)
        if plan is None:
            project.modules.extend(modules)
            project.roots.append(RootTree(modules, build))
        else:
            project.plans.append(PlanModule(plan, folder, reader, config_blocks(modules)))
    for folder_, plan in planned_roots.items():
        project.plans.append(PlanModule(plan, folder_, reader, {}))
    pkr_inputs = replace(inputs, var_files=tuple(d for d in inputs.var_files if d.kind == "pkrvars"))
    for (_, folder), group in sorted(packer.items(), key=lambda kv: (str(kv[0][1]), kv[0][0])):
        values = pkrvars.get(folder, []) if group[0].kind == "packer" else []
        project.packer.append(PackerConfig(folder, group, reader, var_files=values, inputs=pkr_inputs))
    return project
