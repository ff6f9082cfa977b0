"""Tables generated from the code while the site builds: every parameter, and the bibliography.

``.. needling-parameters::`` lists every parameter of the catalogue (the models' default
``ParameterValues`` and the data layers' values: the names ``needling parameters show`` knows), topic
by topic, with value, unit, spread, bounds, source, locator, grade and note or reasoning.
``.. needling-bibliography::`` lists every source of the evidence layer with an anchor per key, which
the parameter table links to.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

#: Titles of the topics of the parameter catalogue, in the order of the page (others follow).
TOPIC_TITLES: dict[str, str] = {
    "mechanics": "Mechanics: insertion, channels, bleeding, pain",
    "transport": "Transport: permeability, diffusion, closure, anaesthesia",
    "healing": "Healing: wound-healing model rates, calibration, outcomes, adverse events",
    "cohort": "Virtual patients",
    "anatomy": "Anatomy: layer thickness by site and sex",
    "devices": "Devices: geometry and home-use limits",
    "compounds": "Compounds: physicochemical data",
    "planner": "Planner: protocol numbers",
    "home-care": "Home care rules",
}


def parameters_by_topic() -> list[tuple[str, list[tuple[str, object]]]]:
    """Every parameter of the catalogue (the names ``needling parameters show`` knows), topic by topic."""
    from needling.report.parameter_catalogue import parameter_catalogue

    catalogue = parameter_catalogue()
    topics = [t for t in TOPIC_TITLES if t in catalogue.topics()]
    topics += [t for t in catalogue.topics() if t not in TOPIC_TITLES]
    groups = []
    for topic in topics:
        chosen = catalogue.select(topic=topic)
        groups.append((TOPIC_TITLES.get(topic, topic.capitalize()), [(name, chosen[name]) for name in chosen]))
    return groups


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _cell(content: nodes.Node | str) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    if isinstance(content, str):
        para += nodes.Text(content)
    else:
        para += content
    entry += para
    return entry


def table(headers: list[str], rows: Iterable[list[nodes.Node | str]], widths: list[int]) -> nodes.table:
    """A docutils table with a header row."""
    tbl = nodes.table(classes=["needling-generated", "colwidths-auto"])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for w in widths:
        group += nodes.colspec(colwidth=w)
    head = nodes.thead()
    row = nodes.row()
    for h in headers:
        row += _cell(h)
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for c in cells:
            row += _cell(c)
        body += row
    group += body
    return tbl


def source_link(key: str, prefix: str = "") -> nodes.Node:
    if key.startswith("assumption:"):
        return nodes.literal(text=key)
    return nodes.reference(text=key, refuri=f"{prefix}bibliography.html#bib-{key.lower()}")


class ParametersDirective(Directive):
    """``.. needling-parameters::``: every parameter, topic by topic."""

    def run(self) -> list[nodes.Node]:
        from needling.evidence import Assumption

        out: list[nodes.Node] = []
        for title, rows in parameters_by_topic():
            section = nodes.section(ids=[nodes.make_id("parameters-" + title)])
            section += nodes.title(text=title)
            body = []
            for label, p in rows:
                is_assumption = isinstance(p, Assumption)
                body.append(
                    [
                        nodes.literal(text=label) if label else "",
                        _text(p.value),
                        p.unit,
                        _text(p.sd),
                        "" if p.bounds is None else f"{_text(p.bounds[0])} to {_text(p.bounds[1])}",
                        source_link(p.key),
                        "" if is_assumption else p.locator,
                        str(p.grade),
                        p.reasoning if is_assumption else p.note,
                    ]
                )
            section += table(
                ["name", "value", "unit", "sd", "bounds", "source", "locator", "grade", "note or reasoning"],
                body,
                [14, 6, 5, 4, 6, 12, 16, 3, 40],
            )
            out.append(section)
        return out


class BibliographyDirective(Directive):
    """``.. needling-bibliography::``: every source with an anchor ``bib-<key>``."""

    def run(self) -> list[nodes.Node]:
        from needling.evidence.bibliography_io import bibliography
        from needling.report.parameter_catalogue import parameter_catalogue

        catalogue = parameter_catalogue()
        used_by: dict[str, list[str]] = {}
        for name in catalogue:
            used_by.setdefault(catalogue[name].source, []).append(name)
        items = nodes.bullet_list(classes=["needling-bibliography"])
        for source in bibliography():
            item = nodes.list_item(ids=[f"bib-{source.key.lower()}"])
            para = nodes.paragraph()
            para += nodes.strong(text=f"[{source.key}] ")
            para += nodes.Text(source.citation())
            if source.url:
                para += nodes.Text(" ")
                para += nodes.reference(text=source.url, refuri=source.url)
            item += para
            if source.note:
                item += nodes.paragraph(text=source.note, classes=["needling-note"])
            names = used_by.get(source.key, [])
            if names:
                para = nodes.paragraph(classes=["needling-note"])
                para += nodes.Text("Parameters: ")
                for i, name in enumerate(names):
                    if i:
                        para += nodes.Text(", ")
                    para += nodes.literal(text=name)
                item += para
            items += item
        return [items]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-parameters", ParametersDirective)
    app.add_directive("needling-bibliography", BibliographyDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
