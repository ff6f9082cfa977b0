"""Figures and reports (above the science core). ``render_plan_html`` is loaded on first use."""

from __future__ import annotations

from typing import Any

__all__ = ["render_plan_html"]


def __getattr__(name: str) -> Any:
    if name == "render_plan_html":
        from needling.report.plan_report import render_plan_html

        return render_plan_html
    raise AttributeError(f"module 'needling.report' has no attribute {name!r}")
