"""Load files into neutral documents: each file read and parsed once."""
from __future__ import annotations

import re

from arclint.discover import Input
from arclint.document import Block, Document, Loc, Suppression
from arclint.evaluate.files import MAX_FILE_BYTES, decode
from arclint.load.errors import LoadError

_IGNORE_RE = re.compile(r"(?:#|//)\s*arclint:ignore\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)[ \t]*(.*)$", re.MULTILINE)


def read_text(item: Input) -> str:
    """Read a file's text or raise ``LoadError``."""
    try:
        size = item.path.stat().st_size
        if size > MAX_FILE_BYTES * 5:
            raise LoadError(item.display, 1, f"file is larger than {MAX_FILE_BYTES * 5 // 1048576} MB; not scanned")
        data = item.path.read_bytes()
    except OSError as exc:
        raise LoadError(item.display, 1, f"cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(item.display, 1, "binary file (NUL bytes); not a text configuration")
    return decode(data).replace("\r\n", "\n")


def load(item: Input) -> Document | None:
    """Load one input; None for a ``.json`` file that is neither Packer nor a Terraform plan."""
    from arclint.load import hcl, jsonfile, plan

    text = read_text(item)
    kind = item.kind
    if kind in ("json", "plan"):
        if plan.is_plan(text):
            resources = plan.load_plan(text, item.display)
            body = Block("", (), {}, tuple(r.body for r in resources), Loc(item.display, 1, text.count("\n") + 1))
            return Document(item.display, "plan", body, (), tuple(resources))
        if '"builders"' in text:
            kind = "packer-json"
        else:
            return None
    if kind in ("terraform", "packer", "tfvars", "pkrvars"):
        body = hcl.parse_body(text, item.display)
    else:
        data = jsonfile.parse_json(text, item.display)
        if kind == "terraform-json":
            body = jsonfile.terraform_json(data, item.display)
        elif kind == "tfvars-json":
            body, kind = jsonfile.tfvars_json(data, item.display), "tfvars"
        else:
            if not isinstance(data, dict) or "builders" not in data:
                if item.kind == "json":
                    return None
                raise LoadError(item.display, 1, "a Packer JSON template needs a \"builders\" list")
            body, kind = jsonfile.packer_json(data, item.display), "packer-json"
    return Document(item.display, kind, body, suppressions(text))


def suppressions(text: str) -> tuple[Suppression, ...]:
    """Find ``arclint:ignore`` comments: ids (comma separated) and a reason."""
    if "arclint:ignore" not in text:
        return ()
    out = []
    for m in _IGNORE_RE.finditer(text):
        rules = tuple(r.strip() for r in m.group(1).split(","))
        out.append(Suppression(rules, text.count("\n", 0, m.start()) + 1, m.group(2).strip()))
    return tuple(out)
