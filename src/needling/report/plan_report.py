"""The plan as one self-contained HTML file (inline CSS and SVG, prints to PDF), for clinician or patient,
in English or Swedish."""

from __future__ import annotations

import io
import json
from functools import cache
from importlib import resources

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from needling.errors import InputError
from needling.evidence import bibliography

AUDIENCES = ("clinician", "patient")
LANGUAGES = ("en", "sv")


@cache
def messages(lang: str) -> dict[str, str]:
    """The message catalogue of a language."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; valid: {', '.join(LANGUAGES)}", field="lang")
    text = (resources.files("needling.report") / "messages" / f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


def _timeline_svg(region: dict) -> str:
    rows = region["predicted"]["timeline"]
    weeks = [r["week"] for r in rows]
    key = "grade" if "grade_mean" in rows[0] else ("hair_count_change" if "hair_count_change_mean" in rows[0]
                                                   else "collagen_rel")
    col = key if key == "collagen_rel" else f"{key}_mean"
    fig, ax = plt.subplots(figsize=(6.0, 2.4))
    ax.fill_between(weeks, [r[f"{key}_p2_5"] for r in rows], [r[f"{key}_p97_5"] for r in rows], color="#e8a0a8",
                    alpha=0.5)
    ax.plot(weeks, [r[col] for r in rows], color="#b03a48", lw=2)
    ax.set(xlabel="weeks", ylabel=key.replace("_", " "))
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def render_plan_html(plan, audience: str = "clinician", lang: str = "en") -> str:
    """Render a plan (``Plan`` or its JSON dict) as a self-contained HTML document."""
    if audience not in AUDIENCES:
        raise InputError(f"unknown audience {audience!r}; valid: {', '.join(AUDIENCES)}", field="audience")
    t = messages(lang)
    doc = plan.to_json() if hasattr(plan, "to_json") else plan
    env = jinja2.Environment(loader=jinja2.PackageLoader("needling.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    bib = bibliography()
    refs = [{"key": k, "text": bib[k].citation()} for k in doc["sources"] if k in bib]
    figures = [_timeline_svg(r) for r in doc["regions"]]
    patient_reasons = list(dict.fromkeys(_patient_message(r, lang) for r in doc["reasons"]))
    return env.get_template("plan.html.j2").render(plan=doc, t=t, lang=lang, audience=audience, references=refs,
                                                   figures=figures, patient_reasons=patient_reasons)


@cache
def _rule_messages_sv() -> dict[str, str]:
    text = (resources.files("needling.report") / "messages" / "sv_rules.json").read_text(encoding="utf-8")
    return json.loads(text)


def _patient_message(reason: dict, lang: str) -> str:
    """The plain-words message of a rule that fired, in the report's language."""
    from needling.planner import list_rules

    rule = next((r for r in list_rules() if r.id == reason["rule"]), None)
    text = rule.patient if rule else reason["rule"]
    if lang == "sv":
        text = _rule_messages_sv().get(reason["rule"], text)
    return text.replace("{until}", reason.get("until", ""))
