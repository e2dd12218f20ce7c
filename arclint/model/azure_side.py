"""The Azure side of a Terraform configuration, as facts of its targets.

Run once per configuration (a root module and the modules it calls), after its targets are built:

- extensions, machine configuration and Automanage assignments on an Arc machine (``azurerm_arc_machine``,
  ``data.azurerm_arc_machine``, azapi ``Microsoft.HybridCompute/machines``, a literal machine id) become
  ``Target.extensions`` of the machine that onboards as that Arc machine: the one whose connect uses the Arc
  machine's name as ``--resource-name``, or the one the Arc machine's name or ``depends_on`` refers to. When
  no single machine is found, the Arc machine is a target of its own whose architecture is unknown (ARC002);
- the identity a connect's ``--service-principal-id`` comes from (``Found.refs``) and its role assignments
  become ``Target.identity`` and ``Target.roles``;
- the root module's ``azurerm`` provider block becomes a target of role ``configuration`` with
  ``Target.providers``, when the configuration declares Arc resources or connects machines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from arclint.core.addresses import named, unkeyed
from arclint.core.values import Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.terraform import Module, Resource
from arclint.model.facts import Evidence, Undecided
from arclint.model.target import Extension, Providers, RoleGrant, Target

# resource type -> attribute naming the Arc machine it applies to
ARC_ATTACHMENTS = {
    "azurerm_arc_machine_extension": "arc_machine_id",
    "azurerm_arc_machine_automanage_configuration_assignment": "arc_machine_id",
    "azurerm_policy_virtual_machine_configuration_assignment": "virtual_machine_id",
}
ARC_MACHINE_TYPES = ("azurerm_arc_machine",)
AZAPI_ARC_MACHINE = "microsoft.hybridcompute/machines"
AZAPI_ATTACHMENTS = {
    "microsoft.hybridcompute/machines/extensions": "extension",
    "microsoft.guestconfiguration/guestconfigurationassignments": "machine-configuration",
}
GUEST_CONFIGURATION = "microsoft.guestconfiguration"
_MACHINE_ID = re.compile(r"/providers/microsoft\.hybridcompute/machines/([^/]+)$", re.IGNORECASE)

# resource providers Arc-enabled servers need (prerequisites, "Azure resource providers")
ARC_PROVIDERS = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")
SQL_PROVIDER = "Microsoft.AzureArcData"
SQL_EXTENSIONS = frozenset(
    {("microsoft.azuredata", "windowsagent.sqlserver"), ("microsoft.azuredata", "linuxagent.sqlserver")}
)
# what azurerm registers by itself (internal/resourceproviders/required.go), reduced to what Arc needs:
# Microsoft.HybridCompute, Microsoft.HybridConnectivity and Microsoft.AzureArcData are in no set
AUTOMATIC = {
    "none": frozenset(),
    "core": frozenset({"Microsoft.Compute"}),
    "extended": frozenset({"Microsoft.Compute"}),
    "legacy": frozenset({"Microsoft.Compute", "Microsoft.GuestConfiguration"}),
    "all": frozenset({"Microsoft.Compute", "Microsoft.GuestConfiguration"}),
}

IDENTITY_TYPES = ("azuread_service_principal", "azuread_client_config", "azurerm_client_config")
APPLICATION = "azuread_application"
# built-in role ids (hybrid-multicloud and general built-in roles)
ROLE_IDS = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
    "b64e21ea-ac4e-4cdf-9dc9-5b892992bee7": "Azure Connected Machine Onboarding",
    "cd570a14-e51a-42ad-bac8-bafd67325302": "Azure Connected Machine Resource Administrator",
    "f5819b54-e033-4d82-ac66-4fec3cbf3f4c": "Azure Connected Machine Resource Manager",
}
SCOPE_TYPES = {
    "azurerm_resource_group": "resource-group",
    "azurerm_subscription": "subscription",
    "azurerm_management_group": "management-group",
}


def link(modules: Sequence[Module], targets: list[Target]) -> list[Target]:
    """Add the Azure-side facts of one configuration to its targets; return the targets it adds."""
    resources = {r.address: r for m in modules for r in m.resources}
    added = _attach_extensions(resources, targets)
    _identities(resources, targets)
    config = _configuration(modules, resources, [*targets, *added])
    return added + ([config] if config is not None else [])


def _ev(res: Resource, attr: str | None = None, text: str = "") -> Evidence:
    loc = res.body.loc_of(attr) if attr else res.body.loc
    return Evidence(loc.file, loc.line, text or res.address)


def _refs(value: object) -> set[str]:
    """The resources a value refers to (in lists and maps too)."""
    if isinstance(value, Unknown):
        return set(value.refs)
    if isinstance(value, list):
        return {r for v in value for r in _refs(v)}
    if isinstance(value, dict):
        return {r for v in value.values() for r in _refs(v)}
    if hasattr(value, "spans"):
        return {r for s in value.spans for r in s.refs}
    return set()


def _rtype(address: str) -> str:
    """``data.azurerm_arc_machine.x[0]`` or ``module.m.azurerm_arc_machine.x`` -> ``azurerm_arc_machine``."""
    parts = unkeyed(address).split(".")
    return parts[-2] if len(parts) >= 2 else ""


def _azapi_type(res: Resource) -> str:
    value = res.body.get("type")
    return value.split("@", 1)[0].lower() if isinstance(value, str) else ""


def _is_arc_machine(res: Resource) -> bool:
    return res.type in ARC_MACHINE_TYPES or (res.type == "azapi_resource" and _azapi_type(res) == AZAPI_ARC_MACHINE)


# --- extensions on Arc machines --------------------------------------------------------------------


def _attachment(res: Resource, resources: dict[str, Resource]) -> tuple[str, Extension] | None:
    """(attribute naming the machine, what it applies) of an Arc extension or assignment resource."""
    if res.mode != "managed":
        return None
    if res.type in ARC_ATTACHMENTS:
        attr = ARC_ATTACHMENTS[res.type]
        if res.type == "azurerm_arc_machine_extension":
            publisher, etype = str(res.body.get("publisher") or "?"), str(res.body.get("type") or "?")
            kind = "machine-configuration" if publisher.lower() == GUEST_CONFIGURATION else "extension"
            return attr, Extension(kind, publisher, etype, _ev(res, text=f"{res.address}: {publisher}/{etype}"))
        if res.type == "azurerm_policy_virtual_machine_configuration_assignment":
            name = str(res.body.get("name") or "?")
            return attr, Extension(
                "machine-configuration", "Microsoft.GuestConfiguration", f"assignment {name}", _ev(res)
            )
        return attr, _automanage(res, resources)
    if res.type == "azapi_resource" and _azapi_type(res) in AZAPI_ATTACHMENTS:
        kind = AZAPI_ATTACHMENTS[_azapi_type(res)]
        body = res.body.get("body")
        props = body.get("properties") if isinstance(body, dict) else None
        props = props if isinstance(props, dict) else {}
        if kind == "extension":
            publisher, etype = str(props.get("publisher") or "?"), str(props.get("type") or "?")
            kind = "machine-configuration" if publisher.lower() == GUEST_CONFIGURATION else "extension"
            return "parent_id", Extension(kind, publisher, etype, _ev(res, text=f"{res.address}: {publisher}/{etype}"))
        name = str(res.body.get("name") or "?")
        return "parent_id", Extension(kind, "Microsoft.GuestConfiguration", f"assignment {name}", _ev(res))
    return None


def _automanage(res: Resource, resources: dict[str, Resource]) -> Extension:
    """An Automanage assignment: machine configuration when its profile applies the Azure security baseline."""
    profiles = [resources[r] for r in sorted(_refs(res.body.get("configuration_id"))) if r in resources]
    baseline = next((p for p in profiles if p.body.child("azure_security_baseline") is not None), None)
    if baseline is not None:
        text = f"{res.address}: {baseline.address} applies the Azure security baseline (machine configuration)"
        return Extension("machine-configuration", "Microsoft.Automanage", baseline.address, _ev(res, text=text))
    name = profiles[0].address if profiles else "(unknown)"
    return Extension("automanage", "Microsoft.Automanage", name, _ev(res))


def _arc_machine(
    res: Resource, attr: str, resources: dict[str, Resource]
) -> tuple[str, object, set[str], Evidence] | None:
    """(address, name, references that tie it to a machine, evidence) of the Arc machine ``res`` applies to."""
    value = res.body.get(attr)
    if isinstance(value, str):
        m = _MACHINE_ID.search(value)
        if m is None:
            return None
        return value, m.group(1), set(), _ev(res, attr, f"{attr} = {value}")
    machines = [m for m in named(_refs(value), resources) if _is_arc_machine(m)]
    if len(machines) != 1:
        return None
    machine = machines[0]
    tied = _refs(machine.body.get("name")) | _refs(machine.body.get("depends_on")) | _refs(res.body.get("depends_on"))
    return machine.address, machine.body.get("name"), tied, _ev(machine, "name", f"{machine.address} name")


def _attach_extensions(resources: dict[str, Resource], targets: list[Target]) -> list[Target]:
    onboarding = [t for t in targets if t.onboarding.of("connect")]
    placeholders: dict[str, Target] = {}
    for res in resources.values():
        found = _attachment(res, resources)
        if found is None:
            continue
        attr, ext = found
        machine = _arc_machine(res, attr, resources)
        if machine is None:
            continue
        address, name, tied, where = machine
        matches = _onboarding_match(name, tied, onboarding)
        if len(matches) == 1:
            target, link_ev = matches[0]
            target.extensions.append(Extension(ext.kind, ext.publisher, ext.type, ext.evidence, link_ev))
            target.related.append(res.address)
            continue
        if ext.arm64_known:
            continue
        arc = placeholders.get(address)
        if arc is None:
            arc = placeholders[address] = Target(
                address, _rtype(address) or "arc machine", "azure-arc", "machine", res.body.loc
            )
        arc.extensions.append(ext)
        why = (
            f"several machines of this configuration may be it ({', '.join(t.address for t, _ in matches)})"
            if matches
            else "no machine of this configuration connects with its name as --resource-name or is referred to by it"
        )
        arc.unknowns.append(
            Undecided(
                address,
                f"{why}; {ext.label()} ({ext.evidence.short()}) is not known to work on Arm64",
                what=f"whether the Arc machine {address} runs on Arm64",
            )
        )
    return list(placeholders.values())


def _onboarding_match(name: object, tied: set[str], onboarding: list[Target]) -> list[tuple[Target, Evidence]]:
    """The machines that connect as this Arc machine: by ``--resource-name``, else by reference."""
    out: list[tuple[Target, Evidence]] = []
    if isinstance(name, str) and "${?}" not in name:
        for target in onboarding:
            connect = next(
                (f for f in target.onboarding.of("connect") if f.signal.detail.get("resource_name") == name), None
            )
            if connect is not None:
                out.append((target, connect.evidence))
        if out:
            return out
    for target in onboarding:
        if target.address in tied:
            out.append(
                (target, Evidence(target.loc.file, target.loc.line, f"the Arc machine refers to {target.address}"))
            )
    return out


# --- the onboarding identity and its roles -----------------------------------------------------------


def _identities(resources: dict[str, Resource], targets: list[Target]) -> None:
    for target in targets:
        connects = [f for f in target.onboarding.of("connect") if f.refs]
        ids = {i for f in connects for i in _identity_of(f.refs, resources)}
        if len(ids) > 1:
            target.unknowns.append(
                Undecided(
                    "onboarding identity",
                    f"its --service-principal-id may come from {', '.join(sorted(ids))}",
                    what="which identity it onboards with",
                    if_onboards=True,
                )
            )
            continue
        if not ids:
            continue
        identity = ids.pop()
        target.identity = (identity, connects[0].evidence)
        target.roles = [
            g
            for res in resources.values()
            if res.type == "azurerm_role_assignment"
            for g in _grant(res, identity, resources)
        ]


def _identity_of(refs: Iterable[str], resources: dict[str, Resource]) -> set[str]:
    """The service principal (or the Terraform caller, ``*_client_config``) a reference names."""
    out: set[str] = set()
    for ref in refs:
        rtype = _rtype(ref)
        if rtype in IDENTITY_TYPES:
            out.add(ref)
        elif rtype == APPLICATION:
            principals = [
                r.address
                for r in resources.values()
                if r.type == "azuread_service_principal"
                and ref in _refs(r.body.get("client_id")) | _refs(r.body.get("application_id"))
            ]
            out.update(principals or [ref])
    return out


def _grant(res: Resource, identity: str, resources: dict[str, Resource]) -> list[RoleGrant]:
    if identity not in _refs(res.body.get("principal_id")):
        return []
    role = _role_name(res, resources)
    scope = _scope(res.body.get("scope"), resources)
    return [RoleGrant(role, scope, _ev(res, text=f"{res.address}: {role} at {scope} scope"))]


def _role_name(res: Resource, resources: dict[str, Resource]) -> str:
    name = res.body.get("role_definition_name")
    if isinstance(name, str) and "${?}" not in name:
        return name
    rid = res.body.get("role_definition_id")
    if isinstance(rid, str):
        return ROLE_IDS.get(rid.rstrip("/").rsplit("/", 1)[-1].lower(), "unknown")
    for ref in sorted(_refs(rid)):
        data = resources.get(ref)
        found = data.body.get("name") if data is not None and data.mode == "data" else None
        if isinstance(found, str) and "${?}" not in found:
            return found
    return "unknown"


def _scope(value: object, resources: dict[str, Resource]) -> str:
    """The level of a role assignment's scope: from its text, else from the resource it refers to."""
    if isinstance(value, str):
        path = value.lower().rstrip("/")
        if path.startswith("/providers/microsoft.management/managementgroups/"):
            return "management-group" if path.count("/") == 4 else "unknown"
        parts = path.split("/")
        if len(parts) == 3 and parts[1] == "subscriptions":
            return "subscription"
        if len(parts) == 5 and parts[1] == "subscriptions" and parts[3] == "resourcegroups":
            return "resource-group"
        if len(parts) > 5 and parts[1] == "subscriptions":
            return "resource"
    levels = {level for r in _refs(value) if (level := SCOPE_TYPES.get(_rtype(r))) is not None}
    return levels.pop() if len(levels) == 1 else "unknown"


