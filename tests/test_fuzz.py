"""Property-based fuzzing: generated and mutated Terraform, Packer and scripts never break a scan.

The invariant, for every example: no exception escapes, the JSON report parses (and the text report renders),
both encode as UTF-8, and every finding has a file that exists and a line inside it (as does every evidence
entry whose file is under the scanned folder). Examples are derandomized, so CI sees the same inputs on
every run, and bounded in number, so the file runs in well under a minute.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from arclint.evaluate.files import decode
from arclint.report import json_report, text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_scan, write

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

Files = dict[str, bytes]


# --- the invariant ----------------------------------------------------------------------------


@contextmanager
def _folder(files: Files) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="arclint-fuzz-") as name:
        yield write(Path(name).resolve(), files)


def _lines(path: Path) -> int:
    """Lines of a file as arclint counts them: newlines of the decoded text, plus one."""
    return decode(path.read_bytes()).replace("\r\n", "\n").count("\n") + 1


def check_scan(files: Files) -> dict[str, object]:
    """Scan ``files`` in a fresh folder and check the invariant; return the JSON report."""
    with _folder(files) as root:
        report = run_scan(root)
        rendered = json_report.render(report)
        rendered.encode("utf-8")
        text.render(report).encode("utf-8")
        data = json.loads(rendered)
        assert set(data) == {"version", "as_of", "findings", "summary", "errors"}
        for finding in data["findings"]:
            path = root / finding["file"]
            assert path.is_file(), finding
            assert 1 <= finding["line"] <= _lines(path), (finding, _lines(path))
            for evidence in finding["evidence"]:
                epath = root / evidence["file"]
                if epath.is_file():
                    assert 1 <= evidence["line"] <= _lines(epath), (evidence, _lines(epath))
        return data


# --- scripts ------------------------------------------------------------------------------------

SCRIPT_LINES = (
    "#!/bin/bash",
    "set -euo pipefail",
    "azcmagent connect --resource-group rg-arc --tenant-id 00000000-0000-0000-0000-000000000000 --location westeurope",
    (
        "azcmagent connect -g rg -l eastus --service-principal-id sp --service-principal-secret "
        "s3cr3t --resource-name vm-${i}"
    ),
    "sudo azcmagent connect --access-token $TOKEN --resource-group rg --location eastus",
    "wget https://aka.ms/azcmagent -O ~/install_linux_azcmagent.sh",
    "bash ~/install_linux_azcmagent.sh",
    "curl -sSL https://aka.ms/azcmagent | sudo bash",
    "apt-get install -y azcmagent",
    "azcmagent disconnect --force-local-only",
    "export MSFT_ARC_TEST=true",
    "echo 'MSFT_ARC_TEST=true' >> /etc/environment",
    "sudo ufw --force enable",
    "sudo ufw deny out from any to 169.254.169.254",
    "sudo ufw default allow incoming",
    "iptables -A OUTPUT -d 169.254.169.254 -j DROP",
    "sudo systemctl stop walinuxagent",
    "sudo systemctl disable walinuxagent",
    "waagent -deprovision+user -force",
    "cloud-init clean --logs",
    "azcmagent connect \\",
    "  --resource-group rg \\",
    "  --location westeurope",
    (
        '[System.Environment]::SetEnvironmentVariable("MSFT_ARC_TEST", "true", '
        "[System.EnvironmentVariableTarget]::Machine)"
    ),
    "Set-Service WindowsAzureGuestAgent -StartupType Disabled -Verbose",
    "Stop-Service WindowsAzureGuestAgent -Force -Verbose",
    (
        'New-NetFirewallRule -Name BlockAzureIMDS -DisplayName "Block IMDS" -Direction Outbound '
        "-Action Block -RemoteAddress 169.254.169.254"
    ),
    (
        'Invoke-WebRequest -Uri "https://aka.ms/azcmagent-windows" -TimeoutSec 30 -OutFile '
        '"$env:TEMP\\install_windows_azcmagent.ps1"'
    ),
    '& "$env:TEMP\\install_windows_azcmagent.ps1"',
    '& "$env:ProgramW6432\\AzureConnectedMachineAgent\\azcmagent.exe" connect `',
    "  --resource-group rg `",
    "  --location westeurope",
    "powershell -EncodedCommand YQB6AGMAbQBhAGcAZQBuAHQAIABjAG8AbgBuAGUAYwB0AA==",
    "echo YXpjbWFnZW50IGNvbm5lY3QgLWcgcmc= | base64 -d | bash",
    "C:\\Windows\\System32\\Sysprep\\sysprep.exe /generalize /oobe /shutdown",
    "# azcmagent connect -g commented-out",
    ":: azcmagent connect in a cmd comment",
    "REM azcmagent connect",
    "<# azcmagent connect",
    "#>",
    'echo "unterminated',
    "'",
    "`",
    "\\",
    "^",
    "%{ if true }",
    "${var.name}",
    "",
)

_KNOWN_LINE = st.sampled_from(SCRIPT_LINES)
script_line = st.one_of(_KNOWN_LINE, _KNOWN_LINE, _KNOWN_LINE, st.text(max_size=40))  # 3:1 for known lines


@st.composite
def scripts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(script_line, max_size=12))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


# --- Terraform HCL -------------------------------------------------------------------------------

MACHINE_TYPES = (
    ("azurerm_linux_virtual_machine", "custom_data"),
    ("azurerm_windows_virtual_machine", "custom_data"),
    ("azurerm_linux_virtual_machine_scale_set", "custom_data"),
    ("azurerm_virtual_machine_extension", "settings"),
    ("aws_instance", "user_data"),
    ("aws_spot_instance_request", "user_data"),
    ("aws_launch_template", "user_data"),
    ("google_compute_instance", "metadata_startup_script"),
    ("google_compute_instance_template", "metadata"),
    ("vsphere_virtual_machine", "extra_config"),
)
IMAGE_BLOCKS = (
    (
        "  source_image_reference {\n"
        '    publisher = "Canonical"\n'
        '    offer = "0001-com-ubuntu-server-jammy"\n'
        '    sku = "22_04-lts-gen2"\n'
        '    version = "latest"\n'
        "  }\n"
    ),
    (
        "  source_image_reference {\n"
        '    publisher = "MicrosoftWindowsServer"\n'
        '    offer = "WindowsServer"\n'
        '    sku = "2012-R2-Datacenter"\n'
        '    version = "latest"\n'
        "  }\n"
    ),
    '  ami = data.aws_ami.ubuntu.id\n  instance_type = "t4g.small"\n',
    '  ami = "ami-0123456789abcdef0"\n',
    '  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n',
    '  priority = "Spot"\n  eviction_policy = "Delete"\n',
    "  scheduling {\n    preemptible = true\n  }\n",
    '  clone {\n    template_uuid = data.vsphere_virtual_machine.tpl.id\n  }\n  guest_id = "ubuntu64Guest"\n',
    "",
)
names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def hcl_string(value: str) -> str:
    """``value`` as a quoted HCL string (escapes and template markers escaped)."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    escaped = escaped.replace("${", "$${").replace("%{", "%%{")
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped if ord(c) < 0x10000) + '"'


@st.composite
def script_expressions(draw: st.DrawFn, files: dict[str, str]) -> str:
    """An expression that yields a script: literal, heredoc, template, function calls, references."""
    body = draw(scripts())
    kind = draw(
        st.sampled_from(
            [
                "literal",
                "heredoc",
                "heredoc-trim",
                "b64",
                "file",
                "templatefile",
                "join",
                "format",
                "var",
                "local",
                "cond",
                "for",
            ]
        )
    )
    if kind == "literal":
        return hcl_string(body)
    if kind in ("heredoc", "heredoc-trim"):
        lines = [ln for ln in body.replace("\r\n", "\n").split("\n") if ln.strip() != "EOT"]
        directive = draw(
            st.sampled_from(
                [
                    "",
                    "%{ if var.on }\necho on\n%{ endif }\n",
                    "%{ for n in [1, 2] }echo ${n}\n%{ endfor }\n",
                    "${local.extra}\n",
                ]
            )
        )
        marker = "<<-EOT" if kind == "heredoc-trim" else "<<EOT"
        return (
            f"{marker}\n"
            + "\n".join(("    " if kind == "heredoc-trim" else "") + ln for ln in lines)
            + f"\n{directive}EOT"
        )
    if kind == "b64":
        return f"base64encode({hcl_string(body)})"
    if kind == "file":
        name = draw(
            st.sampled_from(["scripts/onboard.sh", "scripts/onboard.ps1", "missing.sh", "../outside.sh", "/etc/passwd"])
        )
        if name.startswith("scripts/"):
            files.setdefault(name, body)
        return draw(st.sampled_from([f'file("{name}")', f'filebase64("{name}")', f'file("${{path.module}}/{name}")']))
    if kind == "templatefile":
        template = body + draw(
            st.sampled_from(
                ["", "\n${name}", "\n%{ for k, v in tags }${k}=${v}\n%{ endfor }", "\n${unclosed", "\n%{ if x }"]
            )
        )
        files["scripts/onboard.sh.tftpl"] = template
        return 'templatefile("${path.module}/scripts/onboard.sh.tftpl", { name = "vm", tags = { a = "b" }, x = true })'
    if kind == "join":
        return "join(" + hcl_string("\n") + ", [" + ", ".join(hcl_string(ln) for ln in body.split("\n")) + "])"
    if kind == "format":
        return f'format("%s\\n%s", {hcl_string(body)}, var.extra)'
    if kind == "var":
        return "var.script"
    if kind == "local":
        return "local.script"
    if kind == "cond":
        return f"var.on ? {hcl_string(body)} : null"
    return f'join("\\n", [for i in range(3) : {hcl_string(body)}])'


@st.composite
def terraform_projects(draw: st.DrawFn) -> Files:
    files: dict[str, str] = {}
    blocks = [
        'variable "on" {\n  default = true\n}\n',
        f'variable "script" {{\n  default = {hcl_string(draw(scripts()))}\n}}\n',
        'variable "extra" {\n  type = string\n}\n',
        f'locals {{\n  script = {draw(script_expressions(files))}\n  extra = "echo extra"\n}}\n',
        (
            'data "aws_ami" "ubuntu" {\n'
            '  owners = ["099720109477"]\n'
            "  filter {\n"
            '    name = "name"\n'
            '    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*"]\n'
            "  }\n"
            "}\n"
        ),
    ]
    for _ in range(draw(st.integers(1, 4))):
        rtype, attr = draw(st.sampled_from(MACHINE_TYPES))
        expansion = draw(
            st.sampled_from(
                ["", "  count = 2\n", "  count = 0\n", '  for_each = toset(["a", "b"])\n', "  count = var.n\n"]
            )
        )
        value = draw(script_expressions(files))
        if attr in ("metadata", "settings", "extra_config"):
            key = {"metadata": "startup-script", "settings": "commandToExecute", "extra_config": "guestinfo.userdata"}[
                attr
            ]
            line = (
                f"  {attr} = jsonencode({{ {hcl_string(key)} = {value} }})\n"
                if attr == "settings"
                else f"  {attr} = {{\n    {hcl_string(key)} = {value}\n  }}\n"
            )
        else:
            line = f"  {attr} = {value}\n"
        suppress = draw(
            st.sampled_from(["", "# arclint:ignore ARC101 lab\n", "# arclint:ignore arc-on-azure-vm,ARC999\n"])
        )
        blocks.append(
            f'{suppress}resource "{rtype}" "{draw(names)}" {{\n'
            f"{expansion}{draw(st.sampled_from(IMAGE_BLOCKS))}{line}}}\n"
        )
    if draw(st.booleans()):
        blocks.append('module "child" {\n  source = "./modules/child"\n  script = local.script\n}\n')
        child_type, child_attr = draw(st.sampled_from(MACHINE_TYPES[:2] + MACHINE_TYPES[4:5]))
        files["modules/child/main.tf"] = (
            'variable "script" {}\n'
            f'resource "{child_type}" "this" {{\n  {child_attr} = var.script\n}}\n'
            'module "loop" {\n  source = "../child"\n}\n'
        )
    order = draw(st.permutations(blocks))
    files["main.tf"] = "\n".join(order)
    if draw(st.booleans()):
        files["terraform.tfvars"] = f"n = {draw(st.integers(-3, 300))}\nscript = {hcl_string(draw(scripts()))}\n"
    return {name: text.encode("utf-8") for name, text in files.items()}


# --- expressions ---------------------------------------------------------------------------------

FUNCTIONS = (
    "base64encode",
    "base64decode",
    "join",
    "format",
    "jsonencode",
    "yamlencode",
    "jsondecode",
    "trimspace",
    "chomp",
    "replace",
    "lower",
    "upper",
    "tostring",
    "tonumber",
    "tobool",
    "tolist",
    "toset",
    "tomap",
    "lookup",
    "merge",
    "concat",
    "coalesce",
    "try",
    "can",
    "element",
    "split",
    "contains",
    "length",
    "keys",
    "values",
    "flatten",
    "distinct",
    "compact",
    "range",
    "min",
    "max",
    "abs",
    "trim",
    "trimprefix",
    "trimsuffix",
    "substr",
    "startswith",
    "endswith",
    "title",
    "basename",
    "dirname",
    "abspath",
    "file",
    "filebase64",
    "templatefile",
    "fileexists",
    "nosuchfunction",
)
_LEAVES = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(["0", "1e999", "-1", "0.5", "1" + "0" * 700, "true", "false", "null"]),
    st.sampled_from(SCRIPT_LINES).map(hcl_string),
    st.text(max_size=12).map(hcl_string),
    st.sampled_from(
        [
            '"/(a+)+$/"',
            '"/[a-z]/"',
            '"%s %d %v"',
            '"%0999999d"',
            '"{\\"a\\": [1, 2]}"',
            '"[[[[1]]]]"',
            '"scripts/onboard.sh"',
            '"x.tftpl"',
        ]
    ),
    st.sampled_from(
        [
            "var.script",
            "var.extra",
            "var.nothing",
            "local.script",
            "local.self",
            "local.list",
            "local.map",
            "each.key",
            "count.index",
            "path.module",
            "path.cwd",
            "data.aws_ami.ubuntu.id",
            "aws_instance.other.id",
            "module.child.out",
            "self",
            "terraform.workspace",
        ]
    ),
)


def _call(args: list[str], name: str) -> str:
    return f"{name}({', '.join(args)})"


expressions = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds(_call, st.lists(inner, max_size=3), st.sampled_from(FUNCTIONS)),
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", '"c d"', "(local.key)"]), inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k} = {v}" for k, v in kvs) + "}"
        ),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda x: f"!({x})"),
        inner.map(lambda x: f"-({x})"),
        st.tuples(inner, inner).map(lambda t: f"[for i, v in {t[0]} : {t[1]} if v != null]"),
        st.tuples(inner, inner).map(lambda t: f"{{for k, v in {t[0]} : k => {t[1]}...}}"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]"),
        inner.map(lambda x: f"({x})[*].id"),
        inner.map(lambda x: f"({x}).attr"),
        inner.map(lambda x: f'"echo ${{{x}}} %{{ if {x} }}azcmagent connect%{{ endif }}"'),
        inner.map(lambda x: f"<<EOT\n%{{ for i in {x} }}azcmagent connect ${{i}}\n%{{ endfor }}\nEOT\n"),
    ),
    max_leaves=12,
)


