"""Citrix MCS machine catalogs: pooled, non-persistent desktops cloned from a master image.

A ``citrix_machine_catalog`` (``citrix_daas_machine_catalog`` in older providers) with ``provisioning_type =
"MCS"`` creates its machines from a master image named in ``provisioning_scheme`` (a vSphere or XenServer VM, a
Nutanix, Azure, AWS or GCP image). With ``allocation_type = "Random"`` the machines are pooled: MCS resets each
one to the master image when it restarts, so every desktop is short-lived (the fact ``lifecycle["pooled-vdi"]``).

The catalog is a target of role ``template``: like a launch template it stands for the machines it creates, and
carries their onboarding from its master, linked by name. A Packer build of the master links through the
catalog's ``image_refs`` (``links.link_images``: installs and first-boot connects carry over; a build that
connects is ARC203); a master VM of the same configuration (a ``vsphere_virtual_machine`` named like
``master_image_vm``) is recorded in ``captured_from`` (a master that connects is ARC202) and hands over what it
registered for a later boot.
"""

from __future__ import annotations

from arclint.evaluate.terraform import Resource
from arclint.model.facts import Evidence
from arclint.model.links import image_ref, inherit
from arclint.model.target import Target

CATALOGS = frozenset({"citrix_machine_catalog", "citrix_daas_machine_catalog"})

# provisioning_scheme setting -> (attribute naming the master, image kind it links to, platform of the machines)
MASTERS = {
    "vsphere_machine_config": ("master_image_vm", "vsphere-vm", "vsphere"),
    "xenserver_machine_config": ("master_image_vm", "xenserver-vm", "other"),
    "nutanix_machine_config": ("master_image", "nutanix-image", "other"),
    "azure_machine_config": ("master_image", "azure-image", "azure"),
    "aws_machine_config": ("master_image", "ami", "aws"),
    "gcp_machine_config": ("master_image", "gcp-image", "gcp"),
}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def catalog(res: Resource) -> Target | None:
    """The target of an MCS machine catalog, or None for manual and Remote PC catalogs."""
    body = res.body
    if (_text(body.get("provisioning_type")) or "").upper() != "MCS":
        return None
    scheme = body.get("provisioning_scheme")
    scheme = scheme[0] if isinstance(scheme, list) and scheme else scheme
    loc = body.loc_of("provisioning_scheme")
    target = Target(res.address, res.type, "other", "template", body.loc)
    for setting, (attr, kind, platform) in MASTERS.items():
        config = scheme.get(setting) if isinstance(scheme, dict) else None
        if not isinstance(config, dict):
            continue
        target.platform = platform
        gallery = config.get("gallery_image")
        names = [_text(config.get(attr)), _text(gallery.get("definition")) if isinstance(gallery, dict) else None]
        for name in filter(None, names):
            target.image_refs.append(
                image_ref(kind, name, Evidence(loc.file, loc.line, f"{setting}: master image {name}"))
            )
    allocation = _text(body.get("allocation_type"))
    if allocation is not None and allocation.lower() == "random":
        at = body.loc_of("allocation_type")
        text = (
            f'allocation_type = "{allocation}" in an MCS catalog:'
            " every machine is reset to the master image when it restarts"
        )
        target.lifecycle["pooled-vdi"] = Evidence(at.file, at.line, text)
    return target


def link_masters(found: dict[str, Target], names: dict[str, str]) -> None:
    """Record the master VMs of catalogs among ``found`` (``names``: VM address -> its ``name``)."""
    by_name = {name: found[address] for address, name in names.items() if address in found}
    for target in list(found.values()):
        if target.type not in CATALOGS:
            continue
        for ref in target.image_refs:
            master = by_name.get(ref.name)
            if master is None or master is target:
                continue
            target.captured_from.append((master, ref.evidence))
            inherit(target, master, (ref.evidence,))
