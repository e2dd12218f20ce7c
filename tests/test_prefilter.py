"""The prefilter (``arclint.model.relevance``): folders whose Terraform files cannot lead to a finding are only
checked for ARC001, and the report is the same with it as without it."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from arclint import scan
from arclint.discover import discover
from arclint.load import hcl
from arclint.model import relevance
from arclint.report import json_report

from conftest import AS_OF, FIXTURES, REPO, Cli, write

VM = 'resource "azurerm_linux_virtual_machine" "vm" {{\n  name = "vm1"\n  size = "Standard_B2s"\n{body}}}\n'
IDLE_NETWORK = (
    'resource "azurerm_virtual_network" "net" {\n  name          = "net"\n  address_space = ["10.0.0.0/16"]\n}\n'
)

# a repository with every case the prefilter decides: (folder, idle?)
TREE = {
    # a busy root that takes its image from an idle module: the module is loaded whole when the root asks for it
    "live/main.tf": VM.format(
        body="  source_image_reference {\n    publisher = module.image.publisher\n    offer = module.image.offer\n"
        '    sku = module.image.sku\n    version = "latest"\n  }\n'
    )
    + 'module "image" {\n  source = "../modules/image"\n}\n',
    "modules/image/main.tf": 'output "publisher" {\n  value = "Canonical"\n}\noutput "offer" {\n'
    '  value = "UbuntuServer"\n}\noutput "sku" {\n  value = "14.04.5-LTS"\n}\n',
    # a broken file in that idle module: checked at discovery and loaded on demand, reported once
    "modules/image/broken.tf": "locals {\n  a = [\n",
    # idle: nothing Arc, no module, a broken file (ARC001 still reported, at the same line)
    "network/main.tf": IDLE_NETWORK,
    "network/broken.tf": 'resource "azurerm_subnet" "a" {\n  name = "a"\n  address_prefixes = [\n',
    "network/terraform.tfvars": 'location = "westeurope"\n',
    "network/extra.tf.json": '{"resource": {"azurerm_subnet": {"b": {"name": "b"}}}}\n',
    # an idle-looking root that calls a busy module passes values into it: busy
    "stacks/web/main.tf": 'module "vm" {\n  source = "../../modules/vm"\n  name = "web"\n}\n',
    "modules/vm/main.tf": 'variable "name" {}\n' + VM.format(body=""),
    # module calls arclint reports: remote source, count, a bare label, a missing folder
    "remote/main.tf": 'module "vm" {\n  source  = "Azure/avm-res-compute-virtualmachine/azurerm"\n}\n',
    "counted/main.tf": 'module "n" {\n  source = "../modules/image"\n  count  = var.n\n}\nvariable "n" {}\n',
    "bare/main.tf": 'module vm {\n  source = "git::https://example.com/vm.git"\n}\n',
    "missing/main.tf": 'module "m" {\n  source = "./nowhere"\n}\n',
    # a suppression comment (ARC003 when it suppresses nothing) and a sensitive value (masked everywhere)
    "suppressed/main.tf": "# arclint:ignore ARC101 reviewed\n" + IDLE_NETWORK,
    "secret/main.tf": 'variable "pw" {\n  default   = "nowhere"\n  sensitive = true\n}\n',
    # UTF-16 text is read as loading reads it
    "utf16/main.tf": b"\xff\xfe" + VM.format(body="").encode("utf-16-le"),
    # an idle folder that calls an idle one
    "apps/main.tf": 'module "net" {\n  source = "../network"\n}\n',
}
IDLE = {"modules/image", "network", "apps"}


def _json(folder: Path, *paths: str, prefilter: bool) -> str:
    options = scan.Options(as_of=AS_OF, env={}, prefilter=prefilter)
    return json_report.render(scan.run([Path(p) for p in paths or ["."]], root=folder, options=options))


def test_idle_folders_are_exactly_those_that_cannot_lead_to_a_finding(tmp_path: Path) -> None:
    folder = write(tmp_path / "repo", TREE)
    inputs, _ = discover([folder], folder)
    idle = relevance.idle_folders(inputs)
    assert sorted(p.relative_to(folder).as_posix() for p in idle) == sorted(IDLE)


def test_the_report_is_the_same_and_idle_files_are_only_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write(tmp_path / "repo", TREE)
    without = _json(folder, prefilter=False)
    parsed: list[str] = []
    parse = hcl.parse_body

    def watched(text: str, path: str, **kwargs: int) -> object:
        if not kwargs:
            parsed.append(path)
        return parse(text, path, **kwargs)

    monkeypatch.setattr(hcl, "parse_body", watched)
    assert _json(folder, prefilter=True) == without
    assert "network/main.tf" not in parsed and "apps/main.tf" not in parsed  # checked, not parsed
    assert "modules/image/main.tf" in parsed  # the busy root asked for it
    assert '"file": "network/broken.tf",\n      "line": 4' in without  # ARC001 from a checked file
    assert without.count('"file": "modules/image/broken.tf"') == 1
    assert "ARC003" in without and "module folder missing/**** does not exist" in without


@pytest.mark.parametrize(
    "corpus",
    [FIXTURES, REPO / "examples", *sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())],
    ids=lambda p: p.relative_to(REPO).as_posix(),
)
def test_fixtures_and_examples_give_the_same_json_with_and_without_the_prefilter(corpus: Path) -> None:
    assert _json(corpus, prefilter=True) == _json(corpus, prefilter=False)


def test_given_files_or_plans_turn_the_prefilter_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "repo", TREE)
    asked: list[int] = []
    idle_folders = relevance.idle_folders
    monkeypatch.setattr(relevance, "idle_folders", lambda inputs: asked.append(1) or idle_folders(inputs))
    _json(folder, "network/main.tf", prefilter=True)
    assert asked == []
    _json(folder, "network", prefilter=True)
    assert asked == [1]


def test_every_type_the_model_names_is_a_signal_or_known_to_need_a_target() -> None:
    """A resource type added to the model must be added to ``relevance.TYPES`` (or ``AUXILIARY``)."""
    named: set[str] = set()
    pattern = re.compile(r"^(?:azurerm|azurestack|azapi|azuread|aws|google|vsphere|citrix)_\w+$")
    for module in (REPO / "arclint" / "model").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.update(pattern.findall(node.value))
    assert named - relevance.TYPES - relevance.AUXILIARY == set()
    assert len(named & relevance.TYPES) > 40


def test_no_prefilter_flag(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "repo", TREE)
    asked: list[int] = []
    idle_folders = relevance.idle_folders
    monkeypatch.setattr(relevance, "idle_folders", lambda inputs: asked.append(1) or idle_folders(inputs))
    code, out, err = cli.scan(folder, ".", "--format", "json", "--no-prefilter")
    assert asked == []
    assert (code, err) == (1, "")
    assert cli.scan(folder, ".", "--format", "json") == (code, out, err)
    assert asked == [1]


def test_what_only_building_a_document_finds_is_still_found_in_idle_folders(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "repo",
        {
            "idle/brackets.tf": "locals {\n  x = " + "[" * 600 + "]" * 600 + "\n}\n",
            "idle/operators.tf": "locals {\n  x = " + " + ".join(["1"] * 700) + "\n}\n",
            "idle/blocks.tf": "a {\n" * 600 + "}\n" * 600,
            "idle/heredoc.tf": "locals {\n  y = <<EOT\n${\nEOT\n}\n",
            "idle/directive.tf": 'locals {\n  y = "%{ if true }x"\n}\n',
            "idle/fine.tf": 'locals {\n  z = "${local.y}-a"\n}\n',
        },
    )
    inputs, _ = discover([folder], folder)
    assert relevance.idle_folders(inputs) == {folder / "idle"}
    with_prefilter = _json(folder, prefilter=True)
    assert with_prefilter == _json(folder, prefilter=False)
    lines = [(f["file"], f["line"]) for f in json.loads(with_prefilter)["findings"]]
    assert lines == [
        ("idle/blocks.tf", 501),
        ("idle/brackets.tf", 2),
        ("idle/directive.tf", 2),
        ("idle/heredoc.tf", 3),
        ("idle/operators.tf", 2),
    ]