@st.composite
def expression_projects(draw: st.DrawFn) -> Files:
    rtype, attr = draw(st.sampled_from(MACHINE_TYPES))
    main = (
        'variable "script" {\n  default = "azcmagent connect -g rg"\n}\n'
        'variable "nothing" {}\n'
        f'locals {{\n  script = {draw(expressions)}\n  self = local.self\n  list = [{draw(expressions)}, 1, "a"]\n'
        f"  map = {{ a = {draw(expressions)} }}\n  key = {draw(expressions)}\n}}\n"
        f'resource "{rtype}" "vm" {{\n'
        f"  count = {draw(st.sampled_from(['1', '2', 'local.key', 'length(local.list)']))}\n"
        f"  {attr} = {draw(expressions)}\n}}\n"
    )
    return {
        "main.tf": main.encode(),
        "scripts/onboard.sh": draw(scripts()).encode(),
        "x.tftpl": ("${" + draw(expressions) + "}\n" + draw(scripts())).encode(),
    }


# --- Packer -------------------------------------------------------------------------------------

BUILDERS = (
    (
        "azure-arm",
        (
            '  image_publisher = "Canonical"\n'
            '  image_offer = "0001-com-ubuntu-server-jammy"\n'
            '  image_sku = "22_04-lts-gen2"\n'
            '  managed_image_name = "golden-{{timestamp}}"\n'
        ),
    ),
    (
        "amazon-ebs",
        '  source_ami = "ami-0123456789abcdef0"\n  ami_name = "golden-${local.stamp}"\n  spot_price = "auto"\n',
    ),
    ("googlecompute", '  source_image_family = "ubuntu-2204-lts"\n  image_name = "golden"\n  preemptible = true\n'),
    (
        "vsphere-iso",
        '  iso_paths = ["[ds] iso/ubuntu-16.04.7-server-amd64.iso"]\n  vm_name = "tpl"\n  convert_to_template = true\n',
    ),
)


