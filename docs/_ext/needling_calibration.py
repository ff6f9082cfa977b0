"""``.. needling-posterior::`` and ``.. needling-loto::``: tables and figures from the shipped calibration.

Both read the package data written by ``needling calibrate`` (``posterior.json``, ``loto.json``), so the
pages always show the draws users get.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from needling_tables import source_link, table
from sphinx.application import Sphinx


def _read(name: str) -> dict:
    return json.loads((resources.files("needling.cohort.bayes") / name).read_text())


def _fmt(x: float) -> str:
    return f"{x:.3g}"


class PosteriorDirective(Directive):
    """Each sampled quantity: posterior median and 90 % interval, R-hat and effective sample size."""

    def run(self) -> list[nodes.Node]:
        import numpy as np

        doc = _read("posterior.json")
        rows = []
        for name, d in doc["diagnostics"].items():
            lo, med, hi = np.quantile(doc["draws"][name], [0.05, 0.5, 0.95])
            rows.append([name, f"{_fmt(med)} ({_fmt(lo)} to {_fmt(hi)})", f"{d['rhat']:.3f}", f"{d['ess']:.0f}"])
        s = doc["settings"]
        intro = nodes.paragraph(
            text=(
                f"{len(doc['draws'][name])} draws from {s['chains']} emcee ensembles of {s['walkers']} walkers, "
                f"{s['steps']} steps each (half burn-in), emulator on {s['points']} model runs; model "
                f"{doc['model_fingerprint']}, data {doc['data_hash']}, needling {doc['needling_version']}."
            )
        )
        from needling.cohort.bayes.posterior import shipped
        from needling.report.calibration_figures import prior_posterior_shipped

        env = self.state.document.settings.env
        prior_posterior_shipped(shipped(), Path(env.srcdir) / "generated" / "prior-posterior.png")
        return [
            intro,
            table(["quantity", "posterior median (90 % interval)", "R-hat", "ESS"], rows, [20, 20, 6, 6]),
            nodes.image(uri="/generated/prior-posterior.png", alt="prior against posterior of every quantity"),
        ]


class LotoDirective(Directive):
    """Every published value against its 90 % interval predicted without its trial; coverage; figure."""

    def run(self) -> list[nodes.Node]:
        from needling.report.calibration_figures import loto_figure

        doc = _read("loto.json")
        rows = []
        for r in doc["rows"]:
            lo, hi = r["pi90"]
            rows.append(
                [
                    source_link(r["source"]),
                    r["arm"],
                    r["endpoint"].replace("_", " "),
                    r["role"],
                    _fmt(r["published"]),
                    f"{_fmt(lo)} to {_fmt(hi)} ({_fmt(r['predicted_median'])})",
                    "yes" if r["inside"] else nodes.strong(text="miss"),
                    _fmt(r["interval_score"]),
                    _fmt(r["crps"]),
                ]
            )
        env = self.state.document.settings.env
        out = Path(env.srcdir) / "generated" / "loto.png"
        out.parent.mkdir(exist_ok=True)
        loto_figure(doc["rows"], out)
        by = "; ".join(
            f"{k}: {sum(r['inside'] for r in doc['rows'] if r['predicted_by'] == k)} of "
            f"{sum(r['predicted_by'] == k for r in doc['rows'])}"
            for k in doc.get("coverage_by", {})
        )
        st = doc.get("settings")
        refits = f" Each refit: {st['chains']} ensembles of {st['walkers']} walkers, {st['steps']} steps." if st else ""
        cover = nodes.paragraph(
            text=(
                f"Coverage of the 90 % predictive intervals: {100 * doc['coverage']:.0f} % of {len(doc['rows'])} "
                f"published values (aim: at least 80 %){'; ' + by if by else ''}.{refits}"
            )
        )
        head = ["trial", "arm", "endpoint", "role", "published", "90 % interval (median)", "inside", "IS", "CRPS"]
        return [
            cover,
            table(head, rows, [10, 12, 14, 8, 7, 16, 5, 6, 6]),
            nodes.image(uri="/generated/loto.png", alt="leave-one-trial-out intervals"),
        ]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-posterior", PosteriorDirective)
    app.add_directive("needling-loto", LotoDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