# --- the configuration's resource provider registration ----------------------------------------------


def _configuration(modules: Sequence[Module], resources: dict[str, Resource], targets: list[Target]) -> Target | None:
    root = modules[0] if modules else None
    if not isinstance(root, Module):
        return None
    blocks = root.providers("azurerm")
    if not blocks:
        return None
    block = next((b for b in blocks if not b.has("alias")), blocks[0])
    arc = [
        r
        for r in resources.values()
        if r.mode == "managed"
        and (r.type.startswith("azurerm_arc_machine") or _is_arc_machine(r) or r.type in ARC_ATTACHMENTS)
    ]
    arc += [r for r in resources.values() if r.type == "azapi_resource" and _azapi_type(r) in AZAPI_ATTACHMENTS]
    connects = [f for t in targets for f in t.onboarding.of("connect")]
    if not arc and not connects:
        return None
    why = [_ev(arc[0], text=f"{arc[0].address}: an Arc resource")] if arc else [connects[0].evidence]
    required = list(ARC_PROVIDERS)
    if any((e.publisher.lower(), e.type.lower()) in SQL_EXTENSIONS for t in targets for e in t.extensions) or any(
        (str(r.body.get("publisher") or "").lower(), str(r.body.get("type") or "").lower()) in SQL_EXTENSIONS
        for r in arc
    ):
        required.append(SQL_PROVIDER)
    mode, automatic, mode_ev = _mode(block, root)
    explicit = frozenset(
        str(r.body.get("name"))
        for r in resources.values()
        if r.mode == "managed"
        and r.type == "azurerm_resource_provider_registration"
        and isinstance(r.body.get("name"), str)
    )
    alias = block.get("alias")
    address = f"provider.azurerm.{alias}" if isinstance(alias, str) else "provider.azurerm"
    target = Target(address, "provider", "azure", "configuration", block.loc)
    target.providers = Providers(
        mode, automatic, explicit, tuple(required), tuple(why + ([mode_ev] if mode_ev else []))
    )
    if mode == UNPINNED and target.providers.missing():
        constraint = root.required_version("azurerm")
        target.unknowns.append(
            Undecided(
                "resource provider registration",
                f"the azurerm version constraint {constraint!r} does not pin a major version"
                " (v5 registers no resource providers by itself); pin it (~> 4.0, ~> 5.0)"
                f" or register {', '.join(target.providers.missing())} with azurerm_resource_provider_registration",
                what="whether its azurerm provider registers the resource providers Azure Arc needs",
            )
        )
    return target


