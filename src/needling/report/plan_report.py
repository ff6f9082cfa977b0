"""The plan as one self-contained HTML file (inline CSS and SVG, prints to PDF), for clinician or patient,
in English or Swedish.

The clinician version shows every rule that fired with its sources and grade, the evidence key of each protocol
number, the predicted depth, bleeding, pain with and without anaesthesia, the outcome over the series with its
95 % range and the distribution of final grades, and the full reference list. The patient version says the same
in plain words, without rule ids or source keys.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from babel.dates import format_date

from needling.cohort.bayes.individual import LEVEL
from needling.errors import InputError
from needling.evidence import Assumption, bibliography
from needling.i18n import install as install_gettext
from needling.i18n import long_date, number, sessions_apart, translate, translate_plural, whole
from needling.planner.plan_model import Plan, Reason, Region
from needling.report import labels as L
from needling.report.assumption_texts import AssumptionText, assumption_text
from needling.report.device_words import device_label
from needling.report.parameter_catalogue import parameter_catalogue, resolve_name
from needling.report.plain_words import plain_outcome, puncture_words, risk_lines

AUDIENCES = ("clinician", "patient")
#: The effects of a rule that stop treatment (the others change or qualify a treatment that goes ahead).
STOPPING = ("do-not-treat", "defer-until")
LANGUAGES = ("en", "sv")
_MEASURES = ("grade", "hair_count_change", "improvement_pct", "collagen_rel")


@dataclass(frozen=True)
class PrintHeader:
    """What every printed page of a report names: the clinic, and the patient with their date of birth.

    Parameters
    ----------
    clinic : str
        The clinic's name.
    patient_name : str
        The patient's full name.
    birth_date : datetime.date, optional
        The patient's date of birth, when the clinic has it.
    """

    clinic: str
    patient_name: str
    birth_date: date | None = None


def check_language(lang: str) -> str:
    """``lang`` if the report is written in it, else a one-line error naming the valid ones."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; valid: {', '.join(LANGUAGES)}", field="lang")
    return lang


def _measure(row: dict[str, Any]) -> str:
    return next(k for k in _MEASURES if f"{k}_p2_5" in row)


def timeline_svg(region: Region, lang: str = "en") -> str:
    """The main outcome over the weeks of the series (mean, 95 % band and, over the posterior, the band 9 in 10
    patients like this one fall in, which ends at the stated interval), as inline SVG."""
    rows = region.predicted.timeline if region.predicted is not None else None
    if not rows:
        return ""
    key = _measure(rows[-1])
    mean_col = key if key == "collagen_rel" else f"{key}_mean"
    weeks = [r["week"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.0, 2.3))
    bands = [("p2_5", "p97_5", "#e8a0a8", translate(lang, "95 % range"))]
    if f"{key}_p5" in rows[-1]:  # the band of the patient's own outcome: it ends at the stated interval
        bands.append(("p5", "p95", "#d0707e", translate(lang, "%(n)s in 10 patients", n=whole(10 * LEVEL))))
    for low, high, color, label in bands:
        lows, highs = [r[f"{key}_{low}"] for r in rows], [r[f"{key}_{high}"] for r in rows]
        ax.fill_between(weeks, lows, highs, color=color, alpha=0.5, lw=0, label=label)
    ax.plot(weeks, [r[mean_col] for r in rows], color="#b03a48", lw=2)
    for d in range(region.sessions):
        ax.axvline(d * region.interval_weeks, color="#9aa3ad", lw=0.6, ls=":")
    ax.set(xlabel=translate(lang, "weeks from the first session"), ylabel=translate(lang, L.MEASURES[key]))
    ax.yaxis.label.set_size(8)
    ax.legend(frameon=False, fontsize=8, loc="best")
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05)  # no axis label cut at the edge
    plt.close(fig)
    svg = buf.getvalue()
    return _unique_ids(svg[svg.index("<svg") :], f"t{next(_FIGURE_IDS)}-")


