"""Reporters: render a scan report in one format. Registry: ``REPORTERS``."""

from __future__ import annotations

from collections.abc import Callable

from arclint.report import json_report, text
from arclint.scan import Report

REPORTERS: dict[str, Callable[[Report, bool], str]] = {
    "text": text.render,
    "json": json_report.render,
}
