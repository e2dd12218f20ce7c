"""Rule logic: the declarative condition language and the registry of named checks.

A check receives a target and yields ``Hit``s: the values its message needs, the evidence,
and (rarely) a severity that replaces the policy's default.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from arclint.model.target import EVALUATION_STEPS, Evidence, Found, Target

if TYPE_CHECKING:
    from arclint.oscatalog import Matrix


@dataclass(frozen=True)
class Context:
    """What checks may consult besides the target: the support matrix and the date."""

    matrix: Matrix
    as_of: datetime.date


@dataclass(frozen=True)
class Hit:
    """One violation found by a check."""

    fields: dict[str, str] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    severity: str | None = None


Check = Callable[[Target, dict[str, Any], Context], Iterator[Hit]]


# --- declarative conditions ----------------------------------------------------------


def holds(condition: dict[str, Any], facts: dict[str, object]) -> bool:
    """Evaluate a ``when`` condition over a target's facts."""
    if "all" in condition:
        return all(holds(c, facts) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, facts) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], facts)
    value = facts.get(condition["fact"])
    if "equals" in condition:
        return bool(value == condition["equals"])
    if "in" in condition:
        return value in condition["in"]
    if "contains" in condition:
        return isinstance(value, (list, tuple, set, str)) and condition["contains"] in value
    return (value is not None) == condition["exists"]


def onboarding_evidence(target: Target) -> tuple[Evidence, ...]:
    """The connect (else install) lines that prove a target onboards, each after the chain that led to it."""
    found = target.onboarding.of("connect") or target.onboarding.of("install")
    return _trails(found[:3])


def onboarding_line(target: Target) -> tuple[Evidence, ...]:
    """The first connect (else install) line alone."""
    found = target.onboarding.of("connect") or target.onboarding.of("install")
    return (found[0].evidence,) if found else ()


def _trails(found: list[Found]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(e for f in found for e in f.trail()))


# --- named checks --------------------------------------------------------------------


