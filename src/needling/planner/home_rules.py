"""Safety rules for home needling, applied to every logged home session. Each rule is cited and graded.

Pure functions: given the prescription, the new log, the earlier logs, the clinic's session and peel
dates and the device's state, return the findings. ``stop`` findings end home care until the clinician
has seen the patient; ``warn`` findings are shown to the patient; both raise an alert for the clinician.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from needling.devices import HOME_NEEDLE_LIMIT
from needling.evidence import Assumption
from needling.i18n import N_, long_date, millimetres, number, translate
from needling.i18n import days as days_text
from needling.planner.plan import min_interval_weeks
from needling.planner.protocol_table import HOME_PAUSE_DAYS

REPLACE_AFTER_USES = Assumption(
    "home-roller-replace-after-uses",
    12,
    "1",
    "Home roller lifetime claims are 12-15 home treatments (sheet section 1.4, vendor and blog pages, grade L; no "
    "peer-reviewed wear study exists); the lower end is used.",
)
REPLACE_AFTER_DAYS = Assumption(
    "home-roller-replace-after-days",
    90,
    "day",
    "The same pages give 3-4 months of home use; the lower end (90 days) is used.",
)
STOP_SIGNS = ("infection", "persistent-redness", "bleeding", "broken-needle")
REACTIONS = ("none", "redness", "swelling", "itching", "dryness", *STOP_SIGNS)
DEFECTS = ("bent", "broken", "missing", "rust", "loose_head")
#: What a patient reads for each reaction and defect code (marked for translation; shown with ``translate``).
REACTION_LABELS = {
    "none": N_("none"),
    "redness": N_("redness"),
    "swelling": N_("swelling"),
    "itching": N_("itching"),
    "dryness": N_("dryness"),
    "infection": N_("signs of infection"),
    "persistent-redness": N_("redness that does not go away"),
    "bleeding": N_("bleeding"),
    "broken-needle": N_("a broken needle"),
}
DEFECT_LABELS = {
    "bent": N_("bent"),
    "broken": N_("broken"),
    "missing": N_("missing"),
    "rust": N_("rust"),
    "loose_head": N_("loose head"),
}


@dataclass
class HomeRule:
    """A home-care rule: what it checks is in :func:`check_home_log`; ``message`` is its English text (the msgid).

    The message is translated when shown (:func:`finding_text`), with its values in the reader's locale.

    Attributes
    ----------
    id : str
        The rule's id (``H01-above-prescription``, ...).
    severity : {"warn", "stop"}
        ``stop`` ends home care until the clinician has seen the patient; ``warn`` is shown to the patient.
    sources : tuple of str
        Evidence keys.
    grade : str
        Grade of the evidence.
    message : str
        The English text (the msgid), with ``%(name)s`` placeholders.
    """

    id: str
    severity: str  # warn | stop
    sources: tuple[str, ...]
    grade: str
    message: str


RULES = {
    "H01-above-prescription": HomeRule(
        "H01-above-prescription",
        "warn",
        ("AAMSSA2019",),
        "L",
        N_("Use only the needle length you were prescribed: %(prescribed)s. You used %(used)s."),
    ),
    "H02-above-home-limit": HomeRule(
        "H02-above-home-limit",
        "stop",
        ("AAMSSA2019",),
        "L",
        N_(
            "Stop needling at home with %(used)s needles. At home the needles may be at most %(limit)s. "
            "Longer needles are used only at the clinic."
        ),
    ),
    "H03-too-soon": HomeRule(
        "H03-too-soon",
        "warn",
        ("Farber2020",),
        "M",
        N_(
            "Wait at least %(minimum)s between sessions with %(used)s needles. "
            "Only %(days)s have passed since your last session."
        ),
    ),
    "H04-near-clinic": HomeRule(
        "H04-near-clinic",
        "warn",
        ("assumption:home-pause-around-clinic",),
        "L",
        N_("Pause needling at home for %(pause)s before and after your clinic visit on %(when)s (treatment or peel)."),
    ),
    "H05-replace-device": HomeRule(
        "H05-replace-device",
        "warn",
        ("assumption:home-roller-replace-after-uses", "assumption:home-roller-replace-after-days"),
        "L",
        N_(
            "Replace your roller. It has been used %(uses)s times since %(first_use)s. Replace it after "
            "%(max_uses)s uses or %(max_days)s, whichever comes first. Worn needles tear the skin and hurt more."
        ),
    ),
    "H06-stop-sign": HomeRule(
        "H06-stop-sign",
        "stop",
        ("Chu2021",),
        "H",
        N_("Stop needling at home. You reported %(sign)s. Your clinic has been told and will contact you."),
    ),
    "H07-failed-inspection": HomeRule(
        "H07-failed-inspection",
        "stop",
        ("AAMSSA2019",),
        "L",
        N_("Do not use your roller again; replace it. It failed the inspection (%(defects)s)."),
    ),
}


def _shown(name: str, value: Any, lang: str) -> str:
    """One value of a finding as the reader's locale writes it (lengths, day counts, dates, codes as words)."""
    if value is None:
        return "?"
    if name in ("used", "prescribed", "limit"):
        return millimetres(float(value), lang)
    if name in ("days", "minimum", "pause", "max_days"):
        return days_text(int(value), lang)
    if name in ("when", "first_use"):
        return long_date(str(value), lang)
    if name == "sign":
        return translate(lang, REACTION_LABELS.get(str(value), str(value)))
    if name == "defects":
        return ", ".join(translate(lang, DEFECT_LABELS.get(d, d)) for d in value)
    return number(value, lang) if isinstance(value, int | float) else str(value)


