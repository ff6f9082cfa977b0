"""Consent texts: versioned templates per procedure, in English and Swedish, filled with the patient's own plan.

A consent text names the patient's regions in words, the needle length of each (mm), the number of sessions and
the interval, and the patient's own predicted risks from the plan (:class:`needling.planner.plan_model.Plan`) as
natural frequencies ("about 3 in 100 people"). Frequencies are used because patients and professionals
understand them at least as well as percentages or probabilities (Akl et al. 2011, Cochrane Database Syst Rev
CD006776, doi:10.1002/14651858.CD006776.pub2); Zipkin et al. 2014 (Ann Intern Med 161:270-80,
doi:10.7326/M14-0295) found frequencies against percentages inconclusive, so the choice is a plain-language one
rather than a proven gain.

The templates live in ``consent_templates/<procedure>/v<N>.<lang>.txt`` (Jinja2, plain text). A template is never
edited once used: a changed text is a new version, and the version signed is stored with the exact text and its
SHA-256, so every signed consent can be shown and checked as it was.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from needling.clinic.device_words import device_words
from needling.errors import InputError
from needling.i18n import N_, days, how_often, number, translate, whole
from needling.planner.plan_model import Plan
from needling.report import labels

TEMPLATES = Path(__file__).resolve().parent / "consent_templates"
LANGS = ("en", "sv")

#: The procedures a consent is given for, with the current template version of each.
#: Version 2 drops version 1's second line, the template's key and version ("Template: needling v1"), a code a
#: patient should not have to read; the page and the PDF name the text in words instead (:func:`text_name`).
#: Home care's version 3 follows the glossary: "dermaroller för hemmabruk" and "Instrument:", not "nålroller" and
#: "Roller:"; how often as people say it ("varannan vecka", not "en gång på 2 veckor") and the pause in days
#: with their plural.
PROCEDURES: dict[str, int] = {"needling": 2, "needling-peel": 2, "prp": 2, "home-care": 3}

#: For a session's procedure, the consented procedures that cover it (a peel or PRP consent includes needling).
COVERS: dict[str, tuple[str, ...]] = {
    "needling": ("needling", "needling-peel", "prp"),
    "needling-peel": ("needling-peel",),
    "prp": ("prp",),
    "home-care": ("home-care",),
}

#: What each procedure and each state of a consent is called on the pages (translated where shown).
PROCEDURE_NAMES = {
    "needling": N_("Micro-needling"),
    "needling-peel": N_("Micro-needling with a chemical peel"),
    "prp": N_("Micro-needling with PRP"),
    "home-care": N_("Micro-needling at home"),
}
#: What each procedure's consent text is called when a page or a PDF names it to the patient (its title).
CONSENT_NAMES = {
    "needling": N_("Consent to micro-needling"),
    "needling-peel": N_("Consent to micro-needling with a chemical peel"),
    "prp": N_("Consent to micro-needling with platelet-rich plasma (PRP)"),
    "home-care": N_("Consent to micro-needling at home"),
}
STATE_NAMES = {
    "valid": N_("In force"),
    "superseded": N_("Replaced by a newer one"),
    "withdrawn": N_("Withdrawn"),
    "plan-changed": N_("The plan has changed: sign again"),
}


@dataclass(frozen=True)
class ConsentText:
    """A consent text exactly as shown: procedure, template version, language, the text and its SHA-256.

    Attributes
    ----------
    procedure : str
        One of :data:`PROCEDURES`.
    version : str
        ``<procedure> v<N>``, the template the text came from.
    lang : str
        ``en`` or ``sv``.
    title : str
        The text's first line.
    text : str
        The whole text (NFC, ``\\n`` line ends, no trailing spaces).
    sha256 : str
        Hex SHA-256 of ``text`` encoded as UTF-8.
    """

    procedure: str
    version: str
    lang: str
    title: str
    text: str
    sha256: str


def text_name(version: str, lang: str) -> str:
    """The consent text a stored or shown ``version`` names, in words for the patient.

    The record keeps the template's key and number (``needling v1``); a person reads the text's title and
    its version number instead.

    Parameters
    ----------
    version : str
        ``<procedure> v<N>``, as :attr:`ConsentText.version` and the stored consent hold it.
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        For example ``Consent to micro-needling, version 2`` (``Samtycke till microneedling, version 2``).

    Examples
    --------
    >>> text_name("needling-peel v1", "sv")
    'Samtycke till microneedling med kemisk peeling, version 1'
    """
    procedure, _, number = version.rpartition(" v")
    if procedure not in CONSENT_NAMES or not number.isdigit():
        return translate(lang, "Consent text, version %(n)s", n=number or version)
    return translate(lang, "%(consent)s, version %(n)s", consent=translate(lang, CONSENT_NAMES[procedure]), n=number)


def content_hash(text: str) -> str:
    """The SHA-256 (hex) of a consent text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def natural_frequency(p: float) -> tuple[int, int]:
    """A probability as a natural frequency ``(count, out_of)``: per 100 from 1 %, per 1,000 below.

    The count is rounded to the nearest whole person, a half up (:func:`needling.i18n.whole`); a risk that
    rounds to none in 1,000 (below 0.05 %) is ``(0, 1000)``, said as "fewer than 1 in 1,000".

    Examples
    --------
    >>> natural_frequency(0.1315)
    (13, 100)
    >>> natural_frequency(0.004)
    (4, 1000)
    """
    if not 0.0 <= p <= 1.0:
        raise InputError(f"risk {p!r} is not a probability; valid: 0 to 1", field="risk")
    if p >= 0.01:
        return max(1, whole(p * 100)), 100
    if p >= 0.0005:
        return max(1, whole(p * 1000)), 1000
    return 0, 1000


