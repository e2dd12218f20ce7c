"""Identify a Terraform target's operating system and architecture from its image and size."""

from __future__ import annotations

from collections.abc import Callable

from arclint.core.document import Loc
from arclint.core.values import Traced, Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.model import osimage
from arclint.model.facts import Evidence, Undecided
from arclint.model.links import image_ref
from arclint.model.target import Target

# data sources a resource may refer to: address -> block (evaluated)
DataLookup = Callable[[object], "EvalBlock | None"]


def _known(target: Target, values: dict[str, object], subject: str) -> bool:
    """Record unknown image fields on the target; True when all are known strings."""
    unknown = [v for v in values.values() if isinstance(v, Unknown)]
    partial = [r for v in values.values() if isinstance(v, Traced) for r in v.unknown]
    if unknown or partial:
        reasons = "; ".join([r for u in unknown for r in u.reasons] + partial)
        target.unknowns.append(Undecided(subject, reasons))
        return False
    return True


def _set(target: Target, info: osimage.OSInfo | None, loc: Loc, text: str) -> None:
    if info is None:
        target.unknowns.append(Undecided("OS image", f"{text} is not in arclint's OS image catalog"))
        return
    target.os = osimage.merge(info, target.os) if target.os else info
    target.os_evidence = Evidence(loc.file, loc.line, text)


def _size_arch(target: Target, body: EvalBlock, names: tuple[str, ...]) -> None:
    """The machine size (the first of the attributes ``names`` set to a string) and the arch it implies."""
    for name in names:
        size = body.get(name)
        if isinstance(size, str):
            target.size = size
            arch = osimage.arch_from_size(target.platform, size)
            if arch:
                base = target.os or osimage.OSInfo(None, None, None, None)
                if base.arch is None:
                    target.os = osimage.OSInfo(base.family, base.version, base.edition, arch, base.cis, base.evidence)
                    if target.os_evidence is None:
                        loc = body.loc_of(name)
                        target.os_evidence = Evidence(loc.file, loc.line, f"{name} = {size}")
            return


def azure(target: Target, body: EvalBlock, data: DataLookup) -> None:
    """Marketplace image reference (or a custom image id) and VM size."""
    ref = body.child("source_image_reference") or body.child("storage_image_reference")
    if ref is not None:
        values = {k: ref.get(k) for k in ("publisher", "offer", "sku")}
        if _known(target, values, "OS image"):
            text = ":".join(str(values[k]) for k in ("publisher", "offer", "sku"))
            _set(
                target,
                osimage.from_azure_image(*(str(values[k]) for k in ("publisher", "offer", "sku"))),
                ref.loc,
                text,
            )
    elif body.has("source_image_id"):
        image = body.get("source_image_id")
        source = data(image)
        if source is not None and source.labels[0] == "azurerm_platform_image":
            values = {k: source.get(k) for k in ("publisher", "offer", "sku")}
            if _known(target, values, "OS image"):
                text = ":".join(str(values[k]) for k in ("publisher", "offer", "sku"))
                _set(
                    target,
                    osimage.from_azure_image(*(str(values[k]) for k in ("publisher", "offer", "sku"))),
                    source.loc,
                    f"azurerm_platform_image {text}",
                )
            _size_arch(target, body, ("size", "sku", "vm_size"))
            return
        if source is not None and source.labels[0] == "azurerm_shared_image" and _shared_image(target, source):
            _size_arch(target, body, ("size", "sku", "vm_size"))
            return
        name = _azure_image_name(image, data)
        loc = body.loc_of("source_image_id")
        if name:
            target.image_refs.append(
                image_ref("azure-image", name, Evidence(loc.file, loc.line, f"custom image {name}"))
            )
        reason = image.reasons[0] if isinstance(image, Unknown) and image.reasons else f"custom image {name or image}"
        target.unknowns.append(
            Undecided("OS image", f"source_image_id refers to a custom image ({reason}); its OS is not known")
        )
    _size_arch(target, body, ("size", "sku", "vm_size"))


def _shared_image(target: Target, image: EvalBlock) -> bool:
    """A shared image gallery image definition: its ``identifier`` (publisher, offer, sku), read as a Marketplace
    URN and else as a name, then its name; ``architecture`` gives the arch. True when the OS is identified."""
    ident = image.child("identifier")
    values = {k: ident.get(k) for k in ("publisher", "offer", "sku")} if ident is not None else {}
    name = image.get("name")
    texts = [str(values[k]) for k in ("publisher", "offer", "sku") if isinstance(values.get(k), str)]
    info = osimage.from_azure_image(*texts) if len(texts) == 3 else None
    info = info or (osimage.from_image_name(" ".join(texts[1:])) if texts else None)
    info = info or (osimage.from_image_name(name) if isinstance(name, str) else None)
    if info is None:
        return False
    arch = image.get("architecture")
    if isinstance(arch, str) and arch.lower() == "arm64":
        info = osimage.OSInfo(info.family, info.version, info.edition, "arm64", info.cis, info.evidence, info.readings)
    loc = ident.loc if ident is not None else image.loc
    target.image_refs.append(
        image_ref("azure-image", str(name), Evidence(image.loc.file, image.loc.line, f"shared image {name}"))
    )
    _set(
        target,
        info,
        loc,
        f"{image.labels[0]} {image.labels[1]} identifier {':'.join(texts)}" if texts else f"shared image {name}",
    )
    return True


def _azure_image_name(image: object, data: DataLookup) -> str | None:
    """The image name behind ``source_image_id``: an image or shared image data source, or the id itself."""
    source = data(image)
    if source is not None and source.type == "data":
        for attr in ("image_name", "name"):
            value = source.get(attr)
            if isinstance(value, str):
                return value
    if isinstance(image, str) and "/images/" in image.lower():
        tail = image[image.lower().rindex("/images/") + 8 :]
        return tail.split("/", 1)[0] or None
    return None


