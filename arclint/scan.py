"""The whole flow: discover -> load -> evaluate -> model -> check -> filter, returning a report.

``run`` is a pure function of its arguments: paths are resolved against ``root`` (never the current
directory), and every bit of state lives in the objects one call creates, so it may run twice in one
process, in any folder, or in worker processes, with the same result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from arclint import baseline as baselines
from arclint import checks, engine, explore, filtering, suppress
from arclint.core.files import is_dir, show_path
from arclint.core.internal import located
from arclint.core.redact import mask_known, secret_strings
from arclint.discover import Input, PathError, discover, given_path_problems, scan_root
from arclint.evaluate.files import Reader
from arclint.evaluate.project import Project, evaluate
from arclint.evaluate.scope import VarInput
from arclint.findings import Checked, Report, Unresolved
from arclint.load import Loader
from arclint.load.cache import Cache
from arclint.model import build, relevance
from arclint.model.connect_secrets import outside_values
from arclint.model.target import Target
from arclint.policy import PolicyError, configure, load_policies
from arclint.report.inventory import Inventory, diagram


@dataclass(frozen=True)
class Options:
    """What the user asked for, besides the paths. ``env`` holds the ``TF_VAR_*``/``PKR_VAR_*`` variables."""

    as_of: datetime.date = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc).date())
    matrix: str | None = None
    var_files: tuple[Path, ...] = ()
    plans: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    policy_dirs: tuple[Path, ...] = ()
    excludes: tuple[str, ...] = ()
    explore: bool = True  # evaluate input switches with their other values too (arclint.explore)
    select: tuple[str, ...] = ()  # rule ids, id prefixes (ARC4) or names; empty: every rule
    ignore: tuple[str, ...] = ()  # the same forms; ignore wins over select
    severities: tuple[tuple[str, str], ...] = ()  # (rule id, prefix or name, severity) overrides
    suppressions: suppress.Governance = suppress.Governance()
    show_suppressed: bool = False  # the report lists what suppressions hid
    env: Mapping[str, str] = field(default_factory=dict)
    baseline: baselines.Baseline | None = None  # report only findings not in it (``arclint.baseline``)
    cache: bool = False  # keep parsed files in .arclint_cache/ of the first given folder (``arclint.load.cache``)
    jobs: int = 1  # processes parsing a large scan's files (``arclint.load.pool``); the report is the same
    prefilter: bool = True  # only check the files of folders that cannot lead to a finding (``model.relevance``)


def run(paths: Sequence[Path], *, root: Path, options: Options | None = None) -> Report:
    """Scan ``paths`` (relative ones are relative to ``root``, the folder findings' files are shown from).

    Raises ``PolicyError`` (``SelectionError`` for a selector that names no rule), ``MatrixError`` or
    ``HclUnavailable`` for a bad setup, ``PathError`` for a given path that does not exist or cannot be
    read, and ``InternalError`` (naming the file) for a bug.
    """
    from arclint.load.hcl2_guard import check_hcl2
    from arclint.matrix import load_matrix

    options = options or Options()
    check_hcl2()
    policies = configure(
        load_policies(options.policy_dirs, base=root), options.select, options.ignore, options.severities
    )
    unknown = suppress.unknown_rules(options.suppressions, policies)
    if unknown:
        raise PolicyError(f"suppressions.allow: no rule {', '.join(unknown)}; `arclint rules` lists them")
    matrix = load_matrix(options.matrix)
    given = _given(paths, root)

    inputs, errors, loader, reader, project, targets = _model(given, root, options)
    ctx = checks.Context(matrix, options.as_of, outside_values(options.env, options.variables))
    by_tree = engine.check_trees(policies, targets, ctx)
    findings = [f for group in by_tree.values() for f in group]
    if options.explore:
        findings.extend(explore.findings(project, targets, by_tree, policies, ctx, reader))
    findings.extend(engine.load_error_findings(policies, loader.errors))

    secrets = secret_strings(v for scope in [*project.modules, *project.packer] for v in scope.sensitive_values())
    findings, suppressed = filtering.apply(
        findings, secrets, loader.docs, inputs, given, policies, options.suppressions, options.as_of
    )
    shown = suppressed if options.show_suppressed else None
    known = None
    if options.baseline is not None:
        findings, known = baselines.apply(findings, options.baseline, _covers(loader, inputs, given, root))
    ran = tuple(sorted((p for p in policies if p.enabled), key=lambda p: p.id))
    checked = tuple(Checked(t.address, t.loc.file, t.loc.line, t.platform, t.role) for t in targets)
    return Report(
        options.as_of,
        matrix.edition,
        findings,
        errors,
        len(inputs),
        len(targets),
        shown,
        ran,
        checked,
        unknowns=_unresolved(targets, secrets),
        diagram=diagram(targets),
        baseline=known,
    )


def _covers(loader: Loader, inputs: list[Input], given: list[Path], root: Path) -> Callable[[str], bool]:
    """Whether a file (as shown) is one the scan reports on: a given file, or a file under a given folder."""
    files = filtering.given_files(loader.docs, inputs, given)
    if files is not None:
        return files.__contains__
    folders = [show_path(p, root) for p in given]
    if "." in folders:
        return lambda file: True
    return lambda file: any(file == f or file.startswith(f.rstrip("/") + "/") for f in folders)


def _unresolved(targets: list[Target], secrets: list[str]) -> list[Unresolved]:
    """Every target's undecided facts, once each, secrets masked, in file and line order."""
    out = {
        Unresolved(t.address, t.loc.file, t.loc.line, mask_known(u.subject, secrets), mask_known(u.reason, secrets))
        for t in targets
        for u in t.unknowns
    }
    return sorted(out, key=lambda u: (u.file, u.line, u.address, u.subject, u.reason))


def inventory(paths: Sequence[Path], *, root: Path, options: Options | None = None) -> Inventory:
    """The targets a scan of ``paths`` finds (machines, groups, templates, image builds, images), linked, without
    running the rules. Raises ``HclUnavailable``, ``PathError`` and ``InternalError`` as ``run`` does."""
    from arclint.load.hcl2_guard import check_hcl2

    options = options or Options()
    check_hcl2()
    _, errors, loader, _, project, targets = _model(_given(paths, root), root, options)
    secrets = secret_strings(v for scope in [*project.modules, *project.packer] for v in scope.sensitive_values())
    unloaded = [mask_known(f"{e} (its targets are missing)", secrets) for e in loader.errors]
    return Inventory(targets, secrets, [*errors, *unloaded])


def _given(paths: Sequence[Path], root: Path) -> list[Path]:
    """The given paths under ``root`` (``PathError`` when one does not exist or cannot be read)."""
    given = [root / p for p in paths]
    unusable = given_path_problems(given, root)
    if unusable:
        raise PathError("\n".join(unusable))
    return given


def _model(
    given: list[Path], root: Path, options: Options
) -> tuple[list[Input], list[str], Loader, Reader, Project, list[Target]]:
    """Discover, load, evaluate and model: the inputs, the errors, the loader, the reader, the project, the targets."""
    inputs, errors = discover(given, root, options.excludes)
    idle = relevance.idle_folders(inputs) if _prefilter(given, options) else frozenset()
    loader = Loader(root, suppress.comments, _cache(given) if options.cache else None, options.jobs, idle)
    loader.inputs(inputs, errors)
    var_files = tuple(d for d in (loader.var_file(root / p) for p in options.var_files) if d is not None)
    plan_roots = loader.plans([root / p for p in options.plans], next((p for p in given if is_dir(p)), root))
    reader = Reader(scan_root(given, root), root)
    with located(", ".join(reader.show(p) for p in given)):
        variables = VarInput(options.env, var_files, options.variables)
        project = evaluate(loader.docs, reader, variables, loader.module_folder, plan_roots)
    if loader.cache is not None:
        loader.cache.trim()
    return inputs, errors, loader, reader, project, build.targets(project, reader)


def _prefilter(given: list[Path], options: Options) -> bool:
    """Whether idle folders are only checked (``arclint.model.relevance``): asked for, and only folders are given
    without plans (a given file selects findings through its folder's callers; a plan anchors at its folder)."""
    return options.prefilter and not options.plans and all(is_dir(p) for p in given)


def _cache(given: list[Path]) -> Cache | None:
    """The parsed-file cache of the first given folder; none when only files are given (a folder the user did
    not name is never written to)."""
    folder = next((p for p in given if is_dir(p)), None)
    return None if folder is None else Cache.under(folder)
