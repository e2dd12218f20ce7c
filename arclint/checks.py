"""Rule logic: the declarative condition language and the registry of named checks.

A check receives a target and yields ``Hit``s: the values its message needs, the evidence,
and (rarely) a severity that replaces the policy's default.
"""

from __future__ import annotations

import datetime
import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arclint.model.facts import Evidence, Found
from arclint.model.osimage import DEBIAN_FAMILIES, init_system
from arclint.model.target import EVALUATION_STEPS, Target

if TYPE_CHECKING:
    from arclint.matrix import Matrix


@dataclass(frozen=True)
class Context:
    """What checks may consult besides the target: the support matrix, the date, and the fingerprints
    (``connect_secrets.digest``) of values given from outside the configuration (``TF_VAR_*``, ``--var``)."""

    matrix: Matrix
    as_of: datetime.date
    outside: frozenset[str] = frozenset()


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
        return bool(value in condition["in"])
    if "contains" in condition:
        return isinstance(value, (list, tuple, set, str)) and bool(condition["contains"] in value)
    if "matches" in condition:  # a glob (*, ?, [abc]), case-insensitive like Azure's names
        return isinstance(value, str) and fnmatch.fnmatchcase(value.lower(), str(condition["matches"]).lower())
    if "less-than" in condition:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return number and bool(value < condition["less-than"])
    return (value is not None) == bool(condition["exists"])


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
    """ARC401-404, ARC410: the target's OS and architecture against the support matrix."""
    os = target.os
    if os is None or target.onboarding.agent == "none":
        return
    aspect = params["aspect"]
    evidence = ((target.os_evidence,) if target.os_evidence else ()) + onboarding_line(target)
    base = {"os": os.display(), "matrix": ctx.matrix.edition}
    if aspect == "edition":
        for fact in ctx.matrix.edition_facts(os):
            if fact.supported_on and target.platform not in fact.supported_on:
                yield Hit({**base, "supported_on": ", ".join(fact.supported_on), "note": fact.note}, evidence)
        return
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


def _limited(
    os: Any, support: Any, base: dict[str, str], evidence: tuple[Evidence, ...], params: dict[str, Any], ctx: Context
) -> Iterator[Hit]:
    end = support.end_date
    past = end is not None and ctx.as_of > end
    state = (
        f"ended on {end.isoformat()}" if past else f"ends on {end.isoformat()}" if end else "has no published end date"
    )
    extra = ""
    if os.family == "windows-server" and (os.version or "").startswith("2008"):
        extra = params.get("windows-2008-note", "")
    if support.status == "retired":
        state += f" (no longer listed in the {ctx.matrix.edition} support table)"
    fields = {
        **base,
        "last_agent": support.last_agent or "unknown",
        "end_date": end.isoformat() if end else "unknown",
        "state": state,
        "extra": extra,
    }
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
        what = unknown.what or (
            "its OS image" if unknown.subject == "OS image" else f"whether {unknown.subject} onboards the agent"
        )
        yield Hit({"what": what, "subject": unknown.subject, "reason": unknown.reason})
    if onboards and target.os is not None and not any(u.subject == "OS image" for u in target.unknowns):
        partial = _partial_os(target.os)
        if partial:
            evidence = (target.os_evidence,) if target.os_evidence else ()
            yield Hit({"what": "whether its OS is supported", "subject": "OS version", "reason": partial}, evidence)
    if onboards and target.os is not None:
        undecided = ctx.matrix.undecided(target.os)
        if undecided:
            evidence = (target.os_evidence,) if target.os_evidence else ()
            readings = _readings(target.os.display(), undecided)
            reason = f"{target.os.display()} may be {readings} (support table {ctx.matrix.edition})"
            yield Hit({"what": "whether its OS is supported", "subject": "OS support", "reason": reason}, evidence)


def _partial_os(os: Any) -> str | None:
    """Why an identified image does not decide support: it names no distribution or no version."""
    if not os.evidence:
        return None  # only a size's architecture: nothing was read from an image
    source = os.evidence.split(" (unverified")[0]
    if os.family in (None, "other-linux"):
        what = f"{source} does not say which {'Linux distribution' if os.family else 'operating system'} it is"
    elif not os.version:
        what = f"{source} says {os.display()} but not which version"
    else:
        return None
    return what + "; use an image, template or ISO name that names the release"


