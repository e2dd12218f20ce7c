"""Pooled VDI: Azure Virtual Desktop session hosts of a ``Pooled`` host pool.

A session host joins its pool with the pool's registration token
(``azurerm_virtual_desktop_host_pool_registration_info`` ``token``) or the pool's name, passed in a VM extension
(the AVD DSC configuration) or in the VM's own scripts. A machine whose extension or script attribute names a
pool, or the registration info of one, is a host of that pool: the fact ``lifecycle["pooled-vdi"]``, proven by
the line that links it (the text names the pool and its setting).
"""

from __future__ import annotations

from arclint.core.addresses import named, unkeyed
from arclint.core.values import Unknown
from arclint.evaluate.terraform import Module, Resource
from arclint.model.facts import Evidence
from arclint.model.target import Target

HOST_POOL = "azurerm_virtual_desktop_host_pool"
REGISTRATION = "azurerm_virtual_desktop_host_pool_registration_info"
POOLED = "pooled"  # azurerm: type = "Personal" | "Pooled"


def _base(address: str) -> str:
    """``type.name`` of an address (module prefix and instance key dropped)."""
    parts = address.split("[", 1)[0].split(".")
    return ".".join(parts[-3:] if len(parts) >= 3 and parts[-3] == "data" else parts[-2:])


def _pooled(module: Module) -> dict[str, Evidence]:
    """Pooled host pools and the registration infos of them: ``type.name`` -> the pool's ``type`` line."""
    pools: dict[str, Evidence] = {}
    for res in module.resources:
        kind = res.body.get("type") if res.type == HOST_POOL else None
        if isinstance(kind, str) and kind.lower() == POOLED:
            loc = res.body.loc_of("type")
            pools[_base(res.address)] = Evidence(loc.file, loc.line, f'{_base(res.address)} (type = "{kind}"')
    for res in module.resources:
        if res.type == REGISTRATION:
            for ref in sorted(res.body.references("hostpool_id")):
                if ref in pools:
                    pools[_base(res.address)] = pools[ref]
    return pools


def mark_session_hosts(
    module: Module, found: dict[str, Target], carriers: dict[str, tuple[str, ...]], machines: dict[str, tuple[str, ...]]
) -> None:
    """Mark the machines of ``found`` that join a pooled host pool.

    ``carriers``: extension-like resource type -> (attribute naming its machine, *attributes it passes);
    ``machines``: machine resource type -> its script attributes.
    """
    pools = _pooled(module)
    if not pools:
        return
    for res in module.resources:
        if res.mode != "managed":
            continue
        if res.type in carriers:
            parent_attr, *names = carriers[res.type]
            hosts = _parents(res, parent_attr, found)
        elif res.type in machines and res.address in found:
            names, hosts = list(machines[res.type]), [found[res.address]]
        else:
            continue
        for name in names:
            pool = next((pools[r] for r in sorted(res.body.references(name)) if r in pools), None)
            if pool is None:
                continue
            loc = res.body.loc_of(name)
            link = Evidence(
                loc.file,
                loc.line,
                f"{unkeyed(res.address)}.{name} joins host pool {pool.text}, {pool.file}:{pool.line})",
            )
            for host in hosts:
                host.lifecycle.setdefault("pooled-vdi", link)
            break


def _parents(res: Resource, attr: str, found: dict[str, Target]) -> list[Target]:
    """The machines an extension runs on (``vm[count.index].id`` names the instance with the extension's own key)."""
    value = res.body.get(attr)
    return named(value.refs, found) if isinstance(value, Unknown) else []