def frequency_phrase(p: float, lang: str) -> str:
    """``about 13 in 100 people`` / ``ungefär 13 av 100 personer``; ``fewer than 1 in 1,000`` below that."""
    count, out_of = natural_frequency(p)
    n = number(out_of, lang)  # "1,000" / "1 000"
    if count == 0:
        return translate(lang, "fewer than 1 in %(n)s people", n=n)
    return translate(lang, "about %(count)s in %(n)s people", count=count, n=n)


def _num(x: float, lang: str) -> str:
    """A number as people write it (:func:`needling.i18n.number`): ``0.5`` in English, ``0,5`` in Swedish."""
    return number(x, lang, significant=6)


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; pages and PDFs escape it when they show it
        keep_trailing_newline=False,
    )


def _check(procedure: str, lang: str, version: int | None) -> int:
    if procedure not in PROCEDURES:
        raise InputError(f"unknown procedure {procedure!r}; valid: {', '.join(PROCEDURES)}", field="procedure")
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}", field="lang")
    v = PROCEDURES[procedure] if version is None else version
    if not (TEMPLATES / procedure / f"v{v}.{lang}.txt").is_file():
        raise InputError(
            f"no template version {v} of {procedure}; valid: 1 to {PROCEDURES[procedure]}", field="version"
        )
    return v


