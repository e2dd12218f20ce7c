"""No secret value is printed, in any output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from arclint.cli import FORMATS

from conftest import Cli, brief, only, write

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
    (
        "azcmagent connect --service-principal-id 00000000-0000-0000-0000-000000000000 "
        f'--service-principal-secret "{SECRETS[0]}" -g rg -l westeurope'
    ),
    f"azcmagent connect --access-token {SECRETS[1]} -g rg -l westeurope",
    'azcmagent connect -g rg -l westeurope --service-principal-id abc -p "${var.arc_secret}"',
    'azcmagent connect -g rg -l westeurope --config /etc/arc.json --tags "note=${var.tag_secret}"',
    (
        "azcmagent connect -g rg -l westeurope --config "
        f'"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={SECRETS[4]}"'
    ),
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


SHOWN = {"sarif": (13, 4, 9), "junit": (10, 8, 8), "markdown": (5, 3, 0), "gitlab": (10, 6, 0)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_planted_secrets_never_appear(cli: Cli, tmp_path: Path, fmt: str) -> None:
    write(tmp_path, {"main.tf": TF, "terraform.tfvars": f'tag_secret = "{SECRETS[3]}"\n'})
    code, out, err = cli.scan(tmp_path, ".", "--format", fmt)
    assert (code, err) == (1, "")
    for secret in SECRETS:
        assert secret not in out
    # each ARC101 and each of the three ARC504 (the literals and the committed default) shows its line, masked;
    # the other formats repeat rule ids (SARIF: the rules list; JUnit: a case per target and rule; GitLab: the
    # description and check name), and Markdown and GitLab show no evidence
    assert (out.count("ARC101"), out.count("ARC504"), out.count("****")) == SHOWN.get(
        fmt, (len(LINES), 3, len(LINES) + 3)
    )


# --- ARC504: a literal secret is a finding, and never printed in any format ---------------------

LITERAL = "Lq7~Vd2xRt9pWm4ZsK1bNc8HjY3fGa6Ue"
CONNECT_TF = (
    f"""
