"""Hostile and broken inputs: each ends as a finding or a clear error line naming the path, never a traceback
or a hang, with the exit code of the contract, and the good file next to the broken one is still checked.

Every input is made in ``tmp_path`` when the test runs. Scans run the way users run them: ``arclint scan``
in-process through click's runner (``catch_exceptions=False``: a traceback fails the test), and for the
largest inputs once more as a separate process with a timeout.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, brief, only, run_scan, scan_process, write

# an Azure VM that connects the agent: ARC101 at good.tf:1, evidence good.tf:10
GOOD_TF = """resource "azurerm_linux_virtual_machine" "app" {
  name = "vm-app"
  size = "Standard_D2s_v5"
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
  custom_data = base64encode("azcmagent connect --resource-group rg --location westeurope")
}
"""


def with_good(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``good.tf`` and ``files`` under ``root``."""
    return write(root, {"good.tf": GOOD_TF, **files})


def assert_good_scanned(report: dict[str, Any]) -> None:
    good = only(report, "ARC101", "good.tf")
    assert good["line"] == 1 and good["evidence"][0]["file"] == "good.tf" and good["evidence"][0]["line"] == 10


def assert_arc001(report: dict[str, Any], file: str, line: int, problem: str) -> None:
    """``file`` is ARC001 at ``line`` and its message holds ``problem``; nothing else is reported for it."""
    assert brief(report, file=file) == [("ARC001", file, line, "", "error")], brief(report)
    finding = only(report, "ARC001", file)
    assert finding["message"].startswith(f"{file} could not be parsed: "), finding["message"]
    assert problem in finding["message"], finding["message"]


# --- malformed and truncated HCL ------------------------------------------------------------------

_SEED_LINES = GOOD_TF.splitlines(keepends=True)


@pytest.mark.parametrize("junk", ["  @@ broken @@\n", '  "unterminated string\n'])
@pytest.mark.parametrize("position", range(len(_SEED_LINES) + 1))
def test_malformed_hcl_at_each_line_is_arc001_at_that_line(cli: Cli, tmp_path: Path, position: int, junk: str) -> None:
    text = "".join(_SEED_LINES[:position]) + junk + "".join(_SEED_LINES[position:])
    code, report = cli.json(with_good(tmp_path, {"broken.tf": text}))
    assert code == 1
    assert brief(report, file="broken.tf") == [("ARC001", "broken.tf", position + 1, "", "error")]
    assert_good_scanned(report)


@pytest.mark.parametrize("cut", range(1, len(GOOD_TF) - 1, 9))
def test_truncated_hcl_is_arc001_at_its_last_line(cli: Cli, tmp_path: Path, cut: int) -> None:
    text = GOOD_TF[:cut]
    code, report = cli.json(
        with_good(tmp_path, {"truncated.tf": text, "truncated.pkr.hcl": text.replace("azurerm_", "")})
    )
    assert code == 1
    last = text.count("\n") + 1
    assert brief(report, file="truncated.tf") == [("ARC001", "truncated.tf", last, "", "error")]
    assert brief(report, file="truncated.pkr.hcl") == [("ARC001", "truncated.pkr.hcl", last, "", "error")]
    assert_good_scanned(report)


def test_unexpected_end_of_file_says_so(cli: Cli, tmp_path: Path) -> None:
    _, report = cli.json(with_good(tmp_path, {"truncated.tf": GOOD_TF[:-3]}))  # the closing brace is cut
    assert_arc001(report, "truncated.tf", 10, "unexpected end of file (unclosed block, string or bracket?)")


# --- JSON ------------------------------------------------------------------------------------------

_JSON = (
    "{\n"
    '  "resource": {\n'
    '    "aws_instance": {\n'
    '      "web": {\n'
    '        "ami": "ami-1",\n'
    '        "user_data": "echo hi"\n'
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
)


