"""The condition language of user policies (``--policy-dir``): ``any``, ``not``, ``contains``, ``exists``,
``matches``, ``less-than``.

Three AWS machines: ``spot`` connects on spot capacity from an Ubuntu image, ``plain`` connects on demand from an
AMI id (OS unknown), ``idle`` runs nothing on spot capacity from the Ubuntu image. Each operator has a policy that
holds only because of it, and a near miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import policy_yaml, write

MACHINES = """data "aws_ami" "jammy" {
  owners = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

resource "aws_instance" "spot" {
  ami       = data.aws_ami.jammy.id
  user_data = "azcmagent connect -g rg -l westeurope"
  instance_market_options {
    market_type = "spot"
  }
}

resource "aws_instance" "plain" {
  ami       = "ami-1"
  user_data = "azcmagent connect -g rg -l westeurope"
}

resource "aws_instance" "idle" {
  ami = data.aws_ami.jammy.id
  instance_market_options {
    market_type = "spot"
  }
}
"""
LINES = {"aws_instance.spot": 9, "aws_instance.plain": 17, "aws_instance.idle": 22}


def _fires_on(project, tmp_path: Path, when: str) -> list[tuple[str, str, int, str, str]]:
    write(tmp_path / "policies", {"org.yaml": policy_yaml("ORG100", when, "{platforms: [aws]}")})
    report = project({"main.tf": MACHINES}, policy_dirs=(tmp_path / "policies",))
    return [(f.rule, f.file, f.line, f.resource, f.severity) for f in report.findings if f.rule == "ORG100"]


def _expect(*resources: str) -> list[tuple[str, str, int, str, str]]:
    return [("ORG100", "main.tf", LINES[r], r, "warning") for r in sorted(resources, key=LINES.__getitem__)]


CASES = [
    # any: plain only connects, idle is only spot; all three hold one of the two
    pytest.param(
        "{any: [{fact: onboarding.connects, equals: true}, {fact: lifecycle.spot, equals: true}]}",
        ("aws_instance.spot", "aws_instance.plain", "aws_instance.idle"),
        id="any",
    ),
    pytest.param(
        "{any: [{fact: platform, equals: gcp}, {fact: type, equals: aws_launch_template}]}", (), id="any-none"
    ),
    # not: the on-demand machine only
    pytest.param("{not: {fact: lifecycle.spot, equals: true}}", ("aws_instance.plain",), id="not"),
    pytest.param("{not: {fact: platform, equals: aws}}", (), id="not-none"),
    # contains: an item of a list fact, a substring of a string fact, never part of a bool
    pytest.param("{fact: lifecycle, contains: spot}", ("aws_instance.spot", "aws_instance.idle"), id="contains-item"),
    pytest.param("{fact: address, contains: pla}", ("aws_instance.plain",), id="contains-substring"),
    pytest.param("{fact: lifecycle, contains: group}", (), id="contains-none"),
    pytest.param("{fact: onboarding.connects, contains: true}", (), id="contains-in-a-bool"),
    # exists: the OS is known from the image for spot and idle, not from an AMI id
    pytest.param("{fact: os.family, exists: true}", ("aws_instance.spot", "aws_instance.idle"), id="exists"),
    pytest.param("{fact: os.family, exists: false}", ("aws_instance.plain",), id="exists-false"),
    # matches: a glob over a string fact, ignoring case; never a list or an unknown
    pytest.param(
        "{fact: address, matches: 'AWS_INSTANCE.[ps]*'}", ("aws_instance.spot", "aws_instance.plain"), id="matches"
    ),
    pytest.param("{fact: address, matches: 'instance.*'}", (), id="matches-whole-value"),
    pytest.param("{fact: lifecycle, matches: 'spot'}", (), id="matches-not-a-list"),
    pytest.param("{fact: os.family, matches: '*'}", ("aws_instance.spot", "aws_instance.idle"), id="matches-unknown"),
    # less-than: a number fact (the AMI id leaves plain's OS unknown); never a bool or an unknown
    pytest.param("{fact: unknowns, less-than: 1}", ("aws_instance.spot", "aws_instance.idle"), id="less-than"),
    pytest.param("{fact: unknowns, less-than: 0}", (), id="less-than-none"),
    pytest.param("{fact: onboarding.connects, less-than: 2}", (), id="less-than-a-bool"),
    pytest.param("{fact: size.vcpus, less-than: 100}", (), id="less-than-unknown"),
]


@pytest.mark.parametrize(("when", "resources"), CASES)
def test_condition(project, tmp_path: Path, when: str, resources: tuple[str, ...]) -> None:
    assert _fires_on(project, tmp_path, when) == _expect(*resources)