#: A rule's wording when its usual one would read oddly: "Only 0 days have passed since your last session" is
#: said as the same day.
SAME_DAY = {
    "H03-too-soon": N_(
        "Wait at least %(minimum)s between sessions with %(used)s needles. Your last session was on the same day."
    ),
}


def finding_text(rule_id: str, values: dict[str, Any], lang: str) -> str:
    """Return the message of a finding in ``lang`` (``en`` or ``sv``), its values in that locale.

    Parameters
    ----------
    rule_id : str
        The rule that fired (a key of ``RULES``).
    values : dict
        The finding's values as stored: lengths in mm, day counts, ISO dates, reaction and defect codes.
    lang : {"en", "sv"}
        The reader's language.

    Returns
    -------
    str
        The rule's message translated, lengths shown in mm and day counts and dates in the reader's locale.
    """
    message = RULES[rule_id].message
    if rule_id in SAME_DAY and values.get("days") == 0:
        message = SAME_DAY[rule_id]
    return translate(lang, message, **{k: _shown(k, v, lang) for k, v in values.items()})


@dataclass
class HomeFinding:
    """A rule that fired on a home log: its values, and its message in English and Swedish when it fired.

    Attributes
    ----------
    rule : str
        The rule's id.
    severity : {"warn", "stop"}
        The rule's severity.
    values : dict
        What fills the message: lengths in mm, day counts, ISO dates, reaction and defect codes.
    sources : list of str
        Evidence keys.
    grade : str
        Grade of the evidence.
    """

    rule: str
    severity: str
    values: dict[str, Any]
    sources: list[str] = field(default_factory=list)
    grade: str = ""

    @property
    def message(self) -> str:
        """The message in English."""
        return self.text("en")

    @property
    def message_sv(self) -> str:
        """The message in Swedish."""
        return self.text("sv")

    def text(self, lang: str) -> str:
        """Return the message in ``lang``.

        Parameters
        ----------
        lang : {"en", "sv"}
            The reader's language.

        Returns
        -------
        str
            The rule's message with this finding's values (lengths in mm, days, dates) in that locale.
        """
        return finding_text(self.rule, self.values, lang)

    def to_json(self) -> dict[str, Any]:
        """Return the finding as stored with the home log.

        Returns
        -------
        dict
            ``rule``, ``severity`` (``stop`` or ``warn``), ``message`` and ``message_sv``, ``values``
            (lengths in mm, day counts, ISO dates, codes), ``sources`` (evidence keys) and ``grade``.
        """
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "message_sv": self.message_sv,
            "values": self.values,
            "sources": self.sources,
            "grade": self.grade,
        }


