"""Every OS row of both support-matrix editions is recognised from every image source that offers it.

One table, one entry per row (family, row version) and source kind: real-world strings (each from a public
source: provider docs and CLI aliases, vendor download names, AMI filters and Marketplace URNs in public
repositories; see domain.md § 6 and the comments) that must identify to exactly that row of the matrix, or a
``Skip`` saying why the OS is not offered there. Source kinds:

- ``azure``: ``Publisher:Offer:Sku`` (Marketplace image reference);
- ``aws``: ``(owner, name filter)`` of an ``aws_ami`` data source / ``source_ami_filter``;
- ``gcp``: ``project/family`` or an image link;
- ``vsphere``: ``guest_id``, or ``guest_id|template or ISO name`` (the name wins over the id, as in the model);
- ``iso``: Packer ISO (or OVA / download) names, Windows ones also by build number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from arclint import matrix as support_matrix
from arclint.matrix import MatrixRow
from arclint.model import osimage
from arclint.model.osimage import OSInfo


@dataclass(frozen=True)
class Skip:
    """The OS is not offered on this source kind: why."""

    reason: str


Case = str | tuple[str, str]
KINDS = ("azure", "aws", "gcp", "vsphere", "iso")

NO_AWS_AZURE_LINUX = Skip("Azure Linux is published for Azure only: no official AMI")
NO_GCP_AZURE_LINUX = Skip("Azure Linux is published for Azure only: no public GCP image")
NO_AZURE_AMAZON = Skip("Amazon Linux is not in the Azure Marketplace")
NO_GCP_AMAZON = Skip("Amazon Linux has no public GCP image")
NO_VSPHERE_AZURE_LINUX = Skip("vSphere has no guest id for Azure Linux; its ISO name is the iso case")
NO_GCP_ORACLE = Skip("Oracle Linux has no public GCP image")
NO_CLOUD_CLIENT = Skip(
    "no public Windows client images (Windows 10/11 are BYOL imports with names of the owner's choosing, "
    "covered by the image-name rules)"
)
NO_IOT_CLOUD = Skip("Windows IoT Enterprise is licensed through OEM channels: no public cloud image")
NO_GCP_2012 = Skip("GCP offers Windows Server 2012 R2 only, never 2012")
NO_GCP_2008 = Skip("windows-cloud no longer offers 2008 R2 (retired images are not listed in GCP-IMG)")
NO_AWS_CENTOS8 = Skip(
    "CentOS 8 reached end of life before an official AMI line by owner 125523088429 was verified "
    "(domain.md marks that owner unverified)"
)

# (family, row version) -> kind -> cases or Skip
ROWS: dict[tuple[str, str], dict[str, list[Case] | Skip]] = {
    ("almalinux", "8"): {
        "azure": ["almalinux:almalinux-x86_64:8-gen2"],
        "aws": [("764336703387", "AlmaLinux OS 8*")],
        "gcp": ["almalinux-cloud/almalinux-8"],
        "vsphere": [
            "almalinux_64Guest|AlmaLinux-8.9-x86_64-dvd.iso",
            "other4xLinux64Guest|AlmaLinux-8.9-x86_64-dvd.iso",
        ],
        "iso": ["AlmaLinux-8.9-x86_64-dvd.iso"],
    },
    ("almalinux", "9"): {
        "azure": ["almalinux:almalinux-x86_64:9-gen2"],
        "aws": [("764336703387", "AlmaLinux OS 9*")],
        "gcp": ["almalinux-cloud/almalinux-9"],
        "vsphere": ["other5xLinux64Guest|AlmaLinux-9.4-x86_64-dvd.iso"],
        "iso": ["AlmaLinux-9.4-x86_64-dvd.iso"],
    },
    ("amazon-linux", "2"): {
        "azure": NO_AZURE_AMAZON,
        "aws": [("amazon", "amzn2-ami-hvm-*-x86_64-gp2"), ("591542846629", "amzn2-ami-ecs-hvm-2.0*")],
        "gcp": NO_GCP_AMAZON,
        "vsphere": ["amazonlinux2_64Guest", "amazonlinux2_64Guest|amzn2-vmware_esx-2.0.20220805.0-x86_64.xfs.gpt.ova"],
        "iso": ["amzn2-vmware_esx-2.0.20220805.0-x86_64.xfs.gpt.ova"],
    },
    ("amazon-linux", "2023"): {
        "azure": NO_AZURE_AMAZON,
        "aws": [("amazon", "al2023-ami-2023.*-kernel-6.1-x86_64"), ("591542846629", "al2023-ami-ecs-hvm*")],
        "gcp": NO_GCP_AMAZON,
        "vsphere": ["other6xLinux64Guest|al2023-vmware_esx-2023.4.20240416.0-kernel-6.1-x86_64.xfs.gpt.ova"],
        "iso": ["al2023-vmware_esx-2023.4.20240416.0-kernel-6.1-x86_64.xfs.gpt.ova"],
    },
    ("azure-linux", "1.0"): {
        "azure": ["MicrosoftCBLMariner:cbl-mariner:cbl-mariner-1", "MicrosoftCBLMariner:cbl-mariner:1-gen2"],
        "aws": NO_AWS_AZURE_LINUX,
        "gcp": NO_GCP_AZURE_LINUX,
        "vsphere": NO_VSPHERE_AZURE_LINUX,
        "iso": Skip("no CBL-Mariner 1.0 ISO name in public sources (Microsoft links ISOs for 2.0 and 3.0 only)"),
    },
    ("azure-linux", "2.0"): {
        "azure": [
            "MicrosoftCBLMariner:cbl-mariner:cbl-mariner-2-gen2",
            "MicrosoftCBLMariner:cbl-mariner:cbl-mariner-2",
        ],
        "aws": NO_AWS_AZURE_LINUX,
        "gcp": NO_GCP_AZURE_LINUX,
        "vsphere": NO_VSPHERE_AZURE_LINUX,
        "iso": ["Mariner-2.0-x86_64.iso"],
    },
    ("azure-linux", "3.0"): {
        "azure": ["MicrosoftCBLMariner:azure-linux-3:azure-linux-3-gen2"],
        "aws": NO_AWS_AZURE_LINUX,
        "gcp": NO_GCP_AZURE_LINUX,
        "vsphere": NO_VSPHERE_AZURE_LINUX,
        "iso": ["azurelinux-3.0-x86_64.iso", "AzureLinux-3.0-x86_64.iso"],
    },
    ("centos", "7"): {
        "azure": ["OpenLogic:CentOS:7_9-gen2", "OpenLogic:CentOS-LVM:7-lvm"],
        "aws": [("125523088429", "CentOS Linux 7*")],
        "gcp": ["centos-cloud/centos-7"],
        "vsphere": ["centos7_64Guest"],
        "iso": ["CentOS-7-x86_64-DVD-2009.iso"],
    },
    ("centos", "8"): {
        "azure": ["OpenLogic:CentOS:8_5-gen2"],
        "aws": NO_AWS_CENTOS8,
        "gcp": ["centos-cloud/centos-8"],
        "vsphere": ["centos8_64Guest"],
        "iso": ["CentOS-8.5.2111-x86_64-dvd1.iso"],
    },
    ("debian", "10"): {
        "azure": ["Debian:debian-10:10-gen2"],
        "aws": [("136693071363", "debian-10-amd64-*")],
        "gcp": ["debian-cloud/debian-10"],
        "vsphere": ["debian10_64Guest"],
        "iso": ["debian-10.13.0-amd64-netinst.iso"],
    },
    ("debian", "11"): {
        "azure": ["Debian:debian-11:11-gen2", "Debian:debian-11:11-backports-gen2"],
        "aws": [("136693071363", "debian-11-amd64-*")],
        "gcp": ["debian-cloud/debian-11"],
        "vsphere": ["debian11_64Guest", "other5xLinux64Guest|debian-11.9.0-amd64-netinst.iso"],
        "iso": ["debian-11.9.0-amd64-netinst.iso"],
    },
    ("debian", "12"): {
        "azure": ["Debian:debian-12:12-gen2"],
        "aws": [("136693071363", "debian-12-amd64-*")],
        "gcp": ["debian-cloud/debian-12"],
        "vsphere": ["debian12_64Guest", "other6xLinux64Guest|debian-12.5.0-amd64-netinst.iso"],
        "iso": ["debian-12.5.0-amd64-netinst.iso"],
    },
    ("debian", "13"): {
        "azure": ["Debian:debian-13:13-gen2"],
        "aws": [("136693071363", "debian-13-amd64-*")],
        "gcp": ["debian-cloud/debian-13"],
        "vsphere": ["debian13_64Guest"],
        "iso": ["debian-13-amd64-netinst.iso"],
    },
    ("oracle-linux", "7"): {
        "azure": ["Oracle:Oracle-Linux:ol79-gen2", "Oracle:Oracle-Linux:79-gen2"],
        "aws": [("131827586825", "OL7.9-x86_64-HVM-*")],
        "gcp": NO_GCP_ORACLE,
        "vsphere": ["oracleLinux7_64Guest"],
        "iso": ["OracleLinux-R7-U9-Server-x86_64-dvd.iso"],
    },
    ("oracle-linux", "8"): {
        "azure": ["Oracle:Oracle-Linux:ol8_2-gen2", "Oracle:Oracle-Linux:ol89-lvm-gen2"],
        "aws": [("131827586825", "OL8.*-x86_64-HVM-*")],
        "gcp": NO_GCP_ORACLE,
        "vsphere": ["oracleLinux8_64Guest"],
        "iso": ["OracleLinux-R8-U9-x86_64-dvd.iso"],
    },
    ("oracle-linux", "9"): {
        "azure": ["Oracle:Oracle-Linux:ol95-lvm-gen2"],
        "aws": [("131827586825", "OL9*-x86_64*")],
        "gcp": NO_GCP_ORACLE,
        "vsphere": ["oracleLinux9_64Guest", "other5xLinux64Guest|OracleLinux-R9-U4-x86_64-dvd.iso"],
        "iso": ["OracleLinux-R9-U4-x86_64-dvd.iso"],
    },
    ("oracle-linux", "10"): {
        "azure": ["Oracle:Oracle-Linux:ol10-lvm-gen2"],
        "aws": [("131827586825", "OL10.0-x86_64-HVM-*")],
        "gcp": NO_GCP_ORACLE,
        "vsphere": ["oracleLinux10_64Guest"],
        "iso": ["OracleLinux-R10-U0-x86_64-dvd.iso"],
    },
    ("rhel", "7"): {
        "azure": ["RedHat:RHEL:7-LVM", "RedHat:RHEL:79-gen2", "RedHat:rhel-byos:rhel-lvm7x"],
        "aws": [("309956199498", "RHEL-7.9_HVM-*-x86_64-*")],
        "gcp": ["rhel-cloud/rhel-7"],
        "vsphere": ["rhel7_64Guest"],
        "iso": ["rhel-server-7.9-x86_64-dvd.iso"],
    },
    ("rhel", "8"): {
        "azure": ["RedHat:RHEL:8-lvm-gen2", "RedHat:rhel-raw:8-raw-gen2", "RedHat:RHEL-SAP-HA:86sapha-gen2"],
        "aws": [("309956199498", "RHEL-8.10*HVM_GA-20*")],
        "gcp": ["rhel-cloud/rhel-8", "projects/rhel-sap-cloud/global/images/family/rhel-8-6-sap-ha"],
        "vsphere": ["rhel8_64Guest"],
        "iso": ["rhel-8.9-x86_64-dvd.iso"],
    },
    ("rhel", "9"): {
        "azure": ["RedHat:RHEL:9-lvm-gen2", "RedHat:RHEL:9_4"],
        "aws": [("309956199498", "RHEL-9.4*_HVM-*-x86_64-*")],
        "gcp": ["rhel-cloud/rhel-9"],
        "vsphere": ["rhel9_64Guest"],
        "iso": ["rhel-9.4-x86_64-dvd.iso"],
    },
    ("rhel", "10"): {
        "azure": ["RedHat:RHEL:10-lvm-gen2"],
        "aws": [("309956199498", "RHEL-10.1*HVM_GA-20*")],
        "gcp": ["rhel-cloud/rhel-10", "rhel-cloud/rhel-10-0-eus"],
        "vsphere": ["rhel10_64Guest"],
        "iso": ["rhel-10.0-x86_64-dvd.iso"],
    },
    ("rocky", "8"): {
        "azure": ["resf:rockylinux-x86_64:8-base", "resf:rockylinux-x86_64:8-lvm"],
        "aws": [("792107900819", "Rocky-8-EC2-Base-*.x86_64"), ("aws-marketplace", "Rocky-8-EC2-8.*")],
        "gcp": ["rocky-linux-cloud/rocky-linux-8", "rocky-linux-cloud/rocky-linux-8-optimized-gcp"],
        "vsphere": ["rockylinux_64Guest|Rocky-8.9-x86_64-dvd1.iso", "other4xLinux64Guest|Rocky-8.9-x86_64-dvd1.iso"],
        "iso": ["Rocky-8.9-x86_64-dvd1.iso"],
    },
    ("rocky", "9"): {
        "azure": [
            "resf:rockylinux-x86_64:9-base",
            "erockyenterprisesoftwarefoundationinc1653071250513:rockylinux-9:rockylinux-9",
        ],
        "aws": [("792107900819", "Rocky-9-EC2-Base-*.x86_64")],
        "gcp": ["rocky-linux-cloud/rocky-linux-9"],
        "vsphere": ["other5xLinux64Guest|Rocky-9.4-x86_64-dvd.iso"],
        "iso": ["Rocky-9.4-x86_64-dvd.iso"],
    },
    # SLES: the seed table's 12 SP3-SP5 and 15 rows, the newest table's 12 SP5, 15 SP3, 15 SP4 and 15 SP5-7 rows.
    ("sles", "12 SP3-SP5"): {
        "azure": ["SUSE:sles-12-sp5:gen2"],
        "aws": [("013907871322", "suse-sles-12-sp5-v*-hvm-ssd-x86_64")],
        "gcp": ["suse-cloud/sles-12-sp5-v20221104-x86-64"],
        "vsphere": ["sles12_64Guest|SLE-12-SP5-Server-DVD-x86_64-GM-DVD1.iso"],
        "iso": ["SLE-12-SP5-Server-DVD-x86_64-GM-DVD1.iso"],
    },
    ("sles", "12 SP5"): {
        "azure": ["SUSE:sles-12-sp5:gen1"],
        "aws": [("013907871322", "*suse-sles-12-sp5-v202*-hvm-ssd-x86_64*")],
        "gcp": ["suse-cloud/sles-12-sp5-v20221104-x86-64"],
        "vsphere": ["sles12_64Guest|SLE-12-SP5-Server-DVD-x86_64-GM-DVD1.iso"],
        "iso": ["SLE-12-SP5-Server-DVD-x86_64-GM-DVD1.iso"],
    },
    ("sles", "15"): {
        "azure": ["SUSE:sles-15-sp3:gen2", "SUSE:sles-15-sp6-byos:gen2"],
        "aws": [("013907871322", "suse-sles-15-sp7-v*-hvm-*")],
        "gcp": ["suse-cloud/sles-15", "suse-sap-cloud/sles-15-sp5-sap"],
        "vsphere": ["sles15_64Guest"],
        "iso": ["SLE-15-SP5-Full-x86_64-GM-Media1.iso"],
    },
    ("sles", "15 SP3"): {
        "azure": ["SUSE:sles-15-sp3:gen2"],
        "aws": [("013907871322", "*suse-sles-15-sp3-v202*-hvm-ssd-x86_64*")],
        "gcp": ["suse-cloud/sles-15-sp3-v20220126-x86-64"],
        "vsphere": ["sles15_64Guest|SLE-15-SP3-Full-x86_64-GM-Media1.iso"],
        "iso": ["SLE-15-SP3-Full-x86_64-GM-Media1.iso"],
    },
    ("sles", "15 SP4"): {
        "azure": ["SUSE:sles-15-sp4:gen2"],
        "aws": [("013907871322", "suse-sles-15-sp4-v20??????-hvm-ssd-x86_64")],
        "gcp": ["https://www.googleapis.com/compute/v1/projects/suse-cloud/global/images/sles-15-sp4-v20220713-x86-64"],
        "vsphere": ["sles15_64Guest|SLE-15-SP4-Full-x86_64-GM-Media1.iso"],
        "iso": ["SLE-15-SP4-Full-x86_64-GM-Media1.iso"],
    },
    ("sles", "15 SP5-7"): {
        "azure": ["SUSE:sles-15-sp5:gen2", "SUSE:sles-15-sp6-byos:gen2"],
        "aws": [
            ("013907871322", "suse-sles-15-sp7-v*-hvm-*"),
            ("013907871322", "*suse-sles-15-sp5-v202*-hvm-ssd-x86_64*"),
        ],
        "gcp": ["suse-sap-cloud/sles-15-sp5-sap"],
        "vsphere": ["sles15_64Guest|SLE-15-SP6-Full-x86_64-GM-Media1.iso"],
        "iso": ["SLE-15-SP5-Full-x86_64-GM-Media1.iso"],
    },
    ("ubuntu", "16.04"): {
        "azure": ["Canonical:UbuntuServer:16.04-LTS"],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*")],
        "gcp": ["projects/ubuntu-os-cloud/global/images/family/ubuntu-1604-lts"],
        "vsphere": ["ubuntu64Guest|ubuntu-16.04.7-server-amd64.iso"],
        "iso": ["ubuntu-16.04.7-server-amd64.iso"],
    },
    ("ubuntu", "18.04"): {
        "azure": ["Canonical:UbuntuServer:18.04-LTS", "Canonical:UbuntuServer:18_04-lts-gen2"],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-amd64-server-*")],
        "gcp": ["ubuntu-os-cloud/ubuntu-1804-lts", "ubuntu-os-pro-cloud/ubuntu-pro-1804-lts"],
        "vsphere": ["ubuntu64Guest|ubuntu-18.04.6-live-server-amd64.iso"],
        "iso": ["ubuntu-18.04.6-live-server-amd64.iso"],
    },
    ("ubuntu", "20.04"): {
        "azure": [
            "Canonical:0001-com-ubuntu-server-focal:20_04-lts-gen2",
            "Canonical:0001-com-ubuntu-pro-focal:pro-20_04-lts-gen2",
        ],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*")],
        "gcp": ["ubuntu-os-cloud/ubuntu-2004-lts"],
        "vsphere": ["ubuntu64Guest|ubuntu-20.04.6-live-server-amd64.iso"],
        "iso": ["ubuntu-20.04.6-live-server-amd64.iso"],
    },
    ("ubuntu", "22.04"): {
        "azure": [
            "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2",
            "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-arm64",
        ],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*")],
        "gcp": ["ubuntu-os-cloud/ubuntu-2204-lts", "ubuntu-os-cloud/ubuntu-2204-lts-arm64"],
        "vsphere": ["ubuntu64Guest|ubuntu-22.04.4-live-server-amd64.iso"],
        "iso": ["ubuntu-22.04.4-live-server-amd64.iso"],
    },
    ("ubuntu", "24.04"): {
        "azure": ["Canonical:ubuntu-24_04-lts:server", "Canonical:ubuntu-24_04-lts:server-arm64"],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*")],
        "gcp": ["ubuntu-os-cloud/ubuntu-2404-lts-amd64"],
        "vsphere": ["ubuntu64Guest|ubuntu-24.04-live-server-amd64.iso"],
        "iso": ["ubuntu-24.04-live-server-amd64.iso"],
    },
    ("ubuntu", "26.04"): {
        "azure": ["Canonical:ubuntu-26_04-lts:server", "Canonical:ubuntu-26_04-lts:server-gen1"],
        "aws": [("099720109477", "ubuntu/images/hvm-ssd-gp3/ubuntu-resolute-26.04-*")],
        "gcp": ["ubuntu-os-cloud/ubuntu-2604-lts-amd64"],
        "vsphere": ["ubuntu64Guest|ubuntu-26.04-live-server-amd64.iso"],
        "iso": ["ubuntu-26.04-live-server-amd64.iso"],
    },
    ("windows-client", "10"): {
        "azure": [
            "MicrosoftWindowsDesktop:Windows-10:win10-22h2-pro-g2",
            "MicrosoftWindowsDesktop:Windows-10:win10-21h2-ent",
        ],
        "aws": NO_CLOUD_CLIENT,
        "gcp": NO_CLOUD_CLIENT,
        "vsphere": [
            "windows9_64Guest|19045.2006.220908-0225.22h2_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso",
            "windows9_64Guest|Win10_22H2_English_x64v1.iso",
        ],
        "iso": [
            "Win10_22H2_English_x64v1.iso",
            "19045.2006.220908-0225.22h2_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso",
        ],
    },
    ("windows-client", "11"): {
        "azure": [
            "MicrosoftWindowsDesktop:windows-11:win11-23h2-ent",
            "MicrosoftWindowsDesktop:windows-11:win11-22h2-pro",
        ],
        "aws": NO_CLOUD_CLIENT,
        "gcp": NO_CLOUD_CLIENT,
        "vsphere": ["windows11_64Guest", "windows9_64Guest|Win11_23H2_English_x64.iso"],
        "iso": [
            "Win11_23H2_English_x64.iso",
            "22631.2428.231001-0608.23H2_NI_RELEASE_SVC_REFRESH_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso",
        ],
    },
    ("windows-iot", "10"): {
        "azure": NO_IOT_CLOUD,
        "aws": NO_IOT_CLOUD,
        "gcp": NO_IOT_CLOUD,
        "vsphere": ["windows9_64Guest|en-us_windows_10_iot_enterprise_version_22h2_x64_dvd_51cc370f.iso"],
        "iso": ["en-us_windows_10_iot_enterprise_version_22h2_x64_dvd_51cc370f.iso"],
    },
    ("windows-iot", "11"): {
        "azure": NO_IOT_CLOUD,
        "aws": NO_IOT_CLOUD,
        "gcp": NO_IOT_CLOUD,
        "vsphere": ["windows11_64Guest|en-us_windows_11_iot_enterprise_version_24h2_x64_dvd_3a99b72b.iso"],
        "iso": ["en-us_windows_11_iot_enterprise_version_24h2_x64_dvd_3a99b72b.iso"],
    },
    ("windows-iot-ltsc", "10"): {
        "azure": NO_IOT_CLOUD,
        "aws": NO_IOT_CLOUD,
        "gcp": NO_IOT_CLOUD,
        "vsphere": ["windows9_64Guest|en-us_windows_10_iot_enterprise_ltsc_2021_x64_dvd_257ad90f.iso"],
        "iso": ["en-us_windows_10_iot_enterprise_ltsc_2021_x64_dvd_257ad90f.iso"],
    },
    ("windows-iot-ltsc", "11"): {
        "azure": NO_IOT_CLOUD,
        "aws": NO_IOT_CLOUD,
        "gcp": NO_IOT_CLOUD,
        "vsphere": ["windows11_64Guest|en-us_windows_11_iot_enterprise_ltsc_2024_x64_dvd_f6b14814.iso"],
        "iso": ["en-us_windows_11_iot_enterprise_ltsc_2024_x64_dvd_f6b14814.iso"],
    },
    ("windows-server", "2008 R2 SP1"): {
        "azure": ["MicrosoftWindowsServer:WindowsServer:2008-R2-SP1"],
        "aws": [("amazon", "Windows_Server-2008-R2_SP1-English-64Bit-Base-*")],
        "gcp": NO_GCP_2008,
        "vsphere": ["windows7Server64Guest|7601.17514.101119-1850_x64fre_server_eval_en-us-GRMSXEVAL_EN_DVD.iso"],
        "iso": ["7601.17514.101119-1850_x64fre_server_eval_en-us-GRMSXEVAL_EN_DVD.iso"],
    },
    ("windows-server", "2012"): {
        "azure": ["MicrosoftWindowsServer:WindowsServer:2012-Datacenter"],
        "aws": [("amazon", "Windows_Server-2012-RTM-English-64Bit-Base-*")],
        "gcp": NO_GCP_2012,
        "vsphere": [
            "windows8Server64Guest|9200.16384.WIN8_RTM.120731-1520_X64FRE_SERVER_EVAL_EN-US-HRM_SSS_X64FREE_EN-US_DV5.ISO"
        ],
        "iso": ["9200.16384.WIN8_RTM.120731-1520_X64FRE_SERVER_EVAL_EN-US-HRM_SSS_X64FREE_EN-US_DV5.ISO"],
    },
    ("windows-server", "2012 R2"): {
        "azure": ["MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter"],
        "aws": [("amazon", "Windows_Server-2012-R2_RTM-English-64Bit-Base-*")],
        "gcp": ["windows-cloud/windows-2012-r2"],
        "vsphere": [
            "windows8Server64Guest|9600.17050.WINBLUE_REFRESH.140317-1640_X64FRE_SERVER_EVAL_EN-US-IR3_SSS_X64FREE_EN-US_DV9.ISO"
        ],
        "iso": ["9600.17050.WINBLUE_REFRESH.140317-1640_X64FRE_SERVER_EVAL_EN-US-IR3_SSS_X64FREE_EN-US_DV9.ISO"],
    },
    ("windows-server", "2016"): {
        "azure": [
            "MicrosoftWindowsServer:WindowsServer:2016-Datacenter",
            "MicrosoftWindowsServer:WindowsServer:2016-Datacenter-gensecond",
        ],
        "aws": [("801119661308", "Windows_Server-2016-English-Full-Base-*")],
        "gcp": ["windows-cloud/windows-2016"],
        "vsphere": ["windows9Server64Guest"],
        "iso": ["14393.0.161119-1705.RS1_REFRESH_SERVER_EVAL_X64FRE_EN-US.ISO"],
    },
    ("windows-server", "2019"): {
        "azure": [
            "MicrosoftWindowsServer:WindowsServer:2019-Datacenter",
            "MicrosoftWindowsServer:WindowsServer:2019-datacenter-gensecond",
        ],
        "aws": [("amazon", "Windows_Server-2019-English-Full-Base-*")],
        "gcp": [
            "windows-cloud/windows-2019",
            "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/images/windows-server-2019-dc-v20240111",
        ],
        "vsphere": ["windows2019srv_64Guest"],
        "iso": ["17763.737.190906-2324.rs5_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso"],
    },
    ("windows-server", "2022"): {
        "azure": [
            "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2",
            "MicrosoftWindowsServer:WindowsServer:2022-datacenter-core",
        ],
        "aws": [
            ("amazon", "Windows_Server-2022-English-Full-Base-*"),
            ("amazon", "Windows_Server-2022-English-Full-SQL_2022_*"),
        ],
        "gcp": ["windows-cloud/windows-2022", "windows-cloud/windows-2022-core"],
        "vsphere": ["windows2019srvNext_64Guest|en-us_windows_server_2022_x64_dvd_620d7eac.iso"],
        "iso": [
            "en-us_windows_server_2022_x64_dvd_620d7eac.iso",
            "20348.169.210806-2348.fe_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso",
        ],
    },
    ("windows-server", "2025"): {
        "azure": [
            "MicrosoftWindowsServer:WindowsServer:2025-datacenter-g2",
            "MicrosoftWindowsServer:WindowsServer:2025-datacenter-azure-edition",
        ],
        "aws": [("amazon", "Windows_Server-2025-English-Full-Base-*")],
        "gcp": ["windows-cloud/windows-2025"],
        "vsphere": [
            "windows2022srvNext_64Guest",
            "windows2019srvNext_64Guest|26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso",
        ],
        "iso": ["26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso"],
    },
}


def identify(kind: str, case: Case) -> OSInfo | None:
    """The OS one source string identifies, with the model's precedence for vSphere (name, then guest id)."""
    if kind == "azure":
        assert isinstance(case, str)
        return osimage.from_azure_image(*case.split(":"))
    if kind == "aws":
        assert isinstance(case, tuple)
        return osimage.from_aws_ami([case[0]], case[1])
    assert isinstance(case, str)
    if kind == "gcp":
        return osimage.from_gcp_image(case)
    if kind == "vsphere":
        guest_id, _, name = case.partition("|")
        return (osimage.from_image_name(name) if name else None) or osimage.from_vsphere_guest_id(guest_id)
    return osimage.from_image_name(case)


