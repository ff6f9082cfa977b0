"""Parameters of virtual patients and of trial statistics: model choices stated as named assumptions."""

from __future__ import annotations

from needling.evidence import Assumption

AGE_MIN = Assumption(
    "cohort-age-min",
    18.0,
    "year",
    "Acne-scar trials enrolled young adults (Fabbrocini 2009: 17-45 years, sheet 8.2); ages are drawn uniformly "
    "from 18 to 45 years unless a trial gives its own range. Lower end: adults only.",
    bounds=(0.0, 120.0),
)
AGE_MAX = Assumption(
    "cohort-age-max",
    45.0,
    "year",
    "Upper end of the uniform age range of virtual patients (see cohort-age-min; Fabbrocini 2009 enrolled up to 45).",
    bounds=(0.0, 120.0),
)
SEX_FEMALE_FRACTION = Assumption(
    "cohort-female-fraction",
    0.5,
    "1",
    "Trials in the sheet mostly do not report sex; half women is assumed.",
    bounds=(0.0, 1.0),
)
SCORE_PER_GRADE = Assumption(
    "acne-score-per-grade",
    11.73 / 3.0,
    "1",
    "Baseline Goodman & Baron quantitative score per unit of qualitative grade: Dogra 2014's mean baseline score "
    "11.73 taken for a mean grade of 3 (their grade mix is not in the sheet).",
    bounds=(0.0, 100.0),
    fitted_to="Dogra 2014: mean baseline score 11.73 (taken as grade 3)",
)
CI_Z_VALUE = Assumption(
    "ci95-z-value",
    1.96,
    "1",
    "Two-sided 95 % confidence intervals of trial endpoints use the normal quantile 1.96 (chunk means are close to "
    "normal for the chunk sizes used). A statistical convention, not a clinical number.",
    bounds=(0.0, 10.0),
)
EPIDERMIS_MIN_DEPTH = Assumption(
    "cohort-epidermis-min-depth",
    5.0,
    "um",
    "A virtual patient's dermo-epidermal junction is drawn from the site's normal spread and floored at 5 um, so "
    "that no draw in the far tail puts the dermis at or above the skin surface. A numerical guard, not a "
    "measured thickness.",
    bounds=(0.0, 100.0),
)
