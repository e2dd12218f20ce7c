"""Every valid file parses: HCL that Terraform accepts, and Packer's HCL2 templates in JSON syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, brief, expected_lines, only, run_scan

CASES = sorted(p for p in (FIXTURES / "syntax").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fixture_gives_exactly_the_expected_findings(case: Path) -> None:
    report = run_scan(case)
    assert [f"{f.rule} {f.file}:{f.line} {f.resource} {f.severity}" for f in report.findings] == expected_lines(case)
    assert report.errors == []


def test_unicode_locals_are_evaluated() -> None:
    (finding,) = run_scan(FIXTURES / "syntax" / "unicode").findings
    assert [(e.file, e.line, e.text) for e in finding.evidence] == [
        ("main.tf", 5, "azcmagent connect --resource-group rg-arc --location westeurope"),
    ]


def test_pkr_json_blocks_nest_by_type_and_labels() -> None:
    report = run_scan(FIXTURES / "syntax" / "pkr-json")
    assert [[(e.file, e.line) for e in f.evidence] for f in report.findings] == [
        [("images.pkr.json", 41)],
        [("images.pkr.json", 57)],
    ]
    assert "--resource-group rg-arc" in report.findings[0].evidence[0].text  # the JSON variable's default


def test_pkr_json_joins_the_pkr_hcl_files_and_var_files_of_its_folder() -> None:
    finding = only(run_scan(FIXTURES / "syntax" / "pkr-mixed"), "ARC201")
    assert [(e.file, e.line, e.text) for e in finding.evidence] == [
        ("build.pkr.json", 11, "azcmagent connect --resource-group rg-lab --location westeurope"),
    ]


HCL2_JSON = (
    '{"source": {"qemu": {"a": {"iso_url": "debian-12.5.0-amd64-netinst.iso"}}}, "build": '
    '{"sources": ["source.qemu.a"], "provisioner": {"shell": {"inline": ["azcmagent connect -g '
    'rg -l westeurope"]}}}}'
)


def test_a_plain_json_file_with_hcl2_blocks_is_not_a_packer_template(project) -> None:
    """Packer reads only ``.pkr.json`` as HCL2; ``packer build x.json`` reads a legacy template."""
    report = project({"image.json": HCL2_JSON})
    assert (brief(report), report.errors, report.targets) == ([], [], 0)


def test_the_same_text_as_pkr_json_is_an_hcl2_template(project) -> None:
    assert brief(project({"image.pkr.json": HCL2_JSON})) == [("ARC201", "image.pkr.json", 1, "qemu.a", "error")]


def test_a_pkr_json_file_without_builders_or_blocks_is_arc001_saying_what_it_needs(project) -> None:
    report = project({"image.pkr.json": '{"description": "x"}'})
    assert brief(report) == [("ARC001", "image.pkr.json", 1, "", "error")]
    assert '"builders" (legacy) or HCL2 blocks' in report.findings[0].message
