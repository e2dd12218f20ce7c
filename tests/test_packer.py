"""Packer builds: variables from PKR_VAR_* and their precedence, provisioner only/except, the Ansible provisioner."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import brief

SOURCE = """source "amazon-ebs" "%s" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  ssh_username  = "ubuntu"
  ami_name      = "%s"
  source_ami_filter {
    owners  = ["099720109477"]
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }
  }
}
"""


def _arc201(report) -> list[tuple[str, int, str, list[tuple[str, int, str]]]]:
    """(file, line, resource, evidence) of each ARC201; the only findings there may be."""
    assert [f.rule for f in report.findings] == ["ARC201"] * len(report.findings)
    return [(f.file, f.line, f.resource, [(e.file, e.line, e.text) for e in f.evidence]) for f in report.findings]


# --- variables: defaults, PKR_VAR_*, *.auto.pkrvars.hcl, --var-file, --var (each later one wins) ---------------------

VARIABLE_BUILD = (
    'variable "rg" {\n  default = "rg-default"\n}\n\n'
    + SOURCE % ("golden", "golden")
    + '\nbuild {\n  sources = ["source.amazon-ebs.golden"]\n\n'
    + '  provisioner "shell" {\n    inline = ["azcmagent connect -g ${var.rg} -l westeurope"]\n  }\n}\n'
)


def _connect_line(project, files: dict[str, str] | None = None, **options: object) -> str:
    report = project({"build.pkr.hcl": VARIABLE_BUILD, **(files or {})}, **options)
    [(file, line, resource, evidence)] = _arc201(report)
    assert (file, line, resource) == ("build.pkr.hcl", 16, "amazon-ebs.golden")
    [(at, at_line, text)] = evidence
    assert (at, at_line) == ("build.pkr.hcl", 20)
    return str(text)


def test_pkr_var_environment_variable_sets_a_packer_variable(project) -> None:
    assert _connect_line(project) == "azcmagent connect -g rg-default -l westeurope"
    assert _connect_line(project, env={"PKR_VAR_rg": "rg-env"}) == "azcmagent connect -g rg-env -l westeurope"


def test_tf_var_does_not_set_a_packer_variable(project) -> None:
    assert _connect_line(project, env={"TF_VAR_rg": "rg-tf"}) == "azcmagent connect -g rg-default -l westeurope"


@pytest.mark.parametrize(
    ("layers", "winner"),
    [
        (("env",), "rg-env"),
        (("env", "auto"), "rg-auto"),
        (("env", "auto", "var-file"), "rg-file"),
        (("env", "auto", "var-file", "var"), "rg-cli"),
    ],
)
def test_packer_variable_precedence(project, layers: tuple[str, ...], winner: str) -> None:
    files: dict[str, str] = {"prod.pkrvars.hcl": 'rg = "rg-file"\n'}
    options: dict[str, object] = {}
    if "env" in layers:
        options["env"] = {"PKR_VAR_rg": "rg-env"}
    if "auto" in layers:
        files["site.auto.pkrvars.hcl"] = 'rg = "rg-auto"\n'
    if "var-file" in layers:
        options["var_files"] = (Path("prod.pkrvars.hcl"),)
    if "var" in layers:
        options["variables"] = (("rg", "rg-cli"),)
    assert _connect_line(project, files, **options) == f"azcmagent connect -g {winner} -l westeurope"


# --- provisioner only / except: a step that does not run for a source does not count for it ------------------------

TWO_SOURCES = SOURCE % ("golden", "golden") + "\n" + SOURCE % ("lab", "lab")  # 21 lines
ONLY_EXCEPT_BUILD = """
build {
  name    = "images"
  sources = ["source.amazon-ebs.golden", "source.amazon-ebs.lab"]

  provisioner "shell" {
    FILTER
    inline = ["azcmagent connect -g rg-lab -l westeurope"]
  }
}
"""


@pytest.mark.parametrize(
    "step_filter",
    ['only = ["amazon-ebs.lab"]', 'except = ["amazon-ebs.golden"]'],
    ids=["only", "except"],
)
def test_a_connect_in_a_provisioner_filtered_out_for_a_source_does_not_count_for_it(project, step_filter: str) -> None:
    report = project({"build.pkr.hcl": TWO_SOURCES + ONLY_EXCEPT_BUILD.replace("FILTER", step_filter)})
    assert _arc201(report) == [
        (
            "build.pkr.hcl",
            23,
            "build.images[amazon-ebs.lab]",
            [("build.pkr.hcl", 29, "azcmagent connect -g rg-lab -l westeurope")],
        )
    ]


@pytest.mark.parametrize(
    "step_filter", ['only = ["amazon-ebs.other"]', 'except = ["amazon-ebs.golden", "amazon-ebs.lab"]']
)
def test_a_provisioner_filtered_out_for_every_source_counts_for_none(project, step_filter: str) -> None:
    report = project({"build.pkr.hcl": TWO_SOURCES + ONLY_EXCEPT_BUILD.replace("FILTER", step_filter)})
    assert brief(report) == []


# --- the Ansible provisioners: the playbook is scanned ---------------------------------------------------------------

PLAYBOOK = """- hosts: all
  become: true
  tasks:
    - name: Install the agent
      ansible.builtin.shell: bash /tmp/install_linux_azcmagent.sh
    - name: Connect to Azure Arc
      ansible.builtin.command: >
        azcmagent connect --resource-group rg-arc --location westeurope
"""


@pytest.mark.parametrize("provisioner", ["ansible", "ansible-local"])
def test_an_ansible_playbook_that_connects_is_arc201(project, provisioner: str) -> None:
    build = (
        '\nbuild {\n  sources = ["source.amazon-ebs.golden"]\n\n'
        f'  provisioner "{provisioner}" {{\n    playbook_file = "${{path.root}}/playbooks/arc.yml"\n  }}\n}}\n'
    )
    report = project({"build.pkr.hcl": SOURCE % ("golden", "golden") + build, "playbooks/arc.yml": PLAYBOOK})
    assert _arc201(report) == [
        (
            "build.pkr.hcl",
            12,
            "amazon-ebs.golden",
            [("playbooks/arc.yml", 8, "azcmagent connect --resource-group rg-arc --location westeurope")],
        )
    ]
