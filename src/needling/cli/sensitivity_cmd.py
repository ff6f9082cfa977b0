"""``needling sensitivity simulate|deliver|series``: which parameters drive depth, uptake and the predicted grade."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from needling.errors import InputError


class Method(StrEnum):
    morris = "morris"
    sobol = "sobol"


def _names(parameters: str | None) -> list[str] | None:
    if parameters is None:
        return None
    names = [p.strip() for p in parameters.split(",") if p.strip()]
    if not names:
        raise InputError("--parameters is empty; give names separated by commas, e.g. a,b,c", field="--parameters")
    return names


def _run(
    call: Callable[..., Any],
    output_keys: tuple[str, ...],
    parameters: str | None,
    method: Method,
    samples: int | None,
    seed: int,
    relative_range: float,
    top: int,
    json_: bool,
    figure: Path | None,
    title: str,
) -> None:
    """Baseline run (names the default parameters), the analysis, then JSON or Rich tables."""
    from needling.cli.common import emit_json
    from needling.cohort.sensitivity import sensitivity
    from needling.cohort.sensitivity_targets import outputs_of, used_parameters
    from needling.errors import check_range

    check_range("--relative-range", relative_range, low=0.01, high=0.99)
    check_range("--top", top, low=1, high=1000)
    if figure is not None and figure.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"figure path {figure} must end in .png or .svg", field="--figure")
    baseline = call(None)
    names = _names(parameters) or used_parameters(baseline.sources)
    n = samples if samples is not None else (16 if method is Method.morris else 64)
    check_range("--samples", n, low=2, high=100_000)
    fn = outputs_of(lambda pv: call(pv), output_keys)
    if json_:
        result = sensitivity(fn, names, method.value, n, relative=relative_range, seed=seed)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("runs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("runs", total=None)
            result = sensitivity(
                fn,
                names,
                method.value,
                n,
                relative=relative_range,
                seed=seed,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    if figure is not None:
        result.plot(str(figure))
    if json_:
        emit_json(result.to_json())
        return
    render_sensitivity(result, title, top)
    if figure is not None:
        from rich.console import Console

        Console().print(f"figure written to {figure}")


def render_sensitivity(result: Any, title: str, top: int = 10) -> None:
    """One Rich table per output: the parameters ranked by their main index (fits 80 columns)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    morris = result.method == "morris"
    console.print(
        f"[bold]{title}[/bold]: {result.method}, {len(result.parameters)} parameters, "
        f"{result.evaluations} runs in {result.seconds:.1f} s"
    )
    for out in result.outputs:
        table = Table(title=out, title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("parameter", overflow="fold", min_width=24, max_width=34)
        table.add_column("range", overflow="fold", max_width=16)
        table.add_column("mu*" if morris else "ST", justify="right")
        table.add_column("+-", justify="right")
        table.add_column("sigma" if morris else "S1", justify="right")
        for rank, (name, value) in enumerate(result.ranking(out)[:top], start=1):
            idx = result.indices[out][name]
            low, high, unit = result.ranges[name]
            table.add_row(
                str(rank),
                name,
                f"{low:.3g}-{high:.3g}" + ("" if unit == "1" else f" {unit}"),
                _num(value),
                _num(idx["mu_star_conf" if morris else "ST_conf"]),
                _num(idx["sigma" if morris else "S1"]),
            )
        console.print(table)
    if morris:
        console.print("mu*: mean absolute change of the output across the range; sigma: interaction or non-linearity.")
    else:
        console.print("ST: share of the output's variance with interactions; S1: share on its own.")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def register(app: typer.Typer) -> None:
    """Add the ``sensitivity`` group to the CLI."""
    group = typer.Typer(
        help="Which parameters drive depth, uptake and the predicted grade (Morris or Sobol, SALib).",
        no_args_is_help=True,
    )
    app.add_typer(group, name="sensitivity")

    parameters_opt = typer.Option(
        None, "--parameters", help="Names separated by commas (default: every parameter the result used)."
    )
    method_opt = typer.Option(Method.morris, "--method", help="morris (screening) or sobol (variance shares).")
    samples_opt = typer.Option(None, "--samples", help="Morris trajectories (default 16) or Sobol base samples (64).")
    seed_opt = typer.Option(0, "--seed", min=0, help="Seed of the sampling, 0 or more (the model runs all use seed 0).")
    relative_opt = typer.Option(
        0.5, "--relative-range", help="Half-width of a range without a known SD, as a fraction of the value."
    )
    top_opt = typer.Option(10, "--top", help="Parameters shown per output (the JSON has all).")
    json_opt = typer.Option(False, "--json", help="JSON output (stable keys, see README).")
    figure_opt = typer.Option(None, "--figure", help="Bar chart of the indices (.png or .svg).")

    @group.command("simulate")
    def simulate(
        device: str = typer.Option(..., "--device", help="Catalogue name or device TOML file."),
        site: str = typer.Option(..., "--site", help="Skin site."),
        needle_length_mm: float = typer.Option(None, "--needle-length-mm", help="Needle length / pen depth, mm."),
        passes: int = typer.Option(1, "--passes", help="Passes over the area."),
        directions: int = typer.Option(1, "--directions", help="Directions the passes cycle through."),
        sex: str = typer.Option("female", "--sex", help="female or male."),
        parameters: str = parameters_opt,
        method: Method = method_opt,
        samples: int = samples_opt,
        seed: int = seed_opt,
        relative_range: float = relative_opt,
        top: int = top_opt,
        json_: bool = json_opt,
        figure: Path = figure_opt,
    ) -> None:
        """Sensitivity of a session's depth, channel density, bleeding and pain (closed-form session)."""
        from needling.cohort.sensitivity_targets import SESSION_OUTPUTS
        from needling.simulation import Technique, quick_session

        technique = Technique(passes=passes, directions=directions, needle_length_mm=needle_length_mm)

        def call(pv):
            return quick_session(device, site, technique, sex=sex, parameters=pv)

        _run(call, SESSION_OUTPUTS, parameters, method, samples, seed, relative_range, top, json_, figure,
             f"{device} on {site}")  # fmt: skip

    @group.command("deliver")
    def deliver_cmd(
        compound: str = typer.Option(..., "--compound", help="Compound name or TOML file."),
        device: str = typer.Option(..., "--device", help="Catalogue name or device TOML file."),
        site: str = typer.Option(..., "--site", help="Skin site."),
        needle_length_mm: float = typer.Option(None, "--needle-length-mm", help="Needle length / pen depth, mm."),
        passes: int = typer.Option(1, "--passes", help="Passes of the needling."),
        directions: int = typer.Option(1, "--directions", help="Directions of the passes."),
        dose_mg_cm2: float = typer.Option(
            None, "--dose-mg-cm2", help="Product per area, mg/cm2 (default by product type)."
        ),
        occluded: bool = typer.Option(False, "--occluded", help="Under occlusion."),
        hours: float = typer.Option(24.0, "--hours", help="Duration, h."),
        model: str = typer.Option("reduced", "--model", help="reduced (default here) or full."),
        parameters: str = parameters_opt,
        method: Method = method_opt,
        samples: int = samples_opt,
        seed: int = seed_opt,
        relative_range: float = relative_opt,
        top: int = top_opt,
        json_: bool = json_opt,
        figure: Path = figure_opt,
    ) -> None:
        """Sensitivity of the uptake, its enhancement over intact skin and the channels' half-life."""
        from needling.cohort.sensitivity_targets import DELIVERY_OUTPUTS
        from needling.simulation import Technique, deliver

        technique = Technique(passes=passes, directions=directions, needle_length_mm=needle_length_mm)

        def call(pv):
            return deliver(
                compound, device, site, technique, dose_mg_cm2=dose_mg_cm2, occluded=occluded, hours=hours,
                model=model, parameters=pv,
            )  # fmt: skip

        _run(call, DELIVERY_OUTPUTS, parameters, method, samples, seed, relative_range, top, json_, figure,
             f"{compound} after {device} on {site}")  # fmt: skip

    @group.command("series")
    def series(
        indication: str = typer.Option(..., "--indication", help="acne-scars, striae, androgenetic-alopecia, ..."),
        site: str = typer.Option(..., "--site", help="Skin site."),
        grade: int = typer.Option(None, "--grade", help="Baseline Goodman & Baron grade 0-4 (acne scars)."),
        protocol: Path = typer.Option(None, "--protocol", help="Protocol TOML file."),
        sessions: int = typer.Option(None, "--sessions", help="Short form: number of sessions."),
        interval_weeks: float = typer.Option(None, "--interval-weeks", help="Short form: weeks between sessions."),
        step: list[str] = typer.Option(None, "--step", help='Short form: a step, e.g. "Roll 1.5 mm, 15 passes".'),
        follow_up_weeks: float = typer.Option(12.0, "--follow-up-weeks", help="Weeks after the last session."),
        n: int = typer.Option(200, "--n", help="Virtual patients per run."),
        parameters: str = parameters_opt,
        method: Method = method_opt,
        samples: int = samples_opt,
        seed: int = seed_opt,
        relative_range: float = relative_opt,
        top: int = top_opt,
        json_: bool = json_opt,
        figure: Path = figure_opt,
    ) -> None:
        """Sensitivity of the predicted grade (or the indication's measure), collagen and PIH risk."""
        from needling.cli.common import protocol_from_options
        from needling.cohort import run_series
        from needling.cohort.sensitivity_targets import SERIES_OUTPUTS

        proto = protocol_from_options(protocol, sessions, interval_weeks, step)

        def call(pv):
            return run_series(
                indication, site, proto, grade=grade, follow_up_weeks=follow_up_weeks, n=n, seed=0, parameters=pv
            )

        _run(call, SERIES_OUTPUTS, parameters, method, samples, seed, relative_range, top, json_, figure,
             f"{indication} on {site}")  # fmt: skip
