"""Device choice from the devices the clinic has: pens set to the planned depth, rollers not above it, home limit."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.devices import HOME_NEEDLE_LIMIT, get_device, list_devices
from needling.errors import InputError
from needling.planner import load_intake, make_plan, region_limit_mm
from needling.planner.plan import choose_device
from needling.planner.vocabulary import INDICATIONS

DAY = date(2026, 12, 1)
NAMES = [d if isinstance(d, str) else d.name for d in list_devices()]


def _plan(devices, region="cheek", indication="acne-scars", setting="clinic"):
    goal = {"region": region, "indication": indication, **({"grade": 3} if indication == "acne-scars" else {})}
    return make_plan(
        load_intake(
            {
                "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
                "goals": [goal],
                "setting": setting,
                "devices": devices,
            }
        ),
        start=DAY,
        n_virtual=30,
    )


def test_pen_is_set_to_the_planned_depth_with_pen_settings():
    r = _plan(["dermapen4-16"]).regions[0]
    assert r["device"] == "dermapen4-16" and r["device_kind"] == "pen"
    assert r["needle_length_mm"] == 1.5 and r["pen_settings"]["depth_mm"] == 1.5
    assert r["pen_settings"]["passes"] == r["passes"] and r["evidence"]["passes"] == "assumption:pen-passes"
    # forehead: the depth chart caps at 0.75 mm, which a pen (0.25 mm steps) can set exactly
    assert _plan(["dermapen4-16"], region="forehead", indication="wrinkles").regions[0]["needle_length_mm"] == 0.75


def test_roller_not_above_the_planned_length_and_fallback_is_explained():
    r = _plan(["dermaroller-192-1.0", "dermaroller-192-2.0"]).regions[0]
    assert r["device"] == "dermaroller-192-1.0" and r["needle_length_mm"] == 1.0
    r = _plan(["dermaroller-192-2.0"], region="periorbital", indication="fine-lines").regions[0]
    assert r["needle_length_mm"] <= 0.5 and "none of the available devices" in r["device_note"]


def test_home_uses_only_home_devices_within_the_limit():
    r = _plan(["dermapen4-16", "dermaroller-192-1.5", "home-roller-540-0.25"], setting="home").regions[0]
    # the home roller (0.25 mm) is predicted to draw blood on the cheek, and bleeding is a home stop rule, so the
    # plan takes the shorter home-use roller from the catalogue and says why
    assert r["device"] in ("home-roller-540-0.25", "dermaroller-192-0.2") and r["endpoint"] == "erythema"
    assert get_device(r["device"]).home_use and r["needle_length_mm"] <= HOME_NEEDLE_LIMIT.value


def test_unknown_device_is_one_line_naming_the_field():
    with pytest.raises(InputError) as info:
        load_intake(
            {
                "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
                "goals": [{"region": "cheek", "indication": "wrinkles"}],
                "devices": ["dermapen-99"],
            }
        )
    text = str(info.value)
    assert "devices" in text and "dermapen-11" in text and "\n" not in text


@settings(max_examples=30, deadline=None)
@given(
    devices=st.lists(st.sampled_from(NAMES), max_size=3, unique=True),
    region=st.sampled_from(site_names()),
    indication=st.sampled_from(INDICATIONS),
    setting=st.sampled_from(["clinic", "home"]),
    length=st.floats(0.2, 3.0),
)
def test_choice_never_exceeds_the_planned_length_or_home_limit(devices, region, indication, setting, length):
    device, chosen, _ = choose_device(length, setting, devices)
    d = get_device(device) if isinstance(device, str) else device
    assert chosen <= length + 1e-9
    if setting == "home":
        assert chosen <= HOME_NEEDLE_LIMIT.value and d.kind == "roller"
    plan = _plan(devices, region=region, indication=indication, setting=setting)
    limit, _ = region_limit_mm(region, "female")
    assert plan.regions[0]["needle_length_mm"] <= limit + 1e-9


def test_home_series_rolls_at_the_home_frequency_over_the_clinic_course_length():
    from needling.planner import protocol_table as T

    home = _plan([], region="forehead", indication="fine-lines", setting="home").regions[0]
    clinic = _plan([], region="forehead", indication="fine-lines").regions[0]
    assert home["interval_weeks"] == T.HOME_FREQUENCY.value and home["evidence"]["sessions"] == T.HOME_COURSE.key
    assert home["sessions"] * home["interval_weeks"] == clinic["sessions"] * clinic["interval_weeks"]
    assert home["needle_length_mm"] <= HOME_NEEDLE_LIMIT.value and home["anaesthesia"] is None


def test_home_care_only_where_it_fits_between_clinic_sessions():
    from needling.planner import protocol_table as T

    weekly_scalp = _plan([], region="scalp", indication="androgenetic-alopecia")
    assert weekly_scalp.home_care is None  # weekly clinic needling leaves no week free of the pause
    monthly = _plan([], region="forehead", indication="fine-lines")
    assert monthly.home_care is not None and monthly.home_care["areas"] == ["forehead"]
    assert monthly.regions[0]["interval_weeks"] * 7 > 2 * T.HOME_PAUSE_DAYS.value
    assert monthly.home_care["needle_length_mm"] <= HOME_NEEDLE_LIMIT.value


def test_with_a_device_mapping_names_are_only_looked_up_never_opened(tmp_path):
    """The clinic passes its devices: a path, even to a valid device file, is an unknown name (no file is read)."""
    own = get_device("dermaroller-192-1.0").model_copy(update={"name": "clinic-roller"})
    devices = {d.name: d for d in list_devices()} | {"clinic-roller": own}
    real = tmp_path / "roller.toml"
    real.write_text('[device]\nname = "r"\nkind = "roller"\nneedle_count = 192\nneedle_length_mm = 1.0\n')
    for path in ("/dev/zero", "/etc/passwd", str(real), "../x.toml"):
        intake = {
            "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
            "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
            "devices": [path],
        }
        with pytest.raises(InputError, match="unknown device") as err:
            load_intake(intake, devices)
        assert err.value.field == "intake" and "clinic-roller" in str(err.value)
        with pytest.raises(InputError, match="unknown device"):
            choose_device(1.0, "clinic", [path], devices)
    device, length, note = choose_device(1.5, "clinic", ["clinic-roller"], devices)
    assert device is own and length == 1.0 and note is None
