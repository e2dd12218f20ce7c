"""The Azure side as model facts: Arc extensions tied to the machine that onboards, the onboarding identity
and its roles, and the configuration's resource provider registration (ARC407, ARC408, ARC501, ARC502)."""

from __future__ import annotations

from arclint.core.values import Span, Traced, Unknown, concat
from arclint.model.azure_side import _major
from arclint.model.flow import identity_refs
from arclint.model.signals import scan as scan_script

from conftest import brief, only

GRAVITON = """
data "aws_ami" "ubuntu" {
  owners = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*"]
  }
}
"""


def _machine(name: str, flags: str, size: str = "m7g.large") -> str:
    connect = f"azcmagent connect --resource-group rg --location westeurope {flags} --config /etc/arc.json"
    return f"""
resource "aws_instance" "{name}" {{
  ami           = data.aws_ami.ubuntu.id
  instance_type = "{size}"
  user_data     = "#!/bin/bash\\n{connect}\\n"
}}
"""


def _extension(name: str, machine: str, publisher: str, etype: str, extra: str = "") -> str:
    return f'''
resource "azurerm_arc_machine_extension" "{name}" {{
  name           = "{etype}"
  location       = "westeurope"
  arc_machine_id = {machine}
  publisher      = "{publisher}"
  type           = "{etype}"
{extra}}}
'''


ARC_DATA = """
data "azurerm_arc_machine" "m" {
  name                = "edge-01"
  resource_group_name = "rg"
%s}
"""


# --- extensions on Arc machines -------------------------------------------------------------------


def test_an_extension_is_a_fact_of_the_machine_that_connects_with_the_arc_machines_name(project) -> None:
    report = project(
        {
            "main.tf": GRAVITON
            + _machine("a", "--resource-name edge-01")
            + _machine("b", "--resource-name edge-02")
            + ARC_DATA % ""
            + _extension("gc", "data.azurerm_arc_machine.m.id", "Microsoft.GuestConfiguration", "ConfigurationforLinux")
            + _extension("mde", "data.azurerm_arc_machine.m.id", "Microsoft.Azure.AzureDefenderForServers", "MDE.Linux")
        }
    )
    assert [b for b in brief(report) if b[0] != "ARC002"] == [
        ("ARC407", "main.tf", 10, "aws_instance.a", "error"),
        ("ARC408", "main.tf", 10, "aws_instance.a", "warning"),
    ]
    arc408 = only(report, "ARC408")
    assert arc408.message.startswith(
        "aws_instance.a onboards on Arm64, and the extension "
        "Microsoft.Azure.AzureDefenderForServers/MDE.Linux is not known"
    )
    assert [(e.file, e.line) for e in arc408.evidence] == [("main.tf", 35), ("main.tf", 13), ("main.tf", 2)]


def test_an_explicit_dependency_ties_an_arc_machine_to_the_machine_without_a_resource_name(project) -> None:
    report = project(
        {
            "main.tf": GRAVITON
            + _machine("a", "")
            + ARC_DATA % "  depends_on = [aws_instance.a]\n"
            + _extension(
                "ct",
                "data.azurerm_arc_machine.m.id",
                "Microsoft.Azure.ChangeTrackingAndInventory",
                "ChangeTracking-Linux",
            )
        }
    )
    assert brief(report) == [("ARC408", "main.tf", 10, "aws_instance.a", "warning")]


def test_an_x64_machine_may_have_any_extension(project) -> None:
    report = project(
        {
            "main.tf": GRAVITON.replace("arm64", "amd64")
            + _machine("a", "--resource-name edge-01", "m7i.large")
            + ARC_DATA % ""
            + _extension("gc", "data.azurerm_arc_machine.m.id", "Microsoft.GuestConfiguration", "ConfigurationforLinux")
        }
    )
    assert brief(report) == []


def test_an_arc_machine_no_machine_of_the_configuration_onboards_as_is_unknown(project) -> None:
    report = project(
        {
            "main.tf": ARC_DATA % ""
            + _extension("gc", "data.azurerm_arc_machine.m.id", "Microsoft.GuestConfiguration", "ConfigurationforLinux")
            + _extension("ama", "data.azurerm_arc_machine.m.id", "Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent")
        }
    )
    assert brief(report) == [("ARC002", "main.tf", 7, "data.azurerm_arc_machine.m", "info")]
    assert report.findings[0].message == (
        "data.azurerm_arc_machine.m: cannot tell whether the Arc machine data.azurerm_arc_machine.m runs on Arm64: "
        "no machine of this configuration connects with its name as --resource-name or is referred to by it; "
        "the extension Microsoft.GuestConfiguration/ConfigurationforLinux (main.tf:7) is not known to work on Arm64"
    )


