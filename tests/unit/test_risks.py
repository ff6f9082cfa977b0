"""Per-patient adverse-event risks from the strongest session: bounded, increasing, the measured rate at the
reference session, whatever the injury (hypothesis over the whole input range); and for realistic deep
protocols within the rates the trials published (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from needling.anatomy import get_site
from needling.cohort.engine import simulate_arm
from needling.cohort.population import sample_patients
from needling.models.healing.risks import risk_scale
from needling.protocol import short_protocol

X = st.floats(0.0, 1e6, allow_nan=False)
H = st.floats(1.0, 10.0, allow_nan=False)
CHEEK = get_site("cheek")

#: Published per-patient rates over a series (evidence sheet 8.6): Dogra 2014 in types IV-V (5 and 2 of 30)
#: and the compiled maxima over trials (PIH up to 13.8 %, tram-track up to 5.3 %).
DOGRA_PIH_IV_V = 0.167  # 5 of 30, as the sheet rounds it
DOGRA_TRAM_TRACK = 2 / 30
COMPILED_PIH_MAX = 0.138

#: Deep protocols a clinic might run on acne scars: monthly and weekly, pens to 2.5 mm, rollers to 2.5 mm.
DEEP = [
    ("Pen 1.5 mm, 3 passes", 4, 4),
    ("Pen 2.5 mm, 3 passes", 4, 4),
    ("Pen 2.5 mm, 6 passes", 6, 4),
    ("Pen 1.5 mm, 3 passes", 12, 1),
    ("Roll 1.5 mm, 15 passes, 3 directions", 12, 1),
    ("Roll 2.5 mm, 15 passes, 3 directions", 5, 4),
]


@given(x=X, y=X, h=H)
def test_risk_scale_is_bounded_and_never_falls_with_a_stronger_session(x, y, h):
    lo, hi = sorted((x, y))
    a, b = float(risk_scale(lo, h)), float(risk_scale(hi, h))
    assert 0.0 <= a <= b <= h + 1e-9


@given(h=H)
def test_risk_scale_is_the_measured_rate_at_the_reference_session_and_zero_without_injury(h):
    assert abs(float(risk_scale(1.0, h)) - 1.0) < 1e-12
    assert float(risk_scale(0.0, h)) == 0.0


@given(x=st.floats(1.0, 1e6, allow_nan=False), h=H)
def test_risk_scale_is_continuous_at_the_reference_and_never_passes_the_headroom(x, h):
    """Just above the reference session the scale leaves 1 with slope 1 (no jump); it stays below H."""
    assert float(risk_scale(1.0 + 1e-9, h)) == pytest.approx(1.0, abs=1e-8)
    assert 1.0 <= float(risk_scale(x, h)) <= h + 1e-12


def test_no_headroom_means_the_measured_rate_for_any_stronger_session_and_less_for_weaker():
    assert np.allclose(risk_scale(np.array([0.01, 0.5, 1.0, 50.0, 1e6]), 1.0), [0.01, 0.5, 1.0, 1.0, 1.0])


def _arm(step: str, sessions: int, interval: float, fitzpatrick: int | list[int] | None):
    patients = sample_patients(300, np.random.default_rng(5), CHEEK, grade=3, fitzpatrick=fitzpatrick)
    return simulate_arm(short_protocol(sessions, interval, [step]), "acne-scars", CHEEK, patients)


@pytest.mark.parametrize(("step", "sessions", "interval"), DEEP)
def test_deep_protocols_give_pih_at_the_published_rate_for_types_iv_v(step, sessions, interval):
    """Types IV-V, deep pens and rollers, monthly or weekly: PIH is Dogra 2014's 5 of 30 (16.7 %, evidence sheet
    8.6, the only per-skin-type rate in the sheet) and no more, however deep or often (issue 14: a 2.5 mm pen
    gave 25 %, twelve weekly sessions 26 %). Tolerance half a percentage point: the risk is a computed
    per-patient probability (no sampling noise); the slack covers only patients whose thicker epidermis makes
    the strongest session a little weaker than the reference."""
    a = _arm(step, sessions, interval, [4, 5])
    assert float(a.pih.max()) <= DOGRA_PIH_IV_V + 1e-9
    assert float(a.pih.mean()) == pytest.approx(DOGRA_PIH_IV_V, abs=0.005)


@pytest.mark.parametrize(("step", "sessions", "interval"), DEEP)
def test_deep_protocols_stay_within_the_compiled_rates_for_a_mix_of_skin_types(step, sessions, interval):
    """Skin types I-VI drawn evenly: PIH over the series at most the compiled 13.8 % (sheet 8.6, a compilation of
    trials of every skin type; the mix here has half its patients in types IV-VI, so it is if anything darker
    than the trials compiled), type VI no more than Dogra's IV-V (no higher rate is published), tram-track
    scarring at most Dogra's 2 of 30 (6.7 %). Tolerance none: computed probabilities."""
    a = _arm(step, sessions, interval, None)
    assert float(a.pih.mean()) <= COMPILED_PIH_MAX
    assert float(a.pih.max()) <= DOGRA_PIH_IV_V + 1e-9
    assert float(a.tram_track.max()) <= DOGRA_TRAM_TRACK + 1e-9
