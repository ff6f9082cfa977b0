"""A region's predicted outcome in plain words: expected value, natural frequencies, and how thin the evidence is.

Reads the plan's ``individual`` document (:class:`needling.planner.plan_model.IndividualOutcome`): one
patient's outcome at the end of follow-up over posterior draws and virtual patients like them. The
interval is the central 90 % of that predictive distribution, said as a natural frequency, "9 in 10
patients like you" (for whole grades at least 9 in 10 fall inside). The
evidence sentence counts the calibration trials and real patients behind the outcome and says "few
trials" below :data:`needling.cohort.bayes.individual.FEW_TRIALS`. Every text goes through gettext.
"""

from __future__ import annotations

from needling.cohort.bayes.individual import FEW_TRIALS
from needling.i18n import N_, number, translate, translate_plural, whole
from needling.planner.plan_model import IndividualOutcome, Predicted, Risks

#: Who the natural frequency counts, by the reader: the patient ("like you") or the clinician ("like this one").
WHO = {"patient": N_("patients like you"), "clinician": N_("patients like this one")}


def outcome_words(individual: IndividualOutcome, lang: str = "en", audience: str = "patient") -> str:
    """The expected outcome and the interval 9 in 10 patients like this one end in, in ``lang``.

    Parameters
    ----------
    individual : IndividualOutcome
        The plan's ``individual`` document of a region.
    lang : {"en", "sv"}
        The reader's language.
    audience : {"patient", "clinician"}
        Who reads it: "patients like you" or "patients like this one".

    Returns
    -------
    str
        One or two sentences, e.g. "Expected grade 1.9; at least 9 in 10 patients like you end between
        grade 1 and 3."
    """
    i = individual
    in_ten = whole(10 * float(i.level))
    who = translate(lang, WHO.get(audience, WHO["patient"]))
    if i.measure == "grade":
        args = {
            "expected": number(i.expected, lang, 1),
            "low": number(i.low, lang, 0),
            "high": number(i.high, lang, 0),
            "n": in_ten,
            "who": who,
        }
        if i.low == i.high:
            return translate(
                lang,
                "Expected grade %(expected)s; at least %(n)s in 10 %(who)s end at grade %(low)s.",
                **args,
            )
        return translate(
            lang,
            "Expected grade %(expected)s; at least %(n)s in 10 %(who)s end between grade %(low)s and %(high)s.",
            **args,
        )
    args = {
        "expected": number(i.expected, lang, 0),
        "low": number(i.low, lang, 0),
        "high": number(i.high, lang, 0),
        "n": in_ten,
        "who": who,
    }
    if i.measure == "hair_count_change":
        return translate(
            lang,
            "Expected change in hair count %(expected)s per cm²; %(n)s in 10 %(who)s end between %(low)s and "
            "%(high)s per cm².",
            **args,
        )
    return translate(
        lang,
        "Expected improvement %(expected)s %%; %(n)s in 10 %(who)s end between %(low)s and %(high)s %% better.",
        **args,
    )


def evidence_words(individual: IndividualOutcome, lang: str = "en") -> str:
    """How much evidence stands behind the outcome, in ``lang`` (says "few trials" when it is thin).

    Parameters
    ----------
    individual : IndividualOutcome
        The plan's ``individual`` document of a region.
    lang : {"en", "sv"}
        The reader's language.

    Returns
    -------
    str
        One sentence.
    """
    ev = individual.evidence
    if ev is None:
        return translate(lang, "Predicted with one fixed set of values, without the uncertainty of the calibration.")
    trials, patients = int(ev.get("trials", 0)), int(ev.get("patients", 0))
    if trials == 0:
        return translate(
            lang,
            "No trial has calibrated this estimate yet: it rests on reasoned assumptions, not on measured results.",
        )
    if trials < FEW_TRIALS:
        return translate_plural(
            lang,
            "Few trials: the estimate rests on %(num)d trial with %(patients)s patients.",
            "Few trials: the estimate rests on %(num)d trials with %(patients)s patients.",
            trials,
            patients=patients,
        )
    return translate_plural(
        lang,
        "The estimate rests on %(num)d trial with %(patients)s patients.",
        "The estimate rests on %(num)d trials with %(patients)s patients.",
        trials,
        patients=patients,
    )


def plain_outcome(individual: IndividualOutcome, lang: str = "en", audience: str = "patient") -> str:
    """:func:`outcome_words` and :func:`evidence_words` together.

    Parameters
    ----------
    individual : IndividualOutcome
        The plan's ``individual`` document of a region.
    lang : {"en", "sv"}
        The reader's language.
    audience : {"patient", "clinician"}
        Who reads it (see :func:`outcome_words`).

    Returns
    -------
    str
        Two or three sentences.
    """
    return f"{outcome_words(individual, lang, audience)} {evidence_words(individual, lang)}"


def puncture_words(predicted: Predicted | None, lang: str = "en") -> str:
    """Why a region's needling will do little when the device's needles mostly do not puncture, in ``lang``.

    A roller's needles shorter than about 0.45 mm meet the skin with the drum before they break through
    (``needling.models.mechanics.insertion.pressed_puncture_fraction``); the plan says so instead of showing an
    improvement of 0 % without a reason.

    Parameters
    ----------
    predicted : Predicted or None
        The region's prediction.
    lang : {"en", "sv"}
        The reader's language.

    Returns
    -------
    str
        One sentence, or an empty string when most needle entries puncture.
    """
    if predicted is None or not predicted.rarely_punctures:
        return ""
    share = float(predicted.punctured_fraction)
    if share < 0.001:
        amount = translate(lang, "fewer than 1 in 1,000 needle entries")
    else:
        amount = translate(lang, "about %(n)s in 100 needle entries", n=number(100.0 * share, lang, 0))
    return translate(
        lang,
        "Needles this short on a roller rarely break through the skin (%(amount)s): expect little more than from "
        "the skin care alone.",
        amount=amount,
    )


def risk_lines(risks: Risks, lang: str = "en") -> list[str]:
    """Each adverse-event risk as a natural frequency out of 100 people like the patient, in ``lang``.

    A risk under half in 100 is "fewer than 1", never "about 0"; one in 100 takes the singular.

    Parameters
    ----------
    risks : Risks
        The region's adverse-event probabilities, 0-1.
    lang : {"en", "sv"}
        The reader's language.

    Returns
    -------
    list of str
        One line per event, e.g. "about 15 get darker patches", "fewer than 1 gets track-like marks".
    """
    pih, tram, ery = (whole(100 * float(x)) for x in (risks.pih, risks.tram_track, risks.prolonged_erythema))
    return [
        translate(lang, "fewer than 1 gets darker patches")
        if pih < 1
        else translate_plural(lang, "about %(num)d gets darker patches", "about %(num)d get darker patches", pih),
        translate(lang, "fewer than 1 gets track-like marks")
        if tram < 1
        else translate_plural(lang, "about %(num)d gets track-like marks", "about %(num)d get track-like marks", tram),
        translate(lang, "fewer than 1 has redness for more than a week")
        if ery < 1
        else translate_plural(
            lang,
            "about %(num)d has redness for more than a week",
            "about %(num)d have redness for more than a week",
            ery,
        ),
    ]