def _word(lang: str, table: dict[str, str], code: str) -> str:
    return translate(lang, table[code]) if code in table else code.replace("-", " ")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _context(plan: Plan, procedure: str, lang: str) -> dict[str, Any]:
    regions = []
    for r in plan.regions:
        risks = []
        if r.predicted is not None:
            for key, msgid in labels.RISKS_PATIENT.items():  # the patient's words, not the clinician's term
                p = float(getattr(r.predicted.adverse_events, key))
                risks.append({"label": translate(lang, msgid), "phrase": frequency_phrase(p, lang)})
        regions.append(
            {
                "site": labels.patient_site(r.site, lang),  # "kinderna", as the patient names them
                "indication": _word(lang, labels.INDICATIONS, r.indication),
                "needle_mm": _num(float(r.needle_length_mm), lang),
                "sessions": int(r.sessions),
                "interval_weeks": _num(float(r.interval_weeks), lang),
                "interval_one": float(r.interval_weeks) == 1.0,
                "risks": risks,
            }
        )
    wanted = {"needling-peel": "tca-peel", "prp": "prp"}.get(procedure)
    combination = [
        {
            "site": labels.patient_site(c.region, lang),
            "text": translate(lang, labels.COMBINATION_PATIENT[c.id]) if c.id in labels.COMBINATION_PATIENT else c.step,
        }
        for c in plan.combination
        if c.id == wanted
    ]
    home = None
    if plan.home_care is not None:
        h = plan.home_care
        home = {
            "device": _lower_first(device_words(h.device, lang)),  # "dermaroller med 540 nålar", not its code
            "needle_mm": _num(float(h.needle_length_mm), lang),
            "max_needle_mm": _num(float(h.max_needle_mm), lang),
            "frequency_weeks": _num(float(h.frequency_weeks), lang),
            "frequency_one": float(h.frequency_weeks) == 1.0,
            "areas": ", ".join(labels.patient_site(a, lang) for a in h.areas),
            "pause_days": int(h.pause_days_around_clinic_and_peels),
            "how_often": how_often(7 * float(h.frequency_weeks), lang),  # "varannan vecka" (version 3 on)
            "pause": days(int(h.pause_days_around_clinic_and_peels), lang),  # "7 dagar", "1 dag"
        }
    stop_if = [_word(lang, labels.STOP_IF, i) for i in (plan.home_care.stop_if_ids if plan.home_care else [])]
    aftercare = [
        translate(lang, labels.AFTERCARE_PATIENT[a.id]) if a.id in labels.AFTERCARE_PATIENT else a.advice
        for a in plan.aftercare
    ]
    return {
        "regions": regions,
        "combination": combination,
        "home": home,
        "stop_if": stop_if,
        "aftercare": aftercare,
    }


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", text).replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue  # one blank line between parts, none at the top
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def applicable(plan: Plan) -> list[str]:
    """The procedures a consent can be asked for under ``plan``: needling when it plans sessions, a peel or PRP
    when the plan combines one, home care when it prescribes it."""
    out = []
    if plan.regions:
        out.append("needling")
        ids = {c.id for c in plan.combination}
        if "tca-peel" in ids:
            out.append("needling-peel")
        if "prp" in ids:
            out.append("prp")
    if plan.home_care is not None:
        out.append("home-care")
    return out


def render_consent(plan: Plan, procedure: str, lang: str, patient_name: str, version: int | None = None) -> ConsentText:
    """The consent text for ``procedure`` filled with ``plan``, in ``lang``, and its SHA-256.

    Parameters
    ----------
    plan : Plan
        The patient's plan (``Plan.from_json`` of the stored plan).
    procedure : str
        ``needling``, ``needling-peel``, ``prp`` or ``home-care``.
    lang : str
        ``en`` or ``sv``.
    patient_name : str
        As recorded; shown in the text.
    version : int, optional
        The template version (default: the current one).

    Returns
    -------
    ConsentText
        The same inputs give the same text and hash, byte for byte.

    Raises
    ------
    InputError
        For an unknown procedure, language or version, or a plan with nothing this procedure covers.
    """
    v = _check(procedure, lang, version)
    if procedure not in applicable(plan):
        raise InputError(
            f"the plan has nothing a {procedure} consent covers; valid: {', '.join(applicable(plan)) or 'none'}",
            field="procedure",
        )
    template = _env().get_template(f"{procedure}/v{v}.{lang}.txt")
    text = _tidy(template.render(patient_name=patient_name, **_context(plan, procedure, lang)))
    return ConsentText(
        procedure=procedure,
        version=f"{procedure} v{v}",
        lang=lang,
        title=text.split("\n", 1)[0],
        text=text,
        sha256=content_hash(text),
    )