def aws(target: Target, body: EvalBlock, data: DataLookup) -> None:
    """AMI (through an ``aws_ami`` data source) and instance type."""
    for name in ("ami", "image_id"):
        if not body.has(name):
            continue
        value = body.get(name)
        loc = body.loc_of(name)
        source = data(value)
        if source is not None and source.type == "data" and source.labels[0] == "aws_ami":
            _from_aws_ami(target, source)
        elif isinstance(value, Unknown):
            _known(target, {name: value}, "OS image")
        else:
            target.unknowns.append(
                Undecided(
                    "OS image",
                    f"{name} = {value!s} is an AMI id, which does not tell its OS;"
                    " use an aws_ami data source with a name filter",
                )
            )
        del loc
        break
    _size_arch(target, body, ("instance_type",))


def _from_aws_ami(target: Target, ami: EvalBlock) -> None:
    owners = ami.get("owners")
    names: list[object] = []
    arch: object = None
    for flt in ami.children("filter"):
        fname, values = flt.get("name"), flt.get("values")
        if fname == "name" and isinstance(values, list):
            names.extend(values)
        elif fname == "architecture" and isinstance(values, list) and values:
            arch = values[0]
        elif fname in ("name", "architecture"):
            names.append(values)
    if not names and ami.has("name_regex"):
        names.append(ami.get("name_regex"))
    fields: dict[str, object] = {"owners": owners, **{f"name{i}": n for i, n in enumerate(names)}}
    if not _known(target, fields, "OS image"):
        return
    name = str(names[0]) if names else None
    for pattern in names:
        loc = ami.loc
        target.image_refs.append(
            image_ref("ami", str(pattern), Evidence(loc.file, loc.line, f"aws_ami {ami.labels[1]} name {pattern}"))
        )
    owner_list = [str(o) for o in owners] if isinstance(owners, list) else []
    text = f"aws_ami {ami.labels[1]}: owners {owner_list}, name {name}"
    _set(target, osimage.from_aws_ami(owner_list, name, arch if isinstance(arch, str) else None), ami.loc, text)


def gcp(target: Target, body: EvalBlock, data: DataLookup) -> None:
    """Boot disk image (or an instance template's disk) and machine type."""
    image: object = None
    loc = body.loc
    boot = body.child("boot_disk")
    params = boot.child("initialize_params") if boot else None
    if params is not None and params.has("image"):
        image, loc = params.get("image"), params.loc_of("image")
    else:
        for disk in body.children("disk"):
            if disk.has("source_image"):
                image, loc = disk.get("source_image"), disk.loc_of("source_image")
                break
    if image is not None:
        source = data(image)
        if source is not None and source.labels[0] == "google_compute_image":
            fields = {"project": source.get("project"), "family": source.get("family") or source.get("name")}
            if _known(target, fields, "OS image"):
                text = f"{fields['project']}/{fields['family']}"
                target.image_refs.append(
                    image_ref(
                        "gcp-image",
                        str(fields["family"]),
                        Evidence(source.loc.file, source.loc.line, f"google_compute_image {text}"),
                    )
                )
                _set(target, osimage.from_gcp_image(text), source.loc, f"google_compute_image {text}")
        elif _known(target, {"image": image}, "OS image"):
            name = str(image).rstrip("/").rsplit("/", 1)[-1]
            target.image_refs.append(image_ref("gcp-image", name, Evidence(loc.file, loc.line, str(image))))
            _set(target, osimage.from_gcp_image(str(image)), loc, str(image))
    _size_arch(target, body, ("machine_type",))


def vsphere(target: Target, body: EvalBlock, data: DataLookup) -> None:
    """Template cloned from (by name) and ``guest_id``."""
    clone = body.child("clone")
    if clone is not None and clone.has("template_uuid"):
        value = clone.get("template_uuid")
        source = data(value)
        if source is not None and source.labels[0] in ("vsphere_virtual_machine", "vsphere_content_library_item"):
            name = source.get("name")
            if _known(target, {"name": name}, "OS image"):
                target.image_refs.append(
                    image_ref(
                        "vsphere-template", str(name), Evidence(source.loc.file, source.loc.line, f"template {name}")
                    )
                )
                info = osimage.from_image_name(str(name))
                if info is not None:
                    _set(target, info, source.loc, f"template {name}")
    if target.os is None and body.has("guest_id"):
        guest = body.get("guest_id")
        if _known(target, {"guest_id": guest}, "OS image"):
            _set(target, osimage.from_vsphere_guest_id(str(guest)), body.loc_of("guest_id"), f"guest_id = {guest}")


_ID_ATTRIBUTES = ("id", "self_link", "image_id")


def data_block(blocks: dict[str, EvalBlock]) -> DataLookup:
    """Return a lookup from a value to the data source (or resource) it comes from.

    An unknown names it in its references; a resolved id (from a plan) matches the source's own id.
    """
    by_id: dict[str, EvalBlock] = {}
    for body in blocks.values():
        for name in _ID_ATTRIBUTES:
            if body.block.type == "data" and name in body.block.attributes:
                value = body.get(name)
                if isinstance(value, str) and value:
                    by_id.setdefault(value, body)

    def lookup(value: object) -> EvalBlock | None:
        if isinstance(value, Unknown):
            for ref in sorted(value.refs):
                if ref in blocks:
                    return blocks[ref]
            return None
        return by_id.get(value) if isinstance(value, str) else None

    return lookup