def test_two_machines_that_connect_with_the_same_name_leave_the_arc_machine_unknown(project) -> None:
    report = project(
        {
            "main.tf": GRAVITON
            + _machine("a", "--resource-name edge-01")
            + _machine("b", "--resource-name edge-01", "m7i.large")
            + ARC_DATA % ""
            + _extension("gc", "data.azurerm_arc_machine.m.id", "Microsoft.GuestConfiguration", "ConfigurationforLinux")
        }
    )
    unknown = [f for f in report.findings if f.rule == "ARC002" and f.resource == "data.azurerm_arc_machine.m"]
    assert [f.message.split(": ", 2)[2].split(";")[0] for f in unknown] == [
        "several machines of this configuration may be it (aws_instance.a, aws_instance.b)"
    ]
    assert [b for b in brief(report) if b[0] in ("ARC407", "ARC408")] == []


# --- the onboarding identity and its roles ----------------------------------------------------------

IDENTITY = """
resource "azuread_application" "arc" {
  display_name = "arc"
}
resource "azuread_service_principal" "arc" {
  client_id = azuread_application.arc.client_id
}
"""


def _onboarded(client_id: str) -> str:
    return f"""
resource "aws_instance" "web" {{
  ami           = "ami-1"
  instance_type = "m7i.large"
  user_data = templatefile("${{path.module}}/onboard.sh.tftpl", {{ client_id = {client_id} }})
}}
"""


ONBOARD = (
    "#!/bin/bash\nazcmagent connect --service-principal-id '${client_id}' --config /etc/arc.json -g rg -l westeurope\n"
)


def _grant(scope: str, role: str) -> str:
    return f"""
resource "azurerm_role_assignment" "g" {{
  scope        = {scope}
  {role}
  principal_id = azuread_service_principal.arc.object_id
}}
"""


def test_contributor_at_management_group_scope_from_a_role_definition_data_source(project) -> None:
    report = project(
        {
            "main.tf": IDENTITY
            + _onboarded("azuread_application.arc.client_id")
            + """
data "azurerm_role_definition" "contrib" {
  name = "Contributor"
}
"""
            + _grant(
                '"/providers/Microsoft.Management/managementGroups/platform"',
                "role_definition_id = data.azurerm_role_definition.contrib.id",
            ),
            "onboard.sh.tftpl": ONBOARD,
        }
    )
    assert brief(report, "ARC502") == [("ARC502", "main.tf", 9, "aws_instance.web", "warning")]
    assert report.findings[-1].message.startswith(
        "aws_instance.web onboards with azuread_service_principal.arc, which is granted Contributor "
        "at management group scope, more than onboarding needs"
    )


def test_the_onboarding_role_on_the_resource_group_is_fine(project) -> None:
    report = project(
        {
            "main.tf": IDENTITY
            + _onboarded("azuread_application.arc.client_id")
            + 'resource "azurerm_resource_group" "rg" {\n  name = "rg"\n  location = "westeurope"\n}\n'
            + _grant("azurerm_resource_group.rg.id", 'role_definition_name = "Azure Connected Machine Onboarding"'),
            "onboard.sh.tftpl": ONBOARD,
        }
    )
    assert brief(report, "ARC502") == []


def test_a_literal_service_principal_id_is_not_tied_to_an_identity(project) -> None:
    report = project(
        {
            "main.tf": IDENTITY
            + _onboarded('"00000000-0000-0000-0000-000000000001"')
            + _grant('"/subscriptions/00000000-0000-0000-0000-000000000000"', 'role_definition_name = "Owner"'),
            "onboard.sh.tftpl": ONBOARD,
        }
    )
    assert brief(report, "ARC502") == []


def test_an_identity_with_an_unknown_role_is_not_said_to_be_unable_to_onboard(project) -> None:
    report = project(
        {
            "main.tf": IDENTITY
            + _onboarded("azuread_service_principal.arc.client_id")
            + 'variable "role_id" {\n  type = string\n}\n'
            + _grant('"/subscriptions/s/resourceGroups/rg"', "role_definition_id = var.role_id"),
            "onboard.sh.tftpl": ONBOARD,
        }
    )
    assert brief(report, "ARC502") == []


