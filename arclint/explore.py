"""Input switches: findings that hold only when a root-module input takes its other value.

Reusable modules often onboard only when an input is set (``count = var.enable_arc ? 1 : 0``,
``var.arc == null ? "" : templatefile(...)``). The baseline evaluation uses the defaults and finds
nothing, although the module puts the agent on a VM the moment anyone uses the feature. So each
*switch* is evaluated with its other value too:

- a switch is a root-module variable that the evaluation reads, that has no value from a var file,
  ``--var``, ``--var-file`` or ``TF_VAR_*`` (a pinned variable is never explored), and whose type or
  default is bool (the other bool; both when it has no default) or whose default is null ("set, value
  unknown", a ``SetUnknown``);
- each switch is explored alone, then all together; a finding that the together run adds is reported
  with the smallest set of switches it needs (each switch dropped in turn while it still holds);
- more than ``MAX_SWITCHES_TOGETHER`` switches in the together run give ARC002 on the target instead;
- a finding counts as new when the baseline has no finding of that rule on that resource; ARC002
  (unknowns) is never reported from an explored run: an unknown under a hypothetical value is noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from arclint.checks import Context, Hit
from arclint.core.document import Name
from arclint.core.internal import located
from arclint.core.limits import MAX_SWITCHES_ALONE, MAX_SWITCHES_TOGETHER
from arclint.core.values import SetUnknown
from arclint.engine import check_trees
from arclint.engine import finding as make_finding
from arclint.evaluate.files import Reader
from arclint.evaluate.project import Project, RootTree
from arclint.evaluate.terraform import Module
from arclint.findings import Finding
from arclint.model import build
from arclint.model.target import Target
from arclint.policy import Policy, enabled

QUIET_RULES = frozenset({"ARC002"})
SET = "set"

# evaluate a root tree with some variables overridden: its findings, its targets and its root module
Runner = Callable[[RootTree, Mapping[str, object]], "tuple[list[Finding], list[Target], Module]"]


@dataclass(frozen=True)
class Switch:
    """One other value of a root-module input: ``True``, ``False`` or ``SET`` (not null, value unknown)."""

    name: str
    value: object
    default: str  # how the default reads in messages: "false", "null", "none"

    def evaluated(self, reason: str) -> object:
        """The value the evaluation sees."""
        return SetUnknown([reason]) if self.value == SET else self.value

    def phrase(self) -> str:
        """``var.arc is set``, ``var.enable_arc is true``."""
        shown = self.value if self.value == SET else str(self.value).lower()
        return f"var.{self.name} is {shown}"


def switches(root: Module) -> list[Switch]:
    """The switches of a root module, in declaration order."""
    out: list[Switch] = []
    for name, blk in root.variables.items():
        if name in root.pinned or name not in root.read:
            continue
        type_attr = blk.attributes.get("type")
        declared_bool = type_attr is not None and isinstance(type_attr.expr, Name) and type_attr.expr.name == "bool"
        has_default = "default" in blk.attributes
        default = root.var_values.get(name) if has_default else None
        if isinstance(default, bool):
            out.append(Switch(name, not default, str(default).lower()))
        elif declared_bool:
            shown = "null" if has_default else "none"
            out.extend(Switch(name, value, shown) for value in (True, False))
        elif has_default and default is None:
            out.append(Switch(name, SET, "null"))
    return out


def condition_text(chosen: tuple[Switch, ...]) -> str:
    """`` (when var.arc is set; default null)``; several switches join with "and"."""
    when = " and ".join(s.phrase() for s in chosen)
    if len(chosen) == 1:
        default = "no default" if chosen[0].default == "none" else f"default {chosen[0].default}"
    else:
        default = "defaults " + ", ".join(s.default for s in chosen)
    return f" (when {when}; {default})"


def with_condition(f: Finding, chosen: tuple[Switch, ...]) -> Finding:
    """The finding as it holds under ``chosen``: the message says so, the JSON lists the switches."""
    condition = tuple((s.name, s.value if s.value == SET else bool(s.value)) for s in chosen)
    return replace(f, message=f.message + condition_text(chosen), condition=condition)


class _Exploration:
    """The runs of one root tree, each evaluated at most once."""

    def __init__(self, tree: RootTree, run: Runner) -> None:
        self.tree, self.run = tree, run
        self.results: dict[frozenset[tuple[str, str]], tuple[list[Finding], list[Target], Module]] = {}

    def under(self, chosen: tuple[Switch, ...]) -> tuple[list[Finding], list[Target], Module]:
        key = frozenset((s.name, repr(s.value)) for s in chosen)
        if key not in self.results:
            values = {
                s.name: s.evaluated(f"var.{s.name} is set to a value arclint explores as unknown") for s in chosen
            }
            self.results[key] = self.run(self.tree, values)
        return self.results[key]

    def keys(self, chosen: tuple[Switch, ...]) -> set[tuple[str, str]]:
        return {(f.rule, f.resource) for f in self.under(chosen)[0]}


def findings(
    project: Project,
    targets: list[Target],
    by_tree: dict[str, list[Finding]],
    policies: list[Policy],
    ctx: Context,
    reader: Reader,
) -> list[Finding]:
    """Findings of every root module that hold only under other values of its input switches."""
    arc002 = enabled(policies, "ARC002")
    out: list[Finding] = []
    for tree in project.roots:
        key = build.tree_key(tree)
        if not switches(tree.root):
            continue
        others = [t for t in targets if t.tree != key]

        def run(
            tree: RootTree, overrides: Mapping[str, object], key: str = key, others: list[Target] = others
        ) -> tuple[list[Finding], list[Target], Module]:
            modules = tree.rebuild(overrides)
            new = build.relink(tree, modules, others, reader)
            return check_trees(policies, new, ctx).get(key, []), new, modules[0]

        with located(reader.show(tree.root.folder)):
            out.extend(explore(tree, by_tree.get(key, []), run, arc002))
    return out


def explore(tree: RootTree, baseline: list[Finding], run: Runner, arc002: Policy | None) -> list[Finding]:
    """Findings of ``tree`` that hold only under other values of its switches, each with its condition."""
    known = {(f.rule, f.resource) for f in baseline}
    ex = _Exploration(tree, run)
    found: dict[tuple[str, str], Finding] = {}

    def new(f: Finding) -> bool:
        return f.rule not in QUIET_RULES and (f.rule, f.resource) not in known and (f.rule, f.resource) not in found

    alone: list[Switch] = []
    pending = switches(tree.root)
    together: tuple[Switch, ...] = ()
    while pending:  # a switch read only under other switches' values is found on the way
        batch = pending[: max(0, MAX_SWITCHES_ALONE - len(alone))]
        for switch in batch:
            findings, _, root = ex.under((switch,))
            found.update({(f.rule, f.resource): with_condition(f, (switch,)) for f in findings if new(f)})
            pending.extend(_unseen(switches(root), [*alone, *pending]))
        alone.extend(batch)
        together = _one_value_each([*alone, *pending])
        pending = [s for s in pending if s not in batch]
        if not batch:  # over the limit of switches explored alone: the rest only together
            break
        if not pending and len(together) > 1:
            pending = _unseen(switches(ex.under(together)[2]), alone)
    if len(together) < 2:
        return list(found.values())
    findings, targets, _ = ex.under(together)
    for f in [f for f in findings if new(f)]:
        key = (f.rule, f.resource)
        if len(together) > MAX_SWITCHES_TOGETHER:
            if arc002 is not None:
                found[key] = _too_many(arc002, f, targets, together)
            continue
        needed = together
        for switch in together:
            trial = tuple(s for s in needed if s is not switch)
            if trial and key in ex.keys(trial):
                needed = trial
        found[key] = with_condition(f, needed)
    return list(found.values())


def _unseen(candidates: list[Switch], seen: list[Switch]) -> list[Switch]:
    """The switches among ``candidates`` whose variable is not among ``seen``."""
    names = {s.name for s in seen}
    return [s for s in candidates if s.name not in names]


def _one_value_each(candidates: list[Switch]) -> tuple[Switch, ...]:
    """The first listed value of each switch, in order."""
    chosen: dict[str, Switch] = {}
    for s in candidates:
        chosen.setdefault(s.name, s)
    return tuple(chosen.values())


def _too_many(policy: Policy, f: Finding, targets: list[Target], together: tuple[Switch, ...]) -> Finding:
    """ARC002: a finding that needs a combination of more switches than arclint reports as a condition."""
    from arclint.core.addresses import unkeyed

    target = next(t for t in targets if unkeyed(t.address) == unkeyed(f.resource))  # every finding has its target
    names = ", ".join(f"var.{s.name}" for s in together)
    reason = (
        f"{f.rule} holds when all {len(together)} input switches are flipped together ({names}), more than the "
        f"{MAX_SWITCHES_TOGETHER} arclint combines; give them values in a tfvars file to know which ones it needs"
    )
    hit = Hit({"what": "which inputs decide its onboarding", "subject": "input switches", "reason": reason})
    return replace(
        make_finding(policy, target, hit), resource=f.resource, file=f.file, line=f.line, end_line=f.end_line
    )
