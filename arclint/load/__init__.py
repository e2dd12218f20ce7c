"""Load files into neutral documents: each file read and parsed once.

``Loader`` is the stage: the discovered inputs, then what evaluation asks for (``--var-file`` and ``--plan``
files, module folders discovery did not reach). Load errors are collected for ARC001; a scan goes on.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from arclint.core.document import Block, Document, Loc, Suppression
from arclint.core.errors import LoadError
from arclint.core.files import NotReadable, decode, is_dir, read_bytes, show_path
from arclint.core.internal import located
from arclint.core.limits import MAX_HCL_BYTES, MAX_JSON_NESTING, MAX_SCANNED_BYTES
from arclint.core.stack import deep_stack
from arclint.discover import TERRAFORM_KINDS, Input, classify, folder_inputs
from arclint.load import pool

if TYPE_CHECKING:
    from arclint.load.cache import Cache

HCL_KINDS = frozenset({"terraform", "packer", "tfvars", "pkrvars"})
CHECKED_KINDS = frozenset({*TERRAFORM_KINDS, "tfvars", "tfvars-json"})  # what ``Loader.check_only`` applies to

# finds the suppression comments of a file's text, JSON (True) or HCL (``arclint.suppress.comments``)
CommentReader = Callable[[str, bool], tuple[Suppression, ...]]


def read_text(item: Input) -> str:
    """Read a file's text or raise ``LoadError`` (unreadable, not a regular file, too large, binary)."""
    limit = MAX_HCL_BYTES if item.kind in HCL_KINDS else MAX_SCANNED_BYTES
    try:
        data = read_bytes(item.path, limit)
    except NotReadable as exc:
        if exc.errno == errno.EFBIG and limit == MAX_HCL_BYTES:
            problem = (
                f"HCL file larger than arclint's limit of {MAX_HCL_BYTES // 1048576} MB for HCL files; not scanned"
            )
        else:
            problem = f"file is {exc.strerror}; not scanned"
        raise LoadError(item.display, 1, problem) from None
    except OSError as exc:
        raise LoadError(item.display, 1, f"cannot be read ({exc.strerror or exc})") from None
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise LoadError(item.display, line, "NUL byte: a binary file, not a text configuration; not scanned")
    return decode(data).replace("\r\n", "\n")


def load(item: Input, comments: CommentReader, cache: Cache | None = None, check_only: bool = False) -> Document | None:
    """Load one input; None for a ``.json`` file that is neither a legacy Packer template nor a Terraform plan.

    ``cache``: where parsed HCL files are kept between runs (``arclint.load.cache``); None parses every file.
    ``check_only``: raise what loading would (ARC001) but build no document and return None: an HCL file's
    syntax is checked without building its tree (``hcl.check_syntax``).

    A ``.pkr.json`` file with HCL2 blocks (``source``, ``build``, ``variable``...) is an HCL2 template in JSON
    syntax, loaded as kind ``packer`` like a ``.pkr.hcl`` file; with ``builders`` it is a legacy template.
    """
    from arclint.load import hcl, jsonfile, plan

    text = read_text(item)
    kind = item.kind
    folder = item.path.parent
    if kind in ("json", "plan"):
        if plan.is_plan(text):
            resources = plan.load_plan(text, item.display)
            body = Block("", (), {}, tuple(r.body for r in resources), Loc(item.display, 1, text.count("\n") + 1))
            return Document(item.display, "plan", body, folder, (), tuple(resources))
        if '"builders"' in text:
            kind = "packer-json"
        else:
            return None
    if kind in HCL_KINDS and check_only:
        if cache is None:
            hcl.check_syntax(text, item.display)
        else:
            cache.check(text, item.display, hcl.check_syntax)
        return None
    if kind in HCL_KINDS:
        body = hcl.parse_body(text, item.display) if cache is None else cache.body(text, item.display, hcl.parse_body)
    else:
        data = jsonfile.parse_json(text, item.display)
        if item.kind == "packer-json" and jsonfile.is_packer_hcl_json(data):
            kind = "packer-hcl-json"  # Packer reads a .pkr.json file as HCL2; a plain .json file never
        elif kind == "packer-json" and (not isinstance(data, dict) or "builders" not in data):
            if item.kind == "json":
                return None
            raise LoadError(
                item.display,
                1,
                'a Packer JSON template needs "builders" (legacy) or HCL2 blocks ("source", "build", ...)',
            )
        try:
            with deep_stack(MAX_JSON_NESTING * 8 + 200):  # values nest up to MAX_JSON_NESTING levels
                if kind == "terraform-json":
                    body = jsonfile.terraform_json(data, item.display)
                elif kind == "tfvars-json":
                    body, kind = jsonfile.tfvars_json(data, item.display), "tfvars"
                elif kind == "packer-hcl-json":  # evaluated with the folder's .pkr.hcl files
                    body, kind = jsonfile.packer_hcl_json(data, item.display), "packer"
                else:
                    body, kind = jsonfile.packer_json(data, item.display), "packer-json"
        except RecursionError:
            raise LoadError(
                item.display, 1, f"JSON nested deeper than arclint's limit of {MAX_JSON_NESTING} levels"
            ) from None
    return Document(item.display, kind, body, folder, comments(text, item.kind not in HCL_KINDS))


