"""Evaluate a Packer configuration (a folder of ``.pkr.hcl`` files or one legacy JSON template).

Variables take Packer's precedence: defaults, ``PKR_VAR_*``, ``*.auto.pkrvars.hcl``, then
``--var-file`` and ``--var`` in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from arclint.core.document import LEGACY_BUILD, Block, Document
from arclint.core.values import Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.expr import Step
from arclint.evaluate.files import Reader
from arclint.evaluate.scope import Scope, VarInput


@dataclass
class BuildSource:
    """One source a build runs: its address, its settings, and the provisioners that apply."""

    address: str  # source.<type>.<name> (the name a build's ``source`` block gives it, if any)
    type: str
    name: str

    @property
    def packer_name(self) -> str:
        """``<type>.<name>``: how Packer names the build of this source (``-only``, its output lines)."""
        return f"{self.type}.{self.name}"

    settings: EvalBlock
    override: EvalBlock | None
    provisioners: list[EvalBlock]

    def get(self, name: str) -> object:
        """A builder setting, the build's override first."""
        if self.override is not None and self.override.has(name):
            return self.override.get(name)
        return self.settings.get(name)

    def child(self, name: str) -> EvalBlock | None:
        """A nested settings block, the build's override first."""
        if self.override is not None and self.override.child(name) is not None:
            return self.override.child(name)
        return self.settings.child(name)


@dataclass
class Build:
    """A ``build`` block (or a legacy template's implicit build); ``name`` is empty when the block has none."""

    name: str
    block: Block
    legacy: bool
    sources: list[BuildSource]

    def address(self, src: BuildSource) -> str:
        """The address of the target building ``src``, after the names Packer prints.

        Packer names each build it runs ``<type>.<name>``, prefixed with ``<build name>.`` when the ``build``
        block has a name. arclint: ``build.<build name>`` for a named build of one source, and
        ``build.<build name>[<type>.<name>]`` for each of several; ``<type>.<name>`` for an unnamed build;
        ``source.<type>.<name>`` for a legacy JSON template.
        """
        if self.legacy:
            return src.address
        if not self.name:
            return src.packer_name
        return f"build.{self.name}" if len(self.sources) == 1 else f"build.{self.name}[{src.packer_name}]"


class PackerConfig(Scope):
    """One evaluated Packer configuration."""

    env_prefix = "PKR_VAR_"
    var_file_hint = "a *.pkrvars.hcl file"

    def __init__(
        self,
        folder: Path,
        docs: list[Document],
        reader: Reader,
        *,
        var_files: Sequence[Document] = (),
        inputs: VarInput | None = None,
    ) -> None:
        super().__init__(folder, reader)
        self.sources: dict[str, Block] = {}
        self.build_blocks: list[Block] = []
        for doc in docs:
            for blk in doc.body.blocks:
                self._index(blk)
        inputs = inputs or VarInput()
        auto = sorted((d for d in var_files if d.path.endswith(".auto.pkrvars.hcl")), key=lambda d: d.path)
        self.set_variables([*auto, *inputs.var_files], inputs)
        self.builds = [self._build(b) for b in self.build_blocks]

    def _index(self, blk: Block) -> None:
        if self.index_common(blk):
            return
        if blk.type == "local" and blk.labels and "expression" in blk.attributes:
            self.local_exprs[blk.labels[0]] = blk.attributes["expression"]
        elif blk.type == "source" and len(blk.labels) >= 2:
            self.sources[f"{blk.labels[0]}.{blk.labels[1]}"] = blk
        elif blk.type == "build":
            self.build_blocks.append(blk)

    def resolve(self, name: str, steps: list[Step]) -> tuple[object, int]:
        """``build.*``, ``packer.*`` and ``source.*`` are known only while Packer runs."""
        if name in ("build", "packer", "source"):
            return Unknown([f"{name}.{'.'.join(map(str, steps[:1]))} is known only while Packer runs"]), min(
                len(steps), 1
            )
        return Unknown([f"unknown name {name!r}"]), 0

    # --- builds ------------------------------------------------------------------------
    def _build(self, blk: Block) -> Build:
        legacy = blk.labels[:1] == (LEGACY_BUILD,)
        body = EvalBlock(blk, self.evaluator)
        name_value = body.get("name")
        name = name_value if isinstance(name_value, str) else ""
        refs: list[tuple[str, Block | None]] = []
        listed = body.get("sources")
        if isinstance(listed, list):
            refs.extend((str(s), None) for s in listed if isinstance(s, str))
        for inner in blk.children("source"):
            if inner.labels:
                refs.append((inner.labels[0], inner))
        sources = []
        provisioners = blk.children("provisioner")
        for ref, override in refs:
            settings = self.sources.get(_source_key(ref))
            if settings is None:
                continue
            stype, sname = settings.labels[0], settings.labels[1]
            over = EvalBlock(override, self.evaluator) if override is not None else None
            if over is not None and isinstance(over.get("name"), str):
                sname = str(over.get("name"))
            env = {"source": {"name": sname, "type": stype}}
            provs = [EvalBlock(p, self.evaluator, env) for p in provisioners]
            provs = [p for p in provs if _applies(p, stype, sname)]
            sources.append(
                BuildSource(
                    f"source.{stype}.{sname}", stype, sname, EvalBlock(settings, self.evaluator, env), over, provs
                )
            )
        return Build(name, blk, legacy, sources)


def _source_key(ref: str) -> str:
    """``<type>.<name>`` of a source reference, read as Packer does: ``source.t.n`` (any first part) or ``t.n``."""
    parts = ref.split(".")
    return ".".join(parts[1:3] if len(parts) > 2 else parts)


def _applies(prov: EvalBlock, stype: str, sname: str) -> bool:
    """Apply a provisioner's ``only``/``except`` lists to one source."""
    keys = {f"{stype}.{sname}", sname, f"source.{stype}.{sname}"}
    only = prov.get("only")
    if isinstance(only, list) and only and not keys & {str(x) for x in only}:
        return False
    excepted = prov.get("except")
    return not (isinstance(excepted, list) and keys & {str(x) for x in excepted})
