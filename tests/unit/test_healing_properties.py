"""Interval, depth and dose act as the evidence says, and nothing grows without bound (issue 14, item 6).

The comparisons use one seeded cohort for every protocol (common random numbers), so a difference is the
protocol's, not Monte Carlo noise. The bounds are tried over random protocols with hypothesis.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import get_site
from needling.cohort.engine import simulate_arm
from needling.cohort.population import sample_patients
from needling.parameters import default_parameters
from needling.protocol import short_protocol

CHEEK = get_site("cheek")
PATIENTS = sample_patients(400, np.random.default_rng(11), CHEEK, grade=3)
ROLLER = "Roll 1.5 mm, 15 passes, 3 directions"


def arm(steps, sessions, interval, follow_up=12.0, indication="acne-scars", patients=PATIENTS):
    return simulate_arm(
        short_protocol(sessions, interval, steps), indication, CHEEK, patients, follow_up_weeks=follow_up
    )


def end(a, name):
    return float(getattr(a, name)[:, -1].mean())


def test_deeper_helps_with_diminishing_returns_up_to_the_cheek_limit():
    """Pen sessions from 0.25 to 2.0 mm (the cheek's acne-scar range): each step deeper gives more collagen and a
    lower scar severity, and each extra 0.5 mm adds less than the one before."""
    depths = (0.5, 1.0, 1.5, 2.0)
    runs = [arm([f"Pen dermapen4-16 {d} mm, 3 passes"], 3, 4) for d in depths]
    coll = [end(r, "collagen_rel") for r in runs]
    sev = [end(r, "severity") for r in runs]
    assert all(b > a for a, b in pairwise(coll))
    assert all(b < a for a, b in pairwise(sev))
    gains = np.diff(coll)
    assert all(g2 < g1 for g1, g2 in pairwise(gains))


def test_deeper_rollers_help_with_diminishing_returns():
    """Roller sessions (15 passes in 3 directions) with 0.25, 0.5, 1.0 and 1.5 mm needles: each longer needle gives
    more collagen and a lower severity, each step adding less than the one before. A roller's needles reach only
    part of their length (the insertion fraction of the mechanics), so the gain flattens well before 1.5 mm."""
    runs = [arm([f"Roll {d} mm, 15 passes, 3 directions"], 4, 4) for d in (0.25, 0.5, 1.0, 1.5)]
    coll = [end(r, "collagen_rel") for r in runs]
    sev = [end(r, "severity") for r in runs]
    assert all(b > a for a, b in pairwise(coll))
    assert all(b < a for a, b in pairwise(sev))
    drops = -np.diff(sev)
    assert all(d2 < d1 for d1, d2 in pairwise(drops))


def test_cosmetic_depth_is_not_a_scar_treatment():
    """Grade-3 acne scars, four monthly sessions on the cheek (issue 14's clinician's table): a 0.25 mm pen, which
    barely enters the papillary dermis (sheet 10.1: 0.25-0.5 mm is cosmetic depth; 1.5-2.5 mm for scars), does
    less than the trials' 1.5 mm roller and clearly less than a 2.5 mm pen (at least a fifth of a grade); a
    0.25 mm roller does least. Tram-track scarring belongs to rollers whose needles pass the papillary dermis:
    none with a 0.25 mm roller or any pen."""
    pen_025 = arm(["Pen 0.25 mm, 3 passes"], 4, 4)
    pen_25 = arm(["Pen 2.5 mm, 3 passes"], 4, 4)
    roll_025 = arm(["Roll 0.25 mm, 10 passes"], 4, 4)
    roll_15 = arm([ROLLER], 4, 4)
    sev = {k: end(a, "severity") for k, a in {"p025": pen_025, "p25": pen_25, "r025": roll_025, "r15": roll_15}.items()}
    assert sev["r025"] > sev["p025"] > sev["r15"] > sev["p25"]
    assert sev["p025"] - sev["p25"] >= 0.2
    for a in (pen_025, pen_25, roll_025):
        assert float(a.tram_track.max()) == 0.0
    assert float(roll_15.tram_track.mean()) > 0.0


def test_adverse_event_risks_grow_with_depth_and_stay_bounded():
    """PIH (pens, 0.25-2.5 mm) and tram-track scarring (rollers, 0.5-1.5 mm) never fall with a deeper session and
    never pass the measured rate times adverse-event-injury-headroom, whatever the depth; more sessions of the
    same depth do not add to either (a per-patient propensity)."""
    pv = default_parameters()
    headroom = pv.value("adverse-event-injury-headroom")
    pens = [arm([f"Pen {d} mm, 3 passes"], 4, 4) for d in (0.25, 0.5, 1.0, 1.5, 2.0, 2.5)]
    pih = [float(a.pih.mean()) for a in pens]
    assert all(b >= a - 1e-12 for a, b in pairwise(pih)) and pih[-1] > pih[0]
    worst = max(pv.value(f"pih-risk-fitzpatrick-{f}") for f in range(1, 7))
    assert max(float(a.pih.max()) for a in pens) <= headroom * worst + 1e-12
    rollers = [arm([f"Roll {d} mm, 15 passes, 3 directions"], 4, 4) for d in (0.5, 1.0, 1.5)]
    tram = [float(a.tram_track.mean()) for a in rollers]
    assert all(b >= a - 1e-12 for a, b in pairwise(tram))
    assert max(float(a.tram_track.max()) for a in rollers) <= headroom * pv.value("tram-track-risk") + 1e-12
    twelve = arm(["Pen 2.5 mm, 3 passes"], 12, 4)
    assert np.allclose(twelve.pih, pens[-1].pih) and np.allclose(twelve.tram_track, 0.0)


#: Largest extra collagen measured in people (evidence sheet 7.2): Lotfi 2013, papillary dermis +65.4 % by silver
#: stain; the same biopsies gave +53.2 % by Masson's trichrome, so the measure itself is uncertain by 12.2 points.
LOTFI_SILVER, LOTFI_MASSON = 0.654, 0.532
HUMAN_COLLAGEN_BOUND = LOTFI_SILVER + (LOTFI_SILVER - LOTFI_MASSON)


@pytest.mark.parametrize(
    ("step", "sessions", "interval"),
    [
        ("Pen 1.5 mm, 3 passes", 4, 4),
        ("Pen 2.5 mm, 3 passes", 4, 4),
        ("Pen 2.5 mm, 6 passes", 10, 4),
        ("Pen 2.5 mm, 3 passes", 12, 1),
    ],
)
def test_deep_pens_build_no_more_collagen_than_people_have_shown(step, sessions, interval):
    """The deepest pens, monthly or weekly: the cohort's extra collagen (mean and every patient, at every week)
    stays within the largest human measurement, Lotfi 2013's +65.4 % (silver stain, sheet 7.2), plus the
    measure's own uncertainty, the 12.2 points between its two stains of the same biopsies (issue 14: 1.5-2.5 mm
    pens gave +90 %). They still build more than the trials' roller series, whose mean is fitted to Lotfi's
    +53.2 % (Masson): depth helps, up to what was measured."""
    a = arm([step], sessions, interval)
    extra = a.collagen_rel - 1.0
    assert float(extra.mean(axis=0).max()) <= HUMAN_COLLAGEN_BOUND
    assert float(extra.max()) <= HUMAN_COLLAGEN_BOUND
    assert end(a, "collagen_rel") > end(arm([ROLLER], 5, 4), "collagen_rel")


def test_more_sessions_help_with_diminishing_returns():
    """1, 2, 4 and 8 monthly roller sessions, read 12 weeks after the last: more sessions, lower severity; each
    added session gains less than the ones before (the gain per session falls from 1-2 to 2-4 to 4-8), and eight
    sessions gain less than twice what four do."""
    n = (1, 2, 4, 8)
    sev = [end(arm([ROLLER], k, 4), "severity") for k in n]
    assert sev[0] > sev[1] > sev[2] > sev[3]
    per_session = [(a - b) / (m - k) for (a, b), (k, m) in zip(pairwise(sev), pairwise(n), strict=True)]
    assert per_session[0] > per_session[1] > per_session[2] > 0
    assert (sev[0] - sev[3]) < 2 * (sev[0] - sev[2])


def test_sessions_too_close_add_little():
    """Three sessions a week apart give less than three sessions four weeks apart (read at the same time after
    the first session): the refractory period. Four-weekly and six-weekly differ less than weekly and 4-weekly."""
    end_week = 30.0

    def severity(interval):
        a = arm([ROLLER], 3, interval, follow_up=end_week - 2 * interval)
        return end(a, "severity")

    weekly, four, six = severity(1), severity(4), severity(6)
    assert weekly > four
    assert abs(four - six) < weekly - four


def test_improvement_continues_for_months_after_the_last_session():
    """Collagen I keeps rising and scar severity keeps falling for at least 8 weeks after the last of three
    monthly sessions (remodelling of collagen III into collagen I), as the trials saw (sheet 7.1, 7.3)."""
    a = arm([ROLLER], 3, 4, follow_up=26)
    last = 8
    sev = a.severity.mean(axis=0)
    rem = a.remodelled.mean(axis=0)
    assert sev[last + 8] < sev[last + 4] < sev[last]
    assert rem[last + 8] > rem[last]


def test_hair_gain_persists_after_needling_but_minoxidil_gain_fades():
    """Androgenetic alopecia: 12 weekly sessions; 24 weeks later most of needling's gain remains (Dhurat &
    Mathapati 2015), while minoxidil's own gain needs minoxidil."""
    scalp = get_site("scalp")
    men = sample_patients(300, np.random.default_rng(3), scalp, sex="male")
    p = short_protocol(12, 1, [ROLLER])
    a = simulate_arm(p, "androgenetic-alopecia", scalp, men, follow_up_weeks=24)
    h = a.hair_gain.mean(axis=0)
    assert h[-1] > 0.6 * h[11] > 0