_FIGURE_IDS = itertools.count()


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id in a matplotlib SVG and the references to them, so several figures can share one page.

    Matplotlib names its elements and glyphs alike in every figure (``line2d_1``, ``DejaVuSans-44``); in one
    document a second figure would otherwise draw the first one's glyphs.
    """
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r'xlink:href="#', f'xlink:href="#{prefix}', svg)
    return re.sub(r"url\(#", f"url(#{prefix}", svg)


def distribution_svg(distribution: dict[str, float], lang: str = "en") -> str:
    """Bars of the share of virtual patients at each final grade (0-4), drawn directly as SVG."""
    w, h, pad = 260, 110, 22
    bar = (w - 2 * pad) / len(distribution)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'role="img" aria-label="{escape(translate(lang, "Final grade, share of patients like this one"))}">'
    ]
    for i, (grade, share) in enumerate(sorted(distribution.items())):
        bh = share * (h - 2 * pad)
        x = pad + i * bar
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{h - pad - bh:.1f}" width="{bar - 6:.1f}" height="{bh:.1f}" fill="#b03a48"/>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{h - pad + 13}" font-size="10" text-anchor="middle">{escape(grade)}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{h - pad - bh - 3:.1f}" font-size="9" '
            f'text-anchor="middle">{num(100 * share, 0, lang)} %</text>'
        )
    parts.append(f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#1d2430"/></svg>')
    return "".join(parts)


def num(value: float, digits: int = 1, lang: str = "en") -> str:
    """A number for people (:func:`needling.i18n.number`): ``digits`` decimals at most, a half away from zero."""
    return number(value, lang, digits)


def _patient_outcome(region: Region, lang: str = "en", audience: str = "patient") -> str:
    p = region.predicted
    if p is not None and p.individual is not None:  # over the posterior: one patient's own outcome
        return " ".join(x for x in (puncture_words(p, lang), plain_outcome(p.individual, lang, audience)) if x)
    iv = p.final_interval_95 if p is not None else None
    if p is None or iv is None or iv.mean is None or iv.low is None or iv.high is None:
        return translate(lang, "The treatment mainly helps the product into the skin.")
    if iv.measure == "grade" and p.grade_mean_final is not None:
        return translate(
            lang,
            "Most likely result: scar grade about %(mean)s (most people between %(low)s and %(high)s); "
            "%(p)s out of 100 improve by at least one grade.",
            mean=num(p.grade_mean_final, 1, lang),
            low=num(iv.low, 0, lang),
            high=num(iv.high, 0, lang),
            p=num(100 * (p.outcome.improved_one_grade_or_more or 0), 0, lang),
        )
    if iv.measure in ("improvement_pct", "hair_count_change"):
        values = {"mean": num(iv.mean, 0, lang), "low": num(iv.low, 0, lang), "high": num(iv.high, 0, lang)}
        if iv.measure == "improvement_pct":
            return translate(
                lang,
                "Most likely result: about %(mean)s %% better (most people between %(low)s and %(high)s %%).",
                **values,
            )
        return translate(
            lang,
            "Most likely result: hair count up by about %(mean)s (most people between %(low)s and %(high)s).",
            **values,
        )
    return translate(lang, "The treatment mainly helps the product into the skin.")


def assumption_rows(sources: list[str], lang: str = "en") -> list[AssumptionText]:
    """The named assumptions a plan rests on, for the report's appendix, in ``lang``: readable name (with the key),
    value with unit in the locale's numbers, and reasoning.

    Each ``assumption:<name>`` key is read back from the parameter catalogue; a key it does not know is listed
    with its name alone rather than dropped.
    """
    cat = parameter_catalogue()
    rows = []
    for key in sources:
        if not key.startswith("assumption:"):
            continue
        try:
            param = cat[resolve_name(key)]
        except (KeyError, InputError):
            name = key.removeprefix("assumption:")
            rows.append(AssumptionText(name=name, label=name, value="", reasoning=""))
            continue
        if isinstance(param, Assumption):
            rows.append(assumption_text(param, lang))
    return rows


def render_plan_html(
    plan: Any, audience: str = "clinician", lang: str = "en", header: PrintHeader | None = None
) -> str:
    """Render a plan (``Plan`` or its JSON dict) as one self-contained HTML document.

    Parameters
    ----------
    plan : needling.planner.Plan or dict
        The plan (``plan.to_json()`` form is accepted).
    audience : {"clinician", "patient"}
        Clinician: every reason, evidence key and reference. Patient: plain words, no ids or keys.
    lang : {"en", "sv"}
        Language of the report.
    header : PrintHeader, optional
        The clinic and the patient, printed at the top of every page (the plan itself holds no name).
    """
    if audience not in AUDIENCES:
        raise InputError(f"unknown audience {audience!r}; valid: {', '.join(AUDIENCES)}", field="audience")
    check_language(lang)
    typed = plan if isinstance(plan, Plan) else Plan.from_json(plan)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("needling.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    install_gettext(env)
    env.filters["tr"] = lambda keys, table: [translate(lang, table.get(k, k)) for k in keys]
    env.filters["num"] = lambda value, digits=1: num(value, digits, lang)
    env.filters["site"] = (  # a region as the reader names it: "kinderna" to the patient, "kind" to the clinician
        (lambda code: L.patient_site(code, lang)) if audience == "patient" else (lambda code: L.site_words(code, lang))
    )
    env.filters["first_upper"] = lambda text: text[:1].upper() + text[1:]
    env.filters["device_label"] = lambda name: device_label(name, lang)  # "Dermaroller with 192 needles, 1.5 mm"
    env.filters["date"] = lambda value: format_date(date.fromisoformat(str(value)[:10]), "medium", locale=lang)
    bib = bibliography()
    refs = [{"key": k, "text": bib[k].citation()} for k in typed.sources if k in bib]
    assumptions = assumption_rows(list(typed.sources), lang) if audience == "clinician" else []
    figures = [timeline_svg(r, lang) for r in typed.regions]
    distributions = [
        distribution_svg(r.predicted.grade_distribution_final, lang)
        if r.predicted is not None and r.predicted.grade_distribution_final
        else ""
        for r in typed.regions
    ]
    outcomes = [_patient_outcome(r, lang, audience) for r in typed.regions]
    risks = [risk_lines(r.predicted.adverse_events, lang) if r.predicted is not None else [] for r in typed.regions]
    patient_reasons = patient_reason_texts(typed, lang)
    clinician_reasons = [clinician_message(r, lang) for r in typed.reasons]
    return env.get_template("plan.html.j2").render(
        plan=typed,
        L=L,
        sessions_apart=lambda n, weeks: sessions_apart(n, weeks, lang),
        at_least_apart=lambda weeks: at_least_apart(weeks, lang),
        risk_lines=risks,
        lang=lang,
        audience=audience,
        references=refs,
        assumptions=assumptions,
        figures=figures,
        distributions=distributions,
        outcomes=outcomes,
        patient_reasons=patient_reasons,
        clinician_reasons=clinician_reasons,
        header=header,
        proceeds=typed.decision in ("proceed", "proceed-with-caution"),
    )


def at_least_apart(weeks: float, lang: str = "en") -> str:
    """The shortest interval between sessions in words: "at least 2 days apart" under a week, "at least one week
    apart", "at least 2 weeks apart", "at least 1.5 weeks apart" (not "min 2", which reads as "my 2" in Swedish)."""
    if weeks < 1:  # a home roller's two days, not "0.3 weeks"
        return translate_plural(lang, "at least one day apart", "at least %(num)d days apart", max(1, whole(7 * weeks)))
    if float(weeks).is_integer():
        return translate_plural(lang, "at least one week apart", "at least %(num)d weeks apart", int(weeks))
    return translate(lang, "at least %(w)s weeks apart", w=number(weeks, lang, 1))


