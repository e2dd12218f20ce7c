"""The prefilter: which scanned folders' Terraform files cannot lead to a finding, told from their bytes.

A finding is about a target (a machine, group, template, image, Arc machine, catalog, host pool, module call
arclint cannot follow) or a suppression comment. A folder can lead to one when its Terraform files name a
resource or data type the model reads (``TYPES``), mention Arc (``azcmagent``, ``ConnectedMachine``,
``HybridCompute``), arclint (suppressions, ARC003) or ``sensitive`` (such values are masked in every finding),
call a module in a way arclint reports (a remote or missing source, ``count`` or ``for_each``, recursion,
deeper than it follows), or call a folder that can (it passes values into it). Any
other folder is idle: its files are only checked for what ARC001 reports (``Loader.check_only``). A module it
provides to a busy folder is still loaded whole when that folder's evaluation asks for it.

Reading is bounded as loading is; a file that cannot be read, or is over the limit, keeps its folder busy
(loading reports it). Packer files and plans are never idle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from arclint.core.files import decode, read_bytes
from arclint.core.limits import MAX_HCL_BYTES, MAX_MODULE_DEPTH, MAX_SCANNED_BYTES
from arclint.discover import Input
from arclint.load import CHECKED_KINDS
from arclint.model import azure_side, citrix, terraform, vdi

# image sources the model follows from a machine's image attribute (``arclint.model.images``)
IMAGE_SOURCES = frozenset(
    {
        "aws_ami",
        "azurerm_platform_image",
        "azurerm_shared_image",
        "google_compute_image",
        "vsphere_content_library_item",
    }
)

# the resource and data types targets are made from or linked with
TYPES = frozenset(
    {
        *terraform.MACHINES,
        *terraform.EXTENSIONS,
        *terraform.CAPTURES,
        *azure_side.ARC_ATTACHMENTS,
        *azure_side.ARC_MACHINE_TYPES,
        "azapi_resource",
        *citrix.CATALOGS,
        vdi.HOST_POOL,
        vdi.REGISTRATION,
        *IMAGE_SOURCES,
    }
)
# names the model reads only beside a target: alone they lead to no finding (``*_machine_config``: blocks of a
# Citrix catalog)
AUXILIARY = frozenset(
    {
        *citrix.MASTERS,
        "azuread_application",
        "azuread_client_config",
        "azuread_service_principal",
        "azurerm_client_config",
        "azurerm_management_group",
        "azurerm_resource_group",
        "azurerm_resource_provider_registration",
        "azurerm_role_assignment",
        "azurerm_storage_blob",
        "azurerm_subscription",
        "cloudinit_config",
        "local_file",
        "local_sensitive_file",
        "template_cloudinit_config",
        "template_file",
    }
)

# Arc and arclint words; ``sensitive``: a sensitive variable's value is masked in every finding of the scan
_WORDS = ("azcmagent", "connectedmachine", "hybridcompute", "arclint", "sensitive")
# searched in the lower-cased text (an IGNORECASE search of the same alternatives is ten times slower)
_SIGNAL = re.compile("|".join(re.escape(w) for w in sorted({*TYPES, *_WORDS}, key=len, reverse=True)))
_MODULE = re.compile(r'^[ \t]*module[ \t]+(?:"[^"\n]*"|[\w-]+)[ \t]*\{', re.MULTILINE)  # labels may be bare
_NEXT_BLOCK = re.compile(
    r"^[ \t]*(?:resource|data|module|variable|output|locals|provider|terraform|moved|import|check|removed)\b",
    re.MULTILINE,
)
_JSON_MODULE = re.compile(r'"module"\s*:')
_SOURCE = re.compile(r'\bsource[ \t]*=[ \t]*"([^"\n]*)"')
_META = re.compile(r"\b(?:count|for_each)\b")  # instances that may be unknown: a module call arclint reports
_LOCAL = ("./", "../", ".\\", "..\\")
_DEEP = MAX_MODULE_DEPTH  # a chain of local calls this long is near what evaluation follows: kept busy


def idle_folders(inputs: Sequence[Input]) -> frozenset[Path]:
    """The folders among ``inputs`` whose Terraform files cannot lead to a finding (see the module's text)."""
    files: dict[Path, list[Input]] = {}
    for item in inputs:
        if item.kind in CHECKED_KINDS and not item.explicit:
            files.setdefault(item.path.parent, []).append(item)
    busy: set[Path] = set()
    calls: dict[Path, set[Path]] = {}  # folder -> the local module folders it calls (resolved)
    for folder, items in files.items():
        local: set[Path] = set()
        if all(_local_calls(item, folder, local) for item in items):
            calls[folder] = local
        else:
            busy.add(folder)
    resolved = {folder: folder.resolve() for folder in files}
    known = set(resolved.values())
    busy_resolved = {resolved[f] for f in busy}
    by_resolved = {r: calls.get(f, set()) for f, r in resolved.items()}
    depths: dict[Path, int] = {}
    for folder in calls:  # calls arclint reports: recursive, or nested deeper than it follows
        if _chain(resolved[folder], by_resolved, depths, []) >= _DEEP:
            busy.add(folder)
            busy_resolved.add(resolved[folder])
    changed = True
    while changed:  # a folder that calls a busy folder (or one not scanned) is busy: it passes values in
        changed = False
        for folder, called in calls.items():
            if folder not in busy and any(c in busy_resolved or c not in known for c in called):
                busy.add(folder)
                busy_resolved.add(resolved[folder])
                changed = True
    return frozenset(f for f in files if f not in busy)


def _chain(folder: Path, calls: dict[Path, set[Path]], depths: dict[Path, int], stack: list[Path]) -> int:
    """The longest chain of local module calls from ``folder`` (``_DEEP`` when it loops or is that deep)."""
    if folder in stack or len(stack) >= _DEEP:
        return _DEEP
    if folder not in depths:
        stack.append(folder)
        depths[folder] = 1 + max((_chain(c, calls, depths, stack) for c in calls.get(folder, ())), default=0)
        stack.pop()
    return depths[folder]


def _local_calls(item: Input, folder: Path, calls: set[Path]) -> bool:
    """Add the local module folders ``item`` calls to ``calls``; False when the file keeps its folder busy."""
    limit = MAX_HCL_BYTES if item.kind in ("terraform", "tfvars") else MAX_SCANNED_BYTES
    try:
        text = decode(read_bytes(item.path, limit))
    except OSError:
        return False
    if _SIGNAL.search(text.lower()):
        return False
    if item.kind.endswith("json"):
        return not _JSON_MODULE.search(text)
    for header in _MODULE.finditer(text):
        after = _NEXT_BLOCK.search(text, header.end())
        block = text[header.end() : after.start() if after else len(text)]
        source = _SOURCE.search(block)
        if source is None or not source.group(1).startswith(_LOCAL) or _META.search(block):
            return False
        calls.add((folder / source.group(1)).resolve())
    return True