@settings(max_examples=25, deadline=None)
@given(
    sessions=st.integers(1, 24),
    interval=st.sampled_from([1, 2, 3, 4, 6, 8]),
    device=st.sampled_from(["Roll 0.5 mm, 5 passes", ROLLER, "Pen dermapen4-16 2.5 mm, 6 passes"]),
    extra=st.sampled_from([[], ["PRP"], ["Apply vitamin C 20 %"], ["Peel TCA 15 %"]]),
    follow_up=st.sampled_from([0.0, 12.0, 104.0]),
)
def test_nothing_grows_without_bound(sessions, interval, device, extra, follow_up):
    """Over random protocols: collagen and epidermis stay under their ceilings, grades and improvements in range,
    severity never above baseline, and each adverse-event risk at most its per-patient rate (no compounding)."""
    pv = default_parameters()
    pts = PATIENTS if follow_up else sample_patients(50, np.random.default_rng(1), CHEEK, grade=4)
    a = arm([device, *extra], sessions, interval, follow_up=follow_up, patients=pts)
    assert np.all(a.collagen_rel >= 1.0 - 1e-9) and np.all(a.collagen_rel <= 1.0 + pv.value("collagen-ceiling") + 1e-6)
    assert np.all(a.epidermis_rel >= 1.0 - 1e-9)
    assert np.all(a.epidermis_rel <= 1.0 + pv.value("epidermis-ceiling") + 1e-6)
    assert np.all((a.grade >= 0) & (a.grade <= 4))
    assert np.all((a.improvement_pct >= 0.0) & (a.improvement_pct <= 100.0))
    assert np.all(a.severity <= pts.severity[:, None] + 1e-12)
    headroom = pv.value("adverse-event-injury-headroom")
    worst_pih = max(pv.value(f"pih-risk-fitzpatrick-{f}") for f in range(1, 7))
    assert np.all((a.pih >= 0.0) & (a.pih <= headroom * worst_pih + 1e-12))
    assert np.all((a.tram_track >= 0.0) & (a.tram_track <= headroom * pv.value("tram-track-risk") + 1e-12))
    assert np.all(a.prolonged_erythema <= headroom * pv.value("prolonged-erythema-risk") + 1e-12)