def _rows() -> list[tuple[str, MatrixRow]]:
    out = []
    for edition in support_matrix.available_editions():
        table = support_matrix.load_matrix(edition)
        out.extend((edition, row) for row in (*table.rows, *table.retired))
    return out


ROW_CASES = [
    pytest.param(edition, row, kind, case, id=f"{edition}-{row.family}-{row.version}-{kind}-{i}")
    for edition, row in _rows()
    for kind in KINDS
    if isinstance(cases := ROWS.get((row.family, row.version), {}).get(kind), list)
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize(("edition", "row", "kind", "case"), ROW_CASES)
def test_real_world_string_identifies_to_its_row(edition: str, row: MatrixRow, kind: str, case: Case) -> None:
    info = identify(kind, case)
    assert info is not None, f"{case!r} is not recognised"
    answers = support_matrix.load_matrix(edition).readings(info)
    assert [a.row for a in answers] == [row.shown], f"{case!r} -> {info.display()}"


def test_every_row_has_a_case_or_a_reason_for_every_source_kind() -> None:
    missing = []
    for edition, row in _rows():
        entry = ROWS.get((row.family, row.version))
        if entry is None:
            missing.append(f"{edition}: {row.shown}")
            continue
        for kind in KINDS:
            value = entry.get(kind)
            if not (isinstance(value, Skip) and value.reason) and not (isinstance(value, list) and value):
                missing.append(f"{edition}: {row.shown} / {kind}")
    assert missing == []


def test_the_table_has_no_stale_entries() -> None:
    keys = {(row.family, row.version) for _, row in _rows()}
    assert set(ROWS) <= keys


# Strings that name no OS the catalog knows: ARC002 material, never a guess.
UNRECOGNISED = [
    ("azure", "SomePublisher:someoffer:1.0"),
    ("azure", "contoso:golden-images:v3"),
    ("aws", ("self", "app-image-*")),
    ("aws", ("123456789012", "golden-base-*")),
    ("gcp", "my-project/app-image"),
    ("gcp", "cos-cloud/cos-stable"),
    ("vsphere", "freebsd13_64Guest"),
    ("vsphere", "darwin64Guest"),
    ("iso", "app-server"),
    ("iso", "golden-image-v3"),
    ("iso", "FreeBSD-14.0-RELEASE-amd64-dvd1.iso"),
]


@pytest.mark.parametrize(("kind", "case"), UNRECOGNISED)
def test_a_string_that_matches_nothing_is_not_guessed(kind: str, case: Case) -> None:
    assert identify(kind, case) is None


def test_coverage_counts() -> None:
    """The coverage the report states: rows x source kinds, covered or skipped with a reason."""
    keys = {(row.family, row.version) for _, row in _rows()}
    covered = sum(isinstance(ROWS[k][kind], list) for k in keys for kind in KINDS)
    skipped = sum(isinstance(ROWS[k][kind], Skip) for k in keys for kind in KINDS)
    assert covered + skipped == len(keys) * len(KINDS)
    assert skipped < covered


VSPHERE_VM = """\
resource "vsphere_virtual_machine" "app" {
  name     = "app-01"
  guest_id = "GUEST"
  extra_config = {
    "guestinfo.userdata" = base64encode("#!/bin/bash\\nazcmagent connect --config /etc/arc/onboard.json\\n")
  }
}
"""


@pytest.mark.parametrize(
    ("guest_id", "reason"),
    [
        ("ubuntu64Guest", "vSphere guest_id ubuntu64Guest says Ubuntu but not which version"),
        ("other5xLinux64Guest", "vSphere guest_id other5xLinux64Guest does not say which Linux distribution it is"),
        ("rockylinux_64Guest", "vSphere guest_id rockylinux_64Guest says Rocky Linux but not which version"),
    ],
)
def test_an_image_that_names_no_release_is_arc002_for_a_target_that_onboards(
    project, guest_id: str, reason: str
) -> None:
    report = project({"main.tf": VSPHERE_VM.replace("GUEST", guest_id)})
    assert [(f.rule, f.line, f.resource, f.severity) for f in report.findings] == [
        ("ARC002", 1, "vsphere_virtual_machine.app", "info")
    ]
    assert report.findings[0].message == (
        f"vsphere_virtual_machine.app: cannot tell whether its OS is supported: {reason}; "
        "use an image, template or ISO name that names the release"
    )


def test_a_versioned_guest_id_decides_and_is_no_arc002(project) -> None:
    assert project({"main.tf": VSPHERE_VM.replace("GUEST", "rhel9_64Guest")}).findings == []
