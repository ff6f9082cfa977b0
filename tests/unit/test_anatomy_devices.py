"""Skin sites and devices: the catalogue, user files and their validation."""

from __future__ import annotations

import pytest

from needling.anatomy import LAYERS, get_site, list_sites
from needling.devices import HOME_NEEDLE_LIMIT, get_device, list_devices
from needling.errors import InputError

REQUIRED_SITES = [
    "forehead",
    "temple",
    "periorbital",
    "nose",
    "cheek",
    "perioral",
    "chin",
    "submandibular",
    "neck",
    "scalp",
    "abdomen",
    "thigh",
    "upper-arm",
    "back",
]


def test_every_required_site_has_four_layers_by_sex():
    names = [s.name for s in list_sites()]
    assert names == REQUIRED_SITES
    for s in list_sites():
        for sex in ("female", "male"):
            bottoms = s.layer_bottoms_um(sex)
            assert list(bottoms) == list(LAYERS)
            assert all(b > a for a, b in zip([0, *bottoms.values()], bottoms.values(), strict=False))
            for layer in LAYERS:
                mean, sd = s.thickness_um(layer, sex)
                assert mean > 0 and sd >= 0


def test_meng_2022_values_by_sex():
    cheek = get_site("cheek")
    assert cheek.parameter("reticular_dermis", "male").value == 1140.0
    assert cheek.parameter("reticular_dermis", "female").value == 870.0
    assert get_site("periorbital").layer_bottoms_um()["reticular_dermis"] < cheek.layer_bottoms_um()["reticular_dermis"]


def test_unknown_site_suggests():
    with pytest.raises(InputError, match="cheek"):
        get_site("cheak")


def test_catalogue_has_the_issue_devices():
    names = {d.name for d in list_devices()}
    for length in ("0.2", "0.5", "1.0", "1.5", "2.0"):
        assert f"dermaroller-192-{length}" in names
    assert {"ms4-96-1.5", "home-roller-540-0.25"} <= names
    pens = [d for d in list_devices() if d.kind == "pen"]
    assert min(d.needles_per_stamp for d in pens) == 9 and max(d.needles_per_stamp for d in pens) == 36
    for d in list_devices():
        assert d.needle_diameter_mm > 0 and d.tip_radius_um > 0 and d.material and d.sources
        assert not d.home_use or d.needle_length_mm <= HOME_NEEDLE_LIMIT.value


def test_pen_depth_settings():
    pen = get_device("dermapen-11")
    assert pen.with_length(2.5).needle_length_mm == 2.5
    with pytest.raises(InputError):
        pen.with_length(2.75)


def test_user_device_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[device]\nname = "my-roller"\nkind = "roller"\nneedle_count = 300\nneedle_length_mm = 0.5\n'
        "needle_diameter_mm = 0.15\ntip_radius_um = 5\ndrum_diameter_mm = 18\ndrum_width_mm = 25\n"
        "rings = 30\n"
    )
    d = get_device(str(f))
    assert d.name == "my-roller" and d.needles_per_ring == 10


@pytest.mark.parametrize(
    "body, needle",
    [
        ('name = "x"\nkind = "roller"\nneedle_count = 300\nneedle_length_mm = 0.5\n', "needle_diameter_mm"),
        ('name = "x"\nkind = "spoon"\n', "kind"),
        (
            'name = "x"\nkind = "pen"\nneedle_count = 12\nneedle_length_mm = 4\nneedle_diameter_mm = 0.2\n'
            "tip_radius_um = 4\nneedles_per_stamp = 12\nfrequency_hz = 100\n",
            "needle_length_mm",
        ),
        (
            'name = "x"\nkind = "roller"\nneedle_count = 301\nneedle_length_mm = 0.5\nneedle_diameter_mm = 0.15\n'
            "tip_radius_um = 5\ndrum_diameter_mm = 18\ndrum_width_mm = 25\nrings = 30\n",
            "multiple of rings",
        ),
    ],
)
def test_bad_device_files_name_the_field(tmp_path, body, needle):
    f = tmp_path / "bad.toml"
    f.write_text("[device]\n" + body)
    with pytest.raises(InputError, match=needle):
        get_device(str(f))
