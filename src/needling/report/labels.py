"""What people read for each code of a plan (regions, indications, decisions, reasons), marked for translation.

Each table maps a code to its English text, the gettext msgid; templates show ``_(labels.SITES[code])`` and
Python ``translate(lang, SITES[code])``. A code missing from a table is a bug: the tests render every one.
"""

from __future__ import annotations

from functools import cache

from needling.i18n import LANGS, N_, NP_, translate, translate_in_context

SITES = {
    "forehead": N_("forehead"),
    "temple": N_("temple"),
    "periorbital": N_("around the eyes"),
    "nose": N_("nose"),
    "cheek": N_("cheek"),
    "perioral": N_("around the mouth"),
    "chin": N_("chin"),
    "submandibular": N_("under the jaw"),
    "neck": N_("neck"),
    "scalp": N_("scalp"),
    "abdomen": N_("abdomen"),
    "thigh": N_("thigh"),
    "upper-arm": N_("upper arm"),
    "back": N_("back"),
}
#: The gettext context of a region as a patient reads it (:data:`SITES_PATIENT`; written out there, as the
#: extraction reads only literal strings).
PATIENT_REGION = "region, patient"
#: The regions as a patient reads them: the body part as one says it of oneself ("cheeks"; Swedish in the definite
#: form, "kinderna", "pannan"), where :data:`SITES` has the clinician's label ("cheek", "kind"). A paired part is
#: plural: a site names the area treated, both cheeks or temples. Shown with :func:`patient_site`.
SITES_PATIENT = {
    "forehead": NP_("region, patient", "forehead"),
    "temple": NP_("region, patient", "temples"),
    "periorbital": NP_("region, patient", "around the eyes"),
    "nose": NP_("region, patient", "nose"),
    "cheek": NP_("region, patient", "cheeks"),
    "perioral": NP_("region, patient", "around the mouth"),
    "chin": NP_("region, patient", "chin"),
    "submandibular": NP_("region, patient", "under the jaw"),
    "neck": NP_("region, patient", "neck"),
    "scalp": NP_("region, patient", "scalp"),
    "abdomen": NP_("region, patient", "stomach"),
    "thigh": NP_("region, patient", "thighs"),
    "upper-arm": NP_("region, patient", "upper arms"),
    "back": NP_("region, patient", "back"),
}


def patient_site(code: str, lang: str) -> str:
    """A region as a patient reads it in ``lang``: ``cheek`` is "cheeks" in English and "kinderna" in Swedish.

    Parameters
    ----------
    code : str
        The region's key (a site name such as ``cheek``).
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        The words of :data:`SITES_PATIENT`; a key the table does not have in words (hyphens as spaces).

    Examples
    --------
    >>> patient_site("cheek", "sv"), patient_site("upper-arm", "en")
    ('kinderna', 'upper arms')
    """
    if code not in SITES_PATIENT:
        return code.replace("-", " ")
    return translate_in_context(lang, PATIENT_REGION, SITES_PATIENT[code])


def site_words(code: str, lang: str) -> str:
    """A region as the clinician labels it in ``lang`` (:data:`SITES`): ``cheek`` is "cheek" / "kind".

    Parameters
    ----------
    code : str
        The region's key (a site name such as ``upper-arm``).
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        The label of :data:`SITES`; a key the table does not have in words (hyphens as spaces).

    Examples
    --------
    >>> site_words("periorbital", "en"), site_words("cheek", "sv"), site_words("cheek-left", "en")
    ('around the eyes', 'kind', 'cheek left')
    """
    if code not in SITES:
        return code.replace("-", " ")
    return translate(lang, SITES[code])


@cache
def _sites_by_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for lang in LANGS:
        for code in SITES:
            for text in (code, code.replace("-", " "), translate(lang, SITES[code]), patient_site(code, lang)):
                words[text.casefold()] = code
    return words


def site_key(text: str) -> str:
    """The region a person wrote in words, in English or Swedish, as its key: "Kind", "kinderna" and "cheeks" are
    ``cheek``.

    Parameters
    ----------
    text : str
        What was typed: a key, a clinician's label or a patient's word for a region, in either language.

    Returns
    -------
    str
        The region's key; text that names no region, stripped, as it is (the service refuses it by name).

    Examples
    --------
    >>> site_key(" Kinderna"), site_key("upper arm"), site_key("elbow")
    ('cheek', 'upper-arm', 'elbow')
    """
    return _sites_by_words().get(text.strip().casefold(), text.strip())