def stored_finding_text(finding: dict[str, Any], lang: str) -> str:
    """Return a stored finding (``to_json`` form) in ``lang``: from its rule and values, else its stored message.

    Parameters
    ----------
    finding : dict
        A finding as :meth:`HomeFinding.to_json` stored it (perhaps by an earlier version).
    lang : {"en", "sv"}
        The reader's language.

    Returns
    -------
    str
        The message rebuilt from the rule and values when the rule is still known, else the stored
        message in that language (the English one when no Swedish was stored).
    """
    if finding.get("rule") in RULES and isinstance(finding.get("values"), dict):
        try:
            return finding_text(finding["rule"], finding["values"], lang)
        except (KeyError, TypeError, ValueError):
            pass
    if lang == "sv" and finding.get("message_sv"):
        return str(finding["message_sv"])
    return str(finding.get("message", ""))


def _f(rule_id: str, **values: Any) -> HomeFinding:
    r = RULES[rule_id]
    return HomeFinding(r.id, r.severity, values, list(r.sources), r.grade)


def check_home_log(
    *,
    on: date,
    area: str,
    needle_length_mm: float,
    reactions: list[str],
    prescribed_mm: float | None,
    previous_dates: list[date],
    clinic_dates: list[date],
    device_uses: int,
    device_first_use: date | None,
    failed_defects: list[str],
) -> list[HomeFinding]:
    """Return all findings for one home session (see the module docstring).

    Parameters
    ----------
    on : date
        The day of the home session.
    area : str
        The skin site needled (a site name), for the shortest interval after this length.
    needle_length_mm : float
        Needle length used, mm.
    reactions : list of str
        Reaction codes the patient logged (the stop signs among them end home care).
    prescribed_mm : float or None
        The prescribed needle length, mm; None when the prescription names none.
    previous_dates : list of date
        Days of the earlier home sessions.
    clinic_dates : list of date
        Days of clinic sessions and peels, around which home needling pauses.
    device_uses : int
        Home sessions the device has been used for, this one included.
    device_first_use : date or None
        The device's first use, for its age in days; None when unknown.
    failed_defects : list of str
        Defect codes of a failed device inspection; empty when it passed or was not done.

    Returns
    -------
    list of HomeFinding
        One finding per rule that fired (above the home limit or the prescription, too soon after the last
        session, near a clinic session, device to replace, stop sign, failed inspection), each with its
        sources and grade; empty when none fired.
    """
    out: list[HomeFinding] = []
    limit = HOME_NEEDLE_LIMIT.value
    if needle_length_mm > limit + 1e-9:
        out.append(_f("H02-above-home-limit", used=needle_length_mm, limit=limit))
    elif prescribed_mm is not None and needle_length_mm > prescribed_mm + 1e-9:
        out.append(_f("H01-above-prescription", used=needle_length_mm, prescribed=prescribed_mm))
    earlier = [d for d in previous_dates if d <= on]
    if earlier:
        last = max(earlier)
        days = (on - last).days
        minimum = round(7 * min_interval_weeks(min(needle_length_mm, 3.0), area)[0])
        if days < minimum:
            out.append(_f("H03-too-soon", days=days, minimum=minimum, used=needle_length_mm))
    pause = int(HOME_PAUSE_DAYS.value)
    near = [d for d in clinic_dates if abs((d - on).days) <= pause]
    if near:
        out.append(_f("H04-near-clinic", pause=pause, when=min(near, key=lambda d: abs((d - on).days)).isoformat()))
    too_old = device_first_use is not None and (on - device_first_use).days > REPLACE_AFTER_DAYS.value
    if device_uses >= REPLACE_AFTER_USES.value or too_old:
        out.append(
            _f(
                "H05-replace-device",
                uses=device_uses,
                first_use=device_first_use.isoformat() if device_first_use else None,
                max_uses=int(REPLACE_AFTER_USES.value),
                max_days=int(REPLACE_AFTER_DAYS.value),
            )
        )
    for sign in STOP_SIGNS:
        if sign in reactions:
            out.append(_f("H06-stop-sign", sign=sign))
    if failed_defects:
        out.append(_f("H07-failed-inspection", defects=list(failed_defects)))
    return out


def inspection_advice(defects: list[str]) -> str:
    """Return replacement advice for an inspection: its English text (the msgid; translate it where it is shown).

    Parameters
    ----------
    defects : list of str
        Defect codes found (of ``DEFECTS``: bent, broken, missing, rust, loose_head); empty when it passed.

    Returns
    -------
    str
        "Replace the device now" when any defect was found, else "keep it clean and dry"; an English
        msgid of the translation catalogues.
    """
    if defects:
        return N_("Replace the device now; do not use it again.")
    return N_("The device passed; keep it clean and dry.")
