"""
A treatment series with its band
================================

Six monthly sessions of a 1.5 mm roller for grade-3 acne scars on the cheek, followed for six months:
the mean Goodman & Baron grade of 300 virtual patients and the band holding 95 % of them. Collagen
keeps remodelling after the last session, so the grade goes on falling.
"""

import matplotlib.pyplot as plt

from needling.cohort import run_series
from needling.protocol import short_protocol

protocol = short_protocol(6, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
result = run_series("acne-scars", "cheek", protocol, grade=3, follow_up_weeks=26, n=300, seed=0)
timeline = result.timeline()
weeks = [row["week"] for row in timeline]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
ax1.fill_between(weeks, [r["grade_p2_5"] for r in timeline], [r["grade_p97_5"] for r in timeline], alpha=0.3)
ax1.plot(weeks, [r["grade_mean"] for r in timeline])
ax1.set_xlabel("week")
ax1.set_ylabel("Goodman & Baron grade")
ax1.set_title("grade: mean and 95 % band")
ax2.plot(weeks, [r["collagen_rel"] for r in timeline])
ax2.set_xlabel("week")
ax2.set_ylabel("collagen, relative to baseline")
ax2.set_title("papillary collagen")
fig.tight_layout()

# %%
final = result.final()
print("final grade distribution:", final["grade_distribution"])
