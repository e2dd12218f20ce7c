"""The whole flow: discover -> load -> evaluate -> model -> check -> filter, returning a report."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from arclint import checks, engine, explore, redact, suppress
from arclint.discover import Input, PathError, discover, display, given_path_problems, scan_root
from arclint.document import Document
from arclint.evaluate.files import Reader
from arclint.evaluate.plan import PlanModule
from arclint.evaluate.project import TERRAFORM_KINDS, Project, RootTree, evaluate
from arclint.evaluate.scope import VarInput
from arclint.evaluate.terraform import Module
from arclint.findings import Finding, severity_rank
from arclint.internal import located
from arclint.load import load
from arclint.load.errors import LoadError
from arclint.model import azure_side, links, names
from arclint.model import packer as packer_model
from arclint.model import terraform as terraform_model
from arclint.model.target import Target
from arclint.policy import Policy, load_policies

PACKER_TREE = "packer:"  # tree keys of Packer configurations: their build sources are not count/for_each instances


@dataclass(frozen=True)
class Options:
    """What the user asked for."""

    paths: tuple[Path, ...] = (Path("."),)
    as_of: datetime.date = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc).date())
    matrix: str | None = None
    var_files: tuple[Path, ...] = ()
    plans: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    policy_dirs: tuple[Path, ...] = ()
    excludes: tuple[str, ...] = ()
    explore: bool = True  # evaluate input switches with their other values too (arclint.explore)
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass
class Report:
    """The result of a scan."""

    as_of: datetime.date
    matrix: str
    findings: list[Finding]
    errors: list[str]
    files: int
    targets: int

    def summary(self) -> dict[str, int]:
        """Counts by severity plus files and targets."""
        counts = {s: 0 for s in ("error", "warning", "info")}
        for f in self.findings:
            counts[f.severity] += 1
        return {**counts, "files": self.files, "targets": self.targets}

    def failed(self, threshold: str) -> bool:
        """Whether any finding is at or above ``threshold`` (info never fails)."""
        limit = max(severity_rank(threshold), severity_rank("warning"))
        return any(severity_rank(f.severity) >= limit for f in self.findings)


def run(options: Options) -> Report:
    """Scan ``options.paths``.

    Raises ``PolicyError``/``MatrixError``/``HclUnavailable`` for a bad setup, ``PathError`` for a given
    path that does not exist or cannot be read, and ``InternalError`` (naming the file) for a bug.
    """
    from arclint.load.hcl2_guard import check_hcl2
    from arclint.oscatalog import load_matrix

    check_hcl2()
    policies = load_policies(options.policy_dirs)
    matrix = load_matrix(options.matrix)
    by_id = {p.id: p for p in policies}
    unusable = given_path_problems(list(options.paths))
    if unusable:
        raise PathError("\n".join(unusable))
    inputs, errors = discover(list(options.paths), options.excludes)
    root = scan_root(list(options.paths))
    reader = Reader(root)
    docs, load_errors = _load_all(inputs, errors)
    var_files = tuple(_load_var_file(p, load_errors) for p in options.var_files)
    inputs_vars = VarInput(options.env, tuple(d for d in var_files if d is not None), options.variables)
    plan_roots = _load_plans(options, docs, load_errors)
    with located(", ".join(display(p.absolute()) for p in options.paths)):
        project = evaluate(docs, reader, inputs_vars, _folder_loader(docs, load_errors), plan_roots)
    targets = _model(project, reader)
    ctx = checks.Context(matrix, options.as_of, _outside_values(options))
    by_tree = _check(policies, targets, ctx)
    findings = [f for group in by_tree.values() for f in group]
    if options.explore:
        findings.extend(_explore(project, targets, by_tree, policies, ctx, reader))
    if "ARC001" in by_id and by_id["ARC001"].enabled:
        findings.extend(engine.load_error_finding(by_id["ARC001"], e) for e in load_errors)
    secrets = redact.secret_strings(
        v for scope in [*project.modules, *project.packer] for v in scope.sensitive_values()
    )
    findings = _filter(redact.redact(findings, secrets), docs, inputs, options, policies)
    return Report(options.as_of, matrix.edition, findings, errors, len(inputs), len(targets))


def _outside_values(options: Options) -> frozenset[str]:
    """Fingerprints of the variable values given outside the configuration: a secret among them is not committed."""
    from arclint.connect_secrets import digest

    given = [v for k, v in options.env.items() if k.startswith(("TF_VAR_", "PKR_VAR_"))] + [
        v for _, v in options.variables
    ]
    return frozenset(digest(v) for v in given if v.strip())


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    """``path.is_file()``/``is_dir()`` that answers False instead of raising (a folder we may not search)."""
    try:
        return test(path)
    except OSError:
        return False


def _filter(
    findings: list[Finding], docs: list[Document], inputs: list[Input], options: Options, policies: list[Policy]
) -> list[Finding]:
    """Suppressions (and ARC003 for unused ones), the explicit-files restriction, order, duplicates."""
    findings, unused = suppress.apply(findings, suppress.placed(docs), policies)
    arc003 = next((p for p in policies if p.id == "ARC003" and p.enabled), None)
    if arc003 is not None:
        findings.extend(suppress.unused_finding(arc003, u) for u in unused)
    explicit = {i.display for i in inputs if i.explicit}
    plan_given = any(d.kind == "plan" and d.path in explicit for d in docs)
    if explicit and not plan_given and all(_is(p, Path.is_file) for p in options.paths):
        findings = [f for f in findings if f.file in explicit]
    return _dedupe(sorted(findings, key=Finding.sort_key))


def _load_all(inputs: list[Input], problems: list[str]) -> tuple[list[Document], list[LoadError]]:
    docs: list[Document] = []
    errors: list[LoadError] = []
    for item in inputs:
        try:
            with located(item.display, (LoadError,)):
                doc = load(item)
        except LoadError as exc:
            errors.append(exc)
            continue
        if doc is not None:
            docs.append(doc)
        elif item.explicit:
            problems.append(f'{item.display}: a JSON file that is not a Packer template (no "builders"); skipped')
    return docs, errors


def _load_plans(options: Options, docs: list[Document], errors: list[LoadError]) -> dict[str, Path]:
    """Load ``--plan`` files; each stands for the root module of the first scanned folder."""
    folders = [p.absolute() for p in options.paths if _is(p, Path.is_dir)]
    root = folders[0] if folders else Path.cwd()
    roots: dict[str, Path] = {}
    for path in options.plans:
        item = Input(path.absolute(), display(path.absolute()), "plan", explicit=True)
        try:
            with located(item.display, (LoadError,)):
                doc = load(item)
        except LoadError as exc:
            errors.append(exc)
            continue
        if doc is None or doc.kind != "plan":
            errors.append(LoadError(item.display, 1, "not a Terraform plan (terraform show -json plan.out)"))
            continue
        docs.append(doc)
        roots[doc.path] = root
    return roots


def _load_var_file(path: Path, errors: list[LoadError]) -> Document | None:
    from arclint.discover import Input, classify, display

    kind = classify(path.name) or "tfvars"
    kind = kind if kind in ("pkrvars", "tfvars-json") else "tfvars"
    try:
        with located(display(path.absolute()), (LoadError,)):
            return load(Input(path.absolute(), display(path.absolute()), kind))
    except LoadError as exc:
        errors.append(exc)
        return None


def _folder_loader(docs: list[Document], errors: list[LoadError]) -> Callable[[Path], list[Document] | str]:
    """Load the Terraform files of a called module folder that discovery did not reach."""
    from arclint.discover import discover as walk

    def load_folder(folder: Path) -> list[Document] | str:
        if not _is(folder, Path.is_dir):
            return f"module folder {display(folder)} does not exist"
        found, _ = walk([folder])
        items = [i for i in found if i.kind in TERRAFORM_KINDS and i.path.parent == folder]
        loaded, load_errors = _load_all(items, [])
        errors.extend(load_errors)
        docs.extend(loaded)
        return loaded or f"module folder {display(folder)} has no Terraform files"

    return load_folder


def _model(project: Project, reader: Reader) -> list[Target]:
    """Targets of every module instance and Packer configuration, each tagged with its configuration."""
    targets: list[Target] = []
    for tree in project.roots:
        with located(display(tree.root.folder)):
            targets.extend(_terraform_targets(tree.modules, reader, _tree_key(tree)))
    for i, plan in enumerate(project.plans):
        with located(display(plan.folder)):
            targets.extend(_terraform_targets([plan], reader, f"plan:{i}"))
    for i, config in enumerate(project.packer):
        with located(display(config.folder)):
            for target in packer_model.targets(config, reader):
                target.tree = f"{PACKER_TREE}{i}"
                targets.append(target)
    links.link_images(targets)
    names.mark_fixed_names(targets)
    return targets


def _tree_key(tree: RootTree) -> str:
    return f"terraform:{tree.root.folder}"


def _terraform_targets(modules: Sequence[Module | PlanModule], reader: Reader, tree: str) -> list[Target]:
    out = [t for module in modules for t in terraform_model.targets(module, reader)]  # type: ignore[arg-type]
    out.extend(azure_side.link(modules, out))  # type: ignore[arg-type]
    for target in out:
        target.tree = tree
    return out


def _check(policies: list[Policy], targets: list[Target], ctx: checks.Context) -> dict[str, list[Finding]]:
    """The findings of each configuration; in Terraform, instances of one resource reported once."""
    by_tree: dict[str, list[Target]] = {}
    for target in targets:
        by_tree.setdefault(target.tree, []).append(target)
    out: dict[str, list[Finding]] = {}
    for key, group in by_tree.items():
        found = engine.check_targets(policies, group, ctx)
        out[key] = found if key.startswith(PACKER_TREE) else engine.collapse_instances(found, group)
    return out


def _explore(
    project: Project,
    targets: list[Target],
    by_tree: dict[str, list[Finding]],
    policies: list[Policy],
    ctx: checks.Context,
    reader: Reader,
) -> list[Finding]:
    """Findings that hold only under other values of root-module input switches (``arclint.explore``)."""
    arc002 = next((p for p in policies if p.id == "ARC002" and p.enabled), None)
    out: list[Finding] = []
    for tree in project.roots:
        key = _tree_key(tree)
        if not explore.switches(tree.root):
            continue
        others = [t for t in targets if t.tree != key]

        def run(
            tree: RootTree, overrides: Mapping[str, object], key: str = key, others: list[Target] = others
        ) -> tuple[list[Finding], list[Target], Module]:
            modules = tree.rebuild(overrides)
            new = _terraform_targets(modules, reader, key)
            links.link_images([*others, *new], consumers=new)
            names.mark_fixed_names(new)
            return _check(policies, new, ctx).get(key, []), new, modules[0]

        with located(display(tree.root.folder)):
            out.extend(explore.explore(tree, by_tree.get(key, []), run, arc002))
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, str, str]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.file, f.line, f.resource, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


__all__ = ["Options", "Report", "run", "Policy", "PathError"]
