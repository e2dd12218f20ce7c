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
        "main.tf": 'locals {\n  a = local.b\n  b = "${local.a}"\n}\nresource "aws_instance" "x" {\n  user_data = local.a\n}\n',
    },
    "huge-count": {
        "main.tf": 'resource "aws_instance" "x" {\n  count     = 1000000000\n  user_data = "azcmagent connect -g rg"\n}\n',
    },
    "doubling-locals": {
        "main.tf": 'locals {\n  a0 = "xxxxxxxx"\n'
        + "".join(f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"\n' for i in range(1, 64))
        + "  l0 = [1]\n"
        + "".join(f"  l{i} = [local.l{i - 1}, local.l{i - 1}]\n" for i in range(1, 64))
        + '}\nresource "aws_instance" "x" {\n  user_data = local.a63\n  tags = { t = jsonencode(local.l63) }\n}\n',
    },
    "huge-for-each": {
        "main.tf": 'resource "aws_instance" "x" {\n  for_each  = toset([for i in range(100000) : tostring(i)])\n  user_data = "azcmagent connect -g rg"\n}\n',
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pathological_configuration_ends(case: str, tmp_path: Path) -> None:
    code, report = scan_process(write(tmp_path, CASES[case]))
    assert code in (0, 1)
    assert any(f["rule"] == "ARC002" for f in report["findings"]), report["findings"]