class Loader:
    """The load stage of one scan: every document it loads and every load error (ARC001), in order.

    ``base`` is where arclint runs: files are shown relative to it. ``comments`` reads suppression comments.
    ``cache`` keeps parsed HCL files between runs (None: parse every file). ``jobs``: how many processes (this
    one and workers) may parse a large scan's files (``arclint.load.pool``). ``check_only``: folders whose
    discovered Terraform files cannot lead to a finding: they are checked for what ARC001 reports, and no
    document is kept.
    """

    def __init__(
        self,
        base: Path,
        comments: CommentReader,
        cache: Cache | None = None,
        jobs: int = 1,
        check_only: frozenset[Path] = frozenset(),
    ) -> None:
        self.base = base
        self.comments = comments
        self.cache = cache
        self.jobs = jobs  # processes that may parse the discovered inputs (``arclint.load.pool``)
        self.check_only = check_only  # folders whose Terraform files are only checked (``arclint.model.relevance``)
        self.docs: list[Document] = []
        self.errors: list[LoadError] = []
        self._modules: dict[Path, list[Document] | str] = {}  # module folders loaded on demand, each once

    def inputs(self, items: Sequence[Input], problems: list[str], *, on_demand: bool = False) -> list[Document]:
        """Load discovered inputs; a given ``.json`` file that is no Packer template is a problem (skipped) unless
        a configuration above it may read it (a given script or template only selects findings: not loaded).
        ``on_demand``: a module folder evaluation asks for, always loaded whole (``check_only`` does not apply)."""
        checks = [not on_demand and self._checked_only(i) for i in items]
        loaded: list[Document] = []
        parsed = self._parse_in_workers(items, checks)
        for item, check_only in zip(items, checks, strict=True):
            outcome = parsed.get(item.path, pool.AGAIN)
            if isinstance(outcome, LoadError):
                self.errors.append(outcome)
                doc = None
            elif isinstance(outcome, str):  # pool.AGAIN
                doc = None if item.kind == "source" else self._load(item, check_only)
            else:
                doc = outcome
            if check_only:
                continue
            if doc is not None:
                loaded.append(doc)
            elif item.explicit and not item.source:
                problems.append(f'{item.display}: a JSON file that is not a Packer template (no "builders"); skipped')
        self.docs.extend(loaded)
        return loaded

    def _parse_in_workers(self, items: Sequence[Input], checks: Sequence[bool]) -> dict[Path, pool.Outcome]:
        """What worker processes loaded of ``items``: nothing unless ``jobs`` > 1 and there are many. One process
        per ``pool.MIN_BYTES`` of text at most: on many cores a mid-sized scan does not start a worker per core."""
        kept = [k for k, i in enumerate(items) if i.kind != "source"]
        todo, todo_checks = [items[k] for k in kept], [checks[k] for k in kept]
        size = pool.total_bytes(todo) if self.jobs > 1 and len(todo) > 1 else 0
        jobs = min(self.jobs, 1 + size // max(1, pool.MIN_BYTES))
        if jobs < 2:
            return {}
        outcomes = pool.parse_all(todo, todo_checks, load, self.comments, self.cache, jobs)
        if self.cache is not None:
            self.cache.shared()
        return dict(zip((i.path for i in todo), outcomes, strict=True))

    def _checked_only(self, item: Input) -> bool:
        """Whether a discovered input is only checked: a Terraform file in a ``check_only`` folder."""
        return item.path.parent in self.check_only and item.kind in CHECKED_KINDS and not item.explicit

    def var_file(self, path: Path) -> Document | None:
        """A ``--var-file`` (``.tfvars``, ``.tfvars.json``, ``.pkrvars.hcl``); it is not a scanned document."""
        kind = classify(path.name) or "tfvars"
        kind = kind if kind in ("pkrvars", "tfvars-json") else "tfvars"
        return self._load(Input(path, show_path(path, self.base), kind))

    def plans(self, paths: Sequence[Path], root_folder: Path) -> dict[str, Path]:
        """Load ``--plan`` files; each stands for the root module of ``root_folder`` (the first scanned folder)."""
        roots: dict[str, Path] = {}
        for path in paths:
            item = Input(path, show_path(path, self.base), "plan", explicit=True)
            try:
                with located(item.display, (LoadError,)):
                    doc = load(item, self.comments)
            except LoadError as exc:
                self.errors.append(exc)
                continue
            if doc is None or doc.kind != "plan":
                self.errors.append(LoadError(item.display, 1, "not a Terraform plan (terraform show -json plan.out)"))
                continue
            self.docs.append(doc)
            roots[doc.path] = root_folder
        return roots

    def module_folder(self, folder: Path) -> list[Document] | str:
        """The Terraform files of a called module folder that discovery did not reach, or why there are none
        (loaded once: every evaluation of the same module, e.g. by exploring input switches, reuses them)."""
        if folder not in self._modules:
            self._modules[folder] = self._module_folder(folder)
        return self._modules[folder]

    def _module_folder(self, folder: Path) -> list[Document] | str:
        if not is_dir(folder):
            return f"module folder {show_path(folder, self.base)} does not exist"
        items = [i for i in folder_inputs(folder, self.base) if i.kind in TERRAFORM_KINDS]
        loaded = self.inputs(items, [], on_demand=True)
        if loaded:
            return loaded
        if items:  # its files are there, and each is an ARC001
            return f"module folder {show_path(folder, self.base)} has no Terraform file arclint could parse"
        return f"module folder {show_path(folder, self.base)} has no Terraform files"

    def _load(self, item: Input, check_only: bool = False) -> Document | None:
        try:
            with located(item.display, (LoadError,)):
                return load(item, self.comments, self.cache, check_only)
        except LoadError as exc:
            self.errors.append(exc)
            return None
