"""Validation of channel closure and uptake against published numbers (sheet sections 5 and 11)."""

from __future__ import annotations

import pytest

from needling.simulation import Technique, deliver, reduced_uptake


def test_needling_enhances_hydrophilic_more_than_lipophilic_uptake_predicted():
    """PREDICTED (qualitative, sheet section 6.1, the '500 Da rule'): channels help hydrophilic and large
    molecules most; a lipophilic anaesthetic base already crosses intact skin."""
    t = Technique(passes=15, directions=3)
    vit_c = reduced_uptake("l-ascorbic-acid", "dermaroller-192-1.5", "cheek", t, hours=4)
    lido = reduced_uptake("lidocaine", "dermaroller-192-1.5", "cheek", t, hours=4)
    assert vit_c.enhancement_ratio > 10 * lido.enhancement_ratio


@pytest.mark.parametrize("compound", ["caffeine", "l-ascorbic-acid", "lidocaine", "hyaluronic-acid-lmw"])
@pytest.mark.parametrize(
    "device, passes", [("dermaroller-192-0.5", 15), ("dermaroller-192-1.5", 15), ("dermapen-11", 2)]
)
@pytest.mark.parametrize("occluded", [False, True])
def test_reduced_model_within_12_percent_of_the_full_model(compound, device, passes, occluded):
    """The reduced model (coarse mesh, 40 steps) against the full one over its stated range: these
    compounds (MW 176-50,000; log Kow -4 to 2.4), rollers of 0.5-1.5 mm and an 11-needle pen, open air or
    occluded, 24 h, cheek. Tolerance 12 %: the largest error found over this range was 11 %."""
    t = Technique(passes=passes, directions=3 if passes > 2 else 2)
    full = deliver(compound, device, "cheek", t, hours=24, occluded=occluded)
    red = deliver(compound, device, "cheek", t, hours=24, occluded=occluded, model="reduced")
    assert red.cumulative_ug_per_cm2 == pytest.approx(full.cumulative_ug_per_cm2, rel=0.12)
