"""Channel closure against published recovery and closure times, fitted jointly (issue 13 item 6).

Calibration points (Gupta 2011 human open; Kalluri 2011 rat TEWL and calcein at 370 and 770 um; the
three-site study 2021, upper arm, occluded) enter one least-squares fit in log time; the other points are
predictions. Each point's tolerance and why are in ``needling.parameters.transport_data``.
"""

from __future__ import annotations

import pytest

from needling.parameters import default_parameters
from needling.parameters.transport_data import CLOSURE_POINTS
from needling.simulation import channel_half_life
from needling.simulation.validation import closure_fit, closure_rows

ROWS = {p.key: (p, value, ok) for p, value, ok in closure_rows()}


def test_stored_closure_parameters_are_the_joint_fit():
    """The parameters in ``parameters/transport.py`` are what the fit gives on the calibration points
    (rounded to 4 digits: tolerance 0.1 %), so the data, not a chosen law, set length, occlusion and rat factors."""
    fit = closure_fit()
    pv = default_parameters()
    assert pv["closure-half-life-open-air"].value == pytest.approx(fit.open_air_half_life_h, rel=1e-3)
    assert pv["closure-length-exponent"].value == pytest.approx(fit.length_exponent, rel=1e-3)
    assert pv["occlusion-closure-factor"].value == pytest.approx(fit.occlusion_factor, rel=1e-3)
    assert pv["closure-rat-factor"].value == pytest.approx(fit.rat_factor, rel=1e-3)
    # The data agree with one first-order law to within a quarter in log time (RMS).
    assert fit.residual_log_sd < 0.25


@pytest.mark.parametrize("key", [p.key for p in CLOSURE_POINTS if p.role == "calibration"])
def test_calibration_points_within_tolerance(key):
    """CALIBRATED: each calibration point within its stated factor (the fit cannot meet TEWL and calcein
    times of the same rats exactly; 1.6x covers both)."""
    p, value, ok = ROWS[key]
    assert ok, f"{key}: published {p.hours} h, simulated {value:.3g} h"


@pytest.mark.parametrize("key", ["occluded-forearm", "occluded-abdomen", "face-roller-72h", "naltrexone-patch-48h"])
def test_predicted_points_within_tolerance(key):
    """PREDICTED: the other two sites of the 2021 study (no site effect in the model; the study found none
    significant; 1.6x is within 1 SD), the face roller study's recovery within 72 h and the delivery under a
    patch kept for at least 48 h of the 2008 naltrexone study (PNAS) (bounds)."""
    p, value, ok = ROWS[key]
    assert ok, f"{key}: published {p.hours} h, simulated {value:.3g} h"


def test_sasaki_pen_tewl_at_48_h_is_a_reported_miss():
    """PREDICTED, MISSED (reported, not re-tuned): Sasaki 2019 found TEWL still slightly above baseline 48 h
    after 0.5 mm needling at six face and body sites; separate first-order pores are 99 % closed within hours
    (compared with the strictest endpoint, as a small residual rise is not the 90 % barrier endpoint). This
    test keeps the miss visible: it fails if the model starts to meet the point, so that the README's table is
    updated."""
    p, value, ok = ROWS["sasaki-pen-48h"]
    assert not ok and value < p.hours


def test_open_air_recovery_within_2_h_for_every_catalogue_length():
    """Gupta 2011: without occlusion every geometry recovered barrier within 2 h. The model's 90 % recovery of
    human skin is within 2 h up to the 0.75 mm assumed for Gupta's needles; longer needles (whose length
    dependence comes from the rat data) recover within 3 h up to the longest catalogue needle (2.8 h at 2.5 mm)."""
    from needling.models.transport.closure import time_to_recover

    for length in (0.2, 0.25, 0.5, 0.75):
        assert time_to_recover(channel_half_life(length, False), 0.9) <= 2.0 + 1e-3
    assert time_to_recover(channel_half_life(2.5, False), 0.9) <= 3.0


def test_longer_needles_and_occlusion_close_slower():
    """Direction, Gupta 2011 and Kalluri 2011: longer needles and occlusion both lengthen closure."""
    assert channel_half_life(1.5, False) > channel_half_life(0.5, False)
    assert channel_half_life(0.5, True) > 10 * channel_half_life(0.5, False)


def test_elderly_close_slower_and_sex_has_no_effect():
    """Kelchen 2016: closure slower at 77 y than at 26 y (open and occluded); the size is a named assumption
    (closure-elderly-factor). No study read reports an effect of sex: none in the model."""
    young = channel_half_life(1.0, False, age_years=25)
    old = channel_half_life(1.0, False, age_years=77.3)
    assert old == pytest.approx(1.5 * young)
    assert channel_half_life(1.0, True, age_years=77.3) > channel_half_life(1.0, True, age_years=30)
    assert channel_half_life(1.0, False, sex="male") == channel_half_life(1.0, False, sex="female")


def test_readme_shows_the_current_closure_table():
    """The README's closure table is the generated one (``python -m needling.simulation.validation``)."""
    import re
    from pathlib import Path

    from needling.simulation.validation import closure_table

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- closure-table:start -->\n(.*?)<!-- closure-table:end -->", text, re.S)
    assert block, "README lacks the closure table block"
    assert block.group(1) == closure_table(), "regenerate: python -m needling.simulation.validation"
