"""Turn an evaluated Terraform module into targets."""

from __future__ import annotations

import json

from arclint.core.addresses import named
from arclint.core.internal import located
from arclint.core.values import Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.files import Reader
from arclint.evaluate.terraform import Module, ModuleProblem, Resource
from arclint.model import azurelocal, citrix, images, onboarding, vdi
from arclint.model.facts import Evidence, Found, Undecided
from arclint.model.scripts import Signal
from arclint.model.target import Target

# resource type -> (platform, role)
MACHINES: dict[str, tuple[str, str]] = {
    "azurerm_linux_virtual_machine": ("azure", "machine"),
    "azurerm_windows_virtual_machine": ("azure", "machine"),
    "azurerm_virtual_machine": ("azure", "machine"),
    "azurerm_linux_virtual_machine_scale_set": ("azure", "scale-set"),
    "azurerm_windows_virtual_machine_scale_set": ("azure", "scale-set"),
    "azurerm_orchestrated_virtual_machine_scale_set": ("azure", "scale-set"),
    "azurerm_virtual_machine_scale_set": ("azure", "scale-set"),
    "azurestack_linux_virtual_machine": ("azure-stack-hub", "machine"),
    "azurestack_windows_virtual_machine": ("azure-stack-hub", "machine"),
    "azurestack_virtual_machine": ("azure-stack-hub", "machine"),
    "azurestack_virtual_machine_scale_set": ("azure-stack-hub", "scale-set"),
    "azurestack_linux_virtual_machine_scale_set": ("azure-stack-hub", "scale-set"),
    "azurestack_windows_virtual_machine_scale_set": ("azure-stack-hub", "scale-set"),
    "aws_instance": ("aws", "machine"),
    "aws_spot_instance_request": ("aws", "machine"),
    "aws_launch_template": ("aws", "template"),
    "aws_launch_configuration": ("aws", "template"),
    "aws_autoscaling_group": ("aws", "scale-set"),
    "google_compute_instance": ("gcp", "machine"),
    "google_compute_instance_template": ("gcp", "template"),
    "google_compute_region_instance_template": ("gcp", "template"),
    "google_compute_instance_group_manager": ("gcp", "scale-set"),
    "google_compute_region_instance_group_manager": ("gcp", "scale-set"),
    "vsphere_virtual_machine": ("vsphere", "machine"),
}

# attributes (or nested blocks) that carry scripts onto the machine
SCRIPT_ATTRS = ("custom_data", "user_data", "user_data_base64", "metadata_startup_script", "metadata", "extra_config")
NESTED_SCRIPTS = {
    "os_profile": ("custom_data",),
    "vapp": ("properties",),
    "extension": ("settings", "protected_settings"),
}

# extension-like resources: type -> attribute naming the machine they run on
EXTENSIONS = {
    "azurerm_virtual_machine_extension": "virtual_machine_id",
    "azurerm_virtual_machine_scale_set_extension": "virtual_machine_scale_set_id",
    "azurerm_virtual_machine_run_command": "virtual_machine_id",
    "azurestack_virtual_machine_extension": "virtual_machine_id",
    "azurerm_arc_machine_extension": "arc_machine_id",
}
# the platform of an extension whose machine is not in the configuration
# (None: no target; an Arc machine may be anywhere)
EXTENSION_FALLBACK = {"azurestack_virtual_machine_extension": "azure-stack-hub", "azurerm_arc_machine_extension": None}
EXTENSION_SCRIPTS = ("settings", "protected_settings", "source")

# images captured from a machine: type -> (platform, attribute naming the machine)
CAPTURES = {
    "azurerm_image": ("azure", "source_virtual_machine_id"),
    "azurerm_shared_image_version": ("azure", "managed_image_id"),
    "aws_ami_from_instance": ("aws", "source_instance_id"),
}

# where each azurerm VM type writes ``provision_vm_agent``: the nested block path holding it (() = the resource)
GUEST_AGENT_SWITCHES: dict[str, tuple[tuple[str, ...], ...]] = {
    "azurerm_linux_virtual_machine": ((),),
    "azurerm_windows_virtual_machine": ((),),
    "azurerm_linux_virtual_machine_scale_set": ((),),
    "azurerm_windows_virtual_machine_scale_set": ((),),
    "azurerm_virtual_machine": (("os_profile_windows_config",),),
    "azurerm_virtual_machine_scale_set": (("os_profile_windows_config",),),
    "azurerm_orchestrated_virtual_machine_scale_set": (
        ("os_profile", "windows_configuration"),
        ("os_profile", "linux_configuration"),
    ),
}

