"""Property-based API testing against the OpenAPI document: no request may cause a server error (5xx).

Bounded: a few examples per operation, as a logged-in clinician (CSRF token sent), on a fresh SQLite app.
"""

from __future__ import annotations

import contextlib

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.clinic.conftest import login, make_app


def test_no_server_errors(tmp_path):
    app = make_app(tmp_path)
    clinician = login(app, "clinician")
    cookie = clinician.http.cookies["needling_session"]
    headers = {"x-csrf-token": clinician.csrf, "cookie": f"needling_session={cookie}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    calls: list[int] = []
    ops = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        ops += 1

        @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(headers=headers)
            calls.append(response.status_code)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:300]}")
                raise

        with contextlib.suppress(Exception):  # failures are collected above and asserted below
            check()
    assert ops >= 15 and len(calls) >= 2 * ops  # the operations were really exercised
    assert any(200 <= c < 300 for c in calls)  # and some requests got through validation and auth
    assert not failures, failures[:5]