@pytest.mark.parametrize("cut", range(1, len(_JSON) - 2, 11))
def test_truncated_json_is_arc001_at_its_last_line(cli: Cli, tmp_path: Path, cut: int) -> None:
    text = _JSON[:cut]
    code, report = cli.json(with_good(tmp_path, {"main.tf.json": text, "legacy.pkr.json": text}))
    assert code == 1
    last = text.count("\n") + 1
    assert brief(report, file="main.tf.json") == [("ARC001", "main.tf.json", last, "", "error")]
    assert brief(report, file="legacy.pkr.json") == [("ARC001", "legacy.pkr.json", last, "", "error")]
    assert "invalid JSON" in only(report, "ARC001", "main.tf.json")["message"]
    assert_good_scanned(report)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('{\n  "locals": {\n    "a": 1\n    "b": 2\n  }\n}\n', 4, "invalid JSON: Expecting ',' delimiter"),
        ('{\n  "locals": {"a": NaN}\n}\n', 1, "invalid JSON: NaN is not a JSON value"),
        ('{\n  "locals": {"a": Infinity}\n}\n', 1, "invalid JSON: Infinity is not a JSON value"),
        ("{\n  'locals': {}\n}\n", 2, "invalid JSON: Expecting property name enclosed in double quotes"),
        ('{"locals": {}}\n{"locals": {}}\n', 2, "invalid JSON: Extra data"),
    ],
)
def test_invalid_json_is_arc001_at_its_line(cli: Cli, tmp_path: Path, text: str, line: int, problem: str) -> None:
    code, report = cli.json(with_good(tmp_path, {"main.tf.json": text}))
    assert code == 1
    assert_arc001(report, "main.tf.json", line, problem)
    assert_good_scanned(report)


def _deep_json(levels: int) -> str:
    """``levels`` objects and arrays nested one per line from line 2, the innermost connecting the agent.

    With ``w`` levels of wrapping on line 1, the 501st level, past the limit, opens on line ``502 - w``.
    """
    opening = "".join(('{"a":\n' if i % 2 else "[\n") for i in range(levels))
    closing = "".join(("}\n" if i % 2 else "]\n") for i in reversed(range(levels)))
    return opening + '"azcmagent connect -g rg"\n' + closing


@pytest.mark.parametrize("name", ["main.tf.json", "legacy.pkr.json", "terraform.tfvars.json"])
def test_json_nested_10000_deep_is_arc001_naming_the_limit(cli: Cli, tmp_path: Path, name: str) -> None:
    deep = _deep_json(10_000)
    if name == "legacy.pkr.json":
        text = '{"builders": [{"type": "amazon-ebs", "x":\n' + deep + "}]}\n"
    else:
        text = '{"locals": {"x":\n' + deep + "}}\n"
    code, report = cli.json(with_good(tmp_path, {name: text}))
    assert code == 1
    wrapping = 3 if name == "legacy.pkr.json" else 2
    assert_arc001(report, name, 502 - wrapping, "JSON nested deeper than arclint's limit of 500 levels")
    assert_good_scanned(report)


def test_json_nested_10000_deep_in_a_process_ends(tmp_path: Path) -> None:
    with_good(tmp_path, {"main.tf.json": '{"locals": {"x":\n' + _deep_json(10_000) + "}}\n"})
    code, report = scan_process(tmp_path)
    assert code == 1
    assert_arc001(report, "main.tf.json", 500, "JSON nested deeper than arclint's limit of 500 levels")
    assert_good_scanned(report)


def test_json_just_within_the_nesting_limit_loads(cli: Cli, tmp_path: Path) -> None:
    text = '{"locals": {"x":\n' + _deep_json(490) + "}}\n"
    code, report = cli.json(with_good(tmp_path, {"main.tf.json": text}))
    assert code == 1
    assert brief(report, file="main.tf.json") == []
    assert_good_scanned(report)


def test_plan_nested_10000_deep_is_arc001_naming_the_limit(cli: Cli, tmp_path: Path) -> None:
    plan = (
        '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n'
        '{"type": "aws_instance", "name": "x", "values": {"tags":\n' + _deep_json(10_000) + "}}]}}}\n"
    )
    code, report = cli.json(with_good(tmp_path, {"plan.json": plan}), "plan.json")
    assert code == 1
    # 4 levels on line 1 and 2 on line 2: the 501st level opens on line 3 + 494
    assert_arc001(report, "plan.json", 497, "JSON nested deeper than arclint's limit of 500 levels")


# --- binary, encodings, line ends --------------------------------------------------------------------


def test_binary_file_named_tf_is_arc001_at_the_line_of_its_first_nul(cli: Cli, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) + b"\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    code, report = cli.json(with_good(tmp_path, {"logo.tf": png}))
    assert code == 1
    assert png[: png.index(0)].count(b"\n") == 4
    assert_arc001(report, "logo.tf", 5, "NUL byte: a binary file, not a text configuration; not scanned")
    assert_good_scanned(report)


def test_binary_file_without_nul_bytes_is_arc001(cli: Cli, tmp_path: Path) -> None:
    code, report = cli.json(with_good(tmp_path, {"noise.tf": bytes(range(128, 256)) * 8}))
    assert code == 1
    assert brief(report, file="noise.tf") == [("ARC001", "noise.tf", 1, "", "error")]
    assert_good_scanned(report)