UNPINNED = "the default (legacy before v5, none from v5)"  # no major version known: the default cannot be told


def _mode(block: EvalBlock, root: Module) -> tuple[str, frozenset[str], Evidence | None]:
    """What the provider registers by itself: its setting, else the default of its major version."""
    extra: frozenset[str] = frozenset()
    listed = block.get("resource_providers_to_register")
    if isinstance(listed, list):
        extra = frozenset(str(n) for n in listed if isinstance(n, str))
    if block.has("resource_provider_registrations"):
        value = block.get("resource_provider_registrations")
        loc = block.loc_of("resource_provider_registrations")
        ev = Evidence(
            loc.file,
            loc.line,
            f"resource_provider_registrations = {value!r}"
            if isinstance(value, str)
            else "resource_provider_registrations (unknown)",
        )
        if isinstance(value, str) and value.lower() in AUTOMATIC:
            return value.lower(), AUTOMATIC[value.lower()] | extra, ev
        return "unknown", frozenset().union(*AUTOMATIC.values()) | extra, ev
    if block.get("skip_provider_registration") is True:
        loc = block.loc_of("skip_provider_registration")
        return "none", extra, Evidence(loc.file, loc.line, "skip_provider_registration = true")
    major = _major(root.required_version("azurerm"))
    if major is None:
        return UNPINNED, AUTOMATIC["legacy"] | extra, None
    mode = "none" if major >= 5 else "legacy"
    return f"{mode} (the v{major} default)", AUTOMATIC[mode] | extra, None


def _major(constraint: object) -> int | None:
    """The major version a ``~> X.Y``/``= X.Y.Z``/exact constraint pins (None for ranges and unknowns)."""
    if not isinstance(constraint, str):
        return None
    m = re.fullmatch(r"\s*(?:~>\s*(\d+)\.\d+(?:\.\d+)?|=?\s*v?(\d+)\.\d+\.\d+)\s*", constraint)
    return int(m.group(1) or m.group(2)) if m else None
