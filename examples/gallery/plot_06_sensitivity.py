"""
A sensitivity analysis
======================

Which parameters drive the depth a 1.5 mm roller reaches on the cheek, and the pain? A Morris
screening (SALib) over each parameter's range: its value plus or minus two standard deviations where
the source gives one, otherwise plus or minus 50 %, within its physical bounds. ``mu*`` is how much the
output moves across a parameter's range; ``sigma`` how much that depends on the other parameters.
"""

import needling as nd
from needling.cohort.sensitivity_targets import SESSION_OUTPUTS, outputs_of


def session(parameters):
    return nd.simulate("dermaroller-192-1.5", "cheek", passes=15, directions=3, full=False, parameters=parameters)


result = nd.sensitivity(
    outputs_of(session, SESSION_OUTPUTS[:1] + SESSION_OUTPUTS[3:]),
    [
        "dimple-depth-reference",
        "dimple-force-exponent",
        "dimple-tip-exponent",
        "reference-tip-radius",
        "roller-hand-force-moderate",
        "site-dimple-factor-face",
        "gill-length-exponent",
        "vas-per-relative-pain",
    ],
    method="morris",
    n=8,
    seed=0,
)
fig = result.plot()

# %%
# The ranking per output, and the ranges that were sampled:
for output in result.outputs:
    print(output, [name for name, _ in result.ranking(output)[:3]])
for name, (low, high, unit) in result.ranges.items():
    print(f"{name:28s} {low:8.3g} - {high:8.3g} {unit}")