@st.composite
def packer_hcl_projects(draw: st.DrawFn) -> Files:
    files: dict[str, str] = {"scripts/setup.sh": draw(scripts()), "scripts/setup.ps1": draw(scripts())}
    sources, refs = [], []
    for _ in range(draw(st.integers(1, 3))):
        btype, settings_ = draw(st.sampled_from(BUILDERS))
        name = draw(names)
        sources.append(f'source "{btype}" "{name}" {{\n{settings_}}}\n')
        refs.append(f'"source.{btype}.{name}"')
    provisioners = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["inline", "script", "scripts", "file", "powershell"]))
        if kind == "inline":
            inline = ", ".join(hcl_string(ln) for ln in draw(scripts()).split("\n"))
            provisioners.append(f'  provisioner "shell" {{\n    inline = [{inline}]\n  }}\n')
        elif kind == "script":
            provisioners.append('  provisioner "shell" {\n    script = "scripts/setup.sh"\n  }\n')
        elif kind == "scripts":
            provisioners.append(
                '  provisioner "shell" {\n'
                '    scripts = ["scripts/setup.sh", "missing.sh", "${path.root}/scripts/setup.sh"]\n'
                "  }\n"
            )
        elif kind == "file":
            provisioners.append(
                '  provisioner "file" {\n    source = "scripts/setup.sh"\n    destination = "/tmp/setup.sh"\n  }\n'
            )
        else:
            provisioners.append(f'  provisioner "powershell" {{\n    inline = [{hcl_string(draw(scripts()))}]\n  }}\n')
    build = f'build {{\n  name = "{draw(names)}"\n  sources = [{", ".join(refs)}]\n{"".join(provisioners)}}}\n'
    files["image.pkr.hcl"] = 'locals {\n  stamp = formatdate("YYYYMMDD", timestamp())\n}\n' + "".join(sources) + build
    if draw(st.booleans()):
        files["image.pkrvars.hcl"] = f"region = {hcl_string(draw(st.text(max_size=10)))}\n"
    return {name: text.encode("utf-8") for name, text in files.items()}


