"""No server path from a user: devices are catalogue names or models the clinic registered (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.clinic.conftest import login

INTAKE = {
    "patient": {"age": 35, "sex": "male", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
}
ROLLER = {
    "name": "clinic-roller-1.0",
    "kind": "roller",
    "needle_count": 200,
    "needle_length_mm": 1.0,
    "needle_diameter_mm": 0.25,
    "tip_radius_um": 5,
    "drum_diameter_mm": 20,
    "drum_width_mm": 20,
    "rings": 20,
}
DEVICE_TOML = """[device]
name = "server-roller"
kind = "roller"
needle_count = 200
needle_length_mm = 1.0
needle_diameter_mm = 0.25
tip_radius_um = 5
drum_diameter_mm = 20
drum_width_mm = 20
rings = 20
"""


def server_paths(tmp_path) -> list[str]:
    """Paths an attacker would try: a device, a secret file, a real device file on the server, a relative one."""
    real = tmp_path / "server-roller.toml"
    real.write_text(DEVICE_TOML)
    return ["/dev/zero", "/etc/passwd", str(real), "../x.toml"]


def assert_refused_naming_choices(r, field: str) -> None:
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == field
    assert "unknown device" in detail["msg"] and "dermaroller-192-1.5" in detail["msg"]


def test_server_paths_in_a_patients_devices_are_refused(app, tmp_path):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Path Tester", "intake": INTAKE}).json()["id"]
    for path in server_paths(tmp_path):
        intake = {**INTAKE, "devices": [path]}
        assert_refused_naming_choices(c.put(f"/api/patients/{pid}/intake", json=intake), "intake")
        assert_refused_naming_choices(c.post("/api/patients", json={"name": "X", "intake": intake}), "intake")
        lot = {"device_name": path, "lot_number": "L1", "expiry": "2030-01-01"}
        if len(path) <= 80:
            assert_refused_naming_choices(c.post("/api/lots", json=lot), "device_name")
        else:  # longer than the column: refused by the field's bound before any lookup
            r = c.post("/api/lots", json=lot)
            assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "device_name"
    stored = c.get(f"/api/patients/{pid}").json()["intake"]
    assert "devices" not in stored  # nothing half-written


def test_a_registered_model_is_planned_as_a_device_and_retiring_it_closes_it(app):
    admin, c = login(app, "admin"), login(app, "clinician")
    assert c.post("/api/device-models", json=ROLLER).status_code == 403  # clinicians do not register
    r = admin.post("/api/device-models", json=ROLLER)
    assert r.status_code == 201, r.text
    model = r.json()
    assert model["device"]["needle_length_mm"] == 1.0 and not model["retired"]
    assert "clinic-roller-1.0" in [d["name"] for d in c.get("/api/devices").json()]
    assert [m["name"] for m in c.get("/api/device-models").json()] == ["clinic-roller-1.0"]

    pid = c.post("/api/patients", json={"name": "Model User", "intake": {**INTAKE, "devices": ["clinic-roller-1.0"]}})
    assert pid.status_code == 201, pid.text
    plan = c.post(f"/api/patients/{pid.json()['id']}/plan", json={"start": date.today().isoformat()})
    assert plan.status_code == 201, plan.text
    region = plan.json()["plan"]["regions"][0]
    assert region["device"] == "clinic-roller-1.0" and region["needle_length_mm"] == 1.0
    lot = {"device_name": "clinic-roller-1.0", "lot_number": "CR10-1", "expiry": "2030-01-01"}
    assert c.post("/api/lots", json=lot).status_code == 201

    assert admin.post(f"/api/device-models/{model['id']}/retire").json()["retired"] is True
    assert "clinic-roller-1.0" not in [d["name"] for d in c.get("/api/devices").json()]
    again = c.put(f"/api/patients/{pid.json()['id']}/intake", json={**INTAKE, "devices": ["clinic-roller-1.0"]})
    assert_refused_naming_choices(again, "intake")
    assert_refused_naming_choices(c.post("/api/lots", json={**lot, "lot_number": "CR10-2"}), "device_name")
    assert admin.post("/api/device-models/999999/retire").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "needle"),
    [
        ({"name": "../x.toml"}, "name", "not valid"),
        ({"name": "/dev/zero"}, "name", "not valid"),
        ({"name": "dermaroller-192-1.5"}, "name", "catalogue device"),
        ({"needle_length_mm": 5.0}, "needle_length_mm", "3"),
        ({"rings": 7}, "body", "multiple of rings"),
        ({"drum_width_mm": None}, "body", "a roller needs drum_width_mm"),
    ],
)
def test_invalid_models_are_refused_like_device_files(app, change, field, needle):
    admin = login(app, "admin")
    r = admin.post("/api/device-models", json={**ROLLER, **change})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == field and needle in detail["msg"], detail
    assert admin.get("/api/device-models").json() == []


def test_a_name_is_registered_once(app):
    admin = login(app, "admin")
    assert admin.post("/api/device-models", json=ROLLER).status_code == 201
    again = admin.post("/api/device-models", json=ROLLER)
    assert again.status_code == 422 and "already registered" in again.text


def test_device_model_page_in_english_and_swedish(app):
    admin = login(app, "admin")
    http: TestClient = admin.http
    page = http.get("/device-models")
    assert page.status_code == 200 and "Register a device model" in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {**{k: str(v) for k, v in ROLLER.items()}, "csrf_token": token}
    done = http.post("/device-models", data=form, follow_redirects=False)
    assert done.status_code == 303  # the banner is a signed message id: read it on the page it leads to
    assert "Device model clinic-roller-1.0 registered." in http.get(done.headers["location"]).text
    bad = http.post("/device-models", data={**form, "name": "/etc/passwd"}, follow_redirects=False)
    assert "Not registered: Write the name in lower-case letters" in http.get(bad.headers["location"]).text
    sv = http.get("/device-models", headers={"accept-language": "sv"})
    assert "Instrumentmodeller" in sv.text and "clinic-roller-1.0" in sv.text
    clinician = login(app, "clinician").http.get("/device-models")
    assert clinician.status_code == 200 and "clinic-roller-1.0" in clinician.text
    assert "Register a device model" not in clinician.text
