"""Azure Local VMs (Arc VMs on Azure Local) and the scripts delivered to them.

An Azure Local VM is a ``Microsoft.HybridCompute/machines`` resource of kind ``HCI`` (azapi, or ``azurerm_arc_machine``
with ``kind = "HCI"``) whose child ``Microsoft.AzureStackHCI/virtualMachineInstances`` is the VM itself (AVM-HCI).
Its agent is provisioned by the platform; scripts reach it through the machine's extensions and run commands
(``azurerm_arc_machine_extension``, azapi ``Microsoft.HybridCompute/machines/extensions`` and ``/runCommands``).
"""

from __future__ import annotations

from arclint.core.values import Unknown
from arclint.evaluate.files import Reader
from arclint.evaluate.terraform import Resource
from arclint.model import onboarding
from arclint.model.target import Target

PLATFORM = "azure-local"
MACHINE_TYPE = "microsoft.hybridcompute/machines"
CHILD_SCRIPTS = ("microsoft.hybridcompute/machines/extensions", "microsoft.hybridcompute/machines/runcommands")
VM_INSTANCE = "microsoft.azurestackhci/virtualmachineinstances"


def azapi_type(res: Resource) -> str:
    """The ARM type of an ``azapi_resource`` without its API version, lower case ("" when unknown)."""
    rtype = res.body.get("type")
    return rtype.split("@", 1)[0].lower() if isinstance(rtype, str) else ""


def _kind(res: Resource) -> object:
    if res.type == "azurerm_arc_machine":
        return res.body.get("kind")
    body = res.body.get("body")
    return body.get("kind") if isinstance(body, dict) else None


def machine(res: Resource) -> Target | None:
    """An Arc machine of kind HCI (an Azure Local VM), else None."""
    if res.type == "azapi_resource" and azapi_type(res) != MACHINE_TYPE:
        return None
    kind = _kind(res)
    if not isinstance(kind, str) or kind.upper() != "HCI":
        return None
    return Target(res.address, "azure-local-vm", PLATFORM, "machine", res.body.loc)


def attach_children(res: Resource, found: dict[str, Target], reader: Reader) -> None:
    """A VM instance, extension or run command (azapi) of an Azure Local VM: related, and its scripts scanned."""
    rtype = azapi_type(res)
    if rtype not in (*CHILD_SCRIPTS, VM_INSTANCE):
        return
    parent_ref = res.body.get("parent_id")
    refs = sorted(parent_ref.refs) if isinstance(parent_ref, Unknown) else []
    parent = next((found[a] for a in refs if a in found and found[a].platform == PLATFORM), None)
    if parent is None:
        return
    parent.related.append(res.address)
    if rtype in CHILD_SCRIPTS:
        body = res.body.get("body")
        props = body.get("properties") if isinstance(body, dict) else body
        onboarding.scan_value(parent, props, res.body.loc_of("body"), f"{res.address} properties", reader=reader)
