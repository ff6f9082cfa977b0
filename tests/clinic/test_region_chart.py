"""The region chart: one shape per site of the site table, named in the reader's language, and the plan
coloured by planned needle depth (``needling.clinic.region_chart``, ``templates/region_chart.html``)."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.clinic import region_chart as RC
from needling.i18n import translate
from needling.report import labels as RL
from tests.clinic.conftest import login, make_app

SV = {"accept-language": "sv-SE,sv;q=0.9"}
EN = {"accept-language": "en"}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


class _Charts(HTMLParser):
    """The ``<path data-site>`` of each ``div.region-chart`` of a page (its SVG drawings), with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, object]] = []
        self.legend: list[str] = []
        self._in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "region-chart" in (a.get("class") or "").split():
            self.charts.append({"svg": a, "regions": {}})
        elif tag == "path" and "data-site" in a and self.charts:
            regions = self.charts[-1]["regions"]
            assert isinstance(regions, dict)
            regions[a["data-site"]] = a
        elif tag == "ul" and "depth-legend" in (a.get("class") or ""):
            self._in_legend = True
        elif tag == "li" and self._in_legend:
            self.legend.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_legend = False

    def handle_data(self, data: str) -> None:
        if self._in_legend and self.legend:
            self.legend[-1] += data


def charts(html: str) -> _Charts:
    p = _Charts()
    p.feed(html)
    return p


def test_every_site_of_the_site_table_has_one_shape():
    assert sorted(RC.SHAPES) == sorted(site_names()) and len(site_names()) == 14
    assert [s for v in RC.VIEWS for s in v.sites] == site_names()  # each site in one drawing, in the table's order
    assert [r.site for r in RC.choice_regions()] == site_names()
    assert len(set(RC.SHAPES.values())) == 14  # no two sites drawn as the same shape


def test_depth_bands_at_their_edges():
    assert [RC.depth_band(mm) for mm in (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5)] == [0, 0, 1, 1, 2, 3, 3]
    assert RC.depth_bands() == [(0, None, 0.5), (1, 0.5, 1.0), (2, 1.0, 1.5), (3, 1.5, None)]
    with pytest.raises(ValueError, match="above 0 mm"):
        RC.depth_band(0.0)


@given(st.floats(min_value=1e-6, max_value=10.0), st.floats(min_value=1e-6, max_value=10.0))
def test_a_deeper_needle_never_falls_in_a_shallower_band(a, b):
    lo, hi = sorted((a, b))
    assert 0 <= RC.depth_band(lo) <= RC.depth_band(hi) <= len(RC.DEPTH_BANDS_MM)


@pytest.mark.parametrize(("headers", "lang"), [(EN, "en"), (SV, "sv")])
def test_the_intake_chart_names_the_14_sites_in_the_readers_language(app, headers, lang):
    page = charts(login(app, "clinician").get("/patients", headers=headers).text)
    (chart,) = page.charts
    svg, regions = chart["svg"], chart["regions"]
    assert isinstance(svg, dict) and isinstance(regions, dict)
    assert svg["data-form"] == "intake-form" and svg["role"] == "radiogroup"  # one goal region: radio buttons
    assert list(regions) == site_names()
    names = [r["aria-label"] for r in regions.values()]
    assert names == [translate(lang, RL.SITES[s]) for s in site_names()]
    assert all(names) and len(set(names)) == 14
    assert all(r["role"] == "radio" and r["tabindex"] == "0" and r["aria-checked"] == "false" for r in regions.values())


def test_swedish_names_are_swedish():
    sv = [translate("sv", RL.SITES[s]) for s in site_names()]
    en = [translate("en", RL.SITES[s]) for s in site_names()]
    assert sum(a != b for a, b in zip(sv, en, strict=True)) >= 12  # "panna", "kind", "hårbotten" ...
    assert translate("sv", RL.SITES["scalp"]) != "scalp"


def test_the_plan_chart_colours_planned_regions_by_depth_and_the_session_form_chooses(app):
    clin, pat = login(app, "clinician"), login(app, "patient")
    pid = pat.user["patient_id"]
    r = clin.post(f"/api/patients/{pid}/plan", json={"start": date.today().isoformat()})
    assert r.status_code in (200, 201), r.text
    planned = {x["site"]: x for x in r.json()["plan"]["regions"]}
    assert planned, "the demo patient's plan treats at least one region"
    for headers in (EN, SV):
        page = charts(clin.get(f"/patients/{pid}", headers=headers).text)
        plan_chart = next(c for c in page.charts if "plan" in str(c["svg"]["class"]))
        regions = plan_chart["regions"]
        assert isinstance(regions, dict) and list(regions) == site_names()
        for site, shape in regions.items():
            if site in planned:
                band = RC.depth_band(float(planned[site]["needle_length_mm"]))
                assert shape["class"] == f"region depth-{band}" and shape["data-band"] == str(band)
                assert shape["role"] == "img" and str(planned[site]["sessions"]) in shape["aria-label"]
                assert (RC.plan_regions(r.json()["plan"]["regions"])[site_names().index(site)].dates) == tuple(
                    planned[site]["series"]["dates"]
                )
            else:
                assert shape["class"] == "region unplanned" and shape["aria-hidden"] == "true"
        assert len(page.legend) == len(RC.DEPTH_BANDS_MM) + 2  # every band and "not in the plan"
        # the session form's chart: checkboxes bound to the form, the planned regions among them
        chooser = next(c for c in page.charts if c["svg"].get("data-form") == "session-form")
        assert chooser["svg"]["role"] == "group"
        assert all(x["role"] == "checkbox" for x in chooser["regions"].values())
    sv = page.legend
    assert any("upp till" in t for t in sv) and any("ingår inte i planen" in t for t in sv)
