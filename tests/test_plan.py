"""Terraform plan JSON: planned resources as neutral blocks with addresses, actions and unknowns."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from arclint.core.errors import LoadError
from arclint.load.plan import FAST_PATH_CHARS, PlanResource, config_address, is_plan, load_plan

CUSTOM_DATA = base64.b64encode(b"#!/bin/bash\nazcmagent connect --resource-group rg-arc\n").decode()
VM_TYPE = "azurerm_linux_virtual_machine"


def _res(
    address: str, rtype: str, name: str, values: dict[str, Any], *, index: Any = None, mode: str = "managed"
) -> dict[str, Any]:
    res: dict[str, Any] = {"address": address, "mode": mode, "type": rtype, "name": name}
    if index is not None:
        res["index"] = index
    res.update(
        {
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "schema_version": 0,
            "values": values,
            "sensitive_values": {},
        }
    )
    return res


def _change(
    address: str, module: str | None, actions: list[str], after_unknown: dict[str, Any] | None = None
) -> dict[str, Any]:
    rtype, name = config_address(address).split(".")[-2:]
    change: dict[str, Any] = {
        "address": address,
        "mode": "data" if ".data." in f".{address}" else "managed",
        "type": rtype,
        "name": name,
    }
    if module:
        change["module_address"] = module
    change["change"] = {"actions": actions, "before": None, "after": {}, "after_unknown": after_unknown or {}}
    return change


def _vm_values(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "location": "westeurope",
        "size": "Standard_B2s",
        "admin_username": "azureuser",
        "admin_password": "S3cret-Passw0rd!",
        "custom_data": CUSTOM_DATA,
        "id": None,
        "private_ip_address": None,
        "tags": {"env": "dev", "arc": "true"},
        "source_image_reference": [
            {
                "publisher": "Canonical",
                "offer": "0001-com-ubuntu-server-jammy",
                "sku": "22_04-lts-gen2",
                "version": "latest",
            }
        ],
        "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS", "name": None}],
        "identity": [],
    }


def _plan() -> dict[str, Any]:
    """A plan with root, count, for_each, nested module, data source, delete and replace."""
    root_vm = "azurerm_linux_virtual_machine.root"
    count0, count1 = "azurerm_network_interface.nic[0]", "azurerm_network_interface.nic[1]"
    each_a, each_b = (
        'module.vm["a"].azurerm_linux_virtual_machine.this',
        'module.vm["b"].azurerm_linux_virtual_machine.this',
    )
    deep = "module.a.module.b.azurerm_virtual_machine_extension.arc"
    doomed, replaced = "azurerm_resource_group.old", "azurerm_resource_group.rg"
    data_img = "data.azurerm_image.golden"
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": {"location": {"value": "westeurope"}},
        "planned_values": {
            "root_module": {
                "resources": [
                    _res(
                        data_img,
                        "azurerm_image",
                        "golden",
                        {"name": "golden", "resource_group_name": "rg-images", "id": "/subscriptions/0/images/golden"},
                        mode="data",
                    ),
                    _res(root_vm, VM_TYPE, "root", _vm_values("vm-root")),
                    _res(count0, "azurerm_network_interface", "nic", {"name": "nic-0"}, index=0),
                    _res(count1, "azurerm_network_interface", "nic", {"name": "nic-1"}, index=1),
                    _res(doomed, "azurerm_resource_group", "old", {"name": "rg-old"}),
                    _res(replaced, "azurerm_resource_group", "rg", {"name": "rg-arc", "location": "westeurope"}),
                ],
                "child_modules": [
                    {
                        "address": 'module.vm["a"]',
                        "resources": [_res(each_a, VM_TYPE, "this", _vm_values("vm-a"), index="a")],
                    },
                    {
                        "address": 'module.vm["b"]',
                        "resources": [_res(each_b, VM_TYPE, "this", _vm_values("vm-b"), index="b")],
                    },
                    {
                        "address": "module.a",
                        "child_modules": [
                            {
                                "address": "module.a.module.b",
                                "resources": [
                                    _res(
                                        deep,
                                        "azurerm_virtual_machine_extension",
                                        "arc",
                                        {
                                            "name": "AzureMonitorLinuxAgent",
                                            "publisher": "Microsoft.Azure.Monitor",
                                            "virtual_machine_id": None,
                                            "settings": None,
                                        },
                                    ),
                                ],
                            }
                        ],
                    },
                ],
            }
        },
        "resource_changes": [
            _change(data_img, None, ["read"]),
            _change(
                root_vm,
                None,
                ["create"],
                {"id": True, "private_ip_address": True, "os_disk": [{"name": True}], "identity": []},
            ),
            _change(count0, None, ["create"]),
            _change(count1, None, ["no-op"]),
            _change(doomed, None, ["delete"]),
            _change(replaced, None, ["delete", "create"]),
            _change(each_a, 'module.vm["a"]', ["create"], {"id": True}),
            _change(each_b, 'module.vm["b"]', ["update"]),
            _change(deep, "module.a.module.b", ["create"], {"virtual_machine_id": True}),
        ],
        "configuration": {
            "root_module": {"resources": [{"address": root_vm, "mode": "managed", "type": VM_TYPE, "name": "root"}]}
        },
    }


@pytest.fixture(scope="module")
def plan_text() -> str:
    return json.dumps(_plan(), indent=2)


@pytest.fixture(scope="module")
def resources(plan_text: str) -> dict[str, PlanResource]:
    return {r.address: r for r in load_plan(plan_text, "plan.json")}


def _line_of_object(text: str, address: str) -> int:
    """Line of the ``{`` that opens the planned_values entry with this address."""
    needle = f'"address": {json.dumps(address)}'
    pos = text.index(needle, text.index('"planned_values"'))
    return text.count("\n", 0, text.rindex("{", 0, pos)) + 1


def test_every_planned_resource_in_plan_order(plan_text: str) -> None:
    addresses = [r.address for r in load_plan(plan_text, "plan.json")]
    assert addresses == [
        "data.azurerm_image.golden",
        "azurerm_linux_virtual_machine.root",
        "azurerm_network_interface.nic[0]",
        "azurerm_network_interface.nic[1]",
        "azurerm_resource_group.rg",
        'module.vm["a"].azurerm_linux_virtual_machine.this',
        'module.vm["b"].azurerm_linux_virtual_machine.this',
        "module.a.module.b.azurerm_virtual_machine_extension.arc",
    ]


def test_root_resource(resources: dict[str, PlanResource]) -> None:
    vm = resources["azurerm_linux_virtual_machine.root"]
    assert (vm.config_address, vm.mode, vm.type, vm.name, vm.actions) == (
        "azurerm_linux_virtual_machine.root",
        "managed",
        VM_TYPE,
        "root",
        ("create",),
    )
    assert (vm.body.type, vm.body.labels) == ("resource", (VM_TYPE, "root"))
    assert vm.body.attributes["size"].expr.value == "Standard_B2s"  # type: ignore[union-attr]
    assert vm.body.attributes["tags"].expr.value == {"env": "dev", "arc": "true"}  # type: ignore[union-attr]
    assert vm.body.child("tags") is None


def test_count_instances(resources: dict[str, PlanResource]) -> None:
    nic0, nic1 = resources["azurerm_network_interface.nic[0]"], resources["azurerm_network_interface.nic[1]"]
    assert nic0.config_address == nic1.config_address == "azurerm_network_interface.nic"
    assert (nic0.actions, nic1.actions) == (("create",), ("no-op",))
    assert nic1.body.attributes["name"].expr.value == "nic-1"  # type: ignore[union-attr]


def test_for_each_instances_in_a_module(resources: dict[str, PlanResource]) -> None:
    a = resources['module.vm["a"].azurerm_linux_virtual_machine.this']
    b = resources['module.vm["b"].azurerm_linux_virtual_machine.this']
    assert a.config_address == b.config_address == "module.vm.azurerm_linux_virtual_machine.this"
    assert (a.name, a.type, a.actions, b.actions) == ("this", VM_TYPE, ("create",), ("update",))
    assert b.body.attributes["name"].expr.value == "vm-b"  # type: ignore[union-attr]


def test_nested_child_modules(resources: dict[str, PlanResource]) -> None:
    ext = resources["module.a.module.b.azurerm_virtual_machine_extension.arc"]
    assert ext.config_address == "module.a.module.b.azurerm_virtual_machine_extension.arc"
    assert ext.body.attributes["publisher"].expr.value == "Microsoft.Azure.Monitor"  # type: ignore[union-attr]


def test_delete_is_left_out_and_replace_is_kept(resources: dict[str, PlanResource]) -> None:
    assert "azurerm_resource_group.old" not in resources
    assert resources["azurerm_resource_group.rg"].actions == ("delete", "create")


def test_data_source_is_kept(resources: dict[str, PlanResource]) -> None:
    img = resources["data.azurerm_image.golden"]
    assert (img.mode, img.type, img.name, img.actions) == ("data", "azurerm_image", "golden", ("read",))
    assert (img.body.type, img.body.labels, img.config_address) == (
        "data",
        ("azurerm_image", "golden"),
        "data.azurerm_image.golden",
    )


def test_after_unknown_attributes_are_left_out(resources: dict[str, PlanResource]) -> None:
    vm = resources["azurerm_linux_virtual_machine.root"]
    assert vm.after_unknown == {"id", "private_ip_address"}
    assert "id" not in vm.body.attributes and "private_ip_address" not in vm.body.attributes
    os_disk = vm.body.child("os_disk")  # partly unknown: kept, with the known parts
    assert os_disk is not None and os_disk.attributes["caching"].expr.value == "ReadWrite"  # type: ignore[union-attr]
    assert vm.body.attributes["identity"].expr.value == []  # type: ignore[union-attr]
    ext = resources["module.a.module.b.azurerm_virtual_machine_extension.arc"]
    assert ext.after_unknown == {"virtual_machine_id"} and "virtual_machine_id" not in ext.body.attributes
    assert ext.body.attributes["settings"].expr.value is None  # type: ignore[union-attr]  # null and known: kept
    assert resources["azurerm_network_interface.nic[0]"].after_unknown == frozenset()


def test_custom_data_and_sensitive_values_are_kept(resources: dict[str, PlanResource]) -> None:
    vm = resources['module.vm["a"].azurerm_linux_virtual_machine.this']
    assert vm.body.attributes["custom_data"].expr.value == CUSTOM_DATA  # type: ignore[union-attr]
    assert vm.body.attributes["admin_password"].expr.value == "S3cret-Passw0rd!"  # type: ignore[union-attr]


def test_nested_blocks(resources: dict[str, PlanResource]) -> None:
    vm = resources["azurerm_linux_virtual_machine.root"]
    image = vm.body.child("source_image_reference")
    assert image is not None and image.type == "source_image_reference"
    assert image.attributes["offer"].expr.value == "0001-com-ubuntu-server-jammy"  # type: ignore[union-attr]
    assert vm.body.children("identity") == ()


def test_single_object_becomes_a_block() -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _res(
                        "azurerm_linux_virtual_machine.spot",
                        VM_TYPE,
                        "spot",
                        {"instance_market_options": {"market_type": "spot"}},
                    ),
                ]
            }
        },
    }
    (res,) = load_plan(json.dumps(plan), "plan.json")
    assert res.body.child("instance_market_options").attributes["market_type"].expr.value == "spot"  # type: ignore[union-attr]
    assert res.actions == ("create",)  # no resource_changes entry


def test_locations_point_at_the_resource_object(plan_text: str, resources: dict[str, PlanResource]) -> None:
    for address, res in resources.items():
        line = _line_of_object(plan_text, address)
        assert (res.body.loc.file, res.body.loc.line) == ("plan.json", line), address
        assert all(a.loc.line == line and a.expr.line == line for a in res.body.attributes.values())  # type: ignore[union-attr]
        assert all(b.loc.line == line for b in res.body.blocks)
    vm = resources["azurerm_linux_virtual_machine.root"]
    assert vm.body.loc.end_line > vm.body.loc.line


def test_hand_written_lines() -> None:
    text = """{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "azurerm_resource_group.rg",
          "mode": "managed",
          "type": "azurerm_resource_group",
          "name": "rg",
          "values": {"name": "rg-arc"}
        }
      ]
    }
  }
}
"""
    (rg,) = load_plan(text, "p.json")
    assert (rg.body.loc.line, rg.body.loc.end_line, rg.body.attributes["name"].loc.line) == (6, 12, 6)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("aws_instance.b", "aws_instance.b"),
        ("aws_instance.b[0]", "aws_instance.b"),
        ('module.a["x.y"].aws_instance.b[0]', "module.a.aws_instance.b"),
        ('module.a["k]"].module.c["]."].aws_instance.b["[.]"]', "module.a.module.c.aws_instance.b"),
        ('module.a["say \\"hi\\"]"].data.x.y["k"]', "module.a.data.x.y"),
        ("module.a[3].module.b.azurerm_x.y", "module.a.module.b.azurerm_x.y"),
    ],
)
def test_config_address(address: str, expected: str) -> None:
    assert config_address(address) == expected


def test_quoted_keys_in_a_plan() -> None:
    address = 'module.site["eu.west]"].azurerm_linux_virtual_machine.vm["web.1"]'
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": 'module.site["eu.west]"]',
                        "resources": [_res(address, VM_TYPE, "vm", {"name": "web"}, index="web.1")],
                    },
                ]
            }
        },
    }
    (res,) = load_plan(json.dumps(plan), "plan.json")
    assert (res.address, res.config_address) == (address, "module.site.azurerm_linux_virtual_machine.vm")


def test_is_plan(plan_text: str) -> None:
    assert is_plan(plan_text)
    assert is_plan(json.dumps({"format_version": "1.2", "resource_changes": []}))
    packer = {
        "variables": {"image": "ubuntu"},
        "builders": [{"type": "azure-arm", "os_type": "Linux"}],
        "provisioners": [],
    }
    assert not is_plan(json.dumps(packer, indent=2))
    assert not is_plan(json.dumps({"name": "app", "version": "1.0.0", "dependencies": {}}))
    assert not is_plan(json.dumps({"format_version": "1.0", "values": {"root_module": {}}}))  # state, not plan
    assert not is_plan('["format_version", "planned_values"]')
    assert not is_plan("")


def test_invalid_json_reports_its_line() -> None:
    text = '{\n  "format_version": "1.2",\n  "planned_values": {\n    "root_module": {,}\n  }\n}\n'
    with pytest.raises(LoadError) as info:
        load_plan(text, "bad.json")
    assert (info.value.path, info.value.line) == ("bad.json", 4)


@pytest.mark.parametrize("doc", [{"builders": [{"type": "azure-arm"}]}, {"planned_values": {}}, [1, 2], "plan"])
def test_json_that_is_not_a_plan(doc: Any) -> None:
    with pytest.raises(LoadError, match="not a Terraform plan"):
        load_plan(json.dumps(doc), "other.json")


def test_large_plan_takes_the_fast_path() -> None:
    filler = "x" * 2000
    resources = [
        _res(
            f'module.fleet["vm-{i}"].azurerm_linux_virtual_machine.this',
            VM_TYPE,
            "this",
            {
                "name": f"vm-{i}",
                "custom_data": filler,
                "source_image_reference": [
                    {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"}
                ],
            },
            index=f"vm-{i}",
        )
        for i in range(3000)
    ]
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"child_modules": [{"address": "module.fleet", "resources": resources}]}},
    }
    text = json.dumps(plan, indent=2)
    assert len(text) > 6 * 1024 * 1024 > FAST_PATH_CHARS
    assert is_plan(text)
    loaded = load_plan(text, "big.json")
    assert len(loaded) == 3000
    last = loaded[-1]
    assert (last.address, last.config_address) == (
        'module.fleet["vm-2999"].azurerm_linux_virtual_machine.this',
        "module.fleet.azurerm_linux_virtual_machine.this",
    )
    assert last.body.child("source_image_reference").attributes["sku"].expr.value == "server"  # type: ignore[union-attr]
    assert {r.body.loc.line for r in loaded} == {1}
    assert all(a.loc.line == 1 for a in last.body.attributes.values())


def test_large_invalid_plan_reports_its_line() -> None:
    text = '{\n"format_version": "1.2",\n"pad": "' + "x" * FAST_PATH_CHARS + '",\n"planned_values": {,}\n}'
    with pytest.raises(LoadError) as info:
        load_plan(text, "big.json")
    assert info.value.line == 4
