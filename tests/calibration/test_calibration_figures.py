"""Figures of the shipped calibration (the documentation draws them while it builds): real files, real images."""

from __future__ import annotations

import json
from importlib import resources

from PIL import Image

from needling.cohort.bayes.posterior import shipped
from needling.cohort.trial import load_trial, run_trial
from needling.report.calibration_figures import loto_figure, prior_posterior_shipped, trial_predictive_checks

TRIALS = resources.files("needling.cohort") / "trials"


def _image(path):
    with Image.open(path) as im:
        im.verify()
        return im.size


def test_prior_against_posterior_has_a_panel_for_every_quantity(tmp_path):
    post = shipped()
    out = prior_posterior_shipped(post, tmp_path / "figs" / "prior-posterior.png")
    width, height = _image(out)
    panels = len(post.doc["draws"])  # parameters, trial-effect spreads and the discrepancy
    assert width > 0 and height >= 100 * (-(-panels // 3))


def test_predictive_check_and_loto_figures_are_drawn(tmp_path):
    trial = load_trial(str(TRIALS / "majid-2009.toml"))
    out = trial_predictive_checks([(trial.source, run_trial(trial, n=200))], tmp_path / "checks.svg")
    assert "<svg" in out.read_text()
    rows = json.loads((resources.files("needling.cohort.bayes") / "loto.json").read_text())["rows"]
    assert _image(loto_figure(rows, tmp_path / "loto.png"))[1] > 0


def test_the_readme_shows_the_shipped_leave_one_trial_out_table():
    from pathlib import Path

    from needling.cohort.bayes.calibrate import markdown_table

    rows = json.loads((resources.files("needling.cohort.bayes") / "loto.json").read_text())["rows"]
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert markdown_table(rows).strip() in readme, "README: paste `python -m needling.cohort.bayes.report`"
