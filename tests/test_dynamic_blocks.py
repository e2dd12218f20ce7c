"""Terraform ``dynamic`` blocks: the nested blocks they produce carry onboarding and spot settings like written ones."""

from __future__ import annotations

from conftest import brief

SPOT_MARKET = """variable "markets" {
  default = ["spot"]
}

resource "aws_instance" "batch" {
  ami       = "ami-1"
  user_data = "azcmagent connect -g rg -l westeurope"

  dynamic "instance_market_options" {
    for_each = var.markets
    content {
      market_type = instance_market_options.value
    }
  }
}
"""


def test_a_dynamic_block_that_asks_for_spot_capacity_is_arc302(project) -> None:
    report = project({"main.tf": SPOT_MARKET})
    assert brief(report, "ARC302") == [("ARC302", "main.tf", 5, "aws_instance.batch", "warning")]


def test_a_dynamic_block_with_an_empty_for_each_produces_nothing(project) -> None:
    report = project({"main.tf": SPOT_MARKET}, variables=(("markets", "[]"),))
    assert brief(report, "ARC302") == []


EXTENSION = """resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name      = "web"
  sku       = "Standard_D2s_v5"
  instances = 2

  dynamic "extension" {
    for_each = { arc = "azcmagent connect --resource-group rg --location westeurope" }
    ITERATOR
    content {
      name                 = NAME.key
      publisher            = "Microsoft.Azure.Extensions"
      type                 = "CustomScript"
      type_handler_version = "2.1"
      settings             = jsonencode({ commandToExecute = NAME.value })
    }
  }
}
"""


def _extension(iterator: str | None) -> str:
    name = iterator or "extension"
    return EXTENSION.replace("ITERATOR", f"iterator = {iterator}" if iterator else "").replace("NAME", name)


def _onboarding_findings(report) -> list[tuple[str, str, int, str, str, list[tuple[int, str]]]]:
    return [(*b, [(e.line, e.text) for e in f.evidence]) for b, f in zip(brief(report), report.findings, strict=True)]


EXPECTED = [
    (
        "ARC101",
        "main.tf",
        1,
        "azurerm_linux_virtual_machine_scale_set.web",
        "error",
        [(14, "azcmagent connect --resource-group rg --location westeurope")],
    ),
    (
        "ARC301",
        "main.tf",
        1,
        "azurerm_linux_virtual_machine_scale_set.web",
        "warning",
        [(14, "azcmagent connect --resource-group rg --location westeurope")],
    ),
]


def test_a_dynamic_extension_block_that_connects_is_onboarding(project) -> None:
    assert _onboarding_findings(project({"main.tf": _extension(None)})) == EXPECTED


def test_a_dynamic_block_with_an_iterator_name(project) -> None:
    assert _onboarding_findings(project({"main.tf": _extension("ext")})) == EXPECTED
