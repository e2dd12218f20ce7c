"""No secret value is printed, in any output format."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from arclint.cli import FORMATS, main
from conftest import write

SECRETS = (
    "S3cr3t-Literal-Value-123",
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.c2VjcmV0",
    "SensitiveVarValue-987",
    "TfvarsSensitive-456",
    "AccountKeyValue0123456789==",
)

TF = f"""
variable "arc_secret" {{
  type      = string
  sensitive = true
  default   = "{SECRETS[2]}"
}}

variable "tag_secret" {{
  type      = string
  sensitive = true
}}

"""

LINES = (
    f'azcmagent connect --service-principal-id 00000000-0000-0000-0000-000000000000 --service-principal-secret "{SECRETS[0]}" -g rg -l westeurope',
    f"azcmagent connect --access-token {SECRETS[1]} -g rg -l westeurope",
    'azcmagent connect -g rg -l westeurope --service-principal-id abc -p "${var.arc_secret}"',
    'azcmagent connect -g rg -l westeurope --config /etc/arc.json --tags "note=${var.tag_secret}"',
    f'azcmagent connect -g rg -l westeurope --config "DefaultEndpointsProtocol=https;AccountName=x;AccountKey={SECRETS[4]}"',
)

TF += "".join(
    f"""
resource "azurerm_linux_virtual_machine" "vm{i}" {{
  name        = "vm{i}"
  size        = "Standard_B2s"
  custom_data = base64encode(<<-EOT
    #!/bin/bash
    {line}
  EOT
  )
}}
"""
    for i, line in enumerate(LINES)
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_planted_secrets_never_appear(tmp_path: Path, fmt: str) -> None:
    write(tmp_path, {"main.tf": TF, "terraform.tfvars": f'tag_secret = "{SECRETS[3]}"\n'})
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["scan", ".", "--format", fmt], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert result.stdout.count("ARC101") >= len(LINES)
    for secret in SECRETS:
        assert secret not in result.stdout
        assert secret not in result.stderr
    assert "****" in result.stdout
