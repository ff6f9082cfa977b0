"""Subcision lifts distensible, tethered scars only: a patient attribute, by grade (models/healing/scars.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from needling.anatomy import get_site
from needling.cohort.engine import simulate_arm
from needling.cohort.population import sample_patients
from needling.models.healing.scars import distensible_scars
from needling.parameters import ParameterValues
from needling.protocol import short_protocol

ROLL = "Roll 1.5 mm, 15 passes, 3 directions"


def _final_grades(grade: int, share: float, subcision: bool, n: int = 600) -> np.ndarray:
    pv = ParameterValues.default().copy()
    pv.update({"distensible-scar-share": share}, reason="test")
    steps = ["Subcision", ROLL] if subcision else [ROLL]
    site = get_site("cheek")
    patients = sample_patients(n, np.random.default_rng(3), site, grade=grade, parameters=pv)
    out = simulate_arm(short_protocol(3, 4, steps), "acne-scars", site, patients, parameters=pv, end_only=True)
    return out.grade[:, -1]


@given(
    grades=st.lists(st.integers(0, 4), min_size=1, max_size=40),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
)
def test_released_patients_are_a_share_of_grades_one_to_three_only(grades, share, seed):
    g = np.array(grades)
    draw = np.random.default_rng(seed).random(g.size)
    released = distensible_scars(g, draw, share)
    assert set(np.unique(released)) <= {0.0, 1.0}
    assert not released[(g == 4) | (g == 0)].any()  # grade 4 scars do not flatten with stretching
    assert np.array_equal(released == 1.0, np.isin(g, (1, 2, 3)) & (draw < share))


def test_subcision_leaves_grade_4_scars_as_they_were():
    """Goodman & Baron grade 4 scars are not distensible: adding subcision changes no patient's final grade."""
    with_it = _final_grades(4, share=1.0, subcision=True)
    without = _final_grades(4, share=1.0, subcision=False)
    assert np.array_equal(with_it, without)


def test_subcision_does_nothing_when_no_scar_is_tethered():
    assert np.array_equal(_final_grades(3, 0.0, True), _final_grades(3, 0.0, False))


@pytest.mark.parametrize("share", [0.2, 0.5])
def test_released_grade_3_patients_clear_more_often_and_no_one_is_worse(share):
    """With tethered scars released, grade 3 clears in more patients (about the share whose scars are tethered,
    at the fitted effect), and no patient ends at a higher grade than without subcision."""
    with_it = _final_grades(3, share, True)
    without = _final_grades(3, share, False)
    assert (with_it <= without).all()
    cleared_gain = (with_it == 0).mean() - (without == 0).mean()
    assert 0.5 * share < cleared_gain <= share + 0.05


def test_a_larger_tethered_share_clears_more_grade_3_patients():
    cleared = [(_final_grades(3, s, True) == 0).mean() for s in (0.0, 0.25, 0.5, 0.75)]
    assert all(a < b for a, b in itertools.pairwise(cleared))
