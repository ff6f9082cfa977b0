"""``.. needling-validation::``, ``.. needling-closure::`` and ``.. needling-serum::``: published needling,
uptake and closure data against what the models give, and a finite serum's share absorbed, computed while
the site builds (the same rows as the README's tables, ``python -m needling.simulation.validation``), each
with its role: calibration or prediction.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive
from needling_tables import source_link, table
from sphinx.application import Sphinx


def _role(role: str) -> nodes.Node | str:
    return nodes.strong(text=role) if role == "prediction" else role


class ValidationDirective(Directive):
    """Depth, density, bleeding, pain and uptake: published against simulated."""

    def run(self) -> list[nodes.Node]:
        from needling.simulation.validation import validation_rows

        rows = []
        for p, value, ok in validation_rows():
            pub = f"{p.published:g}" + (f" ± {p.sd:g}" if p.sd is not None else "")
            rows.append(
                [p.quantity, pub, f"{value:.4g}", p.unit, _role(p.role), f"± {p.tolerance:g}",
                 source_link(p.source), "yes" if ok else "no"]
            )  # fmt: skip
        return [
            table(
                ["quantity", "published", "simulated", "unit", "role", "tolerance", "source", "within"],
                rows,
                [30, 8, 8, 5, 8, 7, 10, 5],
            )
        ]


class ClosureDirective(Directive):
    """Channel closure: published recovery and closure times against simulated."""

    def run(self) -> list[nodes.Node]:
        from needling.simulation.validation import closure_rows

        rows = []
        for p, value, ok in closure_rows():
            pub = {"equal": "", "at most": "<= ", "at least": ">= "}[p.bound] + f"{p.hours:g}"
            tol = f"x/÷ {p.tolerance:g}" if p.bound == "equal" else "bound"
            rows.append(
                [p.quantity, pub, f"{value:.3g}", p.endpoint, _role(p.role), tol, source_link(p.source),
                 "yes" if ok else "no"]
            )  # fmt: skip
        return [
            table(
                ["quantity", "published h", "simulated h", "endpoint", "role", "tolerance", "source", "within"],
                rows,
                [30, 8, 8, 8, 8, 7, 10, 5],
            )
        ]


class SerumDirective(Directive):
    """A finite vitamin C serum: share absorbed in 24 h, needled and intact."""

    def run(self) -> list[nodes.Node]:
        from needling.simulation.validation import serum_fraction_rows

        rows = [
            [device, str(passes), "occluded" if occ else "open", f"{applied:.0f}", f"{100 * needled:.0f} %",
             f"{100 * intact:.1f} %"]
            for device, passes, occ, applied, needled, intact in serum_fraction_rows()
        ]  # fmt: skip
        return [
            table(
                ["device", "passes", "film", "applied ug/cm2", "absorbed, needled", "absorbed, intact"],
                rows,
                [20, 6, 8, 8, 8, 8],
            )
        ]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-validation", ValidationDirective)
    app.add_directive("needling-closure", ClosureDirective)
    app.add_directive("needling-serum", SerumDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
