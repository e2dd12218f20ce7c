"""Load files into neutral documents: each file read and parsed once."""

from __future__ import annotations

import errno
import re

from arclint.discover import Input
from arclint.document import Block, Document, Loc, Suppression
from arclint.evaluate import files
from arclint.evaluate.files import MAX_FILE_BYTES, decode
from arclint.load.errors import LoadError
from arclint.load.stack import deep_stack

_IGNORE_RE = re.compile(
    r"(?:#|//)\s*arclint:ignore\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)[ \t]*(.*)$", re.MULTILINE
)
MAX_SCANNED_BYTES = MAX_FILE_BYTES * 5  # any configuration file (JSON, plans)
HCL_KINDS = frozenset({"terraform", "packer", "tfvars", "pkrvars"})


def read_text(item: Input) -> str:
    """Read a file's text or raise ``LoadError`` (unreadable, not a regular file, too large, binary)."""
    from arclint.load.hcl import MAX_HCL_BYTES

    limit = MAX_HCL_BYTES if item.kind in HCL_KINDS else MAX_SCANNED_BYTES
    try:
        data = files.read_bytes(item.path, limit)
    except files.NotReadable as exc:
        if exc.errno == errno.EFBIG and limit == MAX_HCL_BYTES:
            problem = (
                f"HCL file larger than arclint's limit of {MAX_HCL_BYTES // 1048576} MB for HCL files; not scanned"
            )
        else:
            problem = f"file is {exc.strerror}; not scanned"
        raise LoadError(item.display, 1, problem) from None
    except OSError as exc:
        raise LoadError(item.display, 1, f"cannot be read ({exc.strerror or exc})") from None
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise LoadError(item.display, line, "NUL byte: a binary file, not a text configuration; not scanned")
    return decode(data).replace("\r\n", "\n")


def load(item: Input) -> Document | None:
    """Load one input; None for a ``.json`` file that is neither a legacy Packer template nor a Terraform plan.

    A ``.pkr.json`` file with HCL2 blocks (``source``, ``build``, ``variable``...) is an HCL2 template in JSON
    syntax, loaded as kind ``packer`` like a ``.pkr.hcl`` file; with ``builders`` it is a legacy template.
    """
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
        if item.kind == "packer-json" and jsonfile.is_packer_hcl_json(data):
            kind = "packer-hcl-json"  # Packer reads a .pkr.json file as HCL2; a plain .json file never
        elif kind == "packer-json" and (not isinstance(data, dict) or "builders" not in data):
            if item.kind == "json":
                return None
            raise LoadError(
                item.display,
                1,
                'a Packer JSON template needs "builders" (legacy) or HCL2 blocks ("source", "build", ...)',
            )
        try:
            with deep_stack(jsonfile.MAX_DEPTH * 8 + 200):  # values nest up to MAX_DEPTH levels
                if kind == "terraform-json":
                    body = jsonfile.terraform_json(data, item.display)
                elif kind == "tfvars-json":
                    body, kind = jsonfile.tfvars_json(data, item.display), "tfvars"
                elif kind == "packer-hcl-json":  # evaluated with the folder's .pkr.hcl files
                    body, kind = jsonfile.packer_hcl_json(data, item.display), "packer"
                else:
                    body, kind = jsonfile.packer_json(data, item.display), "packer-json"
        except RecursionError:
            raise LoadError(
                item.display, 1, f"JSON nested deeper than arclint's limit of {jsonfile.MAX_DEPTH} levels"
            ) from None
    return Document(item.display, kind, body, suppressions(text))


def suppressions(text: str) -> tuple[Suppression, ...]:
    """Find ``arclint:ignore`` comments: ids (comma separated) and a reason."""
    if "arclint:ignore" not in text:
        return ()
    out = []
    line, counted = 1, 0  # lines counted as the matches go: linear however many comments there are
    for m in _IGNORE_RE.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        rules = tuple(r.strip() for r in m.group(1).split(","))
        out.append(Suppression(rules, line, m.group(2).strip()))
    return tuple(out)
