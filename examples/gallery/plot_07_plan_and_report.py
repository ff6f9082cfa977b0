"""
A plan and its report
=====================

The planner screens a patient file, proposes a protocol per region with the evidence behind every
number, and predicts the outcome. Here: the README's example patient (acne scars on the cheek, fine
lines around the eyes, a history of cold sores, isotretinoin stopped in June). The figure shows the
predicted course of each region; the report is one self-contained HTML file.
"""

import tempfile
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt

from needling.planner import load_intake, make_plan
from needling.report import render_plan_html

EXAMPLES = Path.cwd()
for parent in [Path.cwd(), *Path.cwd().parents]:
    if (parent / "examples" / "patients" / "example.yaml").exists():
        EXAMPLES = parent / "examples" / "patients"
        break

intake = load_intake(EXAMPLES / "example.yaml")
plan = make_plan(intake, start=date(2026, 12, 1))
print("decision:", plan.decision)
for region in plan.regions:
    print(f"{region.site}: {region.device} {region.needle_length_mm} mm, {region.sessions} sessions")

fig, ax = plt.subplots(figsize=(7, 4))
for region in plan.regions:
    timeline = region.predicted.timeline if region.predicted is not None else None
    if timeline:
        ax.plot([r["week"] for r in timeline], [r["collagen_rel"] for r in timeline], label=region.site)
ax.set_xlabel("week")
ax.set_ylabel("collagen, relative to baseline")
ax.set_title(f"predicted course per region ({plan.decision})")
ax.legend()
fig.tight_layout()

# %%
# The clinician's report, in Swedish for the patient with ``audience="patient", lang="sv"``.
with tempfile.TemporaryDirectory() as folder:
    report = Path(folder) / "plan.html"
    report.write_text(render_plan_html(plan, audience="clinician", lang="en"), encoding="utf-8")
    print(f"report: {report.stat().st_size / 1024:.0f} kB of self-contained HTML")