def test_nul_byte_in_a_text_file_is_arc001_at_its_line(cli: Cli, tmp_path: Path) -> None:
    text = GOOD_TF.replace('version   = "latest"', 'version   = "lat\x00est"').encode()
    code, report = cli.json(with_good(tmp_path, {"nul.tf": text, "nul.tf.json": b'{\n"locals":\n{"a": "\x00"}}'}))
    assert code == 1
    assert_arc001(report, "nul.tf", 8, "NUL byte")
    assert_arc001(report, "nul.tf.json", 3, "NUL byte")
    assert_good_scanned(report)


def test_latin1_file_is_read(cli: Cli, tmp_path: Path) -> None:
    text = ("# Serveur de fichiers, géré par l'équipe\n" + GOOD_TF.replace('"app"', '"caf\xe9"')).encode("latin-1")
    code, report = cli.json(with_good(tmp_path, {"latin1.tf": text}))
    assert code == 1
    finding = only(report, "ARC101", "latin1.tf")
    assert (finding["line"], finding["resource"], finding["evidence"][0]["line"]) == (
        2,
        "azurerm_linux_virtual_machine.café",
        11,
    )
    assert_good_scanned(report)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_read(cli: Cli, tmp_path: Path, encoding: str) -> None:
    data = GOOD_TF.replace('"app"', '"bom"').encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    code, report = cli.json(with_good(tmp_path, {"bom.tf": data}))
    assert code == 1
    finding = only(report, "ARC101", "bom.tf")
    assert (finding["line"], finding["evidence"][0]["line"]) == (1, 10)
    assert_good_scanned(report)


def test_broken_utf16_is_arc001_not_a_crash(cli: Cli, tmp_path: Path) -> None:
    odd = "\ufefflocals {\n  a = 1\n}\n".encode("utf-16-le") + b"x"  # an odd byte at the end
    lone = (
        '\ufefflocals {\n  a = "'.encode("utf-16-le") + b"\x00\xd8" + '"\n}\n'.encode("utf-16-le")
    )  # a lone surrogate
    code, report = cli.json(with_good(tmp_path, {"odd.tf": odd, "lone.tf": lone}))
    assert code == 1
    assert_arc001(report, "odd.tf", 4, "unexpected")
    assert brief(report, file="lone.tf") == []  # the lone surrogate reads as U+FFFD inside a string
    assert_good_scanned(report)


def test_utf16_script_is_read(cli: Cli, tmp_path: Path) -> None:
    main = GOOD_TF.replace('"app"', '"script"').replace(
        'base64encode("azcmagent connect --resource-group rg --location westeurope")', 'file("onboard.ps1")'
    )
    script = "\ufeff# onboarding\r\nazcmagent connect --resource-group rg --location westeurope\r\n".encode("utf-16-le")
    code, report = cli.json(with_good(tmp_path, {"script.tf": main, "onboard.ps1": script}))
    assert code == 1
    finding = only(report, "ARC101", "script.tf")
    assert finding["evidence"][0]["file"] == "onboard.ps1" and finding["evidence"][0]["line"] == 2
    assert_good_scanned(report)


def test_crlf_file_keeps_its_lines(cli: Cli, tmp_path: Path) -> None:
    text = GOOD_TF.replace('"app"', '"crlf"').replace("\n", "\r\n").encode()
    heredoc = (
        'resource "azurerm_linux_virtual_machine" "heredoc" {\r\n'
        "  custom_data = <<-EOT\r\n"
        "    #!/bin/bash\r\n"
        "    azcmagent connect -g rg\r\n"
        "  EOT\r\n"
        "}\r\n"
    )
    code, report = cli.json(with_good(tmp_path, {"crlf.tf": text, "heredoc.tf": heredoc.encode()}))
    assert code == 1
    finding = only(report, "ARC101", "crlf.tf")
    assert (finding["line"], finding["end_line"], finding["evidence"][0]["line"]) == (1, 11, 10)
    finding = only(report, "ARC101", "heredoc.tf")
    assert (finding["line"], finding["evidence"][0]["line"]) == (1, 4)
    assert_good_scanned(report)


# --- size ----------------------------------------------------------------------------------------


