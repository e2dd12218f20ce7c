"""The names policies may use: facts (``Target.facts()``), platforms and roles, each with what it means.

One registry: the policy schema's enums, ``docs/policies.md``'s fact table and ``arclint facts`` are made from it,
and a test holds ``Target.facts()`` to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """A fact a ``when`` condition can read: its name, its type (``or None``: may be unknown), meaning."""

    name: str
    type: str
    meaning: str


FACTS: tuple[Fact, ...] = (
    Fact("address", "string", "the target's address: `aws_instance.web`, `module.m.azurerm_linux_virtual_machine.vm`"),
    Fact("type", "string", "the resource type (`aws_instance`) or Packer builder type (`azure-arm`)"),
    Fact("platform", "string", "where the machine runs: one of the platforms"),
    Fact("role", "string", "what the target is: one of the roles"),
    Fact("onboarding.agent", "string", "`connected` (its scripts connect the agent), `installed` or `none`"),
    Fact("onboarding.connects", "boolean", "its scripts connect the agent (`azcmagent connect`, onboarding script)"),
    Fact("onboarding.resource-group", "string or None", "the resource group the first connect names (`-g`/"
         "`--resource-group`, `-ResourceGroupName`); None when not given or not a literal"),
    Fact("onboarding.evaluation.started", "boolean", "some evaluation-on-Azure steps are present"),
    Fact("onboarding.evaluation.complete", "boolean", "all evaluation-on-Azure steps are present"),
    Fact("onboarding.fixed-name", "boolean", "several machines connect with one literal `--resource-name`"),
    Fact("onboarding.secret", "string or None", "how the connect gets its secret, worst first: `literal`, "
         "`variable`, `placeholder`; None when no secret is given"),
    Fact("lifecycle", "list of strings", "short-lived kinds it is: `group`, `spot`, `pooled-vdi`"),
    Fact("lifecycle.group", "boolean", "a scale set, autoscaling group, managed instance group or their template"),
    Fact("lifecycle.spot", "boolean", "runs on spot or preemptible capacity"),
    Fact("lifecycle.pooled-vdi", "boolean", "a session host of a pooled Azure Virtual Desktop host pool"),
    Fact("os.family", "string or None", "the OS family from its image (`ubuntu`, `windows-server`, ...)"),
    Fact("os.version", "string or None", "the OS version from its image (`22.04`, `2022`)"),
    Fact("os.edition", "string or None", "the OS edition, e.g. `client` for Windows 10/11"),
    Fact("os.arch", "string or None", "the architecture from its image or size (`x86-64`, `arm64`, `32-bit`)"),
    Fact("os.cis", "boolean or None", "the image is a CIS Benchmark hardened image"),
    Fact("os.systemd", "boolean or None", "False for a Linux release known to run without systemd, True for "
         "another Linux release"),
    Fact("size", "string or None", "the machine size as written (`Standard_B1s`, `t3.micro`, `e2-medium`)"),
    Fact("size.vcpus", "integer or None", "the vCPUs of a well-known size (`arclint.model.sizes`); None for a "
         "size arclint does not know: never guessed"),
    Fact("hardening.cis", "boolean", "a CIS Benchmark hardening step runs in its scripts or build"),
    Fact("prereqs.removed", "list of strings", "Linux prerequisite packages its scripts remove"),
    Fact("image.built", "boolean", "it is created from an image built in the scanned configuration"),
    Fact("extensions", "list of strings", "what Azure applies to it as an Arc machine (extension labels)"),
    Fact("extensions.machine-configuration", "boolean", "machine configuration (guest configuration) applies to it"),
    Fact("identity", "string or None", "the service principal it connects with (its address)"),
    Fact("identity.roles", "list of strings", "role names granted to that identity"),
    Fact("providers.mode", "string or None", "role `configuration`: the azurerm provider's registration mode"),
    Fact("providers.missing", "list of strings", "role `configuration`: Arc resource providers nothing registers"),
    Fact("unknowns", "integer", "how many of its facts could not be decided"),
    Fact("windows.service-logon.himds", "boolean or None", "the agent's himds service may log on as a service; "
         "None when no script sets the right"),
)  # fmt: skip

FACT_NAMES = tuple(f.name for f in FACTS)

PLATFORMS: dict[str, str] = {
    "azure": "an Azure VM, scale set or image",
    "azure-arc": "an Arc machine known only from what is applied to it (an extension)",
    "azure-local": "an Azure Local (Azure Stack HCI) VM",
    "azure-stack-hub": "an Azure Stack Hub VM or scale set",
    "azure-stack-edge": "an Azure Stack Edge VM (rules name it; no resource type arclint reads maps to it yet)",
    "aws": "an AWS instance, launch template, autoscaling group or AMI",
    "gcp": "a GCP instance, instance template or managed instance group",
    "vsphere": "a vSphere VM or template",
    "hyperv": "a Hyper-V image build",
    "other": "another platform (a Packer builder or Citrix catalog arclint does not name)",
    "unknown": "not known (a module arclint could not read)",
}

ROLES: dict[str, str] = {
    "machine": "one machine",
    "scale-set": "a group that creates machines (scale set, autoscaling group, managed instance group)",
    "template": "what a group launches from (launch template, instance template, machine catalog)",
    "image-build": "a Packer build or Azure Image Builder template",
    "image": "an image captured from a machine",
    "module": "a module call arclint could not read",
    "configuration": "a configuration's azurerm provider block",
}
