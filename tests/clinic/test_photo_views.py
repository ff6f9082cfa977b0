"""Photos as clinics take them: a standard view per region, thumbnails made once, the photo consent respected
in every export (FHIR, PDF), and the comparison of two dates of one region and view."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import text as sql

from needling.clinic.models import Photo
from needling.clinic.photo_views import REGION_VIEWS, VIEWS
from tests.clinic.conftest import login, make_app
from tests.clinic.test_clinic_api import INTAKE

TODAY = date.today()
EARLIER = TODAY - timedelta(days=60)


def jpeg(width: int = 1200, height: int = 1600, colour=(200, 120, 90)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def app(tmp_path):
    """SQLite, with consent required as in a clinic (the suite switches it off elsewhere)."""
    application = make_app(tmp_path, require_consent=True)
    yield application
    application.state.engine.dispose()


def upload(c, site="cheek", view="front", taken=TODAY, data=None, label="before", patient=1):
    return c.post(
        f"/api/patients/{patient}/photos",
        data={"site": site, "view": view, "label": label, "taken": taken.isoformat()},
        files={"file": ("p.jpg", jpeg() if data is None else data, "image/jpeg")},
    )


def consent(c, scope, patient=1):
    r = c.post(f"/api/patients/{patient}/photo-consent", json={"scope": scope, "note": "signed form"})
    assert r.status_code == 201, r.text
    return r.json()


def one_line(r, *needles):
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    if isinstance(detail, list):  # the API's 422: one entry naming the field, its message one line
        assert len(detail) == 1, detail
        detail = detail[0]["msg"]
    assert "\n" not in detail and "Traceback" not in detail
    for n in needles:
        assert n in detail, (n, detail)


def test_every_region_has_views_from_the_vocabulary():
    from needling.anatomy import site_names

    assert set(REGION_VIEWS) == set(site_names())
    assert all(views and set(views) <= set(VIEWS) for views in REGION_VIEWS.values())
    assert REGION_VIEWS["scalp"][0] == "scalp-top" and "scalp-top" not in REGION_VIEWS["cheek"]


def test_upload_with_view_makes_a_thumbnail_once_and_serves_it_with_headers(app):
    c = login(app, "clinician")
    consent(c, "record")
    r = upload(c, view="left-45")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["view"] == "left-45" and body["thumbnail_sha256"] != body["sha256"]
    store = app.state.settings.photo_dir
    thumb_file = store / body["thumbnail_sha256"][:2] / body["thumbnail_sha256"]
    assert hashlib.sha256(thumb_file.read_bytes()).hexdigest() == body["thumbnail_sha256"]  # content-addressed
    with Image.open(thumb_file) as im:
        assert im.format == "JPEG" and max(im.size) == 320 and im.size == (240, 320)
    t = c.get(f"/api/photos/{body['id']}/thumbnail")
    assert t.status_code == 200 and t.headers["content-type"] == "image/jpeg"
    assert t.headers["cache-control"] == "no-store" and t.headers["x-content-type-options"] == "nosniff"
    assert t.headers["etag"] == f'"{body["thumbnail_sha256"]}"'
    again = c.get(f"/api/photos/{body['id']}/thumbnail", headers={"if-none-match": t.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    full = c.get(f"/api/photos/{body['id']}")
    assert full.headers["content-type"] == "image/jpeg" and full.headers["etag"] == f'"{body["sha256"]}"'
    # the same image again is the same two files, not new ones
    files_before = sorted(p.name for p in store.glob("??/*"))
    assert upload(c, view="left-45").status_code == 201
    assert sorted(p.name for p in store.glob("??/*")) == files_before
    listed = c.get("/api/patients/1").json()["photos"]
    assert {p["view"] for p in listed} == {"left-45"}


def test_thumbnails_only_to_users_who_may_see_the_patient(app):
    c = login(app, "clinician")
    consent(c, "record")
    pid = upload(c).json()["id"]
    from fastapi.testclient import TestClient

    assert TestClient(app).get(f"/api/photos/{pid}/thumbnail").status_code == 401
    other = c.post("/api/patients", json={"name": "Other Person", "intake": INTAKE})
    assert other.status_code in (200, 201), other.text
    consent(c, "record", patient=other.json()["id"])
    theirs = upload(c, patient=other.json()["id"]).json()["id"]
    patient = login(app, "patient")  # the demo patient is patient 1
    assert patient.get(f"/api/photos/{pid}/thumbnail").status_code == 200
    assert patient.get(f"/api/photos/{theirs}/thumbnail").status_code == 404


def test_bad_uploads_are_one_line_errors(app):
    c = login(app, "clinician")
    consent(c, "record")
    one_line(upload(c, site="scalp", view="left-45"), "left-45", "scalp", "scalp-top, front")
    one_line(upload(c, view="top"), "valid: front, left-45, right-45, left-profile, right-profile")
    one_line(upload(c, data=b"%PDF-1.4 not an image"), "PNG or JPEG")
    one_line(upload(c, data=b"x" * (app.state.settings.max_photo_bytes + 1)), "MB")
    one_line(upload(c, taken=TODAY + timedelta(days=1)), "future")
    missing = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "taken": TODAY.isoformat()},
        files={"file": ("p.jpg", jpeg(), "image/jpeg")},
    )
    assert missing.status_code == 422 and "view" in missing.text
    with app.state.Session() as db:
        assert db.query(Photo).count() == 0


def test_page_upload_refused_keeps_the_form_and_says_why(app):
    c = login(app, "clinician")
    consent(c, "record")
    page = c.get("/patients/1/photos")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert 'capture="environment"' in page.text and 'accept="image/*"' in page.text
    assert 'data-guide="front"' in page.text and 'data-guide="scalp-top"' in page.text
    r = c.post(
        "/patients/1/photos",
        data={"csrf_token": csrf, "site": "scalp", "view": "left-45", "label": "after", "taken": EARLIER.isoformat()},
        files={"file": ("p.jpg", jpeg(), "image/jpeg")},
    )
    assert r.status_code == 422
    assert "Photo refused" in r.text and "scalp-top" in r.text
    assert re.search(r'<option value="scalp"[^>]*selected', r.text)
    assert re.search(r'<option value="after" selected', r.text) and EARLIER.isoformat() in r.text
    ok = c.post(
        "/patients/1/photos",
        data={"csrf_token": csrf, "site": "scalp", "view": "scalp-top", "label": "after", "taken": TODAY.isoformat()},
        files={"file": ("p.jpg", jpeg(), "image/jpeg")},
        follow_redirects=True,
    )
    assert ok.status_code == 200 and "Photo stored." in ok.text and "/thumbnail" in ok.text


def test_photo_consent_gates_uploads_and_is_append_only(app):
    c = login(app, "clinician")
    one_line(upload(c), "no photo consent")
    assert c.get("/api/patients/1/photo-consent").json()["scope"] == "none"
    consent(c, "record")
    assert upload(c).status_code == 201
    consent(c, "none")  # withdrawn: nothing new is stored; what is in the record stays
    one_line(upload(c), "no photo consent")
    assert len(c.get("/api/patients/1").json()["photos"]) == 1
    bad = c.post("/api/patients/1/photo-consent", json={"scope": "marketing"})
    assert bad.status_code == 422
    nurse_patient = login(app, "patient")
    assert nurse_patient.post("/api/patients/1/photo-consent", json={"scope": "exports"}).status_code == 403
    with app.state.engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(sql("UPDATE photo_consents SET scope = 'exports'"))


def _media(bundle):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]


def test_fhir_export_carries_photos_only_with_the_exports_consent(app):
    c = login(app, "clinician")
    consent(c, "record")
    stored = upload(c, view="right-profile").json()
    assert _media(c.get("/api/patients/1/fhir").json()) == []
    consent(c, "exports")
    media = _media(c.get("/api/patients/1/fhir").json())
    assert len(media) == 1
    m = media[0]
    assert m["view"]["text"] == "right profile" and m["bodySite"]["text"] == "cheek"  # words, not keys
    data = base64.b64decode(m["content"]["data"])
    assert hashlib.sha256(data).hexdigest() == stored["sha256"]
    assert m["content"]["hash"] == base64.b64encode(hashlib.sha1(data).digest()).decode()
    consent(c, "record")  # narrowed again: the next export has no photo
    assert _media(c.get("/api/patients/1/fhir").json()) == []


def _images_in_pdf(pdf: bytes) -> int:
    return len(re.findall(rb"/Subtype\s*/Image", pdf))


def test_comparison_pdf_has_photos_only_with_the_exports_consent(app):
    c = login(app, "clinician")
    consent(c, "record")
    upload(c, taken=EARLIER, data=jpeg(colour=(180, 60, 60)))
    upload(c, taken=TODAY, data=jpeg(colour=(60, 160, 60)), label="after")
    url = "/api/patients/1/photos/compare.pdf?site=cheek&view=front"
    without = c.get(url)
    assert without.status_code == 200 and without.headers["content-type"] == "application/pdf"
    assert _images_in_pdf(without.content) == 0
    consent(c, "exports")
    with_consent = c.get(url)
    assert _images_in_pdf(with_consent.content) == 2
    one_line(c.get(url + f"&a={(EARLIER - timedelta(days=1)).isoformat()}"), "no front photo of cheek")


def test_compare_page_by_region_and_view_with_a_slider(app):
    c = login(app, "clinician")
    consent(c, "record")
    first = upload(c, view="left-45", taken=EARLIER).json()["id"]
    upload(c, view="left-45", taken=EARLIER + timedelta(days=30), data=jpeg(colour=(1, 2, 3)))
    last = upload(c, view="left-45", taken=TODAY, data=jpeg(colour=(9, 9, 9))).json()["id"]
    upload(c, view="front", taken=TODAY, data=jpeg(colour=(5, 5, 5)))  # another view: not in this comparison
    r = c.get("/patients/1/compare?site=cheek&view=left-45")
    assert r.status_code == 200
    side = re.search(r'<div class="compare">(.*?)</div>', r.text, re.S).group(1)
    assert re.findall(r'src="/api/photos/(\d+)"', side) == [str(first), str(last)]
    assert '<label for="c-slider">' in r.text and 'type="range"' in r.text
    assert "data-compare-slider hidden" in r.text  # shown by the script; without it, side by side only
    picked = c.get(f"/patients/1/compare?site=cheek&view=left-45&a={EARLIER.isoformat()}&b={EARLIER.isoformat()}")
    assert picked.status_code == 200
    bad = c.get("/patients/1/compare?site=cheek&view=left-45&a=2001-01-01")
    assert bad.status_code == 422 and "Not shown" in bad.text and '<div class="compare">' in bad.text
    assert "There is no photo of this area and view on Jan 1, 2001." in bad.text  # the date in words, not ISO
    wrong = c.get("/patients/1/compare?site=scalp&view=left-45")
    assert (
        wrong.status_code == 422
        and "Choose a view of this area from the list." in wrong.text
        and 'id="c-site"' in wrong.text
    )
    assert c.get("/patients/1/compare?site=elbow&view=front").status_code == 422
    assert c.get("/patients/1/compare?site=cheek&view=left-45&a=yesterday").status_code == 422
    none = c.get("/patients/1/compare?site=scalp&view=scalp-top")
    assert none.status_code == 200 and 'id="no-pair"' in none.text


def test_photo_consent_rows_are_append_only_on_postgresql(tmp_path):
    import uuid

    import psycopg

    from tests.clinic.conftest import PG_ADMIN

    name = f"needling_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    application = make_app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", require_consent=True)
    try:
        c = login(application, "clinician")
        consent(c, "exports")
        assert upload(c, site="scalp", view="scalp-top").status_code == 201
        with application.state.engine.connect() as conn, pytest.raises(Exception, match="RaiseException"):
            conn.execute(sql("DELETE FROM photo_consents"))  # the trigger of migration 0014 raises
    finally:
        application.state.engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_data_export_has_photos_only_with_the_exports_consent(app):
    import json
    import zipfile

    c = login(app, "clinician")
    consent(c, "record")
    stored = upload(c, site="forehead", view="right-45").json()

    def export():
        r = c.get("/api/patients/1/export.zip")
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        z = zipfile.ZipFile(io.BytesIO(r.content))
        return z, json.loads(z.read("record.fhir.json"))

    z, fhir = export()
    assert not [n for n in z.namelist() if n.startswith("photos/")] and _media(fhir) == []
    assert "not agreed" in z.read("README.txt").decode()
    sv = c.get("/api/patients/1/export.zip", headers={"accept-language": "sv"}).content  # in the reader's language
    readme = zipfile.ZipFile(io.BytesIO(sv)).read("README.txt").decode()
    assert "Inga foton: patienten har inte godkänt att foton lämnar journalen." in readme and "the" not in readme
    consent(c, "exports")
    z, fhir = export()
    photos = [n for n in z.namelist() if n.startswith("photos/")]
    assert photos == [f"photos/{TODAY.isoformat()}-forehead-right-45-{stored['id']}.jpg"]
    assert hashlib.sha256(z.read(photos[0])).hexdigest() == stored["sha256"] and len(_media(fhir)) == 1
    consent(c, "none")  # withdrawn: the next export has none again
    z, fhir = export()
    assert not [n for n in z.namelist() if n.startswith("photos/")] and _media(fhir) == []
    other = login(app, "patient")
    assert other.get("/api/patients/2/export.zip").status_code == 404


def test_a_photo_stored_before_thumbnails_gets_one_on_first_asking(app):
    c = login(app, "clinician")
    consent(c, "record")
    pid = upload(c, data=jpeg(800, 600)).json()["id"]
    with app.state.engine.begin() as conn:  # as a photo stored before migration 0014
        conn.execute(sql("UPDATE photos SET thumb_sha256 = NULL"))
    t = c.get(f"/api/photos/{pid}/thumbnail")
    assert t.status_code == 200 and t.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(t.content)) as im:
        assert im.size == (320, 240)
    with app.state.Session() as db:
        assert db.get(Photo, pid).thumb_sha256 == hashlib.sha256(t.content).hexdigest()
