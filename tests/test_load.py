"""Loading: neutral documents with lines for blocks, attributes and template text."""

from __future__ import annotations

from pathlib import Path

import pytest
from arclint.core.document import GetAttr, Literal, Name, Template, TemplateFor, TemplateIf, Text
from arclint.core.errors import LoadError
from arclint.discover import Input, classify, discover
from arclint.load import load
from arclint.load.hcl import parse_body
from arclint.load.jsonfile import packer_hcl_json, packer_json, parse_json, terraform_json
from arclint.suppress import comments as suppressions

from conftest import REPO, write

HCL = """variable "image" {
  default = "ubuntu"
}

resource "aws_instance" "web" {
  ami = "ami-1"

  root_block_device {
    volume_size = 20
  }
  user_data = <<-EOT
    #!/bin/bash
    echo ${var.image}
  EOT
}
"""


def test_blocks_and_attributes_keep_their_lines() -> None:
    body = parse_body(HCL, "main.tf")
    var, res = body.blocks
    assert (var.type, var.labels, var.loc.line, var.loc.end_line) == ("variable", ("image",), 1, 3)
    assert (res.type, res.labels, res.loc.line, res.loc.end_line) == ("resource", ("aws_instance", "web"), 5, 15)
    assert res.attributes["ami"].loc.line == 6
    assert res.child("root_block_device").loc.line == 8  # type: ignore[union-attr]
    assert res.attributes["user_data"].loc.line == 11


def test_heredoc_is_a_template_with_text_lines() -> None:
    expr = parse_body(HCL, "main.tf").blocks[1].attributes["user_data"].expr
    assert isinstance(expr, Template)
    first, ref, last = expr.parts
    assert first == Text("#!/bin/bash\necho ", 12, "main.tf")
    assert isinstance(ref, GetAttr) and ref.name == "image" and ref.line == 13
    assert last == Text("\n", 13, "main.tf")


def test_quoted_template_with_directive() -> None:
    expr = parse_body('x = "a%{ if true }b%{ else }c%{ endif }"\n', "t.tf").attributes["x"].expr
    assert isinstance(expr, Template)
    assert isinstance(expr.parts[1], TemplateIf)


def test_escapes_in_strings() -> None:
    expr = parse_body('x = "a\\nb \\"q\\" $${literal}"\n', "t.tf").attributes["x"].expr
    assert expr == Literal('a\nb "q" ${literal}', 1)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 2, "unexpected"),
        ('resource "a" "b" {\n  x = 1\n', 3, "end of file"),
        ('x = "unclosed\n', 1, "unexpected"),
        ("x = [1, 2\ny = 3\n", 2, "unexpected"),
    ],
)
def test_syntax_errors_carry_the_parser_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(LoadError) as info:
        parse_body(text, "bad.tf")
    assert info.value.line == line
    assert fragment in info.value.message


def test_crlf_and_bom_files_load(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(b'\xef\xbb\xbfresource "aws_instance" "a" {\r\n  ami = "x"\r\n}\r\n')
    doc = load(Input(path, "main.tf", "terraform"), suppressions)
    assert doc is not None and doc.body.blocks[0].attributes["ami"].loc.line == 2


def test_binary_file_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(LoadError, match="binary"):
        load(Input(path, "main.tf", "terraform"), suppressions)


def test_json_keeps_lines() -> None:
    data = parse_json(
        (
            "{\n"
            '  "resource": {\n'
            '    "aws_instance": {\n'
            '      "web": {\n'
            '        "ami": "ami-${var.x}"\n'
            "      }\n"
            "    }\n"
            "  }\n"
            "}\n"
        ),
        "m.tf.json",
    )
    body = terraform_json(data, "m.tf.json")
    (res,) = body.blocks
    assert (res.type, res.labels, res.loc.line) == ("resource", ("aws_instance", "web"), 4)
    assert res.attributes["ami"].loc.line == 5
    assert isinstance(res.attributes["ami"].expr, Template)


def test_invalid_json_is_a_load_error_at_its_line() -> None:
    with pytest.raises(LoadError) as info:
        parse_json('{\n  "a": 1,\n}\n', "x.json")
    assert info.value.line == 3


def test_legacy_packer_user_variables_become_references() -> None:
    data = parse_json(
        (
            '{"variables": {"rg": "x"}, "builders": [{"type": "qemu"}], "provisioners": [{"type": '
            '"shell", "inline": ["azcmagent connect -g {{user `rg`}}"]}]}'
        ),
        "p.json",
    )
    body = packer_json(data, "p.json")
    kinds = [b.type for b in body.blocks]
    assert kinds == ["variable", "source", "build"]
    assert body.blocks[1].labels == ("qemu", "qemu")


def test_suppression_comments() -> None:
    found = suppressions(
        "a = 1\n# arclint:ignore ARC101, arc-on-spot-capacity lab only\nb = 2 // arclint:ignore ARC402\n"
    )
    assert [(s.rules, s.line, s.reason) for s in found] == [
        (("ARC101", "arc-on-spot-capacity"), 2, "lab only"),
        (("ARC402",), 3, ""),
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("main.tf", "terraform"),
        ("main.tf.json", "terraform-json"),
        ("prod.tfvars", "tfvars"),
        ("x.auto.tfvars.json", "tfvars-json"),
        ("ubuntu.pkr.hcl", "packer"),
        ("ubuntu.pkrvars.hcl", "pkrvars"),
        ("legacy.pkr.json", "packer-json"),
        ("template.json", "json"),
        ("README.md", None),
    ],
)
def test_classify(name: str, kind: str | None) -> None:
    assert classify(name) == kind