GROUP_TEMPLATE_ATTRS = {
    "aws_autoscaling_group": ("launch_template", "launch_configuration", "mixed_instances_policy"),
    "google_compute_instance_group_manager": ("version", "instance_template"),
    "google_compute_region_instance_group_manager": ("version", "instance_template"),
}


def targets(module: Module, reader: Reader) -> list[Target]:
    """Build the targets of one module: machines, groups, templates, with their onboarding."""
    by_address: dict[str, EvalBlock] = {r.address: r.body for r in module.resources}
    lookup = images.data_block(by_address)
    found: dict[str, Target] = {}
    for res in module.resources:
        if res.mode != "managed":
            continue
        with located(res.body.loc.file):
            if res.type in MACHINES:
                found[res.address] = _machine(res, module, reader, lookup)
            elif res.type in ("azapi_resource", "azurerm_arc_machine"):
                target = _azapi(res) or azurelocal.machine(res)
                if target is not None:
                    found[res.address] = target
            elif res.type in citrix.CATALOGS:
                target = citrix.catalog(res)
                if target is not None:
                    found[res.address] = target
    for res in module.resources:
        if res.mode == "managed" and res.type in CAPTURES:
            with located(res.body.loc.file):
                found[res.address] = _capture(res, found)
    for target in list(found.values()):
        if target.type == "vsphere_virtual_machine":
            _clone_source(target, module, found)
    for res in module.resources:
        if res.mode == "managed" and res.type in EXTENSIONS:
            with located(res.body.loc.file):
                _extension(res, found, module, reader)
        elif res.mode == "managed" and res.type == "azapi_resource":
            with located(res.body.loc.file):
                azurelocal.attach_children(res, found, reader)
    with located(module.folder.as_posix()):
        vdi.mark_session_hosts(
            module,
            found,
            {t: (a, *EXTENSION_SCRIPTS) for t, a in EXTENSIONS.items()},
            {t: SCRIPT_ATTRS for t in MACHINES},
        )
    names = {
        r.address: r.body.get("name")
        for r in module.resources
        if r.address in found and r.type == "vsphere_virtual_machine"
    }
    citrix.link_masters(found, {a: n for a, n in names.items() if isinstance(n, str)})
    _merge_groups(module, found)
    problems = [_problem_target(p) for p in module.problems]
    return list(found.values()) + problems


def _problem_target(problem: ModuleProblem) -> Target:
    """A module call arclint could not evaluate: a target that carries only the unknown."""
    target = Target(problem.address, "module", "unknown", "module", problem.loc)
    target.unknowns.append(Undecided("module", problem.reason, what="what this module creates"))
    return target


def _machine(res: Resource, module: Module, reader: Reader, lookup: images.DataLookup) -> Target:
    platform, role = MACHINES[res.type]
    body = res.body
    target = Target(res.address, res.type, platform, role, body.loc)
    onboarding.scan_attributes(target, body, SCRIPT_ATTRS, reader=reader)
    for block_type, names in NESTED_SCRIPTS.items():
        for nested in body.children(block_type):
            onboarding.scan_attributes(target, nested, names, prefix=f"{block_type}.", reader=reader)
    onboarding.scan_provisioners(target, body.children("provisioner"), reader, module.folder)
    _guest_agent(target, body)
    _lifecycle(target, body)
    if platform in ("azure", "azure-stack-hub"):
        images.azure(target, body, lookup)
    elif platform == "aws":
        images.aws(target, body, lookup)
    elif platform == "gcp":
        images.gcp(target, body, lookup)
    elif platform == "vsphere":
        images.vsphere(target, body, lookup)
    if res.note:
        target.unknowns.append(Undecided("instances", res.note, what="how many machines it creates"))
    return target


def _ev(body: EvalBlock, name: str, text: str) -> Evidence:
    loc = body.loc_of(name)
    return Evidence(loc.file, loc.line, text)


def _guest_agent(target: Target, body: EvalBlock) -> None:
    """``provision_vm_agent = false``: the evaluation step "guest agent disabled", proven by that line.

    Only a known ``false`` counts; an unknown value is noted (reported only if the target onboards).
    """
    for path in GUEST_AGENT_SWITCHES.get(target.type, ()):
        blocks = [body]
        for name in path:
            blocks = [kid for block in blocks for kid in block.children(name)]
        for block in blocks:
            _provision_vm_agent(target, block)