@pytest.mark.parametrize("sessions", [12, 48])
def test_a_long_series_stays_under_the_collagen_ceiling_and_risks_do_not_compound(sessions):
    """Weekly 1.5 mm sessions for up to a year: collagen approaches, never passes, its ceiling; tram-track risk
    stays at the trials' rate for the reference roller session (issue 14: 12 weekly sessions used to give 15 %)."""
    pv = default_parameters()
    a = arm([ROLLER], sessions, 1)
    assert a.collagen_rel.max() <= 1.0 + pv.value("collagen-ceiling") + 1e-6
    assert a.tram_track.mean() <= pv.value("tram-track-risk") * 1.001


def test_combinations_act_through_their_own_mechanisms():
    """PRP adds growth factors (more signal, more collagen), vitamin C is a cofactor of collagen synthesis (more
    collagen, and less PIH as in Chawla 2014), a TCA peel adds its own injury; tranexamic acid changes melasma's
    MASI (Saleh 2019: better with needling than needling alone) and nothing else."""
    base = arm([ROLLER], 3, 4)
    prp = arm([ROLLER, "PRP"], 3, 4)
    vit_c = arm([ROLLER, "Apply vitamin C 20 %"], 3, 4)
    tca = arm([ROLLER, "Peel TCA 15 %"], 3, 4)
    for combined in (prp, vit_c, tca):
        assert end(combined, "collagen_rel") > end(base, "collagen_rel")
    assert vit_c.pih.mean() < base.pih.mean()
    needled = arm([ROLLER], 3, 4, indication="melasma")
    with_txa = arm([ROLLER, "Apply tranexamic acid 4 %"], 3, 4, indication="melasma")
    assert with_txa.masi_rel is not None and needled.masi_rel is not None
    assert with_txa.masi_rel[:, -1].mean() < needled.masi_rel[:, -1].mean() <= 1.0
    np.testing.assert_array_equal(with_txa.collagen_rel, needled.collagen_rel)
