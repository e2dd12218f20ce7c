"""Data sources whose result is computable from configuration alone: rendered templates and cloud-init."""

from __future__ import annotations

from arclint.core.document import Block
from arclint.core.values import Encoded, Traced, Unknown, concat
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.expr import Evaluator
from arclint.evaluate.functions import render_template

RENDERED = frozenset({"template_file", "cloudinit_config", "template_cloudinit_config"})


def rendered(rtype: str, block: Block, evaluator: Evaluator) -> object:
    """The ``rendered`` attribute of a ``template_file`` or ``cloudinit_config`` data source."""
    body = EvalBlock(block, evaluator)
    if rtype == "template_file":
        template, variables = body.get("template"), body.get("vars") or {}
        if isinstance(template, Unknown) or isinstance(variables, Unknown):
            return Unknown.merge([template, variables])
        if not isinstance(template, str) or not isinstance(variables, dict):
            return Unknown([f"data.{rtype}.{block.labels[1]} has no template"])
        text = template if isinstance(template, Traced) else Traced(template)
        return render_template(text, variables, evaluator.functions, evaluator.session)
    parts: list[object] = []
    for part in body.children("part"):
        if parts:
            parts.append("\n")
        parts.append(part.get("content"))
    joined = concat(parts)
    if body.get("base64_encode", True) is False and body.get("gzip", True) is False:
        return joined
    return Encoded("", joined)