def _in_words(value: Any, lang: str) -> str:
    """A rule's value for reading: an ISO date in the reader's words ("1 oktober 2026"), anything else as it is."""
    text = str(value)
    return long_date(text, lang) if _ISO_DATE.fullmatch(text) else text


_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _fill(text: str, values: dict[str, Any], lang: str) -> str:
    until = _in_words(values["until"], lang) if values.get("until") else ""
    if not until and "until_months" in values:
        until = translate(lang, "%(m)s months after the last dose", m=values["until_months"])
    elif not until:
        until = translate(lang, "the end of treatment")  # a medication taken now, without a window in months
    for key in ("date", "from", "names"):
        text = text.replace("{" + key + "}", _in_words(values.get(key, ""), lang))
    return text.replace("{until}", until)


def _rule(rule_id: str) -> Any:
    from needling.planner import list_rules

    return next((r for r in list_rules() if r.id == rule_id), None)


def clinician_message(reason: Reason, lang: str) -> str:
    """The clinician message of a rule that fired, in the report's language (placeholders filled again)."""
    rule = _rule(reason.rule)
    if lang == "en" or rule is None:  # the planner's own text, its ISO dates written in words
        return _ISO_DATE.sub(lambda m: long_date(m.group(0), lang), reason.message)
    return _fill(translate(lang, rule.message), reason.values or {}, lang)


def patient_reason_texts(plan: Plan, lang: str) -> list[str]:
    """The reasons a patient reads, in plain words and without repeats.

    With nothing planned only the reasons that stop treatment concern the patient: "only sterile products during
    treatment" or "your skin type can darken" under "no treatment is planned now" read as if it went ahead.
    """
    shown = plan.reasons if plan.regions else [r for r in plan.reasons if r.effect in STOPPING]
    return list(dict.fromkeys(_patient_message(r, lang) for r in shown))


def _patient_message(reason: Reason, lang: str) -> str:
    """The plain-words message of a rule that fired, in the report's language."""
    rule = _rule(reason.rule)
    text = translate(lang, rule.patient) if rule else reason.rule
    return _fill(text, reason.values or {}, lang)
