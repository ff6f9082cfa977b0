"""
The API from a notebook
=======================

A notebook-like walk through the main path: a device and a site, a session, a topical, a series.
Each ``# %%`` cell runs on its own in Jupyter or VS Code.
"""

# %%
# Devices and sites come from catalogues; every value carries its source.
import matplotlib.pyplot as plt

from needling.anatomy import get_site
from needling.devices import get_device
from needling.evidence.bibliography_io import bibliography

device = get_device("dermaroller-192-1.0")
site = get_site("forehead")
print(device.name, device.kind, device.needle_count, "needles")

# %%
# One session, in closed form (a few milliseconds).
from needling.simulation import Technique, quick_session

session = quick_session(device, site, Technique(passes=8, directions=2))
print(f"{session.channels_per_cm2:.0f} channels/cm2, depth {session.depth_mean_um:.0f} um, {session.endpoint}")

# %%
# Every result lists the sources it relied on.
for key in session.sources[:5]:
    print(key, "->", bibliography()[key].citation() if key in bibliography() else "(named assumption)")

# %%
# Passes against channel density and pain, in one loop.
passes = list(range(1, 21))
runs = [quick_session(device, site, Technique(passes=p, directions=min(2, p))) for p in passes]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(passes, [r.channels_per_cm2 for r in runs], "o-", label="channels/cm2")
ax.set_xlabel("passes")
ax.set_ylabel("channels/cm2")
ax2 = ax.twinx()
ax2.plot(passes, [r.pain_vas for r in runs], "s--", color="C1", label="pain, VAS")
ax2.set_ylabel("pain, VAS 0-10")
ax.set_title("more passes: more channels, the same pain per pass")
fig.tight_layout()