@st.composite
def packer_json_projects(draw: st.DrawFn) -> Files:
    script = draw(scripts())
    builders = []
    for _ in range(draw(st.integers(1, 3))):
        btype = draw(st.sampled_from(["azure-arm", "amazon-ebs", "googlecompute", "vsphere-clone", "hyperv-iso"]))
        builder: dict[str, object] = {
            "type": btype,
            "image_sku": "22_04-lts-gen2",
            "ami_name": "golden-{{user `stamp`}}",
        }
        if draw(st.booleans()):
            builder["name"] = draw(names)
        builders.append(builder)
    provisioners: list[dict[str, object]] = [
        {"type": "shell", "inline": script.split("\n")},
        {"type": "shell", "script": "{{template_dir}}/setup.sh"},
        {
            "type": "powershell",
            "scripts": ["setup.ps1", "missing.ps1"],
            "only": [builders[0].get("name", builders[0]["type"])],
        },
        {"type": "windows-restart"},
        {"type": "shell", "inline": "not a list"},
    ]
    data = {
        "variables": {"stamp": "{{timestamp}}", "secret": draw(st.text(max_size=10))},
        "builders": builders,
        "provisioners": draw(st.lists(st.sampled_from(provisioners), max_size=4)),
    }
    indent = draw(st.sampled_from([None, 2]))
    return {
        draw(st.sampled_from(["template.json", "legacy.pkr.json"])): json.dumps(
            data, indent=indent, ensure_ascii=draw(st.booleans())
        ).encode(),
        "setup.sh": draw(scripts()).encode(),
        "setup.ps1": draw(scripts()).encode("utf-16") if draw(st.booleans()) else b"azcmagent connect -g rg\n",
    }