def _readings(shown: str, answers: tuple[Any, ...]) -> str:
    """``SLES 15 SP3 (limited support), SLES 15 SP4 (supported) or a version the table does not list``."""
    status = {"supported": "supported", "limited": "limited support", "retired": "limited support, ended"}
    parts = [
        "a version the table does not list"
        if a.status == "unlisted" and a.row == shown
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


def connect_secret(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC504: a secret on the connect path: literal (the policy's severity), else from a variable or a placeholder."""
    if not target.onboarding.of("connect"):
        return
    found = target.onboarding.of("secret")
    # a value given with TF_VAR_* or --var (a CI secret store) is not committed: it counts as a variable
    literal = [
        f
        for f in found
        if f.signal.detail.get("value") == "literal" and f.signal.detail.get("digest") not in ctx.outside
    ]
    shown = literal or found
    if not shown:
        return
    via = ", ".join(dict.fromkeys(f.signal.detail.get("via", "?") for f in shown))
    evidence = tuple(dict.fromkeys(_trails(shown[:3]) + onboarding_line(target)))
    if literal:
        yield Hit({"how": params["literal"].format(via=via)}, evidence)
    else:
        yield Hit({"how": params["variable"].format(via=via)}, evidence, params["variable-severity"])


def logon_right_without_himds(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC503: the scripts leave "Log on as a service" without the agent's himds service."""
    from arclint.model.logon_rights import grants_himds

    state = target.onboarding.service_logon()
    if state is None or target.onboarding.agent == "none":
        return
    identities, settings = state
    if grants_himds(identities):
        return
    names = ", ".join(identities[:6]) + (f" and {len(identities) - 6} more" if len(identities) > 6 else "")
    evidence = tuple(dict.fromkeys(_trails(settings[-3:]) + onboarding_line(target)))
    yield Hit({"identities": names or "no one"}, evidence)


def onboards_in_lifecycle(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC303: a machine that connects the agent, in a lifecycle (``params["lifecycle"]``) Arc is not made for."""
    evidence = target.lifecycle.get(params["lifecycle"])
    if evidence is not None and target.onboarding.agent == "connected":
        yield Hit({"lifecycle": evidence.text}, (evidence, *onboarding_line(target)))


AZURE_LOCAL_HOST_FAMILY = "azure-local"  # the Azure Stack HCI / Azure Local host OS (os-images.yaml)


def azure_local(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC104: script onboarding of an Azure Local host; a plain ``azcmagent disconnect`` on an Azure Local VM."""
    if target.os is not None and target.os.family == AZURE_LOCAL_HOST_FAMILY and target.onboarding.agent != "none":
        evidence = ((target.os_evidence,) if target.os_evidence else ()) + onboarding_line(target)
        yield Hit({"problem": params["host"]}, evidence)
    if target.platform == "azure-local" and target.role == "machine":
        plain = [f for f in target.onboarding.of("disconnect") if f.signal.detail.get("force_local_only") != "true"]
        if plain:
            yield Hit({"problem": params["vm-disconnect"]}, _trails(plain[:1]))


def client_os(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC405: the agent on a Windows client OS (10/11, IoT Enterprise, IoT Enterprise LTSC)."""
    os = target.os
    if os is None or os.edition != "client" or target.onboarding.agent == "none":
        return
    evidence = ((target.os_evidence,) if target.os_evidence else ()) + onboarding_line(target)
    yield Hit({"os": os.display()}, evidence)


def cis_hardened(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC406: the agent on a CIS Benchmark hardened image, or in a build that applies CIS hardening."""
    if target.onboarding.agent == "none":
        return
    steps = target.onboarding.of("harden")
    what: list[str] = []
    evidence: tuple[Evidence, ...] = ()
    if target.os is not None and target.os.cis:
        what.append(f"a CIS hardened image ({target.os.display()})" if target.os.family else "a CIS hardened image")
        evidence += (target.os_evidence,) if target.os_evidence else ()
    if steps:
        what.append(f"CIS Benchmark hardening ({steps[0].signal.detail.get('step', 'CIS')})")
        evidence += _trails(steps[:3])
    if what:
        yield Hit({"what": " and ".join(what)}, evidence + onboarding_line(target))


DEBIAN_TOOLS = frozenset({"apt", "apt-get", "dpkg"})  # their use proves a Debian-based system


def removed_prereqs(target: Target) -> list[Found]:
    """The removals of Linux prerequisites that count for the target's OS: gnupg only on Debian-based systems
    (known from the OS, or proven by the Debian package tool that removes it)."""
    family = target.os.family if target.os else None
    out = []
    for found in target.onboarding.of("remove-prereq"):
        package = found.signal.detail.get("package", "")
        if (
            package.startswith("gnupg")
            and family not in DEBIAN_FAMILIES
            and found.signal.detail.get("manager") not in DEBIAN_TOOLS
        ):
            continue
        out.append(found)
    return out


def linux_prereqs(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC409: a Linux release without systemd, or scripts that remove wget, openssl, systemd or (Debian) gnupg."""
    if target.onboarding.agent == "none":
        return
    init = init_system(target.os)
    if init is not None and target.os is not None:
        evidence = ((target.os_evidence,) if target.os_evidence else ()) + onboarding_line(target)
        yield Hit({"problem": f"{target.os.display()}, which starts with {init}, not systemd"}, evidence)
    removed = removed_prereqs(target)
    if removed:
        packages = ", ".join(dict.fromkeys(f.signal.detail["package"] for f in removed))
        yield Hit(
            {"problem": f"a system whose scripts remove {packages}"}, _trails(removed[:3]) + onboarding_line(target)
        )


def arm64_extensions(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC407/408: on an Arm64 machine, machine configuration (``aspect: machine-configuration``) or an extension
    the Arc docs do not list as supported there (``aspect: unlisted``)."""
    if target.os is None or target.os.arch != "arm64":
        return
    for ext in target.extensions:
        config = ext.kind == "machine-configuration"
        if (params["aspect"] == "machine-configuration") != config or ext.arm64_known:
            continue
        evidence = (
            ext.evidence,
            *((ext.link,) if ext.link else ()),
            *((target.os_evidence,) if target.os_evidence else ()),
        )
        inferred = (
            config and ext.publisher == "Microsoft.Automanage"
        )  # the baseline's use of machine configuration is inferred
        yield Hit(
            {"extension": ext.label(), "where": ext.evidence.short()},
            evidence,
            params.get("inferred-severity") if inferred else None,
        )


OPTED_OUT = ("none", "core")  # azurerm registration modes that leave Arc's resource providers to the configuration


def resource_providers(target: Target, params: dict[str, Any], ctx: Context) -> Iterator[Hit]:
    """ARC501: a configuration with Arc resources or onboarding whose resource providers nothing registers."""
    providers = target.providers
    missing = providers.missing() if providers else []
    if providers is None or not missing or not providers.mode.startswith(OPTED_OUT):
        return  # with automatic registration on, the subscription's state decides: not knowable here
    mode = providers.mode
    registers = (
        f"no resource providers{mode[4:]}" if mode.startswith("none") else f"the {mode} set of resource providers"
    )
    yield Hit({"missing": ", ".join(missing), "registers": registers}, providers.evidence)


ONBOARDING_ROLES = frozenset(
    {"azure connected machine onboarding", "azure connected machine resource administrator", "contributor", "owner"}
)
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


@dataclass(frozen=True)
class Named:
    """A named check: the function, the JSON Schema of its ``with:`` parameters, and the message fields its hits
    give (``by_aspect``: more fields for one value of its ``aspect`` parameter)."""

    run: Check
    params: dict[str, Any]
    fields: tuple[str, ...] = ()
    by_aspect: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fields_for(self, params: dict[str, Any]) -> tuple[str, ...]:
        """The fields its hits give with these parameters."""
        return self.fields + self.by_aspect.get(str(params.get("aspect")), ())


def parameters(required: dict[str, Any] | None = None, optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of a check's parameters: these and no others (none: ``with:`` must be empty or absent)."""
    required = required or {}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


TEXT = {"type": "string"}
SEVERITY = {"enum": ["error", "warning", "info"]}
VIA_TEXT = {"type": "string", "pattern": "^(?:[^{}]|\\{via\\})*$", "description": "a text; `{via}` names the flag"}
OS_ASPECTS: dict[str, tuple[str, ...]] = {  # os-support's aspects and the fields each adds
    "unlisted": (),
    "limited": ("last_agent", "end_date", "state", "extra"),
    "arm64": ("row",),
    "32-bit": (),
    "edition": ("supported_on", "note"),
}

REGISTRY: dict[str, Named] = {
    "azure-local": Named(azure_local, parameters({"host": TEXT, "vm-disconnect": TEXT}), ("problem",)),
    "onboards-in-lifecycle": Named(
        onboards_in_lifecycle, parameters({"lifecycle": {"enum": ["group", "spot", "pooled-vdi"]}}), ("lifecycle",)
    ),
    "connect-secret": Named(
        connect_secret,
        parameters({"literal": VIA_TEXT, "variable": VIA_TEXT, "variable-severity": SEVERITY}),
        ("how",),
    ),
    "logon-right-without-himds": Named(logon_right_without_himds, parameters(), ("identities",)),
    "arm64-extensions": Named(
        arm64_extensions,
        parameters({"aspect": {"enum": ["machine-configuration", "unlisted"]}}, {"inferred-severity": SEVERITY}),
        ("extension", "where"),
    ),
    "onboarding-identity-roles": Named(onboarding_identity_roles, parameters(), ("identity", "problem")),
    "resource-providers": Named(resource_providers, parameters(), ("missing", "registers")),
    "captured-from-onboarded": Named(captured_from_onboarded, parameters(), ("source",)),
    "cis-hardened": Named(cis_hardened, parameters(), ("what",)),
    "client-os": Named(client_os, parameters()),
    "linux-prereqs": Named(linux_prereqs, parameters(), ("problem",)),
    "built-from-connected": Named(built_from_connected, parameters(), ("build", "image")),
    "connected-in-image": Named(
        connected_in_image,
        parameters({"kept": TEXT, "left-behind": TEXT, "cannot-sign-in": TEXT, "left-behind-severity": SEVERITY}),
        ("effect",),
    ),
    "fixed-resource-name": Named(fixed_resource_name, parameters(), ("name", "machines")),
    "evaluation-incomplete": Named(evaluation_incomplete, parameters(), ("missing", "present")),
    "os-support": Named(
        os_support,
        parameters(
            {"aspect": {"enum": list(OS_ASPECTS)}},
            {"windows-2008-note": TEXT, "severity-after-end": SEVERITY},
        ),
        ("matrix",),
        OS_ASPECTS,
    ),
    "unknown-facts": Named(unknown_facts, parameters(), ("what", "subject", "reason")),
}
