"""Evaluation: values, functions, variables and unknowns, as Terraform and Packer compute them."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from arclint.core.document import Document
from arclint.core.values import Encoded, Traced, Unknown
from arclint.evaluate.files import Reader
from arclint.evaluate.scope import VarInput
from arclint.evaluate.terraform import Module
from arclint.load.hcl import parse_body

from conftest import write


def module(
    tmp_path: Path,
    tf: str,
    *,
    files: dict[str, str] | None = None,
    tfvars: dict[str, str] | None = None,
    inputs: VarInput | None = None,
) -> Module:
    write(tmp_path, files or {})
    docs = [Document("main.tf", "terraform", parse_body(tf, "main.tf"), tmp_path)]
    var_docs = [Document(name, "tfvars", parse_body(text, name), tmp_path) for name, text in (tfvars or {}).items()]
    return Module(tmp_path, docs, Reader(tmp_path, tmp_path), tfvars=var_docs, inputs=inputs)


def value(tmp_path: Path, expr: str, prelude: str = "", **kw: object) -> object:
    m = module(tmp_path, f"{prelude}\nlocals {{\n  probe = {expr}\n}}\n", **kw)  # type: ignore[arg-type]
    return m.local("probe")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('"a-${1 + 2}"', "a-3"),
        ('join(",", ["a", "b"])', "a,b"),
        ('format("%s-%03d", "vm", 7)', "vm-007"),
        ('upper(trimspace("  x "))', "X"),
        ('replace("a.b.c", ".", "-")', "a-b-c"),
        ('lookup({a = 1}, "b", 2)', 2),
        ("merge({a = 1}, {b = 2})", {"a": 1, "b": 2}),
        ('coalesce("", "x")', "x"),
        ('jsonencode({a = "b"})', '{"a":"b"}'),
        ('base64decode(base64encode("hi"))', "hi"),
        ('[for s in ["a", "b"] : upper(s) if s != "b"]', ["A"]),
        ("{for k, v in {a = 1} : v => k}", {"1": "a"}),
        ('true ? "y" : "n"', "y"),
        ('length(split(",", "a,b,c"))', 3),
        ('try(local.missing, "fallback")', "fallback"),
        ('"%{ for x in [1, 2] }${x};%{ endfor }"', "1;2;"),
    ],
)
def test_expressions(tmp_path: Path, expr: str, expected: object) -> None:
    assert value(tmp_path, expr) == expected


def test_base64encode_keeps_what_it_encodes(tmp_path: Path) -> None:
    result = value(tmp_path, 'base64encode("echo hi")')
    assert isinstance(result, Encoded)
    assert result == base64.b64encode(b"echo hi").decode() and result.inner == "echo hi"


def test_templatefile_renders_with_its_variables_and_traces_lines(tmp_path: Path) -> None:
    result = value(
        tmp_path,
        'templatefile("${path.module}/t.tftpl", { name = "vm1" })',
        files={"t.tftpl": '#!/bin/bash\necho ${name}\n%{ if name == "vm1" }first\n%{ endif }'},
    )
    assert result == "#!/bin/bash\necho vm1\nfirst\n"
    assert isinstance(result, Traced)
    file, line = result.origin(result.index("echo"))  # type: ignore[misc]
    assert (file, line) == ("t.tftpl", 2)  # shown relative to the base the reader was given
    assert result.origin(result.index("first")) == (file, 3)


def test_variable_without_value_is_unknown_with_a_hint(tmp_path: Path) -> None:
    result = value(tmp_path, "var.sku", prelude='variable "sku" {}')
    assert isinstance(result, Unknown)
    assert result.reasons == (
        "var.sku has no value (no default; give it one in terraform.tfvars, with --var-file or --var sku=...)",
    )


def test_variable_precedence(tmp_path: Path) -> None:
    prelude = (
        'variable "a" {\n'
        '  default = "default"\n'
        "}\n"
        'variable "b" {\n'
        '  default = "default"\n'
        "}\n"
        'variable "c" {\n'
        '  default = "default"\n'
        "}\n"
        'variable "d" {}\n'
    )
    var_file = Document("prod.tfvars", "tfvars", parse_body('c = "var-file"\n', "prod.tfvars"), tmp_path)
    inputs = VarInput(
        env={"TF_VAR_a": "env", "TF_VAR_b": "env", "TF_VAR_d": "env"}, var_files=(var_file,), cli_vars=(("c", "cli"),)
    )
    m = module(
        tmp_path,
        prelude,
        tfvars={"terraform.tfvars": 'b = "tfvars"\nc = "tfvars"\n', "z.auto.tfvars": 'b = "auto"\n'},
        inputs=inputs,
    )
    assert (m.var("a"), m.var("b"), m.var("c"), m.var("d")) == ("env", "auto", "cli", "env")


def test_unknown_reference_propagates(tmp_path: Path) -> None:
    result = value(tmp_path, '"${data.aws_ami.x.id}-suffix"')
    assert isinstance(result, Traced) and result.unknown


def test_self_referencing_locals_end_as_unknown(tmp_path: Path) -> None:
    m = module(tmp_path, "locals {\n  a = local.b\n  b = local.a\n}\n")
    result = m.local("a")
    assert isinstance(result, Unknown) and "refers to itself" in result.reasons[0]


def test_resource_attribute_reference(tmp_path: Path) -> None:
    tf = (
        'resource "aws_launch_template" "lt" {\n'
        '  user_data = "echo hi"\n'
        "}\n"
        "locals {\n"
        "  probe = aws_launch_template.lt.user_data\n"
        "  id = aws_launch_template.lt.id\n"
        "}\n"
    )
    m = module(tmp_path, tf)
    assert m.local("probe") == "echo hi"
    ref = m.local("id")
    assert isinstance(ref, Unknown) and ref.refs == frozenset({"aws_launch_template.lt"})


@pytest.mark.parametrize("name", ["../outside.sh", "/etc/passwd", "~/.ssh/id_rsa"])
def test_files_outside_the_root_are_not_read(tmp_path: Path, name: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.sh").write_text("secret")
    result = Reader(root, root).read(name, root)
    assert isinstance(result, Unknown)
    assert "not read" in result.reasons[0]


def test_symlink_out_of_the_root_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.sh").write_text("secret")
    (root / "link.sh").symlink_to(tmp_path / "outside.sh")
    assert isinstance(Reader(root, root).read("link.sh", root), Unknown)


def test_unknown_function_is_unknown_not_an_error(tmp_path: Path) -> None:
    result = value(tmp_path, "timestamp()")
    assert isinstance(result, Unknown) and "timestamp()" in result.reasons[0]


def test_deep_nesting_is_bounded(tmp_path: Path) -> None:
    expr = "[" * 300 + "1" + "]" * 300
    result = value(tmp_path, expr)
    assert isinstance(result, list)  # evaluation stops at the depth limit with an unknown inside
    inner: object = result
    while isinstance(inner, list):
        inner = inner[0]
    assert isinstance(inner, Unknown)


def test_template_file_data_source_renders(tmp_path: Path) -> None:
    tf = (
        'data "template_file" "init" {\n'
        '  template = file("${path.module}/init.tpl")\n'
        "  vars = {\n"
        '    rg = "rg-arc"\n'
        "  }\n"
        "}\n"
        "locals {\n"
        "  probe = data.template_file.init.rendered\n"
        "}\n"
    )
    m = module(tmp_path, tf, files={"init.tpl": "#!/bin/bash\nazcmagent connect -g ${rg}\n"})
    assert m.local("probe") == "#!/bin/bash\nazcmagent connect -g rg-arc\n"


def test_cloudinit_config_parts_are_joined_and_encoded(tmp_path: Path) -> None:
    tf = (
        'data "cloudinit_config" "ci" {\n'
        "  part {\n"
        '    content_type = "text/x-shellscript"\n'
        '    content = "echo one"\n'
        "  }\n"
        "  part {\n"
        '    content = "echo two"\n'
        "  }\n"
        "}\n"
        "locals {\n"
        "  probe = data.cloudinit_config.ci.rendered\n"
        "}\n"
    )
    result = module(tmp_path, tf).local("probe")
    assert isinstance(result, Encoded) and result.inner == "echo one\necho two"