@st.composite
def terraform_json_projects(draw: st.DrawFn) -> Files:
    rtype, attr = draw(st.sampled_from(MACHINE_TYPES))
    value = draw(
        st.one_of(scripts(), st.just("${base64encode(var.script)}"), st.just('${file("s.sh")}'), st.just("${unclosed"))
    )
    data = {
        "variable": {"script": {"default": draw(scripts())}},
        "resource": {rtype: {draw(names): {attr: value, "count": draw(st.sampled_from([1, 2, "${var.n}"]))}}},
    }
    return {"main.tf.json": json.dumps(data, indent=2).encode(), "s.sh": draw(scripts()).encode()}


# --- byte-level mutation of valid seeds -------------------------------------------------------------


def _seeds() -> list[Files]:
    """The bad fixtures of every rule and the examples, each folder as one seed project."""
    here = Path(__file__).parent
    folders = sorted((here / "fixtures" / "rules").glob("*/bad")) + [here.parent / "examples" / "bad" / "packer"]
    seeds = []
    for folder in folders:
        seeds.append(
            {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        )
    return seeds


SEEDS = _seeds()


@st.composite
def mutated_projects(draw: st.DrawFn) -> Files:
    files = dict(draw(st.sampled_from(SEEDS)))
    target = draw(st.sampled_from(sorted(files)))
    data = bytearray(files[target])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "insert", "delete", "replace", "duplicate-line", "swap-lines"]))
        at = draw(st.integers(0, len(data)))
        if op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from(
                        [
                            b"{",
                            b"}",
                            b"[",
                            b"]",
                            b"(",
                            b'"',
                            b"${",
                            b"%{",
                            b"<<EOT\n",
                            b"\n",
                            b"\r\n",
                            b"\\",
                            b"#",
                            b"\x00",
                            b"\xff\xfe",
                        ]
                    ),
                )
            )
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op in ("duplicate-line", "swap-lines"):
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "duplicate-line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    files[target] = bytes(data)
    return files