def _provision_vm_agent(target: Target, block: EvalBlock) -> None:
    if not block.has("provision_vm_agent"):
        return
    value = block.get("provision_vm_agent")
    loc = block.loc_of("provision_vm_agent")
    if value is False or value == "false":  # Terraform converts the string "false" for a bool argument
        text = "provision_vm_agent = false"
        signal = Signal("guest-agent-disabled", 0, loc.line, text, {"action": "not-provisioned"})
        target.onboarding.found.append(Found(signal, Evidence(loc.file, loc.line, text)))
    elif isinstance(value, Unknown):
        reason = "; ".join(value.reasons) or "its value is known only after apply"
        target.unknowns.append(
            Undecided(
                "provision_vm_agent", reason, what="whether the Azure guest agent is provisioned", if_onboards=True
            )
        )


def _lifecycle(target: Target, body: EvalBlock) -> None:
    """Spot / low priority / preemptible capacity, and scale sets."""
    if target.role == "scale-set":
        target.lifecycle["group"] = Evidence(target.loc.file, target.loc.line, f"{target.type} {target.address}")
    priority = body.get("priority")
    if isinstance(priority, str) and priority.lower() in ("spot", "low"):
        target.lifecycle["spot"] = _ev(body, "priority", f'priority = "{priority}"')
    market = body.child("instance_market_options")
    if market is not None and str(market.get("market_type", "")).lower() == "spot":
        target.lifecycle["spot"] = _ev(market, "market_type", 'market_type = "spot"')
    if target.type == "aws_spot_instance_request":
        target.lifecycle["spot"] = Evidence(target.loc.file, target.loc.line, "aws_spot_instance_request")
    if body.has("spot_price") and target.type == "aws_launch_configuration":
        target.lifecycle["spot"] = _ev(body, "spot_price", "spot_price set")
    sched = body.child("scheduling")
    if sched is not None:
        if sched.get("preemptible") is True:
            target.lifecycle["spot"] = _ev(sched, "preemptible", "preemptible = true")
        model = sched.get("provisioning_model")
        if isinstance(model, str) and model.upper() == "SPOT":
            target.lifecycle["spot"] = _ev(sched, "provisioning_model", 'provisioning_model = "SPOT"')
    mixed = body.child("mixed_instances_policy")
    dist = mixed.child("instances_distribution") if mixed else None
    if dist is not None:
        pct = dist.get("on_demand_percentage_above_base_capacity")
        if isinstance(pct, (int, float)) and pct < 100:
            target.lifecycle["spot"] = _ev(
                dist, "on_demand_percentage_above_base_capacity", f"on_demand_percentage_above_base_capacity = {pct}"
            )


def _azapi(res: Resource) -> Target | None:
    """Azure Image Builder templates written with azapi: their ``customize`` steps."""
    if res.type != "azapi_resource":
        return None
    rtype = res.body.get("type")
    if not isinstance(rtype, str) or not rtype.lower().startswith("microsoft.virtualmachineimages/imagetemplates"):
        return None
    target = Target(res.address, "azure-image-builder", "azure", "image-build", res.body.loc)
    body = res.body.get("body")
    props = body.get("properties") if isinstance(body, dict) else None
    steps = props.get("customize") if isinstance(props, dict) else None
    if isinstance(body, Unknown):
        steps = body
    onboarding.scan_value(target, steps, res.body.loc_of("body"), "customize")
    return target


def _machines_referenced(value: object, found: dict[str, Target]) -> list[Target]:
    return named(value.refs, found) if isinstance(value, Unknown) else []


def _capture(res: Resource, found: dict[str, Target]) -> Target:
    """An image captured from a machine of this configuration (``azurerm_image``, ``aws_ami_from_instance``)."""
    platform, attr = CAPTURES[res.type]
    target = Target(res.address, res.type, platform, "image", res.body.loc)
    loc = res.body.loc_of(attr)
    for source in _machines_referenced(res.body.get(attr), found):
        target.captured_from.append((source, Evidence(loc.file, loc.line, f"{attr} = {source.address}")))
    return target


