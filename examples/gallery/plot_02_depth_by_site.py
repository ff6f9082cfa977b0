"""
Depth per layer, site by site
=============================

The same 1.0 mm roller on six sites: which fraction of the channels reaches each skin layer.
Layer thicknesses differ by site (thin eyelid-region epidermis, thick back dermis), so the same
needle reaches different layers.
"""

import matplotlib.pyplot as plt
import numpy as np

from needling.anatomy import LAYERS
from needling.simulation import Technique, quick_session

sites = ["forehead", "cheek", "periorbital", "scalp", "abdomen", "back"]
technique = Technique(passes=10, directions=2, needle_length_mm=1.0)
results = [quick_session("dermaroller-192-1.5", site, technique) for site in sites]

reach = np.array([[r.layer_reach[layer] for layer in LAYERS] for r in results])
fig, ax = plt.subplots(figsize=(8, 4))
width = 0.8 / len(LAYERS)
x = np.arange(len(sites))
for j, layer in enumerate(LAYERS):
    ax.bar(x + j * width, reach[:, j], width, label=layer.replace("_", " "))
ax.set_xticks(x + width * (len(LAYERS) - 1) / 2, sites)
ax.set_ylabel("fraction of channels reaching the layer")
ax.set_ylim(0, 1.05)
ax.legend(fontsize=8, loc="lower left")
ax.set_title("1.0 mm roller, 10 passes")
fig.tight_layout()

# %%
for site, r in zip(sites, results, strict=True):
    print(f"{site:12s} depth {r.depth_mean_um:5.0f} um  dermis bottom {r.layer_bottoms_um['reticular_dermis']:6.0f} um")
