"""Property-based API testing against the OpenAPI document, on SQLite and on PostgreSQL.

Schemathesis runs every phase (explicit examples, coverage of boundaries and invalid values, random
fuzzing, and stateful sequences that feed one answer's ids into the next request) as a logged-in
clinician who sends the CSRF header. The run must find no server error (5xx) and no answer that
breaks the document: an undocumented status code, a wrong content type or headers, or a body that does
not match its declared model.

Two checks are left out on purpose: ``positive_data_acceptance`` (the API refuses schema-valid input
that is clinically invalid: an unknown site, an expired lot, a date in the future; those refusals are
422 by design) and ``negative_data_rejection`` (pydantic's lax mode accepts ``"true"`` for a boolean
and a midnight timestamp for a date, which is harmless).

``make test`` runs a few examples per operation; ``make schemathesis`` runs 200 per operation on both
databases (``NEEDLING_SCHEMATHESIS_EXAMPLES`` sets the number) and prints the figures.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from tests.clinic.conftest import login

EXAMPLES = int(os.environ.get("NEEDLING_SCHEMATHESIS_EXAMPLES", "8"))
SEED = int(os.environ.get("NEEDLING_SCHEMATHESIS_SEED", "20261124"))
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "missing_required_header",
    "use_after_free",
    "ensure_resource_availability",
)


@dataclass
class Run:
    """What one schemathesis run did."""

    cases: Counter = field(default_factory=Counter)  # per phase
    operations: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, backend: str) -> str:
        phases = ", ".join(f"{k} {v}" for k, v in sorted(self.cases.items()))
        return (
            f"schemathesis {backend}: {sum(self.cases.values())} requests ({phases}) over {len(self.operations)}"
            f" operations, {EXAMPLES} examples per operation, {len(self.failures)} failures,"
            f" {self.statuses_5xx} server errors, {self.seconds:.0f} s"
        )

    @property
    def statuses_5xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)


def run_schemathesis(app, examples: int = EXAMPLES, seed: int = SEED) -> Run:
    """Run every schemathesis phase against ``app`` as a logged-in clinician."""
    clinician = login(app, "clinician")
    cookie = clinician.http.cookies["needling_session"]
    checks: dict = {"enabled": False} | {name: {"enabled": True} for name in CHECKS}
    config = SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "cache": {"enabled": False},  # every run starts from nothing (and writes nothing into the tree)
            "suppress-health-check": ["all"],
            "generation": {"max-examples": examples},
            "headers": {"x-csrf-token": clinician.csrf, "cookie": f"needling_session={cookie}"},
            "checks": checks,
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "stateful": {"enabled": True}},
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    schema = schema.exclude(method="POST", path="/api/logout")  # it would end the session the run uses
    run = Run()
    start = time.perf_counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            run.cases[event.phase.value] += len(event.recorder.cases)
            if event.recorder.label != "Stateful tests":
                run.operations.add(event.recorder.label)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    run.statuses[interaction.response.status_code] += 1
            for case_checks in event.recorder.checks.values():
                for check in case_checks:
                    if check.status.value == "failure" and check.failure_info is not None:
                        failure = check.failure_info.failure
                        run.failures.append(f"{event.recorder.label}: {check.name}: {failure.title}: {failure.message}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            run.errors.append(str(getattr(event, "value", None) or getattr(event, "exception", "")))
    run.seconds = time.perf_counter() - start
    return run


def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, request):
    backend = request.node.callspec.params["app"]
    run = run_schemathesis(app)
    print("\n" + run.summary(backend))
    assert len(run.operations) >= 25, sorted(run.operations)  # every operation but log-out was exercised
    assert run.cases["coverage"] > 0 and run.cases["fuzzing"] > 0 and run.cases["stateful"] > 0, run.cases
    assert sum(n for s, n in run.statuses.items() if 200 <= s < 300) > 0  # requests got through auth and validation
    assert not run.errors, run.errors[:3]
    assert run.statuses_5xx == 0, run.statuses
    assert not run.failures, sorted(set(run.failures))[:10]
