"""Channel map of a full face (600 cm2, 15 passes in 3 directions of the 192-needle roller) against
drawing the same number of random points with NumPy, in the same run. Target: at most 5x.

Also reports the whole ``simulate_session`` (map + depths + layer reach + density grids; target under
0.1 s), as wall time and as processor time (the machine may be shared: wall time then counts waiting for
a core), each also as a ratio to the NumPy baseline timed on the same clock in the same run, and one
``quick_session`` for scale.
"""

from __future__ import annotations

import math
import time

import numpy as np

from needling.anatomy import get_site
from needling.devices import get_device
from needling.models.mechanics import channels
from needling.parameters import mechanics as P
from needling.simulation import Technique, quick_session, simulate_session
from needling.simulation.session import _mechanics


def _best(fn, repeat: int = 15, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def main() -> dict:
    technique = Technique(passes=15, directions=3, area_cm2=600.0)
    device = get_device("dermaroller-192-1.5")
    m = _mechanics(device, get_site("cheek"), technique)
    side = math.sqrt(600e-4)
    radius = device.drum_diameter_mm * 0.5e-3 + m.length - m.depth

    def model():
        return channels.roller_map(
            device.needles_per_ring,
            device.rings,
            radius,
            device.drum_width_mm * 1e-3,
            side,
            15,
            3,
            P.ROLLER_JITTER.si,
            P.ROLLER_LANE_WOBBLE.si,
            np.random.default_rng(0),
        )

    n = model().count

    def baseline():
        np.random.default_rng(0).uniform(-side / 2, side / 2, (n, 2))

    t_model, t_base = _best(model), _best(baseline)
    t_full = _best(lambda: simulate_session(device, "cheek", technique, seed=0), repeat=5)
    cpu_full = _best(lambda: simulate_session(device, "cheek", technique, seed=0), repeat=5, clock=time.process_time)
    # The same baseline on the processor clock: a ratio that a loaded machine's waiting does not inflate.
    cpu_base = _best(baseline, clock=time.process_time)
    t_quick = _best(lambda: quick_session(device, "cheek", technique), repeat=50)
    return {
        "channels": n,
        "channel_map_s": round(t_model, 5),
        "numpy_random_points_s": round(t_base, 5),
        "ratio": round(t_model / t_base, 2),
        "target_ratio": 5.0,
        "simulate_session_s": round(t_full, 4),
        "simulate_session_cpu_s": round(cpu_full, 4),
        "simulate_vs_numpy_points_ratio": round(t_full / t_base, 1),
        "simulate_vs_numpy_points_cpu_ratio": round(cpu_full / max(cpu_base, 1e-9), 1),
        "target_simulate_s": 0.1,
        "quick_session_ms": round(t_quick * 1e3, 3),
    }


if __name__ == "__main__":
    print(main())