def _clone_source(target: Target, module: Module, found: dict[str, Target]) -> None:
    """A vSphere VM cloned from another VM of the configuration (directly or through a data source by name)."""
    body = next((r.body for r in module.resources if r.address == target.address), None)
    clone = body.child("clone") if body is not None else None
    if clone is None or not clone.has("template_uuid"):
        return
    value = clone.get("template_uuid")
    loc = clone.loc_of("template_uuid")
    sources = [s for s in _machines_referenced(value, found) if s.type == "vsphere_virtual_machine"]
    if not sources and isinstance(value, Unknown):
        by_name = {
            str(r.body.get("name")): found[r.address]
            for r in module.resources
            if r.address in found and r.type == "vsphere_virtual_machine"
        }
        for ref in sorted(value.refs):
            data = next((r for r in module.resources if r.address == ref and r.mode == "data"), None)
            name = data.body.get("name") if data is not None else None
            if isinstance(name, str) and name in by_name:
                sources.append(by_name[name])
    for source in sources:
        if source is not target:
            target.captured_from.append((source, Evidence(loc.file, loc.line, f"clone of {source.address}")))


def _extension(res: Resource, found: dict[str, Target], module: Module, reader: Reader) -> None:
    """Attach an extension's or run command's scripts to the machine it runs on."""
    parent = next(iter(_machines_referenced(res.body.get(EXTENSIONS[res.type]), found)), None)
    if parent is None:
        platform = EXTENSION_FALLBACK.get(res.type, "azure")
        if platform is None:
            return
        parent = found.setdefault(res.address, Target(res.address, res.type, platform, "machine", res.body.loc))
    else:
        parent.related.append(res.address)
    onboarding.scan_attributes(parent, res.body, EXTENSION_SCRIPTS, prefix=f"{res.address}.", reader=reader)
    _scan_file_uris(parent, res, module, reader)


def _settings(value: object) -> dict[str, object]:
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _scan_file_uris(target: Target, res: Resource, module: Module, reader: Reader) -> None:
    """Scripts an extension downloads (``fileUris``) and then runs: local files, uploaded blobs, this repository's
    files."""
    merged = {**_settings(res.body.get("settings")), **_settings(res.body.get("protected_settings"))}
    uris, command = merged.get("fileUris"), merged.get("commandToExecute")
    if not isinstance(uris, list) or not isinstance(command, str):
        return
    blobs = _local_blobs(module)
    loc = res.body.loc_of("settings")
    for uri in uris:
        if not isinstance(uri, str):
            continue
        name = uri.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not name or name not in command:
            continue
        chain: tuple[Evidence, ...] = ()
        fetched = reader.fetch_url(uri) if uri.startswith(("http://", "https://")) else None
        if not uri.startswith(("http://", "https://")):
            content: object = reader.read(uri, module.folder)
        elif name in blobs:
            content = reader.read(blobs[name], module.folder)
        elif fetched is not None:
            content, note = fetched
            chain = (Evidence(loc.file, loc.line, f"fileUris {uri.split('?', 1)[0]} [{note}]"),)
        else:
            content = Unknown(
                [f"{name} is downloaded from {uri.split('?', 1)[0]} at deployment; arclint does not fetch it"]
            )
        onboarding.scan_value(target, content, loc, f"{res.address} fileUris {name}", reader=reader, chain=chain)


def _local_blobs(module: Module) -> dict[str, str]:
    """Storage blobs uploaded from local files: blob name -> local source path."""
    out: dict[str, str] = {}
    for res in module.resources:
        if res.type == "azurerm_storage_blob":
            name, source = res.body.get("name"), res.body.get("source")
            if isinstance(name, str) and isinstance(source, str):
                out[name.rsplit("/", 1)[-1]] = source
    return out


def _merge_groups(module: Module, found: dict[str, Target]) -> None:
    """A group launches machines from its templates: it carries their facts; the templates go."""
    for res in module.resources:
        group = found.get(res.address)
        if group is None or res.type not in GROUP_TEMPLATE_ATTRS:
            continue
        for ref in _template_refs(res.body, GROUP_TEMPLATE_ATTRS[res.type]):
            template = found.get(ref)
            if template is None or template.role != "template":
                continue
            group.onboarding.found.extend(template.onboarding.found)
            group.unknowns.extend(template.unknowns)
            group.os, group.os_evidence = group.os or template.os, group.os_evidence or template.os_evidence
            for key, ev in template.lifecycle.items():
                group.lifecycle.setdefault(key, ev)
            group.related.append(template.address)
            del found[ref]


def _template_refs(body: EvalBlock, names: tuple[str, ...]) -> list[str]:
    refs: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, Unknown):
            refs.extend(sorted(value.refs))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for name in names:
        walk(body.get(name))
    return refs
