"""Turn an evaluated Packer configuration into image-build targets."""

from __future__ import annotations

from arclint.core.internal import located
from arclint.core.values import Unknown
from arclint.evaluate.files import Reader
from arclint.evaluate.packer import BuildSource, PackerConfig
from arclint.model import onboarding, osimage
from arclint.model.facts import Evidence, ImageRef, Undecided
from arclint.model.links import image_ref
from arclint.model.target import Target

# builder type prefix -> platform
PLATFORMS = (
    ("azure-", "azure"),
    ("amazon-", "aws"),
    ("googlecompute", "gcp"),
    ("vsphere-", "vsphere"),
    ("hyperv-", "hyperv"),
)


def platform_of(builder: str) -> str:
    """The platform an image build runs on, from its builder type."""
    for prefix, platform in PLATFORMS:
        if builder.startswith(prefix):
            return platform
    return "other"


def targets(config: PackerConfig, reader: Reader) -> list[Target]:
    """One target per build and source, addressed by ``Build.address``; anchored at the build block (legacy: the
    builder)."""
    out: list[Target] = []
    for build in config.builds:
        for src in build.sources:
            loc = src.settings.loc if build.legacy else build.block.loc
            target = Target(build.address(src), src.type, platform_of(src.type), "image-build", loc)
            with located(loc.file):
                onboarding.scan_provisioners(target, src.provisioners, reader, config.folder)
                _identify_os(target, src)
                _spot(target, src)
                target.image_outputs.extend(_outputs(src))
            out.append(target)
    return out


def _value(target: Target, src: BuildSource, name: str) -> str | None:
    value = src.get(name)
    if isinstance(value, Unknown):
        target.unknowns.append(Undecided("OS image", f"{name}: {'; '.join(value.reasons)}"))
        return None
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value if isinstance(value, str) else None


def _loc_of(src: BuildSource, name: str) -> Evidence:
    body = src.override if src.override is not None and src.override.has(name) else src.settings
    loc = body.loc_of(name)
    return Evidence(loc.file, loc.line, f"{name} = {src.get(name)}")


def _identify_os(target: Target, src: BuildSource) -> None:
    info: osimage.OSInfo | None = None
    evidence: Evidence | None = None
    checked = False
    if src.type.startswith("azure-"):
        pub, offer, sku = (_value(target, src, k) for k in ("image_publisher", "image_offer", "image_sku"))
        if pub and offer and sku:
            checked = True
            info = osimage.from_azure_image(pub, offer, sku)
            evidence = _loc_of(src, "image_sku")
            evidence = Evidence(evidence.file, evidence.line, f"{pub}:{offer}:{sku}")
    elif src.type.startswith("amazon-"):
        flt = src.child("source_ami_filter")
        if flt is not None:
            filters = flt.get("filters")
            owners = flt.get("owners")
            if isinstance(filters, Unknown) or isinstance(owners, Unknown):
                target.unknowns.append(Undecided("OS image", "source_ami_filter is not known"))
            elif isinstance(filters, dict):
                name = filters.get("name")
                arch = filters.get("architecture")
                if isinstance(name, str):
                    checked = True
                    owner_list = [str(o) for o in owners] if isinstance(owners, list) else []
                    info = osimage.from_aws_ami(owner_list, name, arch if isinstance(arch, str) else None)
                    loc = flt.loc_of("filters")
                    evidence = Evidence(loc.file, loc.line, f"source_ami_filter name {name}")
        elif _value(target, src, "source_ami"):
            target.unknowns.append(
                Undecided("OS image", "source_ami is an AMI id, which does not tell its OS; use source_ami_filter")
            )
    elif src.type == "googlecompute":
        family = _value(target, src, "source_image_family") or _value(target, src, "source_image")
        project = _value(target, src, "source_image_project_id")
        if family:
            checked = True
            text = f"{project}/{family}" if project else family
            info = osimage.from_gcp_image(text)
            evidence = Evidence(src.settings.loc.file, src.settings.loc_of("source_image_family").line, text)
    if not checked:
        for name in ("iso_url", "iso_urls", "iso_paths", "template", "iso_checksum_url"):
            value = _value(target, src, name) if src.get(name) is not None else None
            if value:
                checked = True
                info = osimage.from_image_name(value.rsplit("/", 1)[-1])
                evidence = _loc_of(src, name)
                evidence = Evidence(evidence.file, evidence.line, f"{name} {value}")
                break
    if info is None and src.get("guest_os_type") is not None:
        guest = _value(target, src, "guest_os_type")
        if guest:
            checked = True
            info = osimage.from_vsphere_guest_id(guest)
            evidence = _loc_of(src, "guest_os_type")
    if checked and info is None:
        target.unknowns.append(
            Undecided(
                "OS image", f"{evidence.text if evidence else 'the source image'} is not in arclint's OS image catalog"
            )
        )
    target.os, target.os_evidence = info, evidence if info else None
    size = src.get("vm_size") or src.get("instance_type") or src.get("machine_type")
    if isinstance(size, str):
        target.size = size
        arch = osimage.arch_from_size(target.platform, size)
        if arch and (target.os is None or target.os.arch is None):
            base = target.os or osimage.OSInfo(None, None, None, None)
            target.os = osimage.OSInfo(base.family, base.version, base.edition, arch, base.cis, base.evidence)


def _outputs(src: BuildSource) -> list[ImageRef]:
    """The images (or templates) a build source produces, by name."""
    out: list[ImageRef] = []

    def add(kind: str, name: object, where: str) -> None:
        if isinstance(name, str) and name:
            out.append(image_ref(kind, name, _loc_of(src, where)))

    if src.type.startswith("amazon-"):
        add("ami", src.get("ami_name"), "ami_name")
    elif src.type.startswith("azure-"):
        add("azure-image", src.get("managed_image_name"), "managed_image_name")
        gallery = src.child("shared_image_gallery_destination")
        if gallery is not None:
            name = gallery.get("image_name")
            if isinstance(name, str):
                out.append(
                    image_ref(
                        "azure-image",
                        name,
                        Evidence(gallery.loc.file, gallery.loc_of("image_name").line, f"shared image {name}"),
                    )
                )
    elif src.type.startswith("vsphere-"):
        library = src.child("content_library_destination")
        if src.get("convert_to_template") is True or library is not None:
            add("vsphere-template", src.get("vm_name"), "vm_name")
        else:  # the VM itself stays: a master image that clones (Citrix MCS, Horizon) are made from
            add("vsphere-vm", src.get("vm_name"), "vm_name")
        if library is not None and isinstance(library.get("name"), str):
            name = str(library.get("name"))
            out.append(
                image_ref(
                    "vsphere-template",
                    name,
                    Evidence(library.loc.file, library.loc_of("name").line, f"content library item {name}"),
                )
            )
    elif src.type == "googlecompute":
        add("gcp-image", src.get("image_name"), "image_name")
        add("gcp-image", src.get("image_family"), "image_family")
    return out


def _spot(target: Target, src: BuildSource) -> None:
    if src.child("spot") is not None or src.get("spot_price") not in (None, "", "0"):
        target.lifecycle["spot"] = Evidence(target.loc.file, target.loc.line, "spot capacity")
