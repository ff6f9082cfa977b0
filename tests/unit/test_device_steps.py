"""Protocol steps carry their device: the cohort engine and the planner compute from that device and settings."""

from __future__ import annotations

from datetime import date

import pytest

from needling.cohort import run_series
from needling.cohort.engine import session_mechanics
from needling.devices import get_device, list_devices
from needling.errors import InputError
from needling.planner.intake import load_intake
from needling.planner.plan import _region_protocol, make_plan
from needling.planner.rules import screen
from needling.protocol import Needle, describe, parse_step, short_protocol
from needling.simulation import Technique, quick_session

CATALOGUE = [d.name for d in list_devices()]


@pytest.mark.parametrize(
    ("text", "device", "length"),
    [
        ("Roll 1.5 mm, 15 passes, 3 directions", "dermaroller-192-1.5", 1.5),
        ("Roll 0.5 mm, 10 passes", "dermaroller-192-0.5", 0.5),
        ("Roll 0.25 mm, 10 passes", "dermaroller-192-1.5", 0.25),  # no 0.25 mm drum: the 1.5 mm drum set shorter
        ("Roll home-roller-540-0.25, 10 passes", "home-roller-540-0.25", 0.25),
        ("Pen 1.0 mm, 4 passes", "dermapen-11", 1.0),
        ("Pen dermapen4-16 0.5 mm, 4 passes, 2 directions", "dermapen4-16", 0.5),
    ],
)
def test_short_and_named_forms_resolve_to_a_device(text, device, length):
    step = parse_step(text)
    assert step.resolve_device().name == device
    assert step.settings()["needle_length_mm"] == pytest.approx(length)
    assert parse_step(describe(step)) == step  # the readable form reads back


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Roll dermapen-11, 4 passes", "is a pen"),
        ("Roll home-rollr-540-0.25, 4 passes", "did you mean home-roller-540-0.25"),
        ("Pen dermapen4-16 2.9 mm, 4 passes", "<= 2.5 mm"),
        ("Roll home-roller-540-0.25, 0 passes", "passes must be 1-100"),
    ],
)
def test_bad_named_steps_are_one_line_errors(text, needle):
    with pytest.raises(InputError) as exc:
        parse_step(text)
    assert needle in str(exc.value) and repr(text) in str(exc.value)


def test_a_step_may_carry_a_device_object():
    dev = get_device("dermaroller-192-1.0").model_copy(update={"name": "clinic-roller", "needle_count": 300})
    step = Needle.with_device(dev, 10, 2)
    assert step.device_name == "clinic-roller" and describe(step) == "Roll clinic-roller, 10 passes, 2 directions"
    proto = short_protocol(3, 4, [step, "Apply vitamin C 20 %"])
    assert proto.sessions[0].needling is step


@pytest.mark.parametrize("name", CATALOGUE)
def test_engine_computes_each_session_from_the_steps_device(name):
    dev = get_device(name)
    length = 0.5 if dev.kind == "pen" else None
    step = Needle.with_device(name, 6, 2, length_mm=length)
    for sex in ("female", "male"):
        mech = session_mechanics(step, "cheek", sex)
        q = quick_session(dev, "cheek", Technique(**step.settings()), sex=sex)
        assert mech.device == name
        assert (mech.channels_per_cm2, mech.depth_um) == (q.channels_per_cm2, q.depth_mean_um)


def _intake(device: str):
    dev = get_device(device)
    home = dev.home_use and dev.kind == "roller"
    # at home on the neck: the home roller is predicted to leave erythema there, not bleeding (a home stop rule),
    # so the plan keeps it (on the forehead it would step down to the shorter 0.2 mm roller)
    goal = (
        {"region": "neck", "indication": "fine-lines"}
        if home
        else {"region": "cheek", "indication": "acne-scars", "grade": 3}
    )
    data = {
        "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
        "goals": [goal],
        "setting": "home" if home else "clinic",
        "devices": [device],
    }
    return load_intake(data)


@pytest.mark.parametrize("name", CATALOGUE)
def test_plan_region_and_its_series_come_from_the_same_device_and_settings(name):
    """For every catalogue device the clinic may have: the region's session and the series' sessions agree."""
    intake = _intake(name)
    start = date(2026, 12, 1)
    region = _region_protocol(intake.goals[0], intake, screen(intake, start))
    step, session = region["_step"], region["_session"]
    assert step.device_name == region["device"]
    series = run_series(
        intake.goals[0].indication, intake.goals[0].region, short_protocol(2, 4, [step]), n=20, sex="female"
    )
    female = [mech for _, sex, mech in series.run.mechanics if sex == "female"]
    assert len(female) == 2
    for mech in female:
        assert mech.device == region["device"]
        assert mech.depth_um == pytest.approx(session.depth_mean_um, rel=1e-12)
        assert mech.channels_per_cm2 == pytest.approx(session.channels_per_cm2, rel=1e-12)
    chosen = get_device(name)
    if chosen.kind == "pen" or chosen.needle_length_mm <= 1.5:  # within the plan's length: the device is used
        assert region["device"] == name


def test_home_roller_plan_is_predicted_for_the_home_roller():
    plan = make_plan(_intake("home-roller-540-0.25"), start=date(2026, 12, 1), n_virtual=20)
    assert [r["device"] for r in plan.regions] == ["home-roller-540-0.25"]


def test_a_step_may_name_a_device_file(tmp_path):
    path = tmp_path / "my-roller.toml"
    path.write_text(
        '[device]\nname = "my-roller"\nkind = "roller"\nneedle_count = 300\nneedle_length_mm = 0.5\n'
        "needle_diameter_mm = 0.15\ntip_radius_um = 5\ndrum_diameter_mm = 18\ndrum_width_mm = 25\nrings = 30\n",
        encoding="utf-8",
    )
    step = parse_step(f"Roll {path}, 6 passes, 2 directions")
    assert step.resolve_device().name == "my-roller" and step.settings()["needle_length_mm"] == 0.5
    mech = session_mechanics(step, "cheek", "female")
    assert mech.device == "my-roller" and mech.channels_per_cm2 > 0