def test_discover_skips_vendor_folders(tmp_path: Path) -> None:
    names = (
        "main.tf",
        ".terraform/modules/x/main.tf",
        ".git/x.tf",
        "node_modules/a/b.tf",
        "sub/a.pkr.hcl",
        "notes.txt",
    )
    write(tmp_path, dict.fromkeys(names, ""))
    found, problems = discover([tmp_path], tmp_path)
    assert sorted(i.path.relative_to(tmp_path).as_posix() for i in found) == ["main.tf", "sub/a.pkr.hcl"]
    assert problems == []


def test_json_that_is_not_packer_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text('{"name": "x"}')
    assert load(Input(path, "package.json", "json"), suppressions) is None


def test_nesting_beyond_the_limit_is_a_load_error_naming_it() -> None:
    with pytest.raises(LoadError, match="limit of 500 levels"):
        parse_body("x = " + "[" * 600 + "]" * 600 + "\n", "deep.tf")


def test_unicode_identifiers_parse_as_in_hcl() -> None:
    text = "locals {\n  π = 3.14\n  größe = local.π\n}\nx = <<ÉOF\n%{ for ü in local.größe }${ü}%{ endfor }\nÉOF\n"
    body = parse_body(text, "u.tf")
    assert list(body.blocks[0].attributes) == ["π", "größe"]
    assert body.blocks[0].attributes["größe"].expr == GetAttr(Name("local", 3), "π", 3)
    (loop,) = body.attributes["x"].expr.parts[:1]  # type: ignore[attr-defined]
    assert isinstance(loop, TemplateFor) and loop.value_var == "ü" and loop.line == 6


def test_block_comments_are_blanks_as_in_hcl() -> None:
    text = 'resource "a" /* note */ "b" {\n  x = 1 /* one */ + 2\n  /* a\n     long note */\n  y = 3\n}\n'
    (res,) = parse_body(text, "c.tf").blocks
    assert (res.labels, res.loc.line, res.loc.end_line) == (("a", "b"), 1, 6)
    assert (res.attributes["x"].expr.op, res.attributes["y"].loc.line) == ("+", 5)  # type: ignore[attr-defined]


def test_hcl_json_repeated_keys_give_several_blocks_and_comment_keys_are_skipped() -> None:
    text = (
        "{\n"
        ' "//": "note",\n'
        ' "resource": {"aws_instance": {"a": {"ami": "x"}}},\n'
        ' "resource": {"aws_instance": {"b": {}}, "//": "c"}\n'
        "}\n"
    )
    body = terraform_json(parse_json(text, "m.tf.json"), "m.tf.json")
    assert [(b.type, b.labels, b.loc.line) for b in body.blocks] == [
        ("resource", ("aws_instance", "a"), 3),
        ("resource", ("aws_instance", "b"), 4),
    ]


def test_packer_hcl_json_nests_build_blocks_by_packer_schema() -> None:
    text = (
        '{\n "source": {"file": {"a": {"content": "x"}}, "file": {"b": {}}},\n'
        ' "build": {\n  "name": "n",\n  "sources": ["source.file.a"],\n'
        '  "source": {"source.file.b": {"name": "b2"}},\n'
        '  "provisioner": [{"shell": {"inline": ["x"]}}, {"file": {"source": "s"}}],\n'
        '  "post-processors": [{"post-processor": {"manifest": {}}}]\n }\n}\n'
    )
    body = packer_hcl_json(parse_json(text, "p.pkr.json"), "p.pkr.json")
    assert [(b.type, b.labels, b.loc.line) for b in body.blocks] == [
        ("source", ("file", "a"), 2),
        ("source", ("file", "b"), 2),
        ("build", (), 3),
    ]
    build = body.blocks[2]
    assert sorted(build.attributes) == ["name", "sources"]
    assert [(b.type, b.labels) for b in build.blocks] == [
        ("source", ("source.file.b",)),
        ("provisioner", ("shell",)),
        ("provisioner", ("file",)),
        ("post-processors", ()),
    ]
    assert build.blocks[3].blocks[0].labels == ("manifest",)


