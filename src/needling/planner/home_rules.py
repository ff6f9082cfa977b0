"""Safety rules for home needling, applied to every logged home session. Each rule is cited and graded.

Pure functions: given the prescription, the new log, the earlier logs, the clinic's session and peel
dates and the device's state, return the findings. ``stop`` findings end home care until the clinician
has seen the patient; ``warn`` findings are shown to the patient; both raise an alert for the clinician.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from needling.devices import HOME_NEEDLE_LIMIT
from needling.evidence import Assumption
from needling.i18n import N_
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
    id: str
    severity: str  # warn | stop
    sources: tuple[str, ...]
    grade: str
    en: str
    sv: str


RULES = {
    "H01-above-prescription": HomeRule(
        "H01-above-prescription",
        "warn",
        ("AAMSSA2019",),
        "L",
        "You used {used} mm needles; your prescription is {prescribed} mm. Use only the prescribed length.",
        "Du använde {used} mm nålar; din ordination är {prescribed} mm. Använd bara den ordinerade längden.",
    ),
    "H02-above-home-limit": HomeRule(
        "H02-above-home-limit",
        "stop",
        ("AAMSSA2019",),
        "L",
        "{used} mm is above the home limit of {limit} mm. Stop: longer needles belong in the clinic.",
        "{used} mm är över gränsen för hemmabruk, {limit} mm. Sluta: längre nålar hör hemma på kliniken.",
    ),
    "H03-too-soon": HomeRule(
        "H03-too-soon",
        "warn",
        ("Farber2020",),
        "M",
        "Only {days} days since your last session; wait at least {minimum} days with {used} mm needles.",
        "Bara {days} dagar sedan förra gången; vänta minst {minimum} dagar med {used} mm nålar.",
    ),
    "H04-near-clinic": HomeRule(
        "H04-near-clinic",
        "warn",
        ("assumption:home-pause-around-clinic",),
        "L",
        "This is within {pause} days of a clinic session or peel on {when}. Pause home needling around it.",
        "Detta är inom {pause} dagar från en klinikbehandling eller peeling den {when}. Gör uppehåll runt den.",
    ),
    "H05-replace-device": HomeRule(
        "H05-replace-device",
        "warn",
        ("assumption:home-roller-replace-after-uses", "assumption:home-roller-replace-after-days"),
        "L",
        "Your roller has been used {uses} times since {first_use}. Replace it (after {max_uses} uses or "
        "{max_days} days) : worn needles tear the skin and hurt more.",
        "Din roller har använts {uses} gånger sedan {first_use}. Byt den (efter {max_uses} användningar eller "
        "{max_days} dagar): slitna nålar river huden och gör ondare.",
    ),
    "H06-stop-sign": HomeRule(
        "H06-stop-sign",
        "stop",
        ("Chu2021",),
        "H",
        "Stop home needling: you reported {sign}. Your clinic has been told and will contact you.",
        "Sluta med behandlingen hemma: du rapporterade {sign}. Din klinik har fått besked och kontaktar dig.",
    ),
    "H07-failed-inspection": HomeRule(
        "H07-failed-inspection",
        "stop",
        ("AAMSSA2019",),
        "L",
        "Your roller failed inspection ({defects}). Do not use it again; replace it.",
        "Din roller klarade inte kontrollen ({defects}). Använd den inte igen; byt ut den.",
    ),
}
SIGN_SV = {
    "infection": "tecken på infektion",
    "persistent-redness": "rodnad som inte går över",
    "bleeding": "blödning",
    "broken-needle": "en nål som gått av",
}


@dataclass
class HomeFinding:
    rule: str
    severity: str
    message: str
    message_sv: str
    sources: list[str] = field(default_factory=list)
    grade: str = ""

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "message_sv": self.message_sv,
            "sources": self.sources,
            "grade": self.grade,
        }


def _f(rule_id: str, **kw) -> HomeFinding:
    r = RULES[rule_id]
    sv_kw = dict(kw)
    if "sign" in kw:
        sv_kw["sign"] = SIGN_SV.get(kw["sign"], kw["sign"])
    return HomeFinding(r.id, r.severity, r.en.format(**kw), r.sv.format(**sv_kw), list(r.sources), r.grade)


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
    """All findings for one home session (see the module docstring)."""
    out: list[HomeFinding] = []
    limit = HOME_NEEDLE_LIMIT.value
    if needle_length_mm > limit + 1e-9:
        out.append(_f("H02-above-home-limit", used=f"{needle_length_mm:g}", limit=f"{limit:g}"))
    elif prescribed_mm is not None and needle_length_mm > prescribed_mm + 1e-9:
        out.append(_f("H01-above-prescription", used=f"{needle_length_mm:g}", prescribed=f"{prescribed_mm:g}"))
    earlier = [d for d in previous_dates if d <= on]
    if earlier:
        last = max(earlier)
        days = (on - last).days
        minimum = round(7 * min_interval_weeks(min(needle_length_mm, 3.0), area)[0])
        if days < minimum:
            out.append(_f("H03-too-soon", days=days, minimum=minimum, used=f"{needle_length_mm:g}"))
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
                first_use=device_first_use.isoformat() if device_first_use else "?",
                max_uses=int(REPLACE_AFTER_USES.value),
                max_days=int(REPLACE_AFTER_DAYS.value),
            )
        )
    for sign in STOP_SIGNS:
        if sign in reactions:
            out.append(_f("H06-stop-sign", sign=sign))
    if failed_defects:
        out.append(_f("H07-failed-inspection", defects=", ".join(failed_defects)))
    return out


def inspection_advice(defects: list[str]) -> str:
    """Replacement advice for an inspection."""
    return "replace the device now; do not use it again" if defects else "the device passed; keep it clean and dry"
