"""Reporters: render a scan report in one format. Registry: ``REPORTERS``."""

from __future__ import annotations

from collections.abc import Callable

from arclint.findings import Report
from arclint.report import github, gitlab, json_report, junit, markdown, sarif, text

REPORTERS: dict[str, Callable[[Report, bool], str]] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "gitlab": gitlab.render,
}