def test_the_service_principal_id_is_followed_through_a_shell_variable_and_a_rendered_reference() -> None:
    text = concat(
        [
            "#!/bin/bash\nexport APP_ID='",
            Unknown(["after apply"], ["azuread_application.arc"]),
            "'\nexport SECRET='",
            Unknown(["after apply"], ["azuread_service_principal_password.arc"]),
            '\'\nazcmagent connect --service-principal-id "$APP_ID" --service-principal-secret "$SECRET"\n',
        ]
    )
    assert isinstance(text, Traced)
    connect = scan_script(text)[-1]
    assert identity_refs(text, connect) == frozenset({"azuread_application.arc"})
    inline = concat(
        [
            "azcmagent connect -g rg --service-principal-secret '",
            Unknown([], ["p.secret"]),
            "' -i '",
            Unknown([], ["a.b"]),
            "'\n",
        ]
    )
    assert identity_refs(inline, scan_script(inline)[0]) == frozenset({"a.b"})
    assert identity_refs(str(inline), scan_script(inline)[0]) == frozenset()  # plain text carries no references


def test_an_unknown_part_keeps_its_references_in_the_traced_text() -> None:
    text = concat([Traced.from_file("a ", "f.tf", 3), Unknown(["x"], ["azuread_application.arc"]), " b"])
    assert isinstance(text, Traced)
    assert Span(2, "", 0, frozenset({"azuread_application.arc"})) in text.spans
    assert text.refs_in(0, 2) == frozenset()
    assert text.refs_in(2, 6) == frozenset({"azuread_application.arc"})


# --- resource provider registration ---------------------------------------------------------------

PROVIDER = """
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "%s"
    }
  }
}

provider "azurerm" {
  features {}
%s}
"""
ARC_MACHINE = (
    'resource "azurerm_arc_machine" "m" {\n'
    '  name = "m"\n'
    '  resource_group_name = "rg"\n'
    '  location = "westeurope"\n'
    '  kind = "AWS"\n'
    "}\n"
)


def test_automatic_registration_modes_are_left_to_the_subscription(project) -> None:
    # with registration on, HybridCompute may already be registered in the subscription: not knowable here
    for mode in ("all", "legacy", "extended"):
        report = project(
            {"main.tf": PROVIDER % ("~> 4.0", f'  resource_provider_registrations = "{mode}"\n') + ARC_MACHINE}
        )
        assert brief(report) == []
    assert brief(project({"main.tf": PROVIDER % ("~> 4.0", "") + ARC_MACHINE})) == []  # v4 default: legacy


def test_the_v5_default_registers_nothing(project) -> None:
    report = project({"main.tf": PROVIDER % ("~> 5.1", "") + ARC_MACHINE})
    assert report.findings[0].message.startswith(
        "provider.azurerm registers no resource providers (the v5 default) by itself, "
        "and nothing in the configuration registers Microsoft.HybridCompute, Microsoft.GuestConfiguration, "
        "Microsoft.HybridConnectivity,"
    )


def test_a_version_range_is_arc002_not_a_guess(project) -> None:
    report = project({"main.tf": PROVIDER % (">= 3.0", "") + ARC_MACHINE})
    assert brief(report) == [("ARC002", "main.tf", 11, "provider.azurerm", "info")]
    assert "the azurerm version constraint '>= 3.0' does not pin a major version" in report.findings[0].message
    assert (
        "register Microsoft.HybridCompute, Microsoft.HybridConnectivity with azurerm_resource_provider_registration"
        in report.findings[0].message
    )


def test_no_arc_use_or_no_azurerm_provider_is_not_flagged(project) -> None:
    assert (
        brief(
            project(
                {
                    "a/main.tf": PROVIDER % ("~> 4.0", "")
                    + 'resource "azurerm_resource_group" "rg" {\n  name = "rg"\n  location = "westeurope"\n}\n'
                }
            )
        )
        == []
    )
    assert brief(project({"b/main.tf": ARC_MACHINE})) == []


def test_major_versions_from_constraints() -> None:
    assert [_major(c) for c in ("~> 4.0", "~> 5.2.1", "=3.117.0", "4.10.0", ">= 4.0", "~> 4", None)] == [
        4,
        5,
        3,
        4,
        None,
        None,
        None,
    ]
