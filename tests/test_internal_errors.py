"""A check that cannot fail is a lie: a bug is exit 2 naming the file, a user's bad call is ARC002."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, write

SUFFIX = " (a bug in arclint; please report it)\n"


def _raise(exc: Exception) -> Any:
    def fail(*args: object, **kwargs: object) -> object:
        raise exc

    return fail


def test_a_bug_in_a_function_is_exit_2_naming_the_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arclint.evaluate import functions

    write(tmp_path, {"main.tf": 'resource "aws_instance" "a" {\n  user_data = lower("X")\n}\n', "ok.tf": "locals {}\n"})
    monkeypatch.setitem(functions.BASIC, "lower", _raise(RuntimeError("boom")))
    assert cli.scan(tmp_path, ".") == (
        2,
        "",
        "arclint: internal error while scanning main.tf: RuntimeError: boom" + SUFFIX,
    )


@pytest.mark.parametrize(
    "exc", [TypeError("bug"), ValueError("bug"), KeyError("bug"), AttributeError("bug"), IndexError("bug")]
)
def test_no_exception_type_from_a_function_is_swallowed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: Exception
) -> None:
    from arclint.evaluate import functions

    write(tmp_path, {"main.tf": 'resource "aws_instance" "a" {\n  user_data = upper("x")\n}\n'})
    monkeypatch.setitem(functions.BASIC, "upper", _raise(exc))
    code, out, err = cli.scan(tmp_path, ".", "--format", "json")
    assert (code, out) == (2, "")
    assert err.startswith(f"arclint: internal error while scanning main.tf: {type(exc).__name__}: ")


def test_the_innermost_file_is_named(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arclint.evaluate import functions

    write(
        tmp_path,
        {
            "main.tf": 'resource "azurerm_linux_virtual_machine" "a" {\n  custom_data = local.script\n}\n',
            "sub/locals.tf": "",
            "locals.tf": 'locals {\n  script = title("x")\n}\n',
        },
    )
    monkeypatch.setitem(functions.BASIC, "title", _raise(RuntimeError("inner")))
    assert cli.scan(tmp_path, ".") == (
        2,
        "",
        "arclint: internal error while scanning locals.tf: RuntimeError: inner" + SUFFIX,
    )


def test_a_bug_while_loading_names_the_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import arclint.load

    write(tmp_path, {"a.tf": "locals {}\n", "b.tf": "locals {}\n"})
    real = arclint.load.load
    monkeypatch.setattr(
        arclint.load,
        "load",
        lambda item, comments, cache=None, check_only=False: (
            _raise(RuntimeError("parser"))() if item.display == "b.tf" else real(item, comments, cache, check_only)
        ),
    )
    assert cli.scan(tmp_path, ".") == (
        2,
        "",
        "arclint: internal error while scanning b.tf: RuntimeError: parser" + SUFFIX,
    )


def test_a_bug_while_modelling_names_the_resource_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arclint.model import terraform

    write(tmp_path, {"vm.tf": 'resource "azurerm_linux_virtual_machine" "a" {\n}\n'})
    monkeypatch.setattr(terraform, "_lifecycle", _raise(ZeroDivisionError("model")))
    assert cli.scan(tmp_path, ".") == (
        2,
        "",
        "arclint: internal error while scanning vm.tf: ZeroDivisionError: model" + SUFFIX,
    )


def test_a_bug_in_a_check_names_the_target_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arclint import checks

    write(tmp_path, {"vm.tf": 'resource "azurerm_linux_virtual_machine" "a" {\n}\n'})
    broken = replace(checks.REGISTRY["unknown-facts"], run=_raise(RuntimeError("check")))
    monkeypatch.setitem(checks.REGISTRY, "unknown-facts", broken)
    assert cli.scan(tmp_path, ".") == (
        2,
        "",
        "arclint: internal error while scanning vm.tf: RuntimeError: check" + SUFFIX,
    )


def test_a_bug_outside_any_file_names_the_scanned_paths(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import arclint.filtering

    write(tmp_path, {"vm.tf": "locals {}\n"})
    monkeypatch.setattr(arclint.filtering, "apply", _raise(RuntimeError("filter")))
    assert cli.scan(tmp_path, ".") == (2, "", "arclint: internal error while scanning .: RuntimeError: filter" + SUFFIX)


def test_an_internal_error_never_prints_a_secret(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arclint.evaluate import functions

    write(tmp_path, {"main.tf": 'resource "aws_instance" "a" {\n  user_data = lower("X")\n}\n'})
    monkeypatch.setitem(
        functions.BASIC, "lower", _raise(RuntimeError("azcmagent connect --service-principal-secret s3cr3t\nnext"))
    )
    code, _, err = cli.scan(tmp_path, ".")
    assert code == 2
    assert "s3cr3t" not in err and err.count("\n") == 1


# --- a call Terraform itself would reject stays an unknown (ARC002), exit 0 -------------------------------

BAD_CALLS = [
    ("element([], 0)", "element(): cannot use element() with an empty list"),
    ('element(["a"], -1)', "element(): cannot use element() with a negative index"),
    ('lower("a", "b")', "lower() takes 1 argument, not 2"),
    ("coalesce()", "coalesce(): no non-null argument"),
    ("length(5)", "length(): a number has no length"),
    ('tonumber("ten")', "tonumber(): 'ten' is not a number"),
    ('format("%d", "x")', "format(): 'x' is not a number"),
    ("range(1, 5, 0)", "range(): range() step must not be zero"),
    (
        'replace("abc", "/(/", "x")',
        "replace(): /(/ is not a valid regular expression (missing ), unterminated subpattern at position 0)",
    ),
    ('upper(["a"])', "upper(): a list is not a string"),
    ('keys(["a"])', "keys(): a list is not a map"),
    ("min()", "min(): min() needs at least one number"),
    ('substr("abc", "x", 1)', "substr(): 'x' is not a number"),
]


@pytest.mark.parametrize(("call", "reason"), BAD_CALLS, ids=[c for c, _ in BAD_CALLS])
def test_a_bad_user_call_is_arc002_and_exit_0(cli: Cli, tmp_path: Path, call: str, reason: str) -> None:
    write(tmp_path, {"main.tf": f'resource "azurerm_linux_virtual_machine" "a" {{\n  custom_data = {call}\n}}\n'})
    code, out, err = cli.scan(tmp_path, ".", "--format", "json")
    assert (code, err) == (0, "")
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule"], finding["severity"], finding["line"]) == ("ARC002", "info", 1)
    assert (
        finding["message"]
        == f"azurerm_linux_virtual_machine.a: cannot tell whether custom_data onboards the agent: {reason}"
    )


GOOD_CALLS = [
    ("distinct([{a = 1}, {a = 1}, {a = 2}])", [{"a": 1}, {"a": 2}]),
    ('split("", "ab")', ["a", "b"]),
    ('substr("hello world", -5, -1)', "world"),
    ('format("%t %03d %b", true, 7, 5)', "true 007 101"),
    ("range(3)", [0, 1, 2]),
    ('element(["a", "b"], 3)', "b"),
]


@pytest.mark.parametrize(("call", "value"), GOOD_CALLS, ids=[c for c, _ in GOOD_CALLS])
def test_calls_terraform_accepts_are_evaluated(call: str, value: object) -> None:
    from arclint.evaluate.expr import Evaluator
    from arclint.evaluate.functions import BASIC
    from arclint.evaluate.session import Session
    from arclint.load.hcl import parse_expression

    evaluator = Evaluator(lambda name, steps: (None, 0), BASIC, Session())
    assert evaluator.eval(parse_expression(call, "<test>", 1)) == value
