"""``docs/policies.md``: its generated blocks match the registries, it names every operator, and each worked
example is a fixture (``tests/fixtures/policies/<example>/``) whose findings are exactly ``expected.txt``."""

from __future__ import annotations

import json

import pytest
from arclint.core.shipped import policy_root
from arclint.docs import policy_language

from conftest import FIXTURES, REPO, brief, expected_lines, run_scan

DOC = REPO / "docs" / "policies.md"
EXAMPLES = sorted(p.name for p in (FIXTURES / "policies").iterdir())


def test_the_generated_blocks_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == policy_language(text), "docs/policies.md is stale: run python -m arclint.docs"
    assert "| `size.vcpus` | integer or None |" in text
    assert "| `os-support` (ARC401-404, ARC410) | `aspect`: `unlisted` \\| `limited`" in text


def test_every_operator_is_documented() -> None:
    schema = json.loads((policy_root() / "schema" / "policy.schema.json").read_text(encoding="utf-8"))
    forms = schema["$defs"]["condition"]["oneOf"]
    operators = [k for form in forms for k in form["properties"] if k != "fact"]
    assert operators == ["all", "any", "not", "equals", "in", "contains", "exists", "matches", "less-than"]
    text = DOC.read_text(encoding="utf-8")
    for op in operators:
        assert f"| `{{{op}: " in text or f"| `{{fact: F, {op}: " in text, op


def test_there_are_two_examples() -> None:
    assert EXAMPLES == ["min-two-vcpus", "rg-arc-only"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_example_in_the_doc_is_the_fixture(example: str) -> None:
    folder = FIXTURES / "policies" / example
    (policy,) = (folder / "policy").glob("*.yaml")
    text = DOC.read_text(encoding="utf-8")
    assert f"```yaml\n{policy.read_text(encoding='utf-8')}```" in text
    assert "```text\n" + "\n".join(expected_lines(folder)) + "\n```" in text


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_example_finds_exactly_what_it_expects(example: str) -> None:
    folder = FIXTURES / "policies" / example
    (policy,) = (folder / "policy").glob("*.yaml")
    rule = policy.stem
    bad = run_scan(folder / "bad", policy_dirs=(folder / "policy",))
    good = run_scan(folder / "good", policy_dirs=(folder / "policy",))
    assert [f"{f}:{line} {resource} {severity}" for _, f, line, resource, severity in brief(bad, rule)] == (
        expected_lines(folder)
    )
    assert brief(good, rule) == []
    assert brief(run_scan(folder / "bad"), rule) == []  # the policy, not arclint, finds them
