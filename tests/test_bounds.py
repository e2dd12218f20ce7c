"""Evaluation never loops or explodes: pathological configurations end with ARC002, within a bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import brief, scan_process, write

CASES = {
    "recursive-modules": {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    },
    "self-referencing-locals": {
        "main.tf": (
            'locals {\n  a = local.b\n  b = "${local.a}"\n}\nresource "aws_instance" "x" {\n  user_data = local.a\n}\n'
        ),
    },
    "huge-count": {
        "main.tf": (
            'resource "aws_instance" "x" {\n  count     = 1000000000\n  user_data = "azcmagent connect -g rg"\n}\n'
        ),
    },
    "doubling-locals": {
        "main.tf": 'locals {\n  a0 = "xxxxxxxx"\n'
        + "".join(f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"\n' for i in range(1, 64))
        + "  l0 = [1]\n"
        + "".join(f"  l{i} = [local.l{i - 1}, local.l{i - 1}]\n" for i in range(1, 64))
        + '}\nresource "aws_instance" "x" {\n  user_data = local.a63\n  tags = { t = jsonencode(local.l63) }\n}\n',
    },
    "huge-for-each": {
        "main.tf": (
            'resource "aws_instance" "x" {\n'
            "  for_each  = toset([for i in range(100000) : tostring(i)])\n"
            '  user_data = "azcmagent connect -g rg"\n'
            "}\n"
        ),
    },
}


# (file, line, resource, message) of the one ARC002 each case ends with
ENDS_AS = {
    "recursive-modules": (
        "b/main.tf",
        1,
        "module.a.module.b.module.a",
        "module.a.module.b.module.a: cannot tell what this module creates: "
        "module.a.module.b.module.a calls itself (recursive modules); it is not evaluated",
    ),
    "self-referencing-locals": (
        "main.tf",
        5,
        "aws_instance.x",
        "aws_instance.x: cannot tell whether user_data onboards the agent: local.a refers to itself",
    ),
    "huge-count": (
        "main.tf",
        1,
        "aws_instance.x",
        "aws_instance.x: cannot tell how many machines it creates: count = 1000000000 is more than "
        "the 256 instances arclint expands; they are checked as one",
    ),
    "doubling-locals": (
        "main.tf",
        131,
        "aws_instance.x",
        "aws_instance.x: cannot tell whether user_data onboards the agent:"
        " string longer than arclint's limit of 16 MB; not evaluated",
    ),
    "huge-for-each": (
        "main.tf",
        1,
        "aws_instance.x",
        "aws_instance.x: cannot tell how many machines it creates: for_each has 100000 keys, more than "
        "the 256 instances arclint expands; they are checked as one",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pathological_configuration_ends_as_one_arc002(case: str, tmp_path: Path) -> None:
    code, report = scan_process(write(tmp_path, CASES[case]))
    file, line, resource, message = ENDS_AS[case]
    assert (code, report["errors"]) == (0, [])
    assert brief(report) == [("ARC002", file, line, resource, "info")]
    assert report["findings"][0]["message"] == message
