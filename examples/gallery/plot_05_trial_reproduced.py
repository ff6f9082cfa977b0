"""
A published trial reproduced
============================

Dhurat 2013 (androgenetic alopecia): micro-needling with 5 % minoxidil against minoxidil alone, hair
count change at 12 weeks. The published means were used to calibrate the hair response; the
simulation here uses 400 virtual patients per arm (the command line's default is the trial's own n).
"""

from importlib import resources

import matplotlib.pyplot as plt

from needling.cohort.trial import load_trial, run_trial

path = resources.files("needling.cohort") / "trials" / "dhurat-2013.toml"
trial = load_trial(str(path))
result = run_trial(trial, n=400, seed=0)

names, simulated, low, high, published = [], [], [], [], []
for arm in result.arms:
    for endpoint, value in arm.endpoints.items():
        if value.get("published") is None:
            continue
        names.append(f"{arm.name}\n{endpoint}")
        simulated.append(value["mean"])
        low.append(value["mean"] - value["ci95"][0])
        high.append(value["ci95"][1] - value["mean"])
        published.append(value["published"])

fig, ax = plt.subplots(figsize=(7, 4))
x = range(len(names))
ax.bar(x, simulated, yerr=[low, high], capsize=4, label="simulated (95 % CI)")
ax.plot(x, published, "kD", label="published")
ax.set_xticks(list(x), names, fontsize=8)
ax.set_ylabel("hair count change, /cm2")
ax.set_title(trial.name)
ax.legend()
fig.tight_layout()
