"""The clinic, the reports, the FHIR export and the CLI read a plan and a result by attribute, never by key.

A stored plan is read back as a typed :class:`needling.planner.plan_model.Plan` (``PlanRecord.typed()``), and
the science core's results are dataclasses; reading their JSON documents by key (``plan["regions"]``,
``region.get("predicted")``) would bypass the types and break silently when a key moves. This test looks for
such reads in the source and templates of those layers, by pattern, the way ``tests/clinic/test_web_layer.py``
looks for routes that commit.
"""

from __future__ import annotations

import re
from pathlib import Path

import needling

PACKAGE = Path(needling.__file__).parent
#: The layers above the science core that show plans and results.
LAYERS = ("clinic", "report", "cli")

#: Keys found only in a plan's or a result's JSON document: reading one of them by key means reading the
#: document instead of the typed object. Words that other documents share (``id``, ``name``, ``site``,
#: ``sources``, ``grade``, ...) are left out, so a rule, a user or a form may still be read by key.
PLAN_AND_RESULT_KEYS = frozenset(
    # the plan (needling.planner.plan_model)
    {"regions", "reasons", "combination", "combination_dropped", "home_care", "aftercare", "not_treated"}
    | {"reassess_from", "rules_version", "model_version", "predicted", "series", "timeline", "outcome"}
    | {"adverse_events", "final_interval_95", "grade_mean_final", "grade_distribution_final", "depth_caps"}
    | {"part_dates", "pen_settings", "deferred_until", "device_note", "limit_mm", "min_interval_weeks"}
    | {"interval_weeks", "evidence", "vas_without_anaesthesia", "collagen_change_pct", "area_starts"}
    | {"no_rolling", "stop_if_ids", "pause_days_around_clinic_and_peels", "label_max_g", "label_max_cm2"}
    | {"day_offset", "part_area_cm2", "part_amount_g", "improved_one_grade_or_more", "tram_track", "pih"}
    | {"prolonged_erythema", "depth_p5_um", "depth_p95_um", "bleeding_strikes_per_cm2"}
    # session, delivery, series and trial results (needling.simulation, needling.cohort)
    | {"depth_mean_um", "channels_per_cm2", "uptake_ug_per_cm2", "channel_half_life_h", "grade_mean"}
    | {"arms", "endpoints", "final"}
)

#: ``x["key"]`` or ``x.get("key"`` with a key of a plan or result; a key being assigned is a document written.
_READ = re.compile(r"""(?:\[\s*(["'])(?P<sub>[a-z0-9_]+)\1\s*\](?!\s*=[^=])|\.get\(\s*(["'])(?P<get>[a-z0-9_]+)\3)""")

#: Reads that are by key on purpose, each as (file, the text of the read) with a comment saying why. A database
#: migration is left out as a whole: it must read the stored documents as they were when it was written, so it
#: never imports today's types.
ALLOWED: set[tuple[str, str]] = set()
MIGRATIONS = "clinic/migrations/"


def _files() -> list[Path]:
    return sorted(
        p for layer in LAYERS for p in (PACKAGE / layer).rglob("*") if p.suffix in (".py", ".html", ".j2", ".txt")
    )


def _key_reads(text: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for m in _READ.finditer(line):
            key = m.group("sub") or m.group("get")
            if key in PLAN_AND_RESULT_KEYS:
                found.append((number, key, line.strip()))
    return found


def test_the_pattern_finds_reads_by_key_and_not_writes():
    reads = _key_reads(
        'a = plan["regions"]\nb = r.get("predicted")\nc = d.get( "timeline", [])\n'
        'doc["outcome"] = x\nok = rule["sources"]\nflag = doc["series"] == y\n'
        '{% if r.get("deferred_until") %}\n'
    )
    assert [(n, k) for n, k, _ in reads] == [
        (1, "regions"),
        (2, "predicted"),
        (3, "timeline"),
        (6, "series"),
        (7, "deferred_until"),
    ]


def test_plans_and_results_are_read_by_attribute():
    files = _files()
    assert len(files) >= 50, "the clinic, report and CLI sources were not found"
    offending = []
    for path in files:
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(MIGRATIONS):
            continue
        for number, key, line in _key_reads(path.read_text(encoding="utf-8")):
            if any(rel == where and snippet in line for where, snippet in ALLOWED):
                continue
            offending.append(f"{rel}:{number}: [{key!r}] in {line[:100]}")
    assert offending == [], "a plan or result read by key; read the typed object's attributes:\n" + "\n".join(offending)


def test_every_allowed_read_still_exists():
    stale = [
        (where, snippet)
        for where, snippet in ALLOWED
        if snippet not in (PACKAGE / where).read_text(encoding="utf-8")  # an exception no longer needed goes
    ]
    assert stale == []
