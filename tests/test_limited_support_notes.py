"""ARC402's two notes: what Windows Server 2008 R2 SP1 also needs, and a row that has left the support table."""

from __future__ import annotations

import datetime

import pytest

from conftest import brief

MACHINE = """data "aws_ami" "os" {
  owners = ["OWNER"]
  filter {
    name   = "name"
    values = ["NAME"]
  }
}

resource "aws_instance" "app" {
  ami           = data.aws_ami.os.id
  instance_type = "t3.medium"
  user_data     = "CONNECT"
}
"""
WINDOWS_2008 = (
    "amazon",
    "Windows_Server-2008-R2_SP1-English-64Bit-Base-*",
    "<powershell>azcmagent connect</powershell>",
)
UBUNTU_1604 = ("099720109477", "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*", "azcmagent connect")
NEW, OLD = ("2026-08-20", datetime.date(2026, 11, 27)), ("2025-09-16", datetime.date(2025, 1, 1))
WINDOWS_2008_NOTE = (
    "; Windows Server 2008 R2 SP1 also needs PowerShell 4.0 and the installer's -AltDownload "
    "https://aka.ms/AzureConnectedMachineAgent-1.39"
)


@pytest.mark.parametrize(
    ("image", "table", "severity", "message"),
    [
        pytest.param(
            WINDOWS_2008,
            NEW,
            "error",
            "aws_instance.app onboards Windows Server 2008 R2 SP1, which has limited support: last agent version "
            "1.39, Arc support ended on 2025-03-31 (no longer listed in the 2026-08-20 support table)"
            + WINDOWS_2008_NOTE,
            id="windows-2008-left-the-table",
        ),
        pytest.param(
            WINDOWS_2008,
            OLD,
            "warning",
            "aws_instance.app onboards Windows Server 2008 R2 SP1, which has limited support: last agent version "
            "1.39, Arc support ends on 2025-03-31" + WINDOWS_2008_NOTE,
            id="windows-2008-listed",
        ),
        pytest.param(
            UBUNTU_1604,
            NEW,
            "error",
            "aws_instance.app onboards Ubuntu 16.04, which has limited support: last agent version 1.44, Arc support "
            "ended on 2025-07-15 (no longer listed in the 2026-08-20 support table)",
            id="ubuntu-1604-left-the-table",
        ),
        pytest.param(
            UBUNTU_1604,
            OLD,
            "warning",
            "aws_instance.app onboards Ubuntu 16.04, which has limited support: last agent version 1.44, Arc support "
            "ends on 2025-07-15",
            id="ubuntu-1604-listed",
        ),
    ],
)
def test_arc402_notes(
    project, image: tuple[str, str, str], table: tuple[str, datetime.date], severity: str, message: str
) -> None:
    owner, name, connect = image
    edition, as_of = table
    tf = MACHINE.replace("OWNER", owner).replace("NAME", name).replace("CONNECT", connect)
    report = project({"main.tf": tf}, matrix=edition, as_of=as_of)
    assert brief(report) == [("ARC402", "main.tf", 9, "aws_instance.app", severity)]
    assert report.findings[0].message == message
    assert [(e.line, e.text) for e in report.findings[0].evidence] == [
        (1, f"aws_ami os: owners [{owner!r}], name {name}"),
        (12, connect),
    ]
