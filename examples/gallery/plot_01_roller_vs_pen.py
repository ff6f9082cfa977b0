"""
A roller against a pen
======================

The same cheek treated with the catalogue's 1.5 mm, 192-needle roller (15 passes in 3 directions)
and with an 11-needle pen set to 1.5 mm (4 passes). A roller's needles enter once per drum
revolution, so one pass gives :math:`N / (2 \\pi r W)` channels per area; a pen stamps
:math:`n f / (v h)`. The maps below are the simulated channel positions on 1 cm2.
"""

import matplotlib.pyplot as plt

from needling.simulation import Technique, simulate_session

roller = simulate_session("dermaroller-192-1.5", "cheek", Technique(passes=15, directions=3, area_cm2=1.0), seed=0)
pen = simulate_session(
    "dermapen-11", "cheek", Technique(passes=4, directions=2, needle_length_mm=1.5, area_cm2=1.0), seed=0
)

fig, axes = plt.subplots(1, 2, figsize=(8, 4), sharey=True)
for ax, result, label in ((axes[0], roller, "roller, 15 passes"), (axes[1], pen, "pen, 4 passes")):
    cmap = result.channel_map
    ax.plot(cmap.x * 1e3, cmap.y * 1e3, ".", ms=1.5, alpha=0.6)
    ax.set_title(f"{label}\n{result.channels_per_cm2:.0f} channels/cm2, depth {result.depth_mean_um:.0f} um")
    ax.set_xlabel("x, mm")
    ax.set_aspect("equal")
axes[0].set_ylabel("y, mm")
fig.tight_layout()

# %%
# The pen reaches deeper for the same needle length: its needles are driven one stamp at a time, so
# the force per needle is larger and the skin dimples less before it is punctured.
print(f"roller: {roller.depth_mean_um:.0f} um, VAS {roller.pain_vas:.1f}")
print(f"pen:    {pen.depth_mean_um:.0f} um, VAS {pen.pain_vas:.1f}")
