"""
The API from a notebook
=======================

A notebook-like walk through the main path with ``import needling as nd``: a session, a topical,
a series, the sources behind a result, and other parameter values. Each ``# %%`` cell runs on its own
in Jupyter or VS Code.
"""

# %%
# One session of a 1.0 mm roller on the forehead, in closed form (a few milliseconds).
import matplotlib.pyplot as plt

import needling as nd

session = nd.simulate("dermaroller-192-1.0", "forehead", passes=8, directions=2, full=False)
print(f"{session.channels_per_cm2:.0f} channels/cm2, depth {session.depth_mean_um:.0f} um, {session.endpoint}")

# %%
# Every result lists the sources and named assumptions it relied on.
nd.print_citations(session)

# %%
# Other parameter values: a copy of the default set, changed with its unit checked.
pv = nd.ParameterValues.default()
pv.update({"dimple-depth-reference": (0.2, "mm")})
blunter = nd.simulate("dermaroller-192-1.0", "forehead", passes=8, directions=2, full=False, parameters=pv)
print(f"with a 200 um reference dimple: depth {blunter.depth_mean_um:.0f} um")

# %%
# A series: three monthly sessions for fine lines, followed for six months.
protocol = nd.Protocol.parse(["Roll 1.0 mm, 8 passes, 2 directions"], sessions=3, interval_weeks=4)
series = nd.run_series(protocol, "fine-lines", "forehead", follow_up_weeks=26, n=200)

# %%
# Passes against channel density and pain, and the series' collagen, in one figure.
passes = list(range(1, 21))
runs = [nd.simulate("dermaroller-192-1.0", "forehead", passes=p, directions=min(2, p), full=False) for p in passes]
timeline = series.to_json()["timeline"]
fig, (ax1, ax3) = plt.subplots(1, 2, figsize=(9, 3.6))
ax1.plot(passes, [r.channels_per_cm2 for r in runs], "o-")
ax1.set_xlabel("passes")
ax1.set_ylabel("channels/cm2")
ax2 = ax1.twinx()
ax2.plot(passes, [r.pain_vas for r in runs], "s--", color="C1")
ax2.set_ylabel("pain, VAS 0-10", color="C1")
ax1.set_title("one session")
ax3.plot([row["week"] for row in timeline], [row["collagen_rel"] for row in timeline])
ax3.set_xlabel("week")
ax3.set_ylabel("collagen, relative to baseline")
ax3.set_title("the series")
fig.tight_layout()