resource "aws_instance" "arc" {{
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
  user_data     = <<-EOT
    #!/bin/bash
    azcmagent connect --service-principal-id 5c0b7d7e-8a52-4f4b-9d0e-0f6b5a3c2e11 """
    f"""--service-principal-secret "{LITERAL}" \\
      --tenant-id 72f988bf-86f1-41af-91ab-2d7cd011db47 --resource-group rg-arc --location westeurope
  EOT
}}
"""
)


def test_a_literal_secret_is_arc504_and_appears_in_no_output(cli: Cli, tmp_path: Path) -> None:
    from arclint.report import REPORTERS

    write(tmp_path, {"main.tf": CONNECT_TF})
    seen = 0
    for fmt in REPORTERS:
        shown = cli("scan", ".", "--format", fmt, cwd=tmp_path)
        written = cli("scan", ".", "--format", fmt, "-o", f"report.{fmt}", cwd=tmp_path)
        saved = (tmp_path / f"report.{fmt}").read_text(encoding="utf-8")
        for code, out, err in (shown, written):
            assert code == 1
            assert LITERAL not in out and LITERAL not in err
        assert LITERAL not in saved
        assert "ARC504" in shown[1] and "ARC504" in saved
        assert ("****" in saved) == (fmt not in ("markdown", "gitlab"))  # these two show no evidence
        seen += 1
    assert seen == len(REPORTERS) >= 2
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    arc504 = [f for f in data["findings"] if f["rule"] == "ARC504"]
    assert [(f["file"], f["line"], f["resource"], f["severity"]) for f in arc504] == [
        ("main.tf", 2, "aws_instance.arc", "error")
    ]
    assert [(e["file"], e["line"]) for e in arc504[0]["evidence"]] == [("main.tf", 7)]
    assert arc504[0]["evidence"][0]["text"].startswith(
        "azcmagent connect --service-principal-id 5c0b7d7e-8a52-4f4b-9d0e-0f6b5a3c2e11 "
        '--service-principal-secret "****" --tenant-id'
    )


def _arc504(project, line: str) -> list[tuple[str, str, int, str, str]]:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace(f'--service-principal-secret "{LITERAL}"', line)
    return brief(project({"main.tf": tf}), "ARC504")


@pytest.mark.parametrize(
    "flag",
    [
        '--service-principal-secret "<secret>"',
        "--service-principal-secret xxxx",
        "-p REPLACE_ME",
        '--service-principal-secret "$${SECRET}"',
        '--service-principal-secret "$(cat /run/secrets/arc-sp)"',
        '--service-principal-secret "$SP_SECRET"',
        "--access-token $ARC_TOKEN",
    ],
)
def test_placeholders_and_variables_are_info_not_errors(project, flag: str) -> None:  # type: ignore[no-untyped-def]
    assert _arc504(project, flag) == [("ARC504", "main.tf", 2, "aws_instance.arc", "info")]


@pytest.mark.parametrize(
    "flag", ['-p "kT9~realLookingSecret42"', "--access-token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.abc"]
)
def test_literal_short_flag_and_token_are_errors(project, flag: str) -> None:  # type: ignore[no-untyped-def]
    assert _arc504(project, flag) == [("ARC504", "main.tf", 2, "aws_instance.arc", "error")]


def test_config_file_and_certificate_are_not_arc504(project) -> None:  # type: ignore[no-untyped-def]
    assert _arc504(project, "--config /run/arc/connect.json") == []
    assert _arc504(project, "--service-principal-cert /etc/arc/sp.pem") == []


def test_a_terraform_variable_default_rendered_into_the_script_is_an_error_and_masked(project) -> None:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace(LITERAL, "${var.sp_secret}") + f'variable "sp_secret" {{\n  default = "{LITERAL}"\n}}\n'
    report = project({"main.tf": tf})
    assert brief(report, "ARC504") == [("ARC504", "main.tf", 2, "aws_instance.arc", "error")]
    assert all(LITERAL not in f.message and all(LITERAL not in e.text for e in f.evidence) for f in report.findings)


def test_the_same_variable_without_a_value_is_info(project) -> None:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace(LITERAL, "${var.sp_secret}") + 'variable "sp_secret" {\n  sensitive = true\n}\n'
    assert brief(project({"main.tf": tf}), "ARC504") == [("ARC504", "main.tf", 2, "aws_instance.arc", "info")]


def test_a_secret_given_from_outside_with_tf_var_or_var_is_info_not_an_error(project) -> None:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace(LITERAL, "${var.sp_secret}") + 'variable "sp_secret" {\n  sensitive = true\n}\n'
    from_env = project({"main.tf": tf}, env={"TF_VAR_sp_secret": LITERAL})
    assert brief(from_env, "ARC504") == [("ARC504", "main.tf", 2, "aws_instance.arc", "info")]
    assert LITERAL not in repr(from_env.findings)
    from_cli = project({"main.tf": tf}, variables=(("sp_secret", LITERAL),))
    assert brief(from_cli, "ARC504") == [("ARC504", "main.tf", 2, "aws_instance.arc", "info")]
    # the same value committed as a default stays an error
    committed = project(
        {"main.tf": tf.replace("  sensitive = true\n", f'  sensitive = true\n  default   = "{LITERAL}"\n')}
    )
    assert brief(committed, "ARC504") == [("ARC504", "main.tf", 2, "aws_instance.arc", "error")]


def test_a_script_variable_assigned_a_literal_is_an_error_at_the_assignment(project) -> None:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace("    #!/bin/bash\n", f'    #!/bin/bash\n    SP_PASS="{LITERAL}"\n').replace(
        f'"{LITERAL}" \\', '"$SP_PASS" \\'
    )
    report = project({"main.tf": tf})
    f = only(report, "ARC504")
    assert (f.severity, [(e.file, e.line) for e in f.evidence]) == ("error", [("main.tf", 7), ("main.tf", 8)])
    assert f.evidence[0].text == "SP_PASS=****"
    assert "--service-principal-secret $SP_PASS" in f.message
    assert LITERAL not in repr(report.findings)


def test_a_secret_without_a_connect_is_not_arc504(project) -> None:  # type: ignore[no-untyped-def]
    tf = CONNECT_TF.replace("azcmagent connect", "echo would run: az login")
    assert brief(project({"main.tf": tf}), "ARC504") == []


def test_a_secret_read_by_a_command_is_not_a_literal() -> None:
    from arclint.model.signals import scan

    text = (
        "$servicePrincipalSecret = Get-Content C:\\ProgramData\\arc\\secret.txt\n"
        '& azcmagent.exe connect --service-principal-id "$id" '
        '--service-principal-secret "$servicePrincipalSecret" -g rg\n'
    )
    assert [dict(s.detail)["value"] for s in scan(text) if s.kind == "secret"] == ["variable"]
    written = 'SP="kT9~realLookingSecret" # from the portal\nazcmagent connect --service-principal-secret "$SP" -g rg\n'
    assert [dict(s.detail)["value"] for s in scan(written) if s.kind == "secret"] == ["literal"]
