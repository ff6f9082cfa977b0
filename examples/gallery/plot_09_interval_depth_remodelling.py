"""
Interval, depth and remodelling
===============================

The healing model after published wound-healing models (Segal 2012, Cumming 2010, Dale 1996): a
session wounds a share of the dermis (area opened times depth reached), a growth-factor signal with a
refractory period drives logistic fibroblast activation, and collagen III laid down is matured into
collagen I over months, under a collagen ceiling. Three consequences, for one seeded cohort of
grade-3 acne scars on the cheek: sessions a week apart add less than sessions a month apart, deeper
pen settings help with diminishing returns, and scars keep improving for months after the last
session.
"""

import matplotlib.pyplot as plt
import numpy as np

from needling.anatomy import get_site
from needling.cohort.engine import simulate_arm
from needling.cohort.population import sample_patients
from needling.protocol import short_protocol

site = get_site("cheek")
patients = sample_patients(300, np.random.default_rng(0), site, grade=3)
roller = "Roll 1.5 mm, 15 passes, 3 directions"

intervals = [1, 2, 3, 4, 6]
by_interval = [
    simulate_arm(short_protocol(3, w, [roller]), "acne-scars", site, patients, follow_up_weeks=30 - 2 * w)
    for w in intervals
]
depths = [0.25, 0.5, 1.0, 1.5, 2.0, 2.5]
by_depth = [
    simulate_arm(short_protocol(3, 4, [f"Pen dermapen4-16 {d} mm, 3 passes"]), "acne-scars", site, patients)
    for d in depths
]
course = simulate_arm(short_protocol(3, 4, [roller]), "acne-scars", site, patients, follow_up_weeks=52)

fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
axes[0].plot(intervals, [a.severity[:, -1].mean() for a in by_interval], "o-")
axes[0].set_xlabel("weeks between 3 sessions")
axes[0].set_ylabel("mean scar severity at week 30, grade units")
axes[1].plot(depths, [100 * (a.collagen_rel[:, -1].mean() - 1) for a in by_depth], "o-")
axes[1].set_xlabel("pen needle length, mm")
axes[1].set_ylabel("collagen change 12 weeks after, %")
axes[2].plot(course.weeks, course.severity.mean(axis=0))
axes[2].axvline(8, color="grey", ls=":")
axes[2].set_xlabel("week (last session at week 8)")
axes[2].set_ylabel("mean scar severity, grade units")
fig.tight_layout()

# %%
# The scar keeps improving after the last session because collagen III laid down in the weeks after each
# session matures into collagen I over months; it fades only slowly afterwards (5-year collagen I turnover).
last = 8
print(
    f"severity at the last session {course.severity[:, last].mean():.2f}, "
    f"12 weeks later {course.severity[:, last + 12].mean():.2f}"
)
