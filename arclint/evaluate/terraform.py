"""Evaluate a Terraform module tree: variables, locals, resources, data sources and module calls.

Variables of a root module take Terraform's precedence: defaults, ``TF_VAR_*``,
``terraform.tfvars``, ``terraform.tfvars.json``, ``*.auto.tfvars[.json]`` (lexical order), then
``--var-file`` and ``--var`` in the order given. A called module gets the call's arguments.
Local module sources (``./``, ``../``) are followed; remote ones only through
``.terraform/modules/modules.json`` (written by ``terraform init``); never fetched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from arclint.core.document import Attribute, Block, Document, Loc
from arclint.core.errors import LoadError
from arclint.core.files import decode, read_bytes
from arclint.core.limits import MAX_FILE_BYTES, MAX_MODULE_DEPTH
from arclint.core.values import Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.datasources import RENDERED, rendered
from arclint.evaluate.expr import Step
from arclint.evaluate.files import Reader
from arclint.evaluate.instances import Expansion, expand, quote_key
from arclint.evaluate.scope import Scope, VarInput
from arclint.load.jsonfile import parse_json

META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})

# loads the .tf files of a module folder; a string says why it cannot
Loader = Callable[[Path], "list[Document] | str"]


@dataclass
class Resource:
    """One instance of a resource or data source, ready to be read by the model."""

    mode: str  # managed | data
    type: str
    name: str
    address: str  # with the instance key, e.g. aws_instance.web[0]
    body: EvalBlock
    base_address: str = ""  # without the instance key
    note: str | None = None  # why count/for_each was not expanded


@dataclass(frozen=True)
class ModuleProblem:
    """A module call that could not be evaluated, and why."""

    address: str
    loc: Loc
    reason: str


@dataclass
class _Tree:
    """What every module of one tree shares."""

    loader: Loader
    root_folder: Path
    modules_json: dict[str, Path] = field(default_factory=dict)


def is_local_source(source: str) -> bool:
    """Whether a module ``source`` is a local path (``./x``, ``../x``)."""
    return source.startswith(("./", "../", ".\\", "..\\"))


def read_modules_json(root_folder: Path) -> dict[str, Path]:
    """Map module keys (``web``, ``web.db``) to folders installed by ``terraform init``."""
    path = root_folder / ".terraform" / "modules" / "modules.json"

    try:
        data = parse_json(decode(read_bytes(path, MAX_FILE_BYTES)), str(path))
    except (OSError, LoadError, ValueError):
        return {}
    out: dict[str, Path] = {}
    for item in data.get("Modules", []) if isinstance(data, dict) else []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("Key"), str)
            and isinstance(item.get("Dir"), str)
            and item["Key"]
        ):
            out[item["Key"]] = root_folder / item["Dir"]
    return out


class Module(Scope):
    """One evaluated instance of a Terraform module (a folder of ``.tf`` files)."""

    def __init__(
        self,
        folder: Path,
        docs: list[Document],
        reader: Reader,
        *,
        tfvars: Sequence[Document] = (),
        inputs: VarInput | None = None,
        prefix: str = "",
        call_values: dict[str, object] | None = None,
        loader: Loader | None = None,
        key: str = "",
        ancestors: tuple[Path, ...] = (),
        tree: _Tree | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(folder, reader)
        self.prefix = prefix
        self.key = key
        self.ancestors = (*ancestors, folder.resolve())
        self.tree = tree or _Tree(loader or (lambda f: "no loader"), folder, read_modules_json(folder))
        self.blocks: dict[tuple[str, str, str], Block] = {}
        self.module_calls: dict[str, Block] = {}
        self.outputs: dict[str, Attribute] = {}
        self.problems: list[ModuleProblem] = []
        self.provider_blocks: list[Block] = []  # ``provider`` blocks (configurations of providers)
        self.terraform_blocks: list[Block] = []  # ``terraform`` blocks (``required_providers``)
        self._children: dict[str, list[Module]] = {}
        for doc in docs:
            for blk in doc.body.blocks:
                self._index(blk)
        if call_values is None:
            inputs = inputs or VarInput()
            self.set_variables([*_ordered_tfvars(list(tfvars)), *inputs.var_files], inputs)
            self.var_values.update(overrides or {})  # input switches explored with another value
        else:
            self.set_variables([], VarInput())
            self.var_values.update({k: v for k, v in call_values.items() if k in self.variables})
        self.resources = [r for key_, block in self.blocks.items() for r in self._instances(key_, block)]
        self._register_generated_files()

    def _register_generated_files(self) -> None:
        """Files written by ``local_file`` resources can be read by later steps (a provisioner)."""
        for res in self.resources:
            if res.mode == "managed" and res.type in ("local_file", "local_sensitive_file"):
                filename = res.body.get("filename")
                if isinstance(filename, str) and not getattr(filename, "unknown", ()):
                    body = res.body
                    self.reader.generate(self.folder / filename, functools.partial(body.get, "content"))

    def _index(self, blk: Block) -> None:
        if self.index_common(blk):
            return
        if blk.type in ("resource", "data") and len(blk.labels) >= 2:
            mode = "managed" if blk.type == "resource" else "data"
            self.blocks[(mode, blk.labels[0], blk.labels[1])] = blk
        elif blk.type == "module" and blk.labels:
            self.module_calls[blk.labels[0]] = blk
        elif blk.type == "output" and blk.labels and "value" in blk.attributes:
            self.outputs[blk.labels[0]] = blk.attributes["value"]
        elif blk.type == "provider" and blk.labels:
            self.provider_blocks.append(blk)
        elif blk.type == "terraform":
            self.terraform_blocks.append(blk)

    def providers(self, name: str) -> list[EvalBlock]:
        """The evaluated ``provider "<name>"`` blocks of this module, in file order."""
        return [EvalBlock(b, self.evaluator) for b in self.provider_blocks if b.labels[0] == name]

    def required_version(self, name: str) -> object:
        """The version constraint ``required_providers`` gives provider ``name`` (None when not written)."""
        for blk in self.terraform_blocks:
            for req in blk.children("required_providers"):
                if name in req.attributes:
                    value = self.evaluator.eval_attribute(req.attributes[name])
                    return value.get("version") if isinstance(value, dict) else value
        return None

    def _meta(self, block: Block) -> Expansion:
        count = self.evaluator.eval_attribute(block.attributes["count"]) if "count" in block.attributes else None
        for_each = (
            self.evaluator.eval_attribute(block.attributes["for_each"]) if "for_each" in block.attributes else None
        )
        return expand(count, for_each)

    def _instances(self, key: tuple[str, str, str], block: Block) -> list[Resource]:
        mode, rtype, name = key
        base = f"{self.prefix}{'data.' if mode == 'data' else ''}{rtype}.{name}"
        exp = self._meta(block)
        return [
            Resource(mode, rtype, name, base + suffix, EvalBlock(block, self.evaluator, env), base, exp.note)
            for suffix, env in exp.keys
        ]

    # --- module calls ------------------------------------------------------------------
    def children(self, name: str) -> list[Module]:
        """The instances of module call ``name``; problems are recorded, never raised."""
        if name not in self._children:
            self._children[name] = self._call(name)
        return self._children[name]

    def _call(self, name: str) -> list[Module]:
        call = self.module_calls[name]
        address = f"{self.prefix}module.{name}"
        key = f"{self.key}.{name}" if self.key else name
        folder = self._source_folder(call, key, address)
        if folder is None:
            return []
        if folder.resolve() in self.ancestors or len(self.ancestors) > MAX_MODULE_DEPTH:
            why = (
                "calls itself (recursive modules)"
                if folder.resolve() in self.ancestors
                else f"is nested deeper than {MAX_MODULE_DEPTH} modules"
            )
            self.problems.append(ModuleProblem(address, call.loc, f"{address} {why}; it is not evaluated"))
            return []
        docs = self.tree.loader(folder)
        if isinstance(docs, str):
            self.problems.append(ModuleProblem(address, call.loc, docs))
            return []
        exp = self._meta(call)
        if exp.note:
            self.problems.append(ModuleProblem(address, call.loc, f"{address}: {exp.note}"))
        out = []
        for suffix, env in exp.keys:
            values = {
                arg: self.evaluator.eval_attribute(attr, env)
                for arg, attr in call.attributes.items()
                if arg not in META_ARGUMENTS
            }
            out.append(
                Module(
                    folder,
                    docs,
                    self.reader,
                    prefix=f"{address}{suffix}.",
                    call_values=values,
                    key=key,
                    ancestors=self.ancestors,
                    tree=self.tree,
                )
            )
        return out

    def _source_folder(self, call: Block, key: str, address: str) -> Path | None:
        source = self.evaluator.eval_attribute(call.attributes["source"]) if "source" in call.attributes else None
        if not isinstance(source, str):
            self.problems.append(ModuleProblem(address, call.loc, f"{address} has no literal source"))
            return None
        if is_local_source(source):
            folder = self.reader.resolve(source, self.folder)
            if isinstance(folder, Unknown):
                self.problems.append(
                    ModuleProblem(address, call.loc, f"module source {source!r}: {'; '.join(folder.reasons)}")
                )
                return None
            return folder
        installed = self.tree.modules_json.get(key)
        if installed is not None:
            return installed
        self.problems.append(
            ModuleProblem(
                address,
                call.loc,
                f"{address} comes from {source!r}, which arclint does not fetch; run terraform init (arclint reads "
                ".terraform/modules/modules.json) or scan a plan (terraform show -json)",
            )
        )
        return None

    def walk(self) -> Iterator[Module]:
        """This module and every module it calls, depth first."""
        yield self
        for name in self.module_calls:
            for child in self.children(name):
                yield from child.walk()

    # --- names -------------------------------------------------------------------------
    def resolve(self, name: str, steps: list[Step]) -> tuple[object, int]:
        """``data.*``, ``module.*``, per-instance names, and references to resources."""
        if name == "data" and len(steps) >= 2:
            value, skipped = self._reference("data", str(steps[0]), str(steps[1]), steps[2:])
            return value, 2 + skipped
        if name == "module" and steps:
            return self._module_output(str(steps[0]), steps[1:])
        if name in ("count", "each", "self", "terraform"):
            return Unknown([f"{name}.{'.'.join(map(str, steps[:1]))} is known only per instance"]), min(len(steps), 1)
        if steps:
            value, skipped = self._reference("managed", name, str(steps[0]), steps[1:])
            return value, 1 + skipped
        return Unknown([f"unknown name {name!r}"]), 0

    def _module_output(self, name: str, rest: list[Step]) -> tuple[object, int]:
        ref = Unknown([f"module.{name} output is not known"], [f"{self.prefix}module.{name}"])
        if name not in self.module_calls or not rest:
            return ref, 1
        instances = self.children(name)
        if len(instances) == 1 and isinstance(rest[0], str) and instances[0].prefix.endswith(f"module.{name}."):
            return instances[0].output(rest[0]), 2
        for child in instances:
            keyed = [k for k in (f"[{rest[0]}]", f'["{rest[0]}"]') if child.prefix.endswith(f"module.{name}{k}.")]
            if keyed and len(rest) > 1:
                return child.output(str(rest[1])), 3
        return ref, 1

    def output(self, name: str) -> object:
        """The value of one of this module's outputs."""
        attr = self.outputs.get(name)
        if attr is None:
            return Unknown([f"output {name!r} is not defined in {self.reader.show(self.folder)}"])
        return self.guarded(f"output.{name}", lambda: self.evaluator.eval_attribute(attr))

    def _reference(self, mode: str, rtype: str, rname: str, rest: list[Step]) -> tuple[object, int]:
        """Another resource's written attribute (as ``{name: value}``), else an unknown naming it.

        Returns the value and how many instance-key steps were skipped.
        """
        address = f"{'data.' if mode == 'data' else ''}{rtype}.{rname}"
        block = self.blocks.get((mode, rtype, rname))
        if block is None:
            return Unknown([f"{address} is not defined in {self.where()}"], [self.prefix + address]), 0
        skipped = 0
        refs = [self.prefix + address]
        counted = "count" in block.attributes and rest and not isinstance(rest[0], str)
        keyed = counted or "for_each" in block.attributes and len(rest) >= 2
        if keyed:
            # the instance referred to, as its address (``vm[1]``, ``vm["a"]``), before the resource's address
            key = rest[0]
            refs.insert(
                0, self.prefix + address + (f"[{key}]" if counted and isinstance(key, int) else f"[{quote_key(key)}]")
            )
            rest, skipped = rest[1:], 1
        if mode == "data" and rtype in RENDERED and rest and rest[0] == "rendered":
            return self.guarded(address, lambda: {"rendered": rendered(rtype, block, self.evaluator)}), skipped
        if not rest or not isinstance(rest[0], str) or rest[0] not in block.attributes:
            when = "is read during plan" if mode == "data" else "is known only after apply"
            return Unknown([f"{address} {when}; scan a plan (terraform show -json) to know it"], refs), skipped
        attr = block.attributes[rest[0]]
        return self.guarded(address, lambda: {rest[0]: self.evaluator.eval_attribute(attr)}), skipped


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
