"""
Uptake through closing channels
===============================

Minoxidil (a finite dose of 2 mg/cm2 of formulation) applied to the scalp after 15 passes of a
0.5 mm roller, open to the air or occluded, against intact skin. The channels close first-order
(half-life growing with the needle length, 17 times longer under occlusion), so the needled flux
falls back towards the intact flux within hours. The reduced transport model is used here: the same
physics on a coarse mesh, within 12 % of the full model.
"""

import matplotlib.pyplot as plt

from needling.simulation import Technique, deliver

technique = Technique(passes=15, directions=3)
kwargs = {"hours": 24, "model": "reduced", "dose_mg_cm2": 2.0}
open_air = deliver("minoxidil", "dermaroller-192-0.5", "scalp", technique, **kwargs)
occluded = deliver("minoxidil", "dermaroller-192-0.5", "scalp", technique, occluded=True, **kwargs)

fig, ax = plt.subplots(figsize=(7, 4))
for result, label in ((open_air, "needled, open"), (occluded, "needled, occluded")):
    ax.semilogy(result.t_h, result.flux_ug_per_cm2_h, label=f"{label} (t1/2 {result.channel_half_life_h:.2g} h)")
ax.semilogy(open_air.t_h, open_air.intact_flux_ug_per_cm2_h, "k--", label="intact skin")
ax.set_xlabel("time after needling, h")
ax.set_ylabel("flux, ug/cm2/h")
ax.legend()
fig.tight_layout()

# %%
for result, label in ((open_air, "open"), (occluded, "occluded")):
    print(f"24 h uptake, {label}: {result.cumulative_ug_per_cm2:.0f} ug/cm2 ({result.enhancement_ratio:.0f}x intact)")
