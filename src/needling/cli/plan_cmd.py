"""``needling plan``: screen a patient and propose a per-region protocol (the treatment planner)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.errors import InputError
from needling.planner import load_intake, make_plan


class Audience(StrEnum):
    clinician = "clinician"
    patient = "patient"


class Lang(StrEnum):
    en = "en"
    sv = "sv"


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--start {text!r} is not a valid date; valid: YYYY-MM-DD, e.g. 2026-12-01", field="--start"
        ) from None


def _write_report(report: Path, result: Any, audience: Audience, lang: Lang) -> None:
    if report.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--report {report} must end in .html", field="--report")
    from needling.report.plan_report import render_plan_html

    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render_plan_html(result, audience.value, lang.value), encoding="utf-8")


def _print_decision(console: Console, result: Any) -> None:
    if result.regions:
        console.print(f"[bold]Decision:[/bold] {result.decision}   first session: {result.series.dates[0]}")
    else:  # a plan that stops prints no session date
        again = f"; screen again from {result.reassess_from}" if result.reassess_from else ""
        console.print(f"[bold]Decision:[/bold] {result.decision}   screened on {result.start}{again}")
    for n in result.not_treated:
        console.print(f"not treated, {n.region}: {n.reason}")
    t = Table(title="Rules that fired")
    for col in ("rule", "effect", "message", "sources"):
        t.add_column(col, overflow="fold")  # a rule id or source key is read whole, never cut to "P01-intr…"
    for reason in result.reasons:
        t.add_row(reason.rule, reason.effect, reason.message, ", ".join(reason.sources))
    console.print(t)


REGION_ROWS = (
    "indication",
    "device",
    "needle",
    "passes",
    "endpoint",
    "anaesthesia",
    "sessions",
    "depth",
    "VAS",
    "expected",
)


def _expected(p: Any) -> str:
    """The region's expected outcome: the patient's own (the value the sentence below states) when there is
    one, else the series mean, with its unit."""
    i = p.individual if p is not None else None
    if i is not None:
        unit = {"grade": "grade {}", "hair_count_change": "{} /cm2", "improvement_pct": "{} % better"}
        value = round(float(i.expected), 1 if i.measure == "grade" else None)
        return unit.get(i.measure, "{}").format(f"{value:+g}" if i.measure == "hair_count_change" else f"{value:g}")
    if p is None or p.grade_mean_final is None:
        return "-"
    return f"grade {round(float(p.grade_mean_final), 1):g}"


def _region_values(r: Any) -> list[str]:
    an = f"{r.anaesthesia.agent}, {r.anaesthesia.minutes:g} min" if r.anaesthesia else "none"
    p = r.predicted
    weeks = "1 week" if r.interval_weeks == 1 else f"{r.interval_weeks:g} weeks"
    return [
        r.indication,
        r.device,
        f"{r.needle_length_mm:g} mm",
        str(r.passes),
        r.endpoint,
        an,
        f"{r.sessions}, {weeks} apart",
        "-" if p is None else (f"{p.depth_um:.0f} um" if p.makes_channels else "no channels"),
        "-" if p is None else f"{p.vas:.1f}",
        _expected(p),
    ]


def _regions_table(result: Any) -> Table:
    """One column per region, one row per protocol item: eleven columns side by side leave each a few
    characters at 80 columns (codes cut to "der…"), while a region's column has room for its values."""
    t = Table(title="Protocol per region")
    t.add_column("", style="bold", no_wrap=True)
    for r in result.regions:
        t.add_column(r.site, overflow="fold")
    for i, name in enumerate(REGION_ROWS):
        t.add_row(name, *(_region_values(r)[i] for r in result.regions))
    return t


def _print_region_notes(console: Console, r: Any) -> None:
    if r.pen_settings:
        ps = r.pen_settings
        hz = "?" if ps.frequency_hz is None else f"{ps.frequency_hz:g}"
        console.print(
            f"{r.site}: pen at {ps.depth_mm:g} mm, {ps.passes} passes x "
            f"{ps.directions} directions, {hz} Hz, skin {ps.skin}"
        )
    if r.device_note:
        console.print(f"{r.site}: {r.device_note}")
    if r.deferred_until:
        console.print(f"{r.site}: deferred until {r.deferred_until}")
    for c in r.depth_caps:
        console.print(f"{r.site}: depth <= {c.max_mm:g} mm by {', '.join(c.rules)} [{', '.join(c.sources)}]")
    an = r.anaesthesia
    if an is not None and an.note:
        console.print(
            f"{r.site}: anaesthetic cream within the label ({an.label_max_g:g} g, "
            f"{an.label_max_cm2:g} cm2 a day): day +{an.day_offset}, {an.parts} part(s)"
        )
    parts = r.series.part_dates if r.series is not None else None
    if parts:
        console.print(f"{r.site}: one part a day: {', '.join(' + '.join(days) for days in parts)}")
    if r.predicted is not None and r.predicted.individual is not None:
        from needling.report.plain_words import plain_outcome, puncture_words

        console.print(f"{r.site}: {plain_outcome(r.predicted.individual, 'en', 'clinician')}")
        if note := puncture_words(r.predicted, "en"):
            console.print(f"{r.site}: {note}")


def _print_series(console: Console, result: Any) -> None:
    for r in result.regions:  # each region's own dates: the plan's merged list did not say which was which
        if r.series is not None:
            console.print(f"{r.site} dates: {', '.join(r.series.dates)}")
    for c in result.combination:
        extra = f" ({', '.join(c.dates)})" if c.dates else ""
        console.print(f"combination, {c.region}: {c.step}: {c.timing}{extra} [{', '.join(c.sources)}]")
    for d in result.combination_dropped:
        when = f" {d.date}" if d.date else ""
        console.print(f"not scheduled, {d.region}: {d.id}{when} ({d.reason})")
    if result.home_care:
        h = result.home_care
        every = "every week" if h.frequency_weeks == 1 else f"every {h.frequency_weeks:g} weeks"
        start = f" from {h.start}" if h.start else ""
        console.print(
            f"home care: {h.device} {h.needle_length_mm:g} mm {every}{start} "
            f"on {', '.join(h.areas)}; stop if {'; '.join(h.stop_if)}"
        )


def _print_plan(result: Any) -> Console:
    """The human view of a plan: decision and rules, then per region the protocol, notes and dates."""
    console = Console()
    _print_decision(console, result)
    if result.regions:
        console.print(_regions_table(result))
        for r in result.regions:
            _print_region_notes(console, r)
        _print_series(console, result)
    return console


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the CLI."""

    @app.command("plan")
    def plan(
        patient_file: Path = typer.Argument(..., help="Patient file (YAML or JSON)."),
        start: str = typer.Option(None, "--start", help="Earliest first session, YYYY-MM-DD (default today)."),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
        report: Path = typer.Option(None, "--report", help="Write a self-contained HTML report."),
        audience: Audience = typer.Option(Audience.clinician, "--audience", help="clinician or patient."),
        lang: Lang = typer.Option(
            Lang.en, "--lang", help="Language of the --report file, en or sv (the terminal view is English)."
        ),
    ) -> None:
        """Screen a patient and propose a per-region protocol with its evidence and predicted outcome."""
        intake = load_intake(patient_file)
        result = make_plan(intake, start=_parse_date(start))
        if report is not None:
            _write_report(report, result, audience, lang)
        if json_:
            emit_json(result.to_json())
            return
        console = _print_plan(result)
        if report is not None:
            console.print(f"report written to {report}")
