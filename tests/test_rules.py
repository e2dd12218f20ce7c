"""Every rule: its bad fixture gives exactly the expected findings, its good fixture none."""

from __future__ import annotations

from pathlib import Path

import pytest
from arclint.policy import load_policies

from conftest import FIXTURES, REPO, expected_lines, run_scan

RULE_DIRS = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_bad_fixture_gives_exactly_the_expected_findings(rule_dir: Path) -> None:
    report = run_scan(rule_dir / "bad")
    got = [f"{f.file}:{f.line} {f.resource or '-'} {f.severity}" for f in report.findings if f.rule == rule_dir.name]
    expected = expected_lines(rule_dir)
    assert expected, "a bad fixture must expect at least one finding"
    assert got == expected


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_good_fixture_gives_none_of_the_rule_and_nothing_that_fails(rule_dir: Path) -> None:
    report = run_scan(rule_dir / "good")
    assert [f for f in report.findings if f.rule == rule_dir.name] == []
    assert not report.failed("warning")


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_messages_name_the_target_and_the_evidence(rule_dir: Path) -> None:
    report = run_scan(rule_dir / "bad")
    for f in (f for f in report.findings if f.rule == rule_dir.name):
        if f.resource:
            assert f.resource in f.message
        for e in f.evidence:
            assert e.line >= 1 and e.text


def test_every_policy_has_fixtures_and_a_doc_page() -> None:
    ids = {p.id for p in load_policies()}
    assert ids == {d.name for d in RULE_DIRS}
    assert ids == {p.stem for p in (REPO / "docs" / "rules").glob("*.md")}


def test_doc_pages_are_generated_from_the_policies() -> None:
    from arclint.docs import render_rule

    for policy in load_policies():
        page = (REPO / "docs" / "rules" / f"{policy.id}.md").read_text(encoding="utf-8")
        assert page == render_rule(policy), f"docs/rules/{policy.id}.md is stale: run python -m arclint.docs"


def test_readme_lists_every_rule_with_a_link() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for policy in load_policies():
        assert f"[{policy.id}](docs/rules/{policy.id}.md)" in readme
