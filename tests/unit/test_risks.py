"""Per-patient adverse-event risks from the strongest session: bounded, increasing, the measured rate at the
reference session, whatever the injury (hypothesis over the whole input range)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from needling.models.healing.risks import risk_scale

X = st.floats(0.0, 1e6, allow_nan=False)
H = st.floats(1.0, 10.0, allow_nan=False)


@given(x=X, y=X, h=H)
def test_risk_scale_is_bounded_and_never_falls_with_a_stronger_session(x, y, h):
    lo, hi = sorted((x, y))
    a, b = float(risk_scale(lo, h)), float(risk_scale(hi, h))
    assert 0.0 <= a <= b <= h + 1e-9


@given(h=H)
def test_risk_scale_is_the_measured_rate_at_the_reference_session_and_zero_without_injury(h):
    assert abs(float(risk_scale(1.0, h)) - 1.0) < 1e-12
    assert float(risk_scale(0.0, h)) == 0.0


def test_no_headroom_means_the_measured_rate_for_any_injury():
    assert np.allclose(risk_scale(np.array([0.01, 1.0, 50.0]), 1.0), 1.0)
