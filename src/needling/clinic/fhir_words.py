"""The texts a person reads in the FHIR export, in the reader's language.

Every ``text``, ``title``, ``description`` and note of :func:`needling.clinic.fhir.bundle` comes from here, through
the catalogues: the procedure's and the observations' names, a session's needle, passes and endpoint, a recalled
lot, a photo's label and the care plan's title, description and sessions. Codes (the plan's decision, a device's
catalogue name) and versions are not words: the export carries them in codings and extensions.
"""

from __future__ import annotations

from needling.i18n import N_, millimetres, translate, translate_plural
from needling.report.labels import DECISIONS, endpoint_words

#: The procedure (Procedure ``code.text``).
PROCEDURE = N_("Percutaneous collagen induction therapy (micro-needling)")
#: The observations' names (Observation ``code.text``): no code system in use here has a verified code for them.
PAIN = N_("Pain during the procedure, visual analogue scale 0-10")
SCAR_GRADE = N_("Goodman and Baron qualitative acne scar grade")
HAIR_COUNT = N_("Hair count per cm²")
#: The pain score's unit as people read it (Quantity ``unit``; the UCUM code is ``{score}``).
SCORE = N_("points")
#: A session's region (Procedure ``note``).
NEEDLE = N_("Needle %(mm)s, %(passes)s, endpoint: %(endpoint)s")
ANAESTHESIA = N_("Anaesthesia: %(text)s")
TOPICALS = N_("On the skin: %(text)s")
#: A recalled lot (Device ``note``).
RECALLED = N_("This lot is recalled.")
RECALL_REASON = N_("Reason for the recall: %(reason)s.")
#: A photo's label (Media ``note``).
PHOTO_LABEL = N_("Label: %(label)s")
#: The care plan.
PLAN_TITLE = N_("Micro-needling series")
PLAN_DECISION = N_("Decision: %(decision)s.")
PLAN_SESSION = N_("Micro-needling session %(number)s of %(of)s")


def needle_note(needle_length_mm: float, passes: int, endpoint: str, lang: str) -> str:
    """A session region's needle, passes and endpoint in words: "Nål 1,5 mm, 8 drag, slutpunkt: rodnad".

    Parameters
    ----------
    needle_length_mm : float
        The needle length used.
    passes : int
        The passes over the region.
    endpoint : str
        The endpoint's code (``erythema``, ``pinpoint bleeding``, ``none``).
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        The sentence in ``lang``.
    """
    return translate(
        lang,
        NEEDLE,
        mm=millimetres(needle_length_mm, lang),
        passes=translate_plural(lang, "%(num)d pass", "%(num)d passes", passes),
        endpoint=endpoint_words(endpoint, lang),
    )


def recall_note(reason: str | None, lang: str) -> str:
    """Why a lot is recalled, or that it is, in ``lang``."""
    return translate(lang, RECALL_REASON, reason=reason) if reason else translate(lang, RECALLED)


def decision_words(code: str, lang: str) -> str:
    """The plan's decision as the clinician reads it ("Behandla"); a code the table does not have as it is."""
    return translate(lang, DECISIONS[code]) if code in DECISIONS else code