# --- the properties ---------------------------------------------------------------------------------


@FUZZ
@given(terraform_projects())
def test_generated_terraform(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(expression_projects())
def test_generated_expressions(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(terraform_json_projects())
def test_generated_terraform_json(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(packer_hcl_projects())
def test_generated_packer_hcl(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(packer_json_projects())
def test_generated_packer_json(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(scripts(), st.sampled_from(MACHINE_TYPES))
def test_generated_scripts(script: str, machine: tuple[str, str]) -> None:
    rtype, attr = machine
    main = f'resource "{rtype}" "vm" {{\n  {attr} = file("${{path.module}}/onboard.sh")\n}}\n'
    data = check_scan({"main.tf": main.encode(), "onboard.sh": script.encode("utf-8", errors="surrogatepass")})
    assert all(f["rule"] != "ARC001" for f in data["findings"])  # a script is never parsed as configuration


@settings(FUZZ, max_examples=600)
@given(mutated_projects())
def test_mutated_seeds(files: Files) -> None:
    check_scan(files)


@FUZZ
@given(
    st.binary(max_size=512),
    st.sampled_from(["main.tf", "main.tf.json", "image.pkr.hcl", "image.pkr.json", "vars.tfvars", "plan.json"]),
)
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    check_scan({name: data})
