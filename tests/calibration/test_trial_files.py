"""Trial files: every shipped file loads, endpoints the model cannot produce are refused in one line."""

from __future__ import annotations

from importlib import resources

import pytest

from needling.cohort.trial import ENDPOINTS, load_trial, producible_endpoints
from needling.errors import InputError
from tests.conftest import assert_one_line_error

TRIALS = sorted(p for p in (resources.files("needling.cohort") / "trials").iterdir() if p.name.endswith(".toml"))

HAIR_ON_ACNE = """
[trial]
name = "hair counted on acne scars"
indication = "acne-scars"
site = "cheek"
follow_up_weeks = 4
[[trial.arm]]
name = "needling"
[trial.arm.protocol]
[[trial.arm.protocol.block]]
sessions = 3
interval_weeks = 4
steps = ["Roll 1.5 mm, 15 passes, 3 directions"]
[[trial.endpoint]]
name = "hair_count_change"
published = 10.0
"""


def test_every_shipped_trial_loads_with_its_real_patients():
    assert len(TRIALS) >= 11
    for path in TRIALS:
        trial = load_trial(str(path))
        published = [e for e in trial.endpoints if e.published is not None]
        assert published, path.name
        for e in trial.endpoints:
            assert e.name in producible_endpoints(trial.indication), (path.name, e.name)


def test_section_13_trials_are_held_out_or_calibrated_as_documented():
    roles = {}
    for path in TRIALS:
        t = load_trial(str(path))
        roles[t.source] = {e.role for e in t.endpoints if e.published is not None}
    # held out: predictions only, never calibrated on
    for held_out in ("Adistri2024", "Cachafeiro2016", "Budamakuntla2013", "Aust2008", "Chawla2014", "Majid2009"):
        assert roles[held_out] == {"prediction"}, held_out
    assert roles["Kumar2018"] == {"calibration"}
    assert load_trial(str(next(p for p in TRIALS if p.name == "kumar-2018.toml"))).patients_in("minoxidil alone") == 34


def test_every_endpoint_belongs_to_some_indication():
    from needling.cohort.series import INDICATIONS

    covered = {e for ind in INDICATIONS for e in producible_endpoints(ind)}
    assert covered == set(ENDPOINTS)


def test_endpoint_the_model_cannot_produce_is_refused(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text(HAIR_ON_ACNE)
    with pytest.raises(InputError, match="cannot be produced for indication 'acne-scars'"):
        load_trial(f)


def test_endpoint_the_model_cannot_produce_is_one_line_exit_2(cli, tmp_path):
    f = tmp_path / "t.toml"
    f.write_text(HAIR_ON_ACNE)
    r = cli("trial", str(f), "--n", "10")
    assert_one_line_error(r, "hair_count_change", "acne-scars", "androgenetic-alopecia")


@pytest.mark.parametrize("bad", ["0", "-3", "2.5", '"many"', "true"])
def test_bad_patient_count_is_one_line(cli, tmp_path, bad):
    f = tmp_path / "t.toml"
    f.write_text(HAIR_ON_ACNE.replace("hair_count_change", "pih").replace("n = 2000", "") + "")
    text = f.read_text().replace("follow_up_weeks = 4\n", f"follow_up_weeks = 4\npatients = {bad}\n", 1)
    f.write_text(text)
    r = cli("trial", str(f), "--n", "10")
    assert_one_line_error(r, "patients", "whole number")