INDICATIONS = {
    "acne-scars": N_("acne scars"),
    "striae": N_("stretch marks"),
    "fine-lines": N_("fine lines"),
    "wrinkles": N_("wrinkles"),
    "burn-scar": N_("burn scar"),
    "trauma-scar": N_("scar after injury"),
    "androgenetic-alopecia": N_("hair thinning"),
    "pih": N_("dark patches after inflammation"),
    "melasma": N_("melasma"),
    "topical-delivery": N_("helping a skin product in"),
}
COMBINATION_PATIENT = {
    "tca-peel": N_("A mild chemical peel with trichloroacetic acid (15 %) two weeks after each needling"),
    "prp": N_("Possibly your own platelet-rich plasma on the skin right after needling"),
    "vitamin-c": N_("A sterile vitamin C product on the skin after needling"),
    "tranexamic-acid": N_("A sterile tranexamic acid solution on the skin after needling"),
    "minoxidil": N_("Minoxidil twice a day, but not on the day of needling and the day after"),
}
AFTERCARE_PATIENT = {
    "sun": N_("Use a moisturising sunscreen for at least two days and stay out of the sun."),
    "expected-reactions": N_(
        "Redness, some swelling and tiny spots of blood are normal and settle within a week. "
        "Tell us if they last longer."
    ),
    "sterile-products": N_("For the first day, put only the sterile products we give you on the treated skin."),
}
STOP_IF = {
    "infection": N_("signs of infection"),
    "long-redness": N_("redness lasting more than a week"),
    "bleeding": N_("bleeding"),
    "broken-needle": N_("a broken needle"),
}
#: A plan's predicted adverse events (``Risks`` fields) as the clinician's table names them: the words with the
#: term or abbreviation a clinician looks for.
RISKS_CLINICIAN = {
    "pih": N_("Darker patches (PIH)"),
    "tram_track": N_("Track-like marks (tram-track scarring)"),
    "prolonged_erythema": N_("Redness for more than a week"),
}
#: The same events as a patient reads them (a consent's own risks): plain words, no abbreviation or term.
RISKS_PATIENT = {
    "pih": N_("Darker patches"),
    "tram_track": N_("Track-like marks"),
    "prolonged_erythema": N_("Redness for more than a week"),
}
EFFECTS = {
    "do-not-treat": N_("do not treat"),
    "defer-until": N_("defer until"),
    "caution": N_("caution"),
    "modify": N_("modify"),
}
COMBINATION_CLINICIAN = {
    "tca-peel": N_("TCA 15 % peel alternating with needling, 2 weeks after each session"),
    "prp": N_("PRP topically, optional, right after needling"),
    "vitamin-c": N_("Vitamin C 20 % after needling; sterile product fit for intradermal use only"),
    "tranexamic-acid": N_("Tranexamic acid 100 mg/mL topically after needling"),
    "minoxidil": N_("Minoxidil 5 % twice daily, paused on the day of needling and the day after"),
}
NOT_TREATED_REASON = {
    "grade-0": N_("no scars (grade 0): nothing to treat as a scar"),
}
DROPPED_REASON = {
    "rule": N_("a screening rule forbids peels for this patient or region"),
    "thin-skin": N_("the skin of this region is too thin for a peel"),
    "home-setting": N_("peels are clinic procedures, never part of a home plan"),
    "peel-pause": N_("it would fall within the pause around a needling day or a procedure window"),
    "home-bleeding": N_("the home roller is predicted to draw blood here, and bleeding is a reason to stop"),
}
COMBINATION_NAMES = {
    "tca-peel": N_("TCA peel"),
    "home-care": N_("home needling"),
}
DECISIONS = {
    "proceed": N_("Proceed"),
    "proceed-with-caution": N_("Proceed with caution"),
    "defer": N_("Defer"),
    "do-not-treat": N_("Do not treat"),
}
#: The decision as the patient reads it (My plan, the patient's report): what it means for them, not the
#: clinician's imperative ("Behandla med försiktighet").
DECISIONS_PATIENT = {
    "proceed": N_("Your treatment can go ahead."),
    "proceed-with-caution": N_("Your treatment can go ahead, with some extra care."),
    "defer": N_("Your treatment is put off for now."),
    "do-not-treat": N_("No treatment is planned for you now. The reasons are below."),
}
SEXES = {
    "female": N_("female"),
    "male": N_("male"),
}
ENDPOINTS = {
    "erythema": N_("redness"),
    "pinpoint bleeding": N_("pinpoint bleeding"),
}
#: The gettext context of a session's endpoint "none" (Swedish "ingen", one endpoint, not the plural "inga").
ENDPOINT = "endpoint"
NO_ENDPOINT = NP_("endpoint", "none")


def endpoint_words(code: str, lang: str) -> str:
    """A session's endpoint in words in ``lang``: :data:`ENDPOINTS`, and ``none`` as "none" / "ingen".

    Parameters
    ----------
    code : str
        ``erythema``, ``pinpoint bleeding`` or ``none`` (a recorded session may have no endpoint).
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        The endpoint's words; a code the table does not have as it is.
    """
    if code == "none":
        return translate_in_context(lang, ENDPOINT, NO_ENDPOINT)
    return translate(lang, ENDPOINTS.get(code, code))


SKIN = {
    "stretched": N_("skin stretched"),
}
AGENTS = {
    "lidocaine-prilocaine": N_("lidocaine-prilocaine cream"),
}
MEASURES = {
    "grade": N_("Scar grade (Goodman & Baron, 0-4)"),
    "improvement_pct": N_("Improvement, %"),
    "hair_count_change": N_("Change in hair count"),
    "collagen_rel": N_("Collagen relative to before"),
}