def evaluation_incomplete(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC102: some evaluation-on-Azure steps are present, others are missing."""
    present = target.onboarding.steps_present()
    if not present or len(present) == len(EVALUATION_STEPS) or target.onboarding.agent == "none":
        return
    missing = [EVALUATION_STEPS[k] for k in EVALUATION_STEPS if k not in present]
    done = [EVALUATION_STEPS[k] for k in present]
    evidence = tuple(f.evidence for k in present for f in target.onboarding.of(k)[:1]) + onboarding_line(target)
    yield Hit({"missing": ", ".join(missing), "present": ", ".join(done)}, evidence)


def os_support(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC401-404: the target's OS and architecture against the support matrix."""
    os = target.os
    if os is None or target.onboarding.agent == "none":
        return
    aspect = params["aspect"]
    evidence = ((target.os_evidence,) if target.os_evidence else ()) + onboarding_line(target)
    base = {"os": os.display(), "matrix": ctx.matrix.edition}
    if aspect == "32-bit":
        if os.arch == "32-bit":
            yield Hit(base, evidence)
        return
    support = ctx.matrix.lookup(os)
    if support is None:
        return
    if support.at_best:
        base["os"] = f"{os.display()} (at best {support.row})"
    if aspect == "unlisted" and support.status == "unlisted":
        yield Hit(base, evidence)
    elif aspect == "limited" and support.status in ("limited", "retired"):
        yield from _limited(os, support, base, evidence, params, ctx)
    elif aspect == "arm64" and os.arch == "arm64" and support.status != "unlisted" and support.arm64 is False:
        yield Hit({**base, "row": support.row}, evidence)


def _limited(os: Any, support: Any, base: dict[str, str], evidence: tuple[Evidence, ...], params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    end = support.end_date
    past = end is not None and ctx.as_of > end
    state = f"ended on {end.isoformat()}" if past else f"ends on {end.isoformat()}" if end else "has no published end date"
    extra = ""
    if os.family == "windows-server" and (os.version or "").startswith("2008"):
        extra = params.get("windows-2008-note", "")
    if support.status == "retired":
        state += f" (no longer listed in the {ctx.matrix.edition} support table)"
    fields = {**base, "last_agent": support.last_agent or "unknown", "end_date": end.isoformat() if end else "unknown", "state": state, "extra": extra}
    yield Hit(fields, evidence, params.get("severity-after-end") if past else None)


def unknown_facts(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC002: facts that could not be decided.

    Scripts always; for targets that onboard also the OS image, ``if_onboards`` facts, and an OS whose
    readings the support table answers differently, some fine and some not (``Matrix.undecided``).
    """
    onboards = target.onboarding.agent != "none"
    seen: set[tuple[str, str]] = set()
    for unknown in target.unknowns:
        if (unknown.if_onboards or unknown.subject == "OS image") and not onboards:
            continue
        key = (unknown.subject, unknown.reason)
        if key in seen:
            continue
        seen.add(key)
        what = unknown.what or ("its OS image" if unknown.subject == "OS image" else f"whether {unknown.subject} onboards the agent")
        yield Hit({"what": what, "subject": unknown.subject, "reason": unknown.reason})
    if onboards and target.os is not None:
        undecided = ctx.matrix.undecided(target.os)
        if undecided:
            evidence = (target.os_evidence,) if target.os_evidence else ()
            reason = f"{target.os.display()} may be {_readings(target.os.display(), undecided)} (support table {ctx.matrix.edition})"
            yield Hit({"what": "whether its OS is supported", "subject": "OS support", "reason": reason}, evidence)


def _readings(shown: str, answers: tuple[Any, ...]) -> str:
    """``SLES 15 SP3 (limited support), SLES 15 SP4 (supported) or a version the table does not list``."""
    status = {"supported": "supported", "limited": "limited support", "retired": "limited support, ended"}
    parts = [
        "a version the table does not list" if a.status == "unlisted" and a.row == shown
        else f"{a.row} ({status.get(a.status, 'not listed')})"
        for a in answers
    ]
    return ", ".join(parts[:-1]) + f" or {parts[-1]}" if len(parts) > 1 else parts[0]


def fixed_resource_name(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC204: several machines connect with one literal ``--resource-name``."""
    if target.fixed_name is None:
        return
    name, evidence, machines = target.fixed_name
    yield Hit({"name": name, "machines": machines}, (evidence,))


def captured_from_onboarded(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC202: an image or clone captured from a machine whose scripts connect the agent."""
    for source, evidence in target.captured_from:
        connect = source.onboarding.of("connect")
        if connect:
            yield Hit({"source": source.address}, (evidence, connect[0].evidence))


SIGN_IN_AUTH = frozenset({"interactive", "device-code"})  # azcmagent authentication that needs a person at the build


def connected_in_image(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC201: an image build connects the agent while it runs; a later disconnect changes what is left."""
    found = target.onboarding.build_connect()
    if found is None:
        return
    connect, disconnect = found
    if disconnect is None:
        yield Hit({"effect": params["kept"]}, _trails(target.onboarding.of("connect", when="now")[:3]))
    elif disconnect.signal.detail.get("force_local_only") == "true":
        yield Hit({"effect": params["left-behind"]}, _trails([connect, disconnect]), params["left-behind-severity"])
    elif disconnect.signal.detail.get("auth") in SIGN_IN_AUTH:
        yield Hit({"effect": params["cannot-sign-in"]}, _trails([connect, disconnect]), params["left-behind-severity"])
    # a plain disconnect with credentials deletes the resource in Azure and resets the agent: nothing is left


def built_from_connected(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC203: a machine created from an image whose build connects the agent."""
    from arclint.model.links import connected_source

    found = connected_source(target)
    if found is not None:
        build, ref, out = found
        identity = build.onboarding.identity()
        connect = identity.evidence if identity is not None else out.evidence
        yield Hit({"build": build.address, "image": out.name}, (ref.evidence, out.evidence, connect))


def arm64_extensions(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC407/408: on an Arm64 machine, machine configuration (``aspect: machine-configuration``) or an extension
    the Arc docs do not list as supported there (``aspect: unlisted``)."""
    if target.os is None or target.os.arch != "arm64":
        return
    for ext in target.extensions:
        config = ext.kind == "machine-configuration"
        if (params["aspect"] == "machine-configuration") != config or ext.arm64_known:
            continue
        evidence = (ext.evidence, *((ext.link,) if ext.link else ()), *((target.os_evidence,) if target.os_evidence else ()))
        inferred = config and ext.publisher == "Microsoft.Automanage"  # the baseline's use of machine configuration is inferred
        yield Hit({"extension": ext.label(), "where": ext.evidence.short()}, evidence, params.get("inferred-severity") if inferred else None)


def resource_providers(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC501: a configuration with Arc resources or onboarding whose resource providers nothing registers."""
    providers = target.providers
    missing = providers.missing() if providers else []
    if providers is None or not missing:
        return
    mode = providers.mode
    registers = f"no resource providers{mode[4:]}" if mode.startswith("none") else f"the {mode} set of resource providers"
    yield Hit({"missing": ", ".join(missing), "registers": registers}, providers.evidence)


ONBOARDING_ROLES = frozenset({"azure connected machine onboarding", "azure connected machine resource administrator", "contributor", "owner"})
BROAD_SCOPES = frozenset({"subscription", "management-group"})


def onboarding_identity_roles(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC502: the identity a target onboards with is granted Owner, Contributor above its resource group,
    or only roles that cannot onboard."""
    if target.identity is None or not target.roles:
        return
    identity, connect = target.identity
    for grant in target.roles:
        role = grant.role.lower()
        if role == "owner" or (role == "contributor" and grant.scope in BROAD_SCOPES):
            problem = f"{grant.role} at {_level(grant.scope)} scope, more than onboarding needs"
            yield Hit({"identity": identity, "problem": problem}, (connect, grant.evidence))
    if all(g.role.lower() not in ONBOARDING_ROLES and g.role != "unknown" for g in target.roles):
        names = ", ".join(sorted({f"{g.role} at {_level(g.scope)} scope" for g in target.roles}))
        problem = f"only {names}, which cannot onboard a machine"
        yield Hit({"identity": identity, "problem": problem}, (connect, *(g.evidence for g in target.roles)))


def _level(scope: str) -> str:
    return scope.replace("-", " ")


REGISTRY: dict[str, Check] = {
    "arm64-extensions": arm64_extensions,
    "onboarding-identity-roles": onboarding_identity_roles,
    "resource-providers": resource_providers,
    "captured-from-onboarded": captured_from_onboarded,
    "built-from-connected": built_from_connected,
    "connected-in-image": connected_in_image,
    "fixed-resource-name": fixed_resource_name,
    "evaluation-incomplete": evaluation_incomplete,
    "os-support": os_support,
    "unknown-facts": unknown_facts,
}