def _fifty_mb_tf() -> bytes:
    block = GOOD_TF.encode()
    return block * (50 * 1024 * 1024 // len(block) + 1)


def test_50_mb_tf_is_arc001_naming_the_limit(cli: Cli, tmp_path: Path) -> None:
    with_good(tmp_path, {"huge.tf": _fifty_mb_tf()})
    code, report = cli.json(tmp_path)
    assert code == 1
    assert_arc001(report, "huge.tf", 1, "HCL file larger than arclint's limit of 4 MB for HCL files; not scanned")
    assert_good_scanned(report)
    code, report = scan_process(tmp_path)
    assert code == 1
    assert_arc001(report, "huge.tf", 1, "HCL file larger than arclint's limit of 4 MB for HCL files; not scanned")
    assert_good_scanned(report)


def test_hcl_over_the_old_2_mb_limit_and_under_4_mb_is_parsed(cli: Cli, tmp_path: Path) -> None:
    body = "x" * 79 + "\n"
    big = (
        "locals {\n  pad = <<EOT\n"
        + body * (3 * 1024 * 1024 // len(body))
        + "EOT\n}\n"
        + GOOD_TF.replace('"app"', '"big"')
    )
    with_good(tmp_path, {"big.tf": big})
    code, report = cli.json(tmp_path)
    assert code == 1
    assert brief(report, file="big.tf") == [
        ("ARC101", "big.tf", big.count("\n") - GOOD_TF.count("\n") + 1, "azurerm_linux_virtual_machine.big", "error")
    ]
    assert_good_scanned(report)


def test_json_over_50_mb_is_arc001_naming_the_limit(cli: Cli, tmp_path: Path) -> None:
    pad = b" " * (50 * 1024 * 1024)
    code, report = cli.json(with_good(tmp_path, {"huge.tf.json": b'{"locals": {}}' + pad}))
    assert code == 1
    assert_arc001(report, "huge.tf.json", 1, "file is larger than arclint's limit of 50 MB; not scanned")
    assert_good_scanned(report)


def test_script_over_10_mb_is_unknown_naming_the_limit(cli: Cli, tmp_path: Path) -> None:
    main = 'resource "azurerm_linux_virtual_machine" "big" {\n  custom_data = filebase64("big.sh")\n}\n'
    code, report = cli.json(with_good(tmp_path, {"big.tf": main, "big.sh": b"#" * (10 * 1024 * 1024 + 1)}))
    assert code == 1
    finding = only(report, "ARC002", "big.tf")
    assert "file 'big.sh' is larger than arclint's limit of 10 MB; not read" in finding["message"]
    assert_good_scanned(report)


def _deep_hcl(shape: str, levels: int) -> str:
    if shape == "list":
        return "locals {\n  x = " + "[\n" * levels + '"azcmagent connect -g rg"' + "]" * levels + "\n}\n"
    if shape == "object":
        return "locals {\n  x = " + "{\na = " * levels + "1" + "}" * levels + "\n}\n"
    if shape == "parentheses":
        return "locals {\n  x = " + "(\n" * levels + "1" + ")" * levels + "\n}\n"
    if shape == "call":
        return "locals {\n  x = " + "lower(\n" * levels + '"a"' + ")" * levels + "\n}\n"
    if shape == "interpolation":  # a quoted template is on one line
        return "locals {\n  x = " + '"${' * levels + "1" + '}"' * levels + "\n}\n"
    return 'resource "aws_instance" "deep" {\n' + "nested {\n" * levels + "}\n" * levels + "}\n"


@pytest.mark.parametrize("shape", ["list", "object", "parentheses", "call", "interpolation", "blocks"])
def test_hcl_nested_10000_deep_is_arc001_at_the_line_past_the_limit(cli: Cli, tmp_path: Path, shape: str) -> None:
    code, report = cli.json(with_good(tmp_path, {"deep.tf": _deep_hcl(shape, 10_000)}))
    assert code == 1
    # one level per line from line 2 (the resource block is level 1 on line 1): the 501st level is on line 501
    line = 2 if shape == "interpolation" else 501
    assert_arc001(report, "deep.tf", line, "nested deeper than arclint's limit of 500 levels")
    assert_good_scanned(report)


def test_hcl_nested_10000_deep_in_a_process_ends(tmp_path: Path) -> None:
    with_good(tmp_path, {"deep.tf": _deep_hcl("list", 10_000), "blocks.tf": _deep_hcl("blocks", 10_000)})
    code, report = scan_process(tmp_path)
    assert code == 1
    assert_arc001(report, "deep.tf", 501, "nested deeper than arclint's limit of 500 levels")
    assert_arc001(report, "blocks.tf", 501, "nested deeper than arclint's limit of 500 levels")
    assert_good_scanned(report)


def test_heredoc_templates_nested_past_the_limit_are_arc001(cli: Cli, tmp_path: Path) -> None:
    inner = "x"
    for i in range(600):
        inner = f"<<E{i}\n${{{inner}}}\nE{i}\n"
    code, report = cli.json(with_good(tmp_path, {"heredoc.tf": "locals {\n  x = " + inner + "}\n"}))
    assert code == 1
    finding = only(report, "ARC001", "heredoc.tf")
    assert "nested deeper than arclint's limit of 500 levels" in finding["message"]
    assert_good_scanned(report)


def test_template_directives_nested_past_the_limit_are_unknown(cli: Cli, tmp_path: Path) -> None:
    template = "%{ if true }" * 600 + "azcmagent connect -g rg" + "%{ endif }" * 600 + "\n"
    main = 'resource "azurerm_linux_virtual_machine" "t" {\n  custom_data = templatefile("t.tftpl", {})\n}\n'
    code, report = cli.json(with_good(tmp_path, {"t.tf": main, "t.tftpl": template}))
    assert code == 1
    finding = only(report, "ARC002", "t.tf")
    assert "template directives nested deeper than arclint's limit of 500 levels" in finding["message"]
    assert_good_scanned(report)


_LIST_TF = """locals {{
  ports = [{items}]
}}

resource "azurerm_linux_virtual_machine" "web" {{
  size        = "Standard_D2s_v5"
  custom_data = join("\\n", concat([for p in local.ports : "echo ${{p}}"], ["azcmagent connect --resource-group rg"]))
}}
"""


def test_100000_element_list_is_evaluated(cli: Cli, tmp_path: Path) -> None:
    with_good(tmp_path, {"list.tf": _LIST_TF.format(items=", ".join(str(i) for i in range(100_000)))})
    for code, report in (cli.json(tmp_path), scan_process(tmp_path)):
        assert code == 1
        finding = only(report, "ARC101", "list.tf")
        assert (finding["line"], finding["evidence"][0]["file"], finding["evidence"][0]["line"]) == (5, "list.tf", 7)
        assert brief(report, file="list.tf") == [("ARC101", "list.tf", 5, "azurerm_linux_virtual_machine.web", "error")]
        assert_good_scanned(report)


def test_100000_element_lists_in_json_and_packer(cli: Cli, tmp_path: Path) -> None:
    inline = ", ".join(f'"echo {i}"' for i in range(100_000))
    packer = (
        '{\n"builders": [{"type": "amazon-ebs"}],\n"provisioners": [{"type": "shell", "inline": ['
        + inline
        + ', "azcmagent connect -g rg"]}]\n}\n'
    )
    tfjson = '{"locals": {"ports": [' + ", ".join(str(i) for i in range(100_000)) + "]}}\n"
    code, report = cli.json(with_good(tmp_path, {"image.pkr.json": packer, "ports.tf.json": tfjson}))
    assert code == 1
    assert brief(report, file="image.pkr.json") == [
        ("ARC201", "image.pkr.json", 2, "source.amazon-ebs.amazon-ebs", "error")
    ]  # the builder's line
    assert only(report, "ARC201", "image.pkr.json")["evidence"][0]["line"] == 3
    assert brief(report, file="ports.tf.json") == []
    assert_good_scanned(report)


# --- empty files ------------------------------------------------------------------------------------


def test_empty_files(cli: Cli, tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "empty.tf": b"",
        "blank.tf": b"\n\n  \n",
        "empty.pkr.hcl": b"",
        "empty.tfvars": b"",
        "empty.json": b"",
        "empty.tf.json": b"",
        "empty.pkr.json": b"   \n",
        "bom-only.tf": b"\xef\xbb\xbf",
        "utf16-bom-only.tf": b"\xff\xfe",
        "script.tf": 'resource "azurerm_linux_virtual_machine" "e" {\n  custom_data = file("empty.sh")\n}\n',
        "empty.sh": b"",
    }
    code, report = cli.json(with_good(tmp_path, files))
    assert code == 1
    assert sorted(brief(report)) == [
        ("ARC001", "empty.pkr.json", 1, "", "error"),
        ("ARC001", "empty.tf.json", 1, "", "error"),
        ("ARC101", "good.tf", 1, "azurerm_linux_virtual_machine.app", "error"),
    ]
    assert_arc001(report, "empty.tf.json", 1, "empty file: no JSON value")
    assert report["errors"] == []


# --- files that vanish or cannot be read while the scan runs -----------------------------------------


def test_file_that_vanishes_before_it_is_loaded(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import arclint.load

    with_good(tmp_path, {"gone.tf": GOOD_TF.replace('"app"', '"gone"')})
    real_load = arclint.load.load

    def load_after_delete(item, comments, cache=None, check_only=False):  # type: ignore[no-untyped-def]
        if item.path.name == "gone.tf" and item.path.exists():
            item.path.unlink()  # discovered, then deleted before it is read
        return real_load(item, comments, cache, check_only)

    monkeypatch.setattr(arclint.load, "load", load_after_delete)
    code, report = cli.json(tmp_path)
    assert code == 1
    assert_arc001(report, "gone.tf", 1, "cannot be read (No such file or directory)")
    assert_good_scanned(report)


def test_script_that_vanishes_before_it_is_read(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import arclint.scan

    main = 'resource "azurerm_linux_virtual_machine" "v" {\n  custom_data = file("onboard.sh")\n}\n'
    with_good(tmp_path, {"v.tf": main, "onboard.sh": "azcmagent connect -g rg\n"})
    real_evaluate = arclint.scan.evaluate

    def evaluate_after_delete(*args, **kwargs):  # type: ignore[no-untyped-def]
        (tmp_path / "onboard.sh").unlink()
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(arclint.scan, "evaluate", evaluate_after_delete)
    code, report = cli.json(tmp_path)
    assert code == 1
    finding = only(report, "ARC002", "v.tf")
    assert "file 'onboard.sh' does not exist under the scan root" in finding["message"]
    assert_good_scanned(report)


def _deny(monkeypatch: pytest.MonkeyPatch, name: str, error: int = errno.EACCES) -> None:
    """Make reading ``name`` fail as it would for a user without the right (tests run as root in CI)."""
    import arclint.core.files
    import arclint.evaluate.files
    import arclint.load

    real = arclint.core.files.read_bytes

    def read_bytes(path: Path, limit: int) -> bytes:
        if Path(path).name == name:
            raise OSError(error, os.strerror(error), str(path))
        return real(path, limit)

    for reader in (arclint.load, arclint.evaluate.files):  # loading configurations; reading referenced files
        monkeypatch.setattr(reader, "read_bytes", read_bytes)


@pytest.mark.parametrize(("error", "reason"), [(errno.EACCES, "Permission denied"), (errno.EIO, "Input/output error")])
def test_unreadable_file_is_arc001(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, reason: str
) -> None:
    with_good(tmp_path, {"locked.tf": GOOD_TF.replace('"app"', '"locked"')})
    _deny(monkeypatch, "locked.tf", error)
    code, report = cli.json(tmp_path)
    assert code == 1
    assert_arc001(report, "locked.tf", 1, f"cannot be read ({reason})")
    assert_good_scanned(report)


def test_unreadable_script_is_unknown(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main = 'resource "azurerm_linux_virtual_machine" "v" {\n  custom_data = file("onboard.sh")\n}\n'
    with_good(tmp_path, {"v.tf": main, "onboard.sh": "azcmagent connect -g rg\n"})
    _deny(monkeypatch, "onboard.sh")
    code, report = cli.json(tmp_path)
    assert code == 1
    assert "file 'onboard.sh' cannot be read (Permission denied)" in only(report, "ARC002", "v.tf")["message"]
    assert_good_scanned(report)


def _deny_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make listing ``folder`` fail with EACCES, as ``os.walk`` sees a folder without read permission."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(os.fsdecode(path)).resolve() == folder.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_permission_denied_folder_is_an_error_line_and_the_rest_is_scanned(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_good(tmp_path, {"private/main.tf": GOOD_TF.replace('"app"', '"private"')})
    _deny_folder(monkeypatch, tmp_path / "private")
    code, report = cli.json(tmp_path)
    assert code == 1
    assert report["errors"] == ["private: cannot be read (Permission denied)"]
    assert brief(report) == [("ARC101", "good.tf", 1, "azurerm_linux_virtual_machine.app", "error")]
    code, out, err = cli.scan(tmp_path, ".", "--no-color")
    assert code == 1
    assert err == "arclint: private: cannot be read (Permission denied)\n"
    assert "arclint:" not in out


def test_permission_denied_folder_alone_is_reported_with_exit_0(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "main.tf").write_text(GOOD_TF)
    _deny_folder(monkeypatch, tmp_path / "private")
    code, report = cli.json(tmp_path)
    assert (code, report["findings"], report["errors"]) == (0, [], ["private: cannot be read (Permission denied)"])


def test_permission_denied_on_an_explicit_path_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arclint.discover import discover

    with_good(tmp_path, {"secret.tf": GOOD_TF})
    real = Path.is_file

    def is_file(self: Path) -> bool:  # what stat() says when a parent folder cannot be searched
        if self.name == "secret.tf":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    inputs, problems = discover([tmp_path / "secret.tf", tmp_path / "good.tf"], tmp_path)
    assert problems == ["secret.tf: cannot be read (Permission denied)"]
    assert [i.display for i in inputs if i.explicit] == ["good.tf"]


# --- special files ------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_named_tf_is_arc001_not_a_hang(cli: Cli, tmp_path: Path) -> None:
    with_good(
        tmp_path, {"onboard.tf": 'resource "azurerm_linux_virtual_machine" "p" {\n  custom_data = file("pipe.sh")\n}\n'}
    )
    os.mkfifo(tmp_path / "pipe.tf")
    os.mkfifo(tmp_path / "pipe.sh")
    code, report = cli.json(tmp_path)
    assert code == 1
    assert_arc001(report, "pipe.tf", 1, "file is not a regular file (a pipe, device or socket); not scanned")
    assert (
        "file 'pipe.sh' is not a regular file (a pipe, device or socket); not read"
        in only(report, "ARC002", "onboard.tf")["message"]
    )
    assert_good_scanned(report)


def test_symlinks_out_of_the_root_and_to_devices_are_not_read(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "secret.tf").write_text('locals {\n  token = "s3cr3t-value"\n  @@@\n}\n')
    (tmp_path / "repo").mkdir()
    repo = with_good(tmp_path / "repo", {})
    (repo / "outside.tf").symlink_to(tmp_path / "secret.tf")
    (repo / "zero.tf").symlink_to("/dev/zero")
    (repo / "loop.tf").symlink_to(repo / "loop.tf")
    code, report = cli.json(repo)
    assert code == 1
    assert sorted(report["errors"]) == [
        "outside.tf: a symlink to outside the scan root .; not read",
        "zero.tf: a symlink to outside the scan root .; not read",
    ]
    assert_arc001(report, "loop.tf", 1, "cannot be read (Too many levels of symbolic links)")
    assert "s3cr3t" not in json.dumps(report)
    assert_good_scanned(report)


def test_undecodable_and_control_characters_in_names_are_escaped(cli: Cli, tmp_path: Path) -> None:
    with_good(tmp_path, {})
    raw = os.fsencode(tmp_path) + b"/\xff\xfe.tf"
    with open(raw, "wb") as fh:
        fh.write(GOOD_TF.replace('"app"', '"raw"').encode())
    (tmp_path / "two\nlines.tf").write_text("resource {\n")
    code, out, err = cli.scan(tmp_path, ".", "--format", "json")
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    assert only(report, "ARC101", "\\xff\\xfe.tf")["line"] == 1
    assert brief(report, file="two\\x0alines.tf") == [("ARC001", "two\\x0alines.tf", 2, "", "error")]
    code, out, _ = cli.scan(tmp_path, ".", "--no-color")
    assert "two\\x0alines.tf:2:1: error ARC001" in out
    assert not any(line.startswith("lines.tf") for line in out.splitlines())  # no forged report line


def test_lone_surrogates_in_strings_are_replaced_in_output(cli: Cli, tmp_path: Path) -> None:
    hcl = 'resource "azurerm_linux_virtual_machine" "hcl" {\n  custom_data = "azcmagent connect -g rg \\uD800"\n}\n'
    tfjson = (
        '{"resource": {"azurerm_linux_virtual_machine": '
        '{"json\\udc00": {"custom_data": "azcmagent connect -g rg \\ud800"}}}}\n'
    )
    code, report = cli.json(with_good(tmp_path, {"hcl.tf": hcl, "json.tf.json": tfjson}))
    assert code == 1
    assert only(report, "ARC101", "hcl.tf")["evidence"][0]["text"] == "azcmagent connect -g rg \ufffd"
    assert only(report, "ARC101", "json.tf.json")["resource"] == "azurerm_linux_virtual_machine.json\ufffd"
    assert_good_scanned(report)


# --- expressions that explode -------------------------------------------------------------------------

_EXPLODING = {
    "string-times-number": ('"x" * 100000000000', "cannot evaluate *: 'x' is not a number"),
    "list-times-number": ("[1] * 100000000000", "cannot evaluate *: a list is not a number"),
    "huge-integer": ("9" * 5000, "a number with more than 600 digits is beyond arclint's limit"),
    "infinite-number": ("1e999", "the number inf (an overflow, infinite or not a number) is beyond arclint's limit"),
    "squaring": ("local.s40", "a number with more than 600 digits is beyond arclint's limit"),
    "base64-growth": (
        'base64encode(base64encode(base64encode(file("nine-mb.txt"))))',
        "string longer than arclint's limit of 16 MB",
    ),
    "regex-backtracking": (
        'replace("' + "a" * 40 + '!", "/(a+)+$/", "b")',
        "arclint evaluates regular expressions with at most two repetitions",
    ),
    "format-width": ('format("%0999999999d", 1)', "width or precision in %0999999999d over arclint's limit of 10,000"),
    "replace-blowup": ("local.r20", "replace(): result longer than arclint's limit of 16 MB"),
    "jsondecode-deep": (
        'jsondecode("' + "[" * 5000 + "]" * 5000 + '")',
        "jsondecode(): JSON nested deeper than arclint's limit of 500 levels",
    ),
    "local-chain": ("local.c450", "expression nested deeper than arclint's limit of 200 levels"),
    "list-doubling": ('join("\\n", local.d30)', "a value with more than arclint's limit of 1,000,000 parts"),
    "shared-list-compare": (
        'local.a30 == local.b30 ? "azcmagent connect" : ""',
        "cannot compare with ==: a part of a value is not known",
    ),
    "for-over-limit": (
        'join("\\n", [for i in range(100001) : "azcmagent connect"])',
        "a for expression over more than arclint's limit of 100,000 items",
    ),
}
_LOCALS = (
    "locals {\n  s0 = 99999\n"
    + "".join(f"  s{i + 1} = local.s{i} * local.s{i}\n" for i in range(40))
    + '  r0 = "xxxxxxxxxx"\n'
    + "".join(f'  r{i + 1} = replace(local.r{i}, "x", local.r{i})\n' for i in range(20))
    + '  c0 = "azcmagent connect"\n'
    + "".join(f"  c{i + 1} = local.c{i}\n" for i in range(450))
    + '  a0 = [1]\n  b0 = [1]\n  d0 = ["azcmagent connect"]\n'  # lists that double at every level
    + "".join(
        (
            f"  a{i + 1} = [local.a{i}, local.a{i}]\n"
            f"  b{i + 1} = [local.b{i}, local.b{i}]\n"
            f"  d{i + 1} = concat(local.d{i}, local.d{i})\n"
        )
        for i in range(30)
    )
    + "}\n"
)


@pytest.mark.parametrize("case", sorted(_EXPLODING))
def test_exploding_expression_is_unknown_naming_the_limit(cli: Cli, tmp_path: Path, case: str) -> None:
    expr, reason = _EXPLODING[case]
    main = f'resource "azurerm_linux_virtual_machine" "x" {{\n  custom_data = {expr}\n}}\n' + _LOCALS
    if case == "base64-growth":
        (tmp_path / "nine-mb.txt").write_bytes(b"a" * (9 * 1024 * 1024))
    code, report = cli.json(with_good(tmp_path, {"x.tf": main}))
    assert code == 1
    finding = only(report, "ARC002", "x.tf")
    assert (finding["line"], finding["resource"]) == (1, "azurerm_linux_virtual_machine.x")
    assert reason in finding["message"], finding["message"]
    assert_good_scanned(report)


def test_template_that_renders_itself_twice_ends(tmp_path: Path) -> None:
    main = 'resource "azurerm_linux_virtual_machine" "t" {\n  custom_data = templatefile("t.tftpl", {n = 1})\n}\n'
    template = 'a ${templatefile("t.tftpl", {n = n})} ${templatefile("t.tftpl", {n = n})}\nazcmagent connect -g rg\n'
    code, report = scan_process(with_good(tmp_path, {"t.tf": main, "t.tftpl": template}))
    assert code == 1
    finding = only(report, "ARC101", "t.tf")  # rendering stops at the step limit; what was rendered is checked
    assert {(e["file"], e["line"]) for e in finding["evidence"]} == {("t.tftpl", 2)}
    assert_good_scanned(report)


def test_a_script_of_100000_brackets_is_plain_text_with_no_finding(tmp_path: Path) -> None:
    user_data = "[" * 100_000
    write(tmp_path, {"main.tf": f'resource "aws_instance" "x" {{\n  ami = "ami-1"\n  user_data = "{user_data}"\n}}\n'})
    report = run_scan(tmp_path)
    assert (brief(report), report.errors, report.targets) == ([], [], 1)


NOT_FETCHED = (
    "module.vm: cannot tell what this module creates: module.vm comes from 'Azure/vm/azurerm', which arclint "
    "does not fetch; run terraform init (arclint reads .terraform/modules/modules.json) "
    "or scan a plan (terraform show -json)"
)


@pytest.mark.parametrize(
    "modules_json",
    ["deep", pytest.param("pipe", marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")), "absent"],
)
def test_a_deep_or_piped_modules_json_is_read_as_absent(tmp_path: Path, modules_json: str) -> None:
    write(tmp_path, {"main.tf": 'module "vm" {\n  source = "Azure/vm/azurerm"\n}\n'})
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    if modules_json == "deep":
        write(tmp_path, {".terraform/modules/modules.json": "[" * 10_000 + "]" * 10_000})
    elif modules_json == "pipe":
        os.mkfifo(tmp_path / ".terraform" / "modules" / "modules.json")
    report = run_scan(tmp_path)
    assert (brief(report), report.errors) == ([("ARC002", "main.tf", 1, "module.vm", "info")], [])
    assert report.findings[0].message == NOT_FETCHED


def test_explicit_path_in_a_folder_that_cannot_be_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arclint.core import files

    denied = tmp_path / "denied" / "main.tf"
    real = Path.is_file

    def is_file(self: Path) -> bool:
        if self == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    assert files.is_file(denied) is False
