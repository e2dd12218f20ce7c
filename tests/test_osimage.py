"""Tests for OS identification from image references (policies/catalogs/os-images.yaml)."""
# ruff: noqa: E501  (the parametrized tables keep one case per line)

from __future__ import annotations

import json

import pytest
import yaml
from arclint.core.shipped import policy_root
from arclint.model import osimage
from arclint.model.osimage import OSInfo

UNVERIFIED = "(unverified catalog entry)"


def _fields(info: OSInfo | None) -> tuple[object, ...] | None:
    if info is None:
        return None
    return (info.family, info.version, info.edition, info.arch, info.cis)


# --------------------------------------------------------------------------------------------------
# The catalog file itself


def test_catalog_matches_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((policy_root() / "schema" / "os-images.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load((policy_root() / "catalogs" / "os-images.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(data)] == []


def test_every_catalog_family_has_a_display_name() -> None:
    cat = osimage._catalog()
    families = {e.family for s in cat.sections.values() for e in s.entries if e.family}
    assert families <= set(cat.families)


# --------------------------------------------------------------------------------------------------
# Azure Marketplace (domain.md § 6.1)

# fmt: off
AZURE = [
    # publisher, offer, sku -> family, version, edition, arch, cis
    ("Canonical", "UbuntuServer", "16.04-LTS", ("ubuntu", "16.04", None, "x86-64", False)),
    ("Canonical", "UbuntuServer", "18.04-LTS", ("ubuntu", "18.04", None, "x86-64", False)),
    ("Canonical", "UbuntuServer", "18_04-lts-gen2", ("ubuntu", "18.04", None, "x86-64", False)),
    ("Canonical", "UbuntuServer", "18_04-lts-arm64", ("ubuntu", "18.04", None, "arm64", False)),
    ("Canonical", "0001-com-ubuntu-server-focal", "20_04-lts-gen2", ("ubuntu", "20.04", None, "x86-64", False)),
    ("Canonical", "0001-com-ubuntu-server-focal", "20_04-lts-arm64", ("ubuntu", "20.04", None, "arm64", False)),
    ("Canonical", "0001-com-ubuntu-pro-focal", "pro-20_04-lts-gen2", ("ubuntu", "20.04", None, "x86-64", False)),
    ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", ("ubuntu", "22.04", None, "x86-64", False)),
    ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-arm64", ("ubuntu", "22.04", None, "arm64", False)),
    ("Canonical", "ubuntu-24_04-lts", "server", ("ubuntu", "24.04", None, "x86-64", False)),
    ("Canonical", "ubuntu-24_04-lts", "server-gen1", ("ubuntu", "24.04", None, "x86-64", False)),
    ("Canonical", "ubuntu-24_04-lts", "server-arm64", ("ubuntu", "24.04", None, "arm64", False)),
    ("RedHat", "RHEL", "7-LVM", ("rhel", "7", None, "x86-64", False)),
    ("RedHat", "RHEL", "7-RAW-CI", ("rhel", "7", None, "x86-64", False)),
    ("RedHat", "RHEL", "7_9", ("rhel", "7.9", None, "x86-64", False)),
    ("RedHat", "RHEL", "79-gen2", ("rhel", "7.9", None, "x86-64", False)),
    ("RedHat", "rhel-byos", "rhel-lvm7x", ("rhel", "7", None, "x86-64", False)),
    ("RedHat", "RHEL", "8-lvm-gen2", ("rhel", "8", None, "x86-64", False)),
    ("RedHat", "rhel-raw", "8-raw-gen2", ("rhel", "8", None, "x86-64", False)),
    ("RedHat", "RHEL-SAP-HA", "86sapha-gen2", ("rhel", "8.6", None, "x86-64", False)),
    ("RedHat", "rhel-arm64", "8_6-arm64", ("rhel", "8.6", None, "arm64", False)),
    ("RedHat", "RHEL", "9-lvm-gen2", ("rhel", "9", None, "x86-64", False)),
    ("RedHat", "RHEL", "9_4", ("rhel", "9.4", None, "x86-64", False)),
    ("RedHat", "rhel-arm64", "9_4-arm64", ("rhel", "9.4", None, "arm64", False)),
    ("RedHat", "RHEL", "10-lvm-gen2", ("rhel", "10", None, "x86-64", False)),
    ("OpenLogic", "CentOS", "7_9-gen2", ("centos", "7.9", None, "x86-64", False)),
    ("OpenLogic", "CentOS", "7_9-arm64", ("centos", "7.9", None, "arm64", False)),
    ("OpenLogic", "CentOS", "8_5-gen2", ("centos", "8.5", None, "x86-64", False)),
    ("OpenLogic", "CentOS-LVM", "7-lvm", ("centos", "7", None, "x86-64", False)),
    ("Debian", "debian-10", "10-backports-gen2", ("debian", "10", None, "x86-64", False)),
    ("Debian", "debian-11", "11-gen2", ("debian", "11", None, "x86-64", False)),
    ("Debian", "debian-12", "12-arm64", ("debian", "12", None, "arm64", False)),
    ("credativ", "Debian", "9", ("debian", "9", None, "x86-64", False)),
    ("SUSE", "sles-12-sp5", "gen2", ("sles", "12 SP5", None, "x86-64", False)),
    ("SUSE", "sles-15-sp3", "gen2", ("sles", "15 SP3", None, "x86-64", False)),
    ("SUSE", "sles-15-sp6-byos", "gen2", ("sles", "15 SP6", None, "x86-64", False)),
    ("SUSE", "sles-sap-15-sp5", "gen2", ("sles", "15 SP5", None, "x86-64", False)),
    ("SUSE", "sles-15-sp4-arm64", "gen2", ("sles", "15 SP4", None, "arm64", False)),
    ("almalinux", "almalinux-x86_64", "9-gen2", ("almalinux", "9", None, "x86-64", False)),
    ("almalinux", "almalinux-x86_64", "10-gen2", ("almalinux", "10", None, "x86-64", False)),
    ("almalinux", "almalinux-arm", "9-gen2", ("almalinux", "9", None, "arm64", False)),
    ("resf", "rockylinux-x86_64", "9-lvm", ("rocky", "9", None, "x86-64", False)),
    ("erockyenterprisesoftwarefoundationinc1653071250513", "rockylinux-9", "rockylinux-9", ("rocky", "9", None, "x86-64", False)),
    ("erockyenterprisesoftwarefoundationinc1653071250513", "rockylinux", "free", ("rocky", None, None, "x86-64", False)),
    ("Oracle", "Oracle-Linux", "ol7x", ("oracle-linux", "7", None, "x86-64", False)),
    ("Oracle", "Oracle-Linux", "81-gen2", ("oracle-linux", "8.1", None, "x86-64", False)),
    ("Oracle", "Oracle-Linux", "ol8x-lvm-gen2", ("oracle-linux", "8", None, "x86-64", False)),
    ("Oracle", "Oracle-Linux", "ol95-lvm-gen2", ("oracle-linux", "9.5", None, "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2008-R2-SP1", ("windows-server", "2008 R2 SP1", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2012-Datacenter", ("windows-server", "2012", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter", ("windows-server", "2012 R2", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter-Server-Core", ("windows-server", "2016", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter-gensecond", ("windows-server", "2019", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2", ("windows-server", "2022", "server", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition-hotpatch", ("windows-server", "2022", "azure-edition", "x86-64", False)),
    ("MicrosoftWindowsServer", "WindowsServer", "2025-datacenter-azure-edition-core", ("windows-server", "2025", "azure-edition", "x86-64", False)),
    ("MicrosoftWindowsDesktop", "Windows-10", "win10-22h2-avd", ("windows-client", "10", "client", "x86-64", False)),
    ("MicrosoftWindowsDesktop", "windows-11", "win11-23h2-pro", ("windows-client", "11", "client", "x86-64", False)),
    ("MicrosoftWindowsDesktop", "office-365", "win11-23h2-avd-m365", ("windows-client", "11", "client", "x86-64", False)),
    ("MicrosoftCBLMariner", "cbl-mariner", "cbl-mariner-1", ("azure-linux", "1.0", None, "x86-64", False)),
    ("MicrosoftCBLMariner", "cbl-mariner", "1-gen2", ("azure-linux", "1.0", None, "x86-64", False)),
    ("MicrosoftCBLMariner", "cbl-mariner", "cbl-mariner-2-arm64", ("azure-linux", "2.0", None, "arm64", False)),
    ("MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-gen2", ("azure-linux", "3.0", None, "x86-64", False)),
    ("microsoftazurelinux", "azurelinux-4", "4-arm64", ("azure-linux", "4.0", None, "arm64", False)),
    ("center-for-internet-security-inc", "cis-ubuntu-linux-2204-l1", "cis-ubuntu-linux-2204-l1-gen2", ("ubuntu", "22.04", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-ubuntu-linux-1804-l1", "cis-ubuntu1804-l1", ("ubuntu", "18.04", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-ubuntu", "cis-ubuntulinux2004-l1-gen1", ("ubuntu", "20.04", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-rhel-8-l1", "cis-rhel8-l1", ("rhel", "8", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-rhel", "cis-redhat9-l2-gen2", ("rhel", "9", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-oracle-linux-8-l1", "cis-oracle8-l1", ("oracle-linux", "8", None, "x86-64", True)),
    ("center-for-internet-security-inc", "cis-windows-server-2012-r2-v2-2-1-l2", "cis-ws2012-r2-l2", ("windows-server", "2012 R2", "server", "x86-64", True)),
    ("center-for-internet-security-inc", "cis-windows-server-2016-v1-0-0-l1", "cis-ws2016-l1", ("windows-server", "2016", "server", "x86-64", True)),
    ("center-for-internet-security-inc", "cis-windows-server", "cis-windows-server2022-l1-gen2", ("windows-server", "2022", "server", "x86-64", True)),
    ("center-for-internet-security-inc", "cis-win-2019-stig", "cis-win-2019-stig", ("windows-server", "2019", "server", "x86-64", True)),
    ("center-for-internet-security-inc", "cis-amazon-linux-2-l1", "cis-amazon-linux-2-l1", (None, None, None, "x86-64", True)),
]
# fmt: on


@pytest.mark.parametrize(("publisher", "offer", "sku", "expected"), AZURE)
def test_from_azure_image(publisher: str, offer: str, sku: str, expected: tuple[object, ...]) -> None:
    info = osimage.from_azure_image(publisher, offer, sku)
    assert _fields(info) == expected
    assert info is not None
    assert info.evidence == f"Azure image {publisher}:{offer}:{sku}"


@pytest.mark.parametrize(
    ("publisher", "offer", "sku"),
    [
        ("SomePublisher", "someoffer", "1.0"),
        (None, None, None),
        ("Canonical", "UbuntuServer", None),
    ],
)
def test_from_azure_image_unknown(publisher: str | None, offer: str | None, sku: str | None) -> None:
    assert osimage.from_azure_image(publisher, offer, sku) is None


# --------------------------------------------------------------------------------------------------
# AWS AMIs (domain.md § 6.2)

# fmt: off
AWS = [
    # owners, name filter, architecture -> family, version, edition, arch, cis
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*", None, ("ubuntu", "16.04", None, "x86-64", False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-arm64-server-*", None, ("ubuntu", "18.04", None, "arm64", False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*", None, ("ubuntu", "20.04", None, "x86-64", False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*", None, ("ubuntu", "22.04", None, "arm64", False)),
    (["099720109477"], "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-server-*", None, ("ubuntu", "24.04", None, None, False)),
    (["099720109477"], "ubuntu/images/hvm-ssd-gp3/ubuntu-resolute-26.04-*", None, ("ubuntu", "26.04", None, None, False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-*-22.04-amd64-server-*", None, ("ubuntu", "22.04", None, "x86-64", False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-jammy-*", None, ("ubuntu", "22.04", None, None, False)),
    (["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-*-amd64-server-*", None, ("ubuntu", None, None, "x86-64", False)),
    (["amazon"], "amzn2-ami-hvm-*-x86_64-gp2", None, ("amazon-linux", "2", None, "x86-64", False)),
    (["137112412989"], "amzn2-ami-hvm-*-arm64-gp2", None, ("amazon-linux", "2", None, "arm64", False)),
    (["amazon"], "al2023-ami-2023.*-kernel-6.1-x86_64", None, ("amazon-linux", "2023", None, "x86-64", False)),
    (["137112412989"], "al2023-ami-2023.*-kernel-6.1-arm64", None, ("amazon-linux", "2023", None, "arm64", False)),
    (["591542846629"], "amzn2-ami-ecs-hvm-2.0*", None, ("amazon-linux", "2", None, None, False)),
    (["591542846629"], "al2023-ami-ecs-hvm*", None, ("amazon-linux", "2023", None, None, False)),
    (["amazon"], "amzn2-ami-hvm-*-gp2", "arm64", ("amazon-linux", "2", None, "arm64", False)),
    (["amazon"], "amzn2-ami-hvm-*-x86_64-gp2", "arm64", ("amazon-linux", "2", None, "arm64", False)),
    (["309956199498"], "RHEL-8.10*HVM_GA-20*", None, ("rhel", "8.10", None, None, False)),
    (["309956199498"], "RHEL-9.x*_HVM-*-arm64-*", None, ("rhel", "9", None, "arm64", False)),
    (["309956199498"], "RHEL-9.*_HVM-*-x86_64-*", None, ("rhel", "9", None, "x86-64", False)),
    (["309956199498"], "RHEL-10.1*HVM_GA-20*", None, ("rhel", "10.1", None, None, False)),
    (["013907871322"], "suse-sles-15-sp7-v*-hvm-*", None, ("sles", "15 SP7", None, None, False)),
    (["013907871322"], "suse-sles-12-sp5-v*-hvm-ssd-x86_64", None, ("sles", "12 SP5", None, "x86-64", False)),
    (["013907871322"], "suse-sles-16-0-v*-hvm-ssd-*", None, ("sles", "16", None, None, False)),
    (["136693071363"], "debian-10-amd64-*", None, ("debian", "10", None, "x86-64", False)),
    (["136693071363"], "debian-12-arm64-*", None, ("debian", "12", None, "arm64", False)),
    (["792107900819"], "Rocky-9-EC2-Base-*.aarch64", None, ("rocky", "9", None, "arm64", False)),
    (["792107900819"], "Rocky-8-EC2-Base-*.x86_64", None, ("rocky", "8", None, "x86-64", False)),
    (["aws-marketplace"], "Rocky-8-EC2-8.*", None, ("rocky", "8", None, None, False)),
    (["764336703387"], "AlmaLinux OS 9*", "arm64", ("almalinux", "9", None, "arm64", False)),
    (["764336703387"], "AlmaLinux OS 10*", "x86_64", ("almalinux", "10", None, "x86-64", False)),
    (["131827586825"], "OL7.9-x86_64-HVM-*", None, ("oracle-linux", "7.9", None, "x86-64", False)),
    (["131827586825"], "OL8.*-x86_64-HVM-*", None, ("oracle-linux", "8", None, "x86-64", False)),
    (["131827586825"], "OL9*-x86_64*", None, ("oracle-linux", "9", None, "x86-64", False)),
    (["125523088429"], "CentOS Linux 7*", None, ("centos", "7", None, None, False)),
    (["125523088429"], "CentOS-7*", "x86_64", ("centos", "7", None, "x86-64", False)),
    (["801119661308"], "Windows_Server-2016-English-Full-Base-*", None, ("windows-server", "2016", "server", "x86-64", False)),
    (["amazon"], "Windows_Server-2019-English-Full-Base-*", None, ("windows-server", "2019", "server", "x86-64", False)),
    (["amazon"], "Windows_Server-2025-English-Full-Base-*", None, ("windows-server", "2025", "server", "x86-64", False)),
    (["amazon"], "Windows_Server-2012-R2_RTM-English-64Bit-Base-*", None, ("windows-server", "2012 R2", "server", "x86-64", False)),
    (["amazon"], "Windows_Server-2008-R2_SP1-English-64Bit-Base-*", None, ("windows-server", "2008 R2 SP1", "server", "x86-64", False)),
    (["amazon"], "Windows_Server-2022-English-Full-SQL_2022_*", None, ("windows-server", "2022", "server", "x86-64", False)),
    (["679593333241"], "CIS Amazon Linux 2 Benchmark v2* - Level 2*", None, ("amazon-linux", "2", None, None, True)),
    (["aws-marketplace"], "CIS Amazon Linux 2023 Benchmark*", None, ("amazon-linux", "2023", None, None, True)),
    (["679593333241"], "CIS Ubuntu Linux 20.04 LTS Benchmark*", None, ("ubuntu", "20.04", None, None, True)),
    (["679593333241"], "CIS Microsoft Windows Server 2019 Benchmark*", None, ("windows-server", "2019", "server", "x86-64", True)),
    (["679593333241"], "CIS Debian Linux 12 Benchmark*", None, (None, None, None, None, True)),
    # no owners, self, or an unknown account: catalog names, then generic image names
    ([], "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*", None, ("ubuntu", "20.04", None, "x86-64", False)),
    (["self"], "my-golden-ubuntu-22.04-*", None, ("ubuntu", "22.04", None, None, False)),
    (["self"], "golden-rhel-9.4-*", "x86_64", ("rhel", "9.4", None, "x86-64", False)),
    (["123456789012"], "app-image-*", "i386", (None, None, None, "32-bit", False)),
    (["123456789012"], None, "arm64", (None, None, None, "arm64", False)),
]
# fmt: on


@pytest.mark.parametrize(("owners", "name", "architecture", "expected"), AWS)
def test_from_aws_ami(
    owners: list[str],
    name: str | None,
    architecture: str | None,
    expected: tuple[object, ...],
) -> None:
    assert _fields(osimage.from_aws_ami(owners, name, architecture)) == expected


@pytest.mark.parametrize(
    ("owners", "name", "architecture"),
    [(["self"], "app-image-*", None), (["099720109477"], None, None), ([], "", None)],
)
def test_from_aws_ami_unknown(owners: list[str], name: str | None, architecture: str | None) -> None:
    assert osimage.from_aws_ami(owners, name, architecture) is None


def test_aws_evidence_names_the_filter() -> None:
    name = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"
    info = osimage.from_aws_ami(["099720109477"], name)
    assert info is not None
    assert info.evidence.startswith(f"AMI name filter {name}")
    assert "099720109477" in info.evidence


def test_aws_unverified_entry_is_marked() -> None:
    info = osimage.from_aws_ami(["125523088429"], "CentOS Linux 7*")
    assert info is not None
    assert info.evidence.endswith(UNVERIFIED)


# --------------------------------------------------------------------------------------------------
# GCP (domain.md § 6.3)

# fmt: off
GCP = [
    ("debian-cloud/debian-10", ("debian", "10", None, "x86-64", False)),
    ("debian-cloud/debian-11", ("debian", "11", None, "x86-64", False)),
    ("debian-cloud/debian-12-arm64", ("debian", "12", None, "arm64", False)),
    ("projects/ubuntu-os-cloud/global/images/family/ubuntu-1604-lts", ("ubuntu", "16.04", None, "x86-64", False)),
    ("ubuntu-os-cloud/ubuntu-1804-lts", ("ubuntu", "18.04", None, "x86-64", False)),
    ("ubuntu-os-cloud/ubuntu-2004-lts-arm64", ("ubuntu", "20.04", None, "arm64", False)),
    ("ubuntu-os-cloud/ubuntu-2204-lts", ("ubuntu", "22.04", None, "x86-64", False)),
    ("ubuntu-os-cloud/ubuntu-2404-lts-amd64", ("ubuntu", "24.04", None, "x86-64", False)),
    ("ubuntu-os-pro-cloud/ubuntu-pro-1804-lts", ("ubuntu", "18.04", None, "x86-64", False)),
    ("ubuntu-1604-xenial-v20210429", ("ubuntu", "16.04", None, "x86-64", False)),
    ("rhel-cloud/rhel-7", ("rhel", "7", None, "x86-64", False)),
    ("rhel-cloud/rhel-9-arm64", ("rhel", "9", None, "arm64", False)),
    ("projects/rhel-sap-cloud/global/images/family/rhel-8-6-sap-ha", ("rhel", "8", None, "x86-64", False)),
    ("centos-cloud/centos-7", ("centos", "7", None, "x86-64", False)),
    ("centos-cloud/centos-stream-9", ("centos", "Stream 9", None, "x86-64", False)),
    ("rocky-linux-cloud/rocky-linux-8-optimized-gcp", ("rocky", "8", None, "x86-64", False)),
    ("rocky-linux-cloud/rocky-linux-9-arm64", ("rocky", "9", None, "arm64", False)),
    ("almalinux-cloud/almalinux-9", ("almalinux", "9", None, "x86-64", False)),
    ("suse-cloud/sles-12", ("sles", "12", None, "x86-64", False)),
    ("suse-cloud/sles-15-arm64", ("sles", "15", None, "arm64", False)),
    ("suse-sap-cloud/sles-15-sp5-sap", ("sles", "15 SP5", None, "x86-64", False)),
    ("windows-cloud/windows-2012-r2", ("windows-server", "2012 R2", "server", "x86-64", False)),
    ("windows-cloud/windows-2016", ("windows-server", "2016", "server", "x86-64", False)),
    ("windows-cloud/windows-2019", ("windows-server", "2019", "server", "x86-64", False)),
    ("windows-cloud/windows-2022-core", ("windows-server", "2022", "server", "x86-64", False)),
    ("windows-cloud/windows-2025", ("windows-server", "2025", "server", "x86-64", False)),
    (
        "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/images/windows-server-2019-dc-v20240111",
        ("windows-server", "2019", "server", "x86-64", False),
    ),
    ("my-project/golden-ubuntu-2204", ("ubuntu", "22.04", None, None, False)),
]
# fmt: on


@pytest.mark.parametrize(("image", "expected"), GCP)
def test_from_gcp_image(image: str, expected: tuple[object, ...]) -> None:
    assert _fields(osimage.from_gcp_image(image)) == expected


@pytest.mark.parametrize("image", ["my-project/app-image", "", "cos-cloud/cos-stable"])
def test_from_gcp_image_unknown(image: str) -> None:
    assert osimage.from_gcp_image(image) is None


def test_gcp_unverified_entry_is_marked() -> None:
    info = osimage.from_gcp_image("almalinux-cloud/almalinux-8")
    assert info is not None
    assert info.evidence == f"GCP image almalinux-cloud/almalinux-8 {UNVERIFIED}"


# --------------------------------------------------------------------------------------------------
# vSphere guest ids (domain.md § 6.4)

# fmt: off
VSPHERE = [
    ("ubuntu64Guest", ("ubuntu", None, None, "x86-64", False)),
    ("ubuntuGuest", ("ubuntu", None, None, "32-bit", False)),
    ("rhel7_64Guest", ("rhel", "7", None, "x86-64", False)),
    ("rhel8_64Guest", ("rhel", "8", None, "x86-64", False)),
    ("rhel9_64Guest", ("rhel", "9", None, "x86-64", False)),
    ("rhel10_64Guest", ("rhel", "10", None, "x86-64", False)),
    ("rhel7Guest", ("rhel", "7", None, "32-bit", False)),
    ("centos7_64Guest", ("centos", "7", None, "x86-64", False)),
    ("centos8_64Guest", ("centos", "8", None, "x86-64", False)),
    ("centos9_64Guest", ("centos", "9", None, "x86-64", False)),
    ("centos7Guest", ("centos", "7", None, "32-bit", False)),
    ("oracleLinux7_64Guest", ("oracle-linux", "7", None, "x86-64", False)),
    ("oracleLinux8_64Guest", ("oracle-linux", "8", None, "x86-64", False)),
    ("oracleLinux9_64Guest", ("oracle-linux", "9", None, "x86-64", False)),
    ("oracleLinux10_64Guest", ("oracle-linux", "10", None, "x86-64", False)),
    ("debian10_64Guest", ("debian", "10", None, "x86-64", False)),
    ("debian11_64Guest", ("debian", "11", None, "x86-64", False)),
    ("debian12_64Guest", ("debian", "12", None, "x86-64", False)),
    ("debian13_64Guest", ("debian", "13", None, "x86-64", False)),
    ("debian12Guest", ("debian", "12", None, "32-bit", False)),
    ("sles12_64Guest", ("sles", "12", None, "x86-64", False)),
    ("sles15_64Guest", ("sles", "15", None, "x86-64", False)),
    ("sles16_64Guest", ("sles", "16", None, "x86-64", False)),
    ("rockylinux_64Guest", ("rocky", None, None, "x86-64", False)),
    ("almalinux_64Guest", ("almalinux", None, None, "x86-64", False)),
    ("amazonlinux2_64Guest", ("amazon-linux", "2", None, "x86-64", False)),
    ("amazonlinux3_64Guest", ("amazon-linux", "2023", None, "x86-64", False)),
    ("winLonghornGuest", ("windows-server", "2008", "server", "32-bit", False)),
    ("windows7Server64Guest", ("windows-server", "2008 R2", "server", "x86-64", False)),
    ("windows8Server64Guest", ("windows-server", "2012", "server", "x86-64", False)),
    ("windows9Server64Guest", ("windows-server", "2016", "server", "x86-64", False)),
    ("windows2019srv_64Guest", ("windows-server", "2019", "server", "x86-64", False)),
    ("windows2019srvNext_64Guest", ("windows-server", "2022", "server", "x86-64", False)),
    ("windows2022srvNext_64Guest", ("windows-server", "2025", "server", "x86-64", False)),
    ("windows9_64Guest", ("windows-client", "10", "client", "x86-64", False)),
    ("windows11_64Guest", ("windows-client", "11", "client", "x86-64", False)),
    ("windows9Guest", ("windows-client", "10", "client", "32-bit", False)),
    ("windows7Guest", ("windows-client", "7", "client", "32-bit", False)),
    ("other4xLinux64Guest", ("other-linux", None, None, "x86-64", False)),
    ("other5xLinux64Guest", ("other-linux", None, None, "x86-64", False)),
    ("other6xLinux64Guest", ("other-linux", None, None, "x86-64", False)),
    ("otherLinux64Guest", ("other-linux", None, None, "x86-64", False)),
    ("otherLinuxGuest", ("other-linux", None, None, "32-bit", False)),
]
# fmt: on


@pytest.mark.parametrize(("guest_id", "expected"), VSPHERE)
def test_from_vsphere_guest_id(guest_id: str, expected: tuple[object, ...]) -> None:
    info = osimage.from_vsphere_guest_id(guest_id)
    assert _fields(info) == expected
    assert info is not None
    assert info.evidence.startswith(f"vSphere guest_id {guest_id}")


@pytest.mark.parametrize("guest_id", ["freebsd13_64Guest", "darwin64Guest", ""])
def test_from_vsphere_guest_id_unknown(guest_id: str) -> None:
    assert osimage.from_vsphere_guest_id(guest_id) is None


# --------------------------------------------------------------------------------------------------
# ISO, template and image names (domain.md § 6.5)

# fmt: off
NAMES = [
    ("ubuntu-20.04.6-live-server-amd64.iso", ("ubuntu", "20.04", None, "x86-64", False)),
    ("ubuntu-22.04.4-live-server-amd64.iso", ("ubuntu", "22.04", None, "x86-64", False)),
    ("ubuntu-24.04-live-server-amd64.iso", ("ubuntu", "24.04", None, "x86-64", False)),
    ("ubuntu-24.04-live-server-arm64.iso", ("ubuntu", "24.04", None, "arm64", False)),
    ("ubuntu-16.04.7-server-i386.iso", ("ubuntu", "16.04", None, "32-bit", False)),
    ("https://releases.ubuntu.com/16.04/ubuntu-16.04.7-server-i386.iso", ("ubuntu", "16.04", None, "32-bit", False)),
    ("rhel-server-7.9-x86_64-dvd.iso", ("rhel", "7.9", None, "x86-64", False)),
    ("rhel-8.9-x86_64-dvd.iso", ("rhel", "8.9", None, "x86-64", False)),
    ("rhel-9.4-x86_64-dvd.iso", ("rhel", "9.4", None, "x86-64", False)),
    ("rhel-9.4-aarch64-dvd.iso", ("rhel", "9.4", None, "arm64", False)),
    ("CentOS-7-x86_64-DVD-2009.iso", ("centos", "7", None, "x86-64", False)),
    ("CentOS-Stream-9-latest-x86_64-dvd1.iso", ("centos", "Stream 9", None, "x86-64", False)),
    ("debian-11.9.0-amd64-netinst.iso", ("debian", "11", None, "x86-64", False)),
    ("debian-12.5.0-amd64-netinst.iso", ("debian", "12", None, "x86-64", False)),
    ("debian-12.5.0-arm64-netinst.iso", ("debian", "12", None, "arm64", False)),
    ("debian-12.5.0-i386-netinst.iso", ("debian", "12", None, "32-bit", False)),
    ("AlmaLinux-8.9-x86_64-dvd.iso", ("almalinux", "8.9", None, "x86-64", False)),
    ("AlmaLinux-9.4-x86_64-dvd.iso", ("almalinux", "9.4", None, "x86-64", False)),
    ("AlmaLinux-9.4-aarch64-dvd.iso", ("almalinux", "9.4", None, "arm64", False)),
    ("Rocky-8.9-x86_64-dvd1.iso", ("rocky", "8.9", None, "x86-64", False)),
    ("Rocky-9.4-x86_64-dvd.iso", ("rocky", "9.4", None, "x86-64", False)),
    ("OracleLinux-R8-U9-x86_64-dvd.iso", ("oracle-linux", "8.9", None, "x86-64", False)),
    ("OracleLinux-R9-U4-x86_64-dvd.iso", ("oracle-linux", "9.4", None, "x86-64", False)),
    ("SLE-15-SP5-Full-x86_64-GM-Media1.iso", ("sles", "15 SP5", None, "x86-64", False)),
    ("17763.737.190906-2324.rs5_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso", ("windows-server", "2019", "server", "x86-64", False)),
    ("20348.169.210806-2348.fe_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso", ("windows-server", "2022", "server", "x86-64", False)),
    ("26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso", ("windows-server", "2025", "server", "x86-64", False)),
    ("SERVER_EVAL_x64FRE_en-us.iso", ("windows-server", None, "server", "x86-64", False)),
    ("9600.17050.WINBLUE_REFRESH.140317-1640_X64FRE_SERVER_EVAL_EN-US-IR3_SSS_X64FREE_EN-US_DV9.ISO", ("windows-server", "2012 R2", "server", "x86-64", False)),
    ("19045.2006.220908-0225.22h2_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso", ("windows-client", "10", "client", "x86-64", False)),
    ("19041.1.191206-1406.vb_release_CLIENTENTERPRISEEVAL_OEMRET_x86FRE_en-us.iso", ("windows-client", "10", "client", "32-bit", False)),
    ("22631.2428.231001-0608.23H2_NI_RELEASE_SVC_REFRESH_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso", ("windows-client", "11", "client", "x86-64", False)),
    ("26100.1.240331-1435.ge_release_CLIENT_ENTERPRISES_OEM_A64FRE_en-us.iso", ("windows-client", "11", "client", "arm64", False)),
    ("en-us_windows_server_2022_x64_dvd_620d7eac.iso", ("windows-server", "2022", "server", "x86-64", False)),
    ("en-us_windows_10_iot_enterprise_ltsc_2021_x64_dvd_257ad90f.iso", ("windows-iot-ltsc", "10", "client", "x86-64", False)),
    ("Win11_23H2_English_x64.iso", ("windows-client", "11", "client", "x86-64", False)),
    ("tpl-ubuntu-22.04", ("ubuntu", "22.04", None, None, False)),
    ("windows-server-2019-template", ("windows-server", "2019", "server", None, False)),
    ("win2012r2-golden", ("windows-server", "2012 R2", "server", None, False)),
    ("packer-centos8", ("centos", "8", None, None, False)),
    ("azurelinux-3-x86_64", ("azure-linux", "3.0", None, "x86-64", False)),
    ("al2023-golden", ("amazon-linux", "2023", None, None, False)),
    ("tpl-ol9", ("oracle-linux", "9", None, None, False)),
]
# fmt: on


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_from_image_name(name: str, expected: tuple[object, ...]) -> None:
    info = osimage.from_image_name(name)
    assert _fields(info) == expected
    assert info is not None
    assert info.evidence == f"image name {name}"


@pytest.mark.parametrize("name", ["app-server", "golden-image-v3", "", "darwin10-build", "tool8"])
def test_from_image_name_unknown(name: str) -> None:
    assert osimage.from_image_name(name) is None


# --------------------------------------------------------------------------------------------------
# Instance sizes (domain.md § 6.6)

# fmt: off
SIZES = [
    ("azure", "Standard_D2ps_v5", "arm64"),
    ("azure", "Standard_D4pds_v5", "arm64"),
    ("azure", "Standard_D8pls_v5", "arm64"),
    ("azure", "Standard_E4ps_v5", "arm64"),
    ("azure", "Standard_D2ps_v6", "arm64"),
    ("azure", "Standard_D2pls_v6", "arm64"),
    ("azure", "Standard_B2pls_v2", "arm64"),
    ("azure", "Standard_B2pts_v2", "arm64"),
    ("azure", "Standard_E8-4pds_v5", "arm64"),
    ("azure", "standard_d2ps_v5", "arm64"),
    ("azure", "Standard_D2s_v5", "x86-64"),
    ("azure", "Standard_B2ms", "x86-64"),
    ("azure", "Standard_NP10s", "x86-64"),
    ("azure", "Standard_NC24ads_A100_v4", "x86-64"),
    ("azure", "Standard_DS1_v2", "x86-64"),
    ("azure", "${var.vm_size}", None),
    ("aws", "a1.medium", "arm64"),
    ("aws", "t4g.micro", "arm64"),
    ("aws", "m6g.large", "arm64"),
    ("aws", "m6gd.xlarge", "arm64"),
    ("aws", "c6gn.large", "arm64"),
    ("aws", "r6g.large", "arm64"),
    ("aws", "x2gd.medium", "arm64"),
    ("aws", "i4g.large", "arm64"),
    ("aws", "im4gn.large", "arm64"),
    ("aws", "is4gen.large", "arm64"),
    ("aws", "g5g.xlarge", "arm64"),
    ("aws", "c7g.large", "arm64"),
    ("aws", "c7gn.large", "arm64"),
    ("aws", "m7g.large", "arm64"),
    ("aws", "r7gd.large", "arm64"),
    ("aws", "r8g.large", "arm64"),
    ("aws", "c8gd.large", "arm64"),
    ("aws", "m8g.large", "arm64"),
    ("aws", "t3.micro", "x86-64"),
    ("aws", "m5.large", "x86-64"),
    ("aws", "m6i.large", "x86-64"),
    ("aws", "c7a.large", "x86-64"),
    ("aws", "m7i-flex.large", "x86-64"),
    ("aws", "g4dn.xlarge", "x86-64"),
    ("aws", "mac2.metal", None),
    ("aws", "trn1.2xlarge", None),
    ("gcp", "t2a-standard-1", "arm64"),
    ("gcp", "c4a-standard-4", "arm64"),
    ("gcp", "zones/us-central1-a/machineTypes/c4a-highmem-8", "arm64"),
    ("gcp", "e2-medium", "x86-64"),
    ("gcp", "n2d-standard-2", "x86-64"),
    ("gcp", "c4-standard-8", "x86-64"),
    ("gcp", "ct5lp-hightpu-1t", None),
    ("vsphere", "anything", None),
    ("aws", "", None),
]
# fmt: on


@pytest.mark.parametrize(("platform", "size", "expected"), SIZES)
def test_arch_from_size(platform: str, size: str, expected: str | None) -> None:
    assert osimage.arch_from_size(platform, size) == expected


# --------------------------------------------------------------------------------------------------
# merge and display


def test_merge_fills_arch_from_size() -> None:
    image = osimage.from_azure_image("Canonical", "ubuntu-24_04-lts", "server")
    assert image is not None
    image = OSInfo(image.family, image.version, image.edition, None, evidence=image.evidence)
    size = OSInfo(None, None, None, "arm64", evidence="size Standard_D2ps_v5")
    merged = osimage.merge(image, size)
    assert merged == OSInfo(
        "ubuntu",
        "24.04",
        None,
        "arm64",
        False,
        f"{image.evidence}; size Standard_D2ps_v5",
    )


def test_merge_generic_guest_id_takes_the_iso() -> None:
    guest = osimage.from_vsphere_guest_id("other4xLinux64Guest")
    iso = osimage.from_image_name("Rocky-9.4-x86_64-dvd.iso")
    merged = osimage.merge(guest, iso)
    assert _fields(merged) == ("rocky", "9.4", None, "x86-64", False)


def test_merge_keeps_primary_version_when_families_differ() -> None:
    primary = OSInfo("windows-server", "2019", "server", None)
    secondary = OSInfo("ubuntu", "22.04", None, "x86-64", cis=True)
    assert osimage.merge(primary, secondary) == OSInfo("windows-server", "2019", "server", "x86-64", True)


def test_merge_fills_version_of_same_family() -> None:
    assert osimage.merge(OSInfo("ubuntu", None, None, "x86-64"), OSInfo("ubuntu", "22.04", None, "arm64")) == OSInfo(
        "ubuntu", "22.04", None, "x86-64"
    )


@pytest.mark.parametrize(
    ("primary", "secondary", "expected"),
    [
        (None, None, None),
        (None, OSInfo("debian", "12", None, None), OSInfo("debian", "12", None, None)),
        (OSInfo("debian", "12", None, None), None, OSInfo("debian", "12", None, None)),
    ],
)
def test_merge_with_none(primary: OSInfo | None, secondary: OSInfo | None, expected: OSInfo | None) -> None:
    assert osimage.merge(primary, secondary) == expected


@pytest.mark.parametrize(
    ("info", "text"),
    [
        (OSInfo("ubuntu", "16.04", None, None), "Ubuntu 16.04"),
        (
            OSInfo("windows-server", "2008 R2 SP1", "server", None),
            "Windows Server 2008 R2 SP1",
        ),
        (
            OSInfo("windows-server", "2022", "azure-edition", None),
            "Windows Server 2022 Azure Edition",
        ),
        (OSInfo("rhel", "9", None, None), "RHEL 9"),
        (OSInfo("sles", "15 SP3", None, None), "SLES 15 SP3"),
        (OSInfo("amazon-linux", "2023", None, None), "Amazon Linux 2023"),
        (OSInfo("windows-client", "11", "client", None), "Windows 11"),
        (OSInfo("rocky", None, None, None), "Rocky Linux"),
        (OSInfo(None, None, None, "arm64"), "unknown OS"),
        (
            OSInfo("windows-server", "2012", "server", None, readings=("2012", "2012 R2")),
            "Windows Server 2012 or 2012 R2",
        ),
    ],
)
def test_display(info: OSInfo, text: str) -> None:
    assert info.display() == text


# fmt: off
READINGS = [
    (osimage.from_vsphere_guest_id("windows8Server64Guest"), ("2012", "2012 R2")),
    (osimage.from_vsphere_guest_id("windows2019srvNext_64Guest"), ("2022", "2025")),
    (osimage.from_vsphere_guest_id("windows9_64Guest"), ("10", "11")),
    (osimage.from_aws_ami(["amazon"], "Windows_Server-2008-*"), ("2008", "2008 R2")),
    (osimage.from_aws_ami(["801119661308"], "Windows_Server-2008*"), ("2008", "2008 R2")),
    # a version less precise than the table needs no readings: the matrix lookup reads it both ways
    (osimage.from_vsphere_guest_id("windows7Server64Guest"), ()),
    (osimage.from_aws_ami(["amazon"], "Windows_Server-2008-R2*"), ()),
    (osimage.from_aws_ami(["amazon"], "Windows_Server-2008-SP2-English-64Bit-Base-*"), ()),
]
# fmt: on


@pytest.mark.parametrize(("info", "readings"), READINGS)
def test_ambiguous_signals_carry_their_readings(info: OSInfo | None, readings: tuple[str, ...]) -> None:
    assert info is not None
    assert info.readings == readings
    assert info.version == (readings[0] if readings else info.version)


def test_merge_keeps_the_readings_with_the_version() -> None:
    guest = osimage.from_vsphere_guest_id("windows8Server64Guest")
    iso = osimage.from_image_name("en-us_windows_server_2012_r2_x64_dvd.iso")
    assert osimage.merge(guest, iso) is not None
    assert osimage.merge(guest, iso).readings == ("2012", "2012 R2")  # type: ignore[union-attr]
    assert osimage.merge(OSInfo("windows-server", None, None, None), guest).readings == ("2012", "2012 R2")  # type: ignore[union-attr]