def test_every_lexer_edit_applies_to_the_installed_python_hcl2() -> None:
    """A python-hcl2 whose terminals changed leaves them as they are: this says so, not a user's ARC001."""
    from arclint.load.hcl_lexer import edit_terminals
    from hcl2.parser import parser

    before = {t.name: t.pattern.value for t in parser().lexer_conf.terminals}
    after, comments_blank = edit_terminals(parser().lexer_conf.terminals)
    changed = sorted(t.name for t in after if before.get(t.name) != t.pattern.value)
    assert comments_blank and changed == [
        "BLOCK_COMMENT",
        "HEREDOC_TEMPLATE",
        "HEREDOC_TEMPLATE_TRIM",
        "NAME",
        "NL_OR_COMMENT",
    ]


def test_documents_keep_the_lines_lark_s_own_position_tracking_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """``hcl._Lines`` (lines only, a third faster) makes the same documents as lark's ``PropagatePositions``."""
    from arclint.load import hcl

    texts = [
        (p.relative_to(REPO).as_posix(), p.read_text(encoding="utf-8"))
        for p in sorted([*REPO.glob("tests/fixtures/**/*.tf"), *REPO.glob("examples/**/*.tf")])
        + sorted([*REPO.glob("tests/fixtures/**/*.pkr.hcl"), *REPO.glob("examples/**/*.pkr.hcl")])
    ]
    texts.append(("multi.tf", 'resource "a" "b" {\n  x = (\n    1\n  )\n  y = [\n    1,\n  ]\n}\n'))

    def parse_all() -> list[object]:
        out: list[object] = []
        for name, text in texts:
            try:
                out.append(hcl.parse_body(text, name))
            except LoadError as exc:
                out.append(str(exc))
        return out

    hcl._parser.cache_clear()
    lines_only = parse_all()
    assert type(next(iter(hcl._parser().parser.parser.parser.callbacks.values()))).__name__ == "_Lines"
    monkeypatch.setattr(hcl, "_track_lines_only", lambda parser: None)
    hcl._parser.cache_clear()
    try:
        assert parse_all() == lines_only
    finally:
        hcl._parser.cache_clear()
    assert len(texts) > 100


def test_newlines_inside_parentheses_and_brackets_are_blanks_as_in_hcl() -> None:
    """aztfmod's CAF modules call ``try\\n(...)`` inside an index, which Terraform accepts and python-hcl2 did not."""
    text = (
        "x = var.keyvaults[try\n  (var.a.lz_key, var.b)][var.c].name\n"
        'y = format(\n  "%s"  # a comment\n  ,\n  var.d\n)\n'
        "z = [for k in var.l :\n  k\n]\n"
        "o = {\n  a = 1\n  b = [\n    2\n  ]\n}\n"
    )
    body = parse_body(text, "main.tf")
    key = body.attributes["x"].expr.source.source.key  # type: ignore[attr-defined]
    assert (key.name, [a.line for a in key.args]) == ("try", [2, 2])
    assert [getattr(a, "line", None) for a in body.attributes["y"].expr.args] == [4, 6]  # type: ignore[attr-defined]
    assert [(a.name, a.loc.line, a.loc.end_line) for a in body.attributes.values()] == [
        ("x", 1, 2),
        ("y", 3, 7),
        ("z", 8, 10),
        ("o", 11, 16),
    ]
    called = parse_body("l = [\n  f\n  (1)\n]\n", "main.tf").attributes["l"].expr.items[0]  # type: ignore[attr-defined]
    assert (called.name, called.line) == ("f", 2)
    with pytest.raises(LoadError, match="main.tf:3"):  # inside braces a newline still ends an item
        parse_body("o = {\n  a = f\n  (1)\n}\n", "main.tf")
    for text, line in (("x = [\n  1,\n", 3), ("x = f(\n  1,\n  # c\n", 4)):  # unclosed: at the end, as before
        with pytest.raises(LoadError, match=f"main.tf:{line}: unexpected end of file"):
            parse_body(text, "main.tf")


def test_a_module_whose_files_do_not_parse_is_not_called_empty(tmp_path: Path) -> None:
    from conftest import brief, run_scan

    folder = write(
        tmp_path,
        {
            "live/main.tf": 'module "m" {\n  source = "../m"\n}\nmodule "e" {\n  source = "../empty"\n}\n',
            "m/broken.tf": "locals {\n  a = [\n",
            "empty/README.md": "no Terraform here\n",
        },
    )
    report = run_scan(folder)
    assert brief(report) == [
        ("ARC002", "live/main.tf", 1, "module.m", "info"),
        ("ARC002", "live/main.tf", 4, "module.e", "info"),
        ("ARC001", "m/broken.tf", 3, "", "error"),
    ]
    messages = [f.message for f in report.findings if f.rule == "ARC002"]
    assert "module folder m has no Terraform file arclint could parse" in messages[0]
    assert "module folder empty has no Terraform files" in messages[1]
