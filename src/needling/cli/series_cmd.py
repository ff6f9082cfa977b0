"""``needling series`` and ``needling trial``: outcome over a treatment series, and in-silico trials."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from needling.cli.common import emit_json, protocol_from_options
from needling.cohort import run_series
from needling.cohort.trial import load_trial, run_trial
from needling.errors import InputError

#: Readable label and format of each scalar outcome (``--json`` keeps the field names and raw values).
_OUTCOME_ROWS = {
    "grade_mean": ("grade, mean (Goodman & Baron 0-4)", "{:.1f}"),
    "score_mean": ("score, mean (Goodman & Baron)", "{:.1f} points"),
    "improved_one_grade_or_more": ("improved one grade or more", "{:.1f} % of patients"),
    "hair_count_change_mean": ("hair count change, mean", "{:+.1f} per cm2"),
    "improvement_pct_mean": ("improvement, mean", "{:.1f} %"),
}


def _outcome_row(name: str, value: float) -> tuple[str, str]:
    """One outcome as a person reads it: a change in % with its sign, a share as a percentage, units named."""
    if name in _OUTCOME_ROWS:
        label, fmt = _OUTCOME_ROWS[name]
        return label, fmt.format(100 * value if name == "improved_one_grade_or_more" else value)
    if name.endswith("_pct"):  # a change, in %
        return name.removesuffix("_pct").replace("_", " "), f"{value:+.1f} %"
    return name.replace("_", " "), f"{value:.3g}"


def _series_table(result: Any, title: str) -> Table:
    """Outcome and risks of a series, one row each (the grade distribution as shares, never a dict)."""
    t = Table(title=title, show_header=False)
    outcome = result.outcome()
    for f in dataclasses.fields(outcome):
        v = getattr(outcome, f.name)
        if f.name == "indication" or v is None:
            continue
        if isinstance(v, dict):  # the grade distribution: one share per grade, never a printed dict
            t.add_row(f.name.replace("_", " "), "  ".join(f"{g}: {100 * share:.1f} %" for g, share in v.items()))
        else:
            t.add_row(*_outcome_row(f.name, v))
    risks = result.risks()
    for f in dataclasses.fields(risks):
        name = "PIH (darker patches)" if f.name == "pih" else f.name.replace("_", " ")
        t.add_row(f"risk of {name}", f"{100 * getattr(risks, f.name):.1f} %")
    return t


def _endpoint_words(name: str) -> str:
    """A trial endpoint's key in words that wrap in a narrow column ("collagen change %", not "collagen_ch…")."""
    return (name.removesuffix("_pct") + " %" if name.endswith("_pct") else name).replace("_", " ")


def _trial_table(result: Any, title: str, posterior: bool) -> Table:
    """Per arm and endpoint: predicted (or simulated) mean, 95 % interval, published value and its role."""
    t = Table(title=title)
    for col in ("arm", "endpoint", "predicted" if posterior else "simulated", "95 % interval", "published", "role"):
        t.add_column(col)
    for arm in result.arms:
        for name, e in arm.endpoints.items():
            t.add_row(
                arm.name,
                _endpoint_words(name),
                f"{e.mean:.3g}" if e.mean is not None else "-",
                f"{e.low:.3g} to {e.high:.3g}" if e.low is not None and e.high is not None else "-",
                "" if e.published is None else f"{e.published:.3g}",
                e.role or "",
            )
    return t


def register(app: typer.Typer) -> None:
    """Add ``series`` and ``trial`` to the CLI."""

    @app.command("series")
    def series(
        indication: str = typer.Option(..., "--indication", help="acne-scars, striae, androgenetic-alopecia, ..."),
        site: str = typer.Option(..., "--site", help="Skin site."),
        grade: int = typer.Option(None, "--grade", help="Baseline Goodman & Baron grade 0-4 (acne scars)."),
        protocol: Path = typer.Option(None, "--protocol", help="Protocol TOML file."),
        sessions: int = typer.Option(None, "--sessions", help="Short form: number of sessions."),
        interval_weeks: float = typer.Option(None, "--interval-weeks", help="Short form: weeks between sessions."),
        step: list[str] = typer.Option(None, "--step", help='Short form: a step, e.g. "Roll 1.5 mm, 15 passes".'),
        follow_up_weeks: float = typer.Option(12.0, "--follow-up-weeks", help="Weeks after the last session."),
        n: int = typer.Option(500, "--n", help="Virtual patients of this kind."),
        seed: int = typer.Option(0, "--seed", min=0, help="Random seed (0 or more)."),
        fitzpatrick: int = typer.Option(None, "--fitzpatrick", help="Fitzpatrick type 1-6 (default: drawn)."),
        striae_type: str = typer.Option(None, "--striae-type", help="Striae: rubra (red) or alba (white)."),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
        figure: Path = typer.Option(None, "--figure", help="Timeline figure (.png or .svg)."),
        posterior: bool = typer.Option(
            True,
            "--posterior/--no-posterior",
            help="Share the patients out among the shipped posterior draws (default), or use the default parameters.",
        ),
    ) -> None:
        """Predict collagen and outcome week by week over a series, with its uncertainty."""
        proto = protocol_from_options(protocol, sessions, interval_weeks, step)
        result = run_series(
            indication,
            site,
            proto,
            grade=grade,
            follow_up_weeks=follow_up_weeks,
            n=n,
            seed=seed,
            fitzpatrick=fitzpatrick,
            posterior="auto" if posterior else None,
            striae_type=striae_type,
        )
        if figure is not None:
            from needling.report.series_figures import series_figure

            series_figure(result, figure)
        if json_:
            emit_json(result.to_json())
            return
        Console().print(_series_table(result, f"{indication} on {result.site}: {proto.name} (n={n})"))
        if figure is not None:
            Console().print(f"figure written to {figure}")

    @app.command("trial")
    def trial(
        file: Path = typer.Argument(..., help="Trial TOML file (see src/needling/cohort/trials/)."),
        n: int = typer.Option(None, "--n", help="Virtual patients per arm (default: the file's n)."),
        seed: int = typer.Option(0, "--seed", min=0, help="Random seed (0 or more)."),
        workers: int = typer.Option(None, "--workers", help="Run on a local Dask cluster with W workers."),
        scheduler: str = typer.Option(None, "--scheduler", help="Address of a Dask scheduler."),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
        figure: Path = typer.Option(None, "--figure", help="Per-arm endpoint figure (.png or .svg)."),
        posterior: bool = typer.Option(
            True,
            "--posterior/--no-posterior",
            help="Integrate over the shipped posterior draws (default), or run the default parameters alone.",
        ),
    ) -> None:
        """Run an in-silico trial: per-arm endpoints with 95 % intervals against the published numbers."""
        if workers is not None and scheduler is not None:
            raise InputError("give either --workers or --scheduler, not both", field="--workers")
        spec = load_trial(file)
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=json_,
        ) as bar:
            task = bar.add_task(spec.name[:40], total=None)
            result = run_trial(
                spec,
                n=n,
                seed=seed,
                workers=workers,
                scheduler=scheduler,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                posterior="auto" if posterior else None,
            )
        if figure is not None:
            from needling.report.series_figures import trial_figure

            trial_figure(result, figure)
        if json_:
            emit_json(result.to_json())
            return
        Console().print(_trial_table(result, f"{spec.name} (n={result.n} per arm, seed {seed})", posterior))
        if posterior:
            Console().print(
                "Intervals: where the arm's mean would fall in a new trial with its real patients "
                "(posterior draws, trial effect, model discrepancy)."
            )
