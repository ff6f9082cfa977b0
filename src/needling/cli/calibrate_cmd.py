"""``needling calibrate``: refit the hierarchical Bayesian calibration on trial files."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import typer

from needling.cli.common import emit_json, fail


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` to the CLI."""

    @app.command("calibrate")
    def calibrate_cmd(
        trials: list[Path] = typer.Option(
            None, "--trials", help="Trial TOML files (repeat the option; default: every shipped trial)."
        ),
        draws: int = typer.Option(1000, "--draws", help="Posterior draws to keep (10-100000)."),
        chains: int = typer.Option(4, "--chains", help="Independent emcee ensembles (2-16)."),
        steps: int = typer.Option(40000, "--steps", help="Steps per ensemble, half of them burn-in (20-200000)."),
        points: int = typer.Option(512, "--points", help="Model runs for the emulator (8-8192)."),
        refine: int = typer.Option(
            None,
            "--refine",
            help="Model runs added where a pilot fit's posterior lies (0-8192; default: half of --points).",
        ),
        seed: int = typer.Option(0, "--seed", help="Seed of the design, the virtual patients and the sampler."),
        out: Path = typer.Option(Path("posterior.json"), "--out", help="Where to write the posterior draws."),
        loto: Path = typer.Option(
            None, "--loto", help="Also refit without each trial and write the leave-one-trial-out table here."
        ),
        figures: Path = typer.Option(None, "--figures", help="A folder for the prior/posterior and check figures."),
        json_: bool = typer.Option(False, "--json", help="Print the diagnostics (and the table) as JSON."),
    ) -> None:
        """Refit the calibration of the outcome model on every trial together and write the posterior draws."""
        from needling.cohort.bayes.calibrate import (
            Settings,
            calibrate,
            checks_json,
            leave_one_trial_out,
            loto_document,
            save,
            summary,
        )
        from needling.cohort.bayes.data import load_trials
        from needling.errors import check_range

        check_range("draws", draws, low=10, high=100_000)
        check_range("chains", chains, low=2, high=16)
        check_range("steps", steps, low=20, high=200_000)
        check_range("points", points, low=8, high=8192)
        if refine is not None:
            check_range("refine", refine, low=0, high=8192)
        _check_json_path("--out", out)
        if loto is not None:
            _check_json_path("--loto", loto)
        if figures is not None and not _is_dir(figures):
            fail(f"--figures {str(figures)[:80]!r} is not an existing folder; create it first or give another")
        loaded = load_trials(list(trials)) if trials else load_trials()
        settings = Settings(draws=draws, chains=chains, steps=steps, points=points, seed=seed, refine=refine)
        from rich.progress import Progress

        with Progress(transient=True, disable=json_) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            cal = calibrate(loaded, settings, progress=progress)
            _write(out, lambda: save(cal, out))
            rows = None
            if loto is not None:
                short = replace(settings, chains=2, steps=max(steps // 2, 20))  # the fits without one trial
                rows = checks_json(leave_one_trial_out(cal, short))
                text = json.dumps(loto_document(cal, rows, short), indent=1) + "\n"
                _write(loto, lambda: loto.write_text(text))
        if figures is not None:
            from needling.report.calibration_figures import draw_all

            _write(figures, lambda: draw_all(cal, figures))
        doc = summary(cal)
        if json_:
            emit_json({k: doc[k] for k in ("data_hash", "model_fingerprint", "diagnostics", "acceptance")} | {
                "out": str(out), "loto": rows})  # fmt: skip
            return
        _show(doc, rows, out)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _check_json_path(option: str, path: Path) -> None:
    """A JSON file to write: a .json name, not a folder, in an existing folder."""
    name = str(path)[:80]
    if path.suffix != ".json":
        fail(f"{option} {name!r} must name a .json file, e.g. posterior.json")
    if _is_dir(path):
        fail(f"{option} {name!r} is a folder; give a file name, e.g. posterior.json")
    if not _is_dir(path.parent if str(path.parent) else Path(".")):
        fail(f"{option} {name!r}: its folder does not exist; create it first or give another")


def _write(path: Path, write: Callable[[], object]) -> None:
    try:
        write()
    except (OSError, ValueError) as exc:
        fail(f"cannot write {str(path)[:80]!r}: {exc.__class__.__name__}; give a writable place")


def _show(doc: dict, rows: list | None, out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from needling.cohort.bayes.calibrate import coverage

    con = Console()
    table = Table(title=f"Posterior diagnostics ({len(next(iter(doc['draws'].values())))} draws)")
    for col in ("quantity", "median", "R-hat", "ESS"):
        table.add_column(col, overflow="fold")
    for name, d in doc["diagnostics"].items():
        vals = sorted(doc["draws"][name])
        ok = d["rhat"] <= 1.01 and d["ess"] >= 400
        table.add_row(name, f"{vals[len(vals) // 2]:.4g}", f"{d['rhat']:.3f}", f"{d['ess']:.0f}" + ("" if ok else " !"))
    con.print(table)
    if rows is not None:
        con.print(f"Leave-one-trial-out coverage of the 90 % intervals: {100 * coverage(rows):.0f} % of {len(rows)}")
    con.print(f"Posterior draws written to {out}")
