"""Targets: every machine, group, template or image build, with facts and the evidence behind them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from arclint.core.document import Loc
from arclint.model.facts import Evidence, Found, ImageRef, Undecided, Write
from arclint.model.osimage import has_systemd
from arclint.model.sizes import vcpus

if TYPE_CHECKING:
    from arclint.model.osimage import OSInfo

DYNAMIC = re.compile(r"[$%`(]|\$\{\?\}")  # shell or PowerShell expansions, unknown Terraform parts

EVALUATION_STEPS = {
    "test-flag": "MSFT_ARC_TEST set",
    "guest-agent-disabled": "Azure guest agent disabled",
    "imds-blocked": "IMDS (169.254.169.254) blocked",
}


@dataclass
class Onboarding:
    """What a target does with the Connected Machine agent: its scripts' signals and its configuration's."""

    found: list[Found] = field(default_factory=list)
    pending: list[Write] = field(default_factory=list)  # files written but not (yet) run or registered

    def of(self, kind: str, when: str | None = None) -> list[Found]:
        """Signals of one kind (run ``now`` or ``deferred`` only, when given), in order."""
        return [f for f in self.found if f.signal.kind == kind and (when is None or f.when == when)]

    def build_connect(self) -> tuple[Found, Found | None] | None:
        """The last connect run during the build, and the disconnect run after it (if any)."""
        last: tuple[Found, Found | None] | None = None
        for f in self.found:
            if f.when != "now":
                continue
            if f.signal.kind == "connect":
                last = (f, None) if last is None or last[1] is not None else last
            elif f.signal.kind == "disconnect" and last is not None and last[1] is None:
                last = (last[0], f)
        return last

    def identity(self) -> Found | None:
        """The connect whose Arc identity the built machine keeps: run now and not disconnected after."""
        found = self.build_connect()
        return found[0] if found is not None and found[1] is None else None

    @property
    def agent(self) -> str:
        """``connected``, ``installed`` or ``none``."""
        if self.of("connect"):
            return "connected"
        if self.of("install"):
            return "installed"
        return "none"

    def steps_present(self) -> list[str]:
        """The evaluation-on-Azure steps the scripts perform."""
        return [k for k in EVALUATION_STEPS if self.of(k)]

    def secret(self) -> str | None:
        """How the scripts give the connect its secret, worst first: ``literal``, ``variable``, ``placeholder``."""
        values = {f.signal.detail.get("value") for f in self.of("secret")}
        return next((v for v in ("literal", "variable", "placeholder") if v in values), None)

    def service_logon(self) -> tuple[list[str], list[Found]] | None:
        """Who holds "Log on as a service" after the scripts' settings (in order, from Windows' default), and
        the settings since the last one that replaced the list; None when nothing sets it."""
        from arclint.model.logon_rights import effective

        settings = self.of("logon-right")
        if not settings:
            return None
        last = max((i for i, f in enumerate(settings) if f.signal.detail.get("mode") == "replace"), default=0)
        pairs = [(f.signal.detail.get("mode", "add"), _identities(f)) for f in settings]
        return effective(pairs), settings[last:]

    def resource_group(self) -> str | None:
        """The resource group the first connect names, when it is a literal (not an expansion or unknown part)."""
        found = self.of("connect")
        group = found[0].signal.detail.get("resource_group") if found else None
        return group if group and not DYNAMIC.search(group) else None

    def first(self) -> Found | None:
        """The strongest signal: the first connect, else the first install."""
        found = self.of("connect") or self.of("install")
        return found[0] if found else None


# Extensions known to work on Arm64 (publisher, type); "Machine configuration isn't compatible with Arm64".
ARM64_KNOWN_EXTENSIONS = frozenset(
    {
        ("microsoft.cplat.core", "runcommandhandlerlinux"),
        ("microsoft.cplat.core", "runcommandhandlerwindows"),
        ("microsoft.compute", "customscriptextension"),
        ("microsoft.azure.extensions", "customscript"),
        ("microsoft.azure.monitor", "azuremonitorlinuxagent"),
        ("microsoft.azure.monitor", "azuremonitorwindowsagent"),
    }
)


@dataclass(frozen=True)
class Extension:
    """What Azure applies to an Arc machine: ``kind`` ``extension``, ``machine-configuration`` (a guest
    configuration assignment, the ``Microsoft.GuestConfiguration`` extension, an Automanage profile with the
    Azure security baseline) or ``automanage``. ``evidence`` is the resource; ``link`` how it was tied to
    this machine (the connect's ``--resource-name``, a reference)."""

    kind: str
    publisher: str
    type: str
    evidence: Evidence
    link: Evidence | None = None

    @property
    def arm64_known(self) -> bool:
        """Whether the Arc docs list it as supported on Arm64."""
        return self.kind == "extension" and (self.publisher.lower(), self.type.lower()) in ARM64_KNOWN_EXTENSIONS

    def label(self) -> str:
        """How messages name it: ``the extension P/T``, ``the guest configuration assignment N``,
        ``the Automanage profile A``."""
        if self.publisher == "Microsoft.Automanage":
            baseline = " (Azure security baseline)" if self.kind == "machine-configuration" else ""
            return f"the Automanage profile {self.type}{baseline}"
        if self.type.startswith("assignment "):
            return f"the guest configuration {self.type}"
        return f"the extension {self.publisher}/{self.type}"


@dataclass(frozen=True)
class RoleGrant:
    """A role assignment to the identity a target onboards with. ``scope``: ``management-group``,
    ``subscription``, ``resource-group``, ``resource`` or ``unknown``; ``role`` is the role's name (or
    ``unknown``)."""

    role: str
    scope: str
    evidence: Evidence


@dataclass(frozen=True)
class Providers:
    """A configuration's resource provider registration (facts of its ``azurerm`` provider block).

    ``mode`` is what the provider registers by itself (``none``, ``core``, ``legacy``, ``extended``, ``all``,
    or the version-dependent default); ``automatic`` the namespaces it may register by itself; ``explicit``
    those registered by ``azurerm_resource_provider_registration``; ``required`` what its Arc use needs,
    ``evidence`` why (the first Arc resource or connect line) and the mode's line.
    """

    mode: str
    automatic: frozenset[str]
    explicit: frozenset[str]
    required: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    def missing(self) -> list[str]:
        """Required namespaces that nothing registers, in order."""
        done = {n.lower() for n in self.automatic | self.explicit}
        return [n for n in self.required if n.lower() not in done]


def _identities(found: Found) -> list[str]:
    return [i.strip() for i in found.signal.detail.get("identities", "").split(", ") if i.strip()]


@dataclass
class Target:
    """A machine, scale set or group, template, image build or image."""

    address: str
    type: str
    platform: str
    role: str
    loc: Loc
    os: OSInfo | None = None
    os_evidence: Evidence | None = None
    lifecycle: dict[str, Evidence] = field(default_factory=dict)
    onboarding: Onboarding = field(default_factory=Onboarding)
    unknowns: list[Undecided] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    tree: str = ""  # the configuration it belongs to (a root module's folder, a plan, a Packer template)
    fixed_name: tuple[str, Evidence, str] | None = None  # (name, evidence, which machines share it)
    image_outputs: list[ImageRef] = field(default_factory=list)  # images this build produces
    image_refs: list[ImageRef] = field(default_factory=list)  # images this machine is created from
    built_from: list[tuple[Target, ImageRef, ImageRef]] = field(default_factory=list)  # (build, our ref, its output)
    captured_from: list[tuple[Target, Evidence]] = field(default_factory=list)  # machines this image captures
    extensions: list[Extension] = field(default_factory=list)  # applied to this machine as an Arc machine
    identity: tuple[str, Evidence] | None = None  # (service principal address, connect line) it onboards with
    roles: list[RoleGrant] = field(default_factory=list)  # role assignments of that identity
    providers: Providers | None = None  # role "configuration": its azurerm provider's registration
    size: str | None = None  # the machine size as written (``size``, ``instance_type``, ``machine_type``)

    def facts(self) -> dict[str, object]:
        """The flat fact map policies' declarative conditions read.

        ``os.systemd``: False for a release known to run without systemd, True for another Linux release,
        None when unknown. ``hardening.cis``: a CIS Benchmark hardening step runs in the target's scripts or
        build (signal ``harden``). ``prereqs.removed``: the Linux prerequisite packages its scripts remove.
        Azure side (``arclint.model.azure_side``): ``extensions`` (labels of what is applied to the machine as an
        Arc machine), ``extensions.machine-configuration``, ``identity`` (the service principal it connects
        with), ``identity.roles`` (role names granted to it), and for role ``configuration`` (an ``azurerm``
        provider block) ``providers.mode`` and ``providers.missing`` (Arc resource providers nothing registers).
        Every name and its meaning: ``arclint.model.vocabulary.FACTS``.
        """
        steps = self.onboarding.steps_present()
        os = self.os
        return {
            "address": self.address,
            "type": self.type,
            "platform": self.platform,
            "role": self.role,
            "onboarding.agent": self.onboarding.agent,
            "onboarding.connects": self.onboarding.agent == "connected",
            "onboarding.resource-group": self.onboarding.resource_group(),
            "onboarding.evaluation.started": bool(steps),
            "onboarding.evaluation.complete": len(steps) == len(EVALUATION_STEPS),
            "lifecycle": sorted(self.lifecycle),
            "lifecycle.group": "group" in self.lifecycle,
            "lifecycle.spot": "spot" in self.lifecycle,
            "lifecycle.pooled-vdi": "pooled-vdi" in self.lifecycle,
            "os.family": os.family if os else None,
            "os.version": os.version if os else None,
            "os.edition": os.edition if os else None,
            "os.arch": os.arch if os else None,
            "os.cis": os.cis if os else None,
            "os.systemd": has_systemd(os),
            "size": self.size,
            "size.vcpus": vcpus(self.platform, self.size),
            "hardening.cis": bool(self.onboarding.of("harden")),
            "prereqs.removed": sorted(
                {f.signal.detail.get("package", "") for f in self.onboarding.of("remove-prereq")}
            ),
            "onboarding.fixed-name": self.fixed_name is not None,
            "image.built": bool(self.built_from),
            "extensions": [e.label() for e in self.extensions],
            "extensions.machine-configuration": any(e.kind == "machine-configuration" for e in self.extensions),
            "identity": self.identity[0] if self.identity else None,
            "identity.roles": sorted({r.role for r in self.roles}),
            "providers.mode": self.providers.mode if self.providers else None,
            "providers.missing": self.providers.missing() if self.providers else [],
            "unknowns": len(self.unknowns),
            "onboarding.secret": self.onboarding.secret(),
            "windows.service-logon.himds": _himds(self.onboarding),
        }


def _himds(onboarding: Onboarding) -> bool | None:
    """Whether the agent's ``himds`` service may log on as a service; None when no script sets the right."""
    from arclint.model.logon_rights import grants_himds

    state = onboarding.service_logon()
    return None if state is None else grants_himds(state[0])
