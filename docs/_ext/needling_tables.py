"""Tables generated from the code while the site builds: every parameter, and the bibliography.

``.. needling-parameters::`` lists every ``Cited`` value and ``Assumption`` the science core uses,
topic by topic (the module that defines it), with value, unit, spread, source, locator, grade and
note or reasoning; anything created elsewhere is listed last, so the table is always complete.
``.. needling-bibliography::`` lists every source of the evidence layer with an anchor per key, which
the parameter table links to.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

#: Modules holding parameters, in the order of the page: (module, title).
TOPICS: tuple[tuple[str, str], ...] = (
    ("needling.parameters.mechanics", "Mechanics: insertion, channels, bleeding, pain"),
    ("needling.parameters.transport", "Transport: permeability, diffusion, closure, anaesthesia"),
    ("needling.parameters.healing", "Healing: cascade rates, calibration, adverse events"),
    ("needling.anatomy.thickness_data", "Anatomy: layer thickness by site and sex"),
    ("needling.devices.parameters", "Devices: geometry and home-use limits"),
    ("needling.compounds.data", "Compounds: physicochemical data"),
    ("needling.cohort.population", "Virtual patients"),
    ("needling.planner.protocol_table", "Planner: protocol numbers"),
    ("needling.planner.home_rules", "Home care rules"),
)


def _is_parameter(obj: object) -> bool:
    from needling.evidence import Assumption, Cited

    return isinstance(obj, Cited | Assumption)


def _walk(name: str, obj: object, depth: int = 0) -> Iterator[tuple[str, object]]:
    if _is_parameter(obj):
        yield name, obj
    elif depth < 3 and isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(f"{name}[{k!r}]", v, depth + 1)
    elif depth < 3 and isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _walk(f"{name}[{i}]", v, depth + 1)


def parameters_by_topic() -> list[tuple[str, list[tuple[str, object]]]]:
    """Every parameter, grouped by the module that defines it; unnamed ones under "Other"."""
    from needling.evidence import all_parameters

    seen: set[int] = set()
    groups: list[tuple[str, list[tuple[str, object]]]] = []
    for module_name, title in TOPICS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        rows = []
        for name, value in vars(module).items():
            for label, p in _walk(name, value):
                if id(p) not in seen:
                    seen.add(id(p))
                    rows.append((label, p))
        if rows:
            groups.append((title, rows))
    rest = [(getattr(p, "name", ""), p) for p in all_parameters() if id(p) not in seen]
    if rest:
        groups.append(("Other (created inside functions or catalogues)", rest))
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


def _source_link(key: str) -> nodes.Node:
    if key.startswith("assumption:"):
        return nodes.literal(text=key)
    return nodes.reference(text=key, refuri=f"bibliography.html#bib-{key.lower()}")


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
                        _source_link(p.key),
                        "" if is_assumption else p.locator,
                        str(p.grade),
                        p.reasoning if is_assumption else p.note,
                    ]
                )
            section += table(
                ["name", "value", "unit", "sd", "source", "locator", "grade", "note or reasoning"],
                body,
                [14, 6, 5, 4, 12, 16, 3, 40],
            )
            out.append(section)
        return out


class BibliographyDirective(Directive):
    """``.. needling-bibliography::``: every source with an anchor ``bib-<key>``."""

    def run(self) -> list[nodes.Node]:
        from needling.evidence.bibliography_io import bibliography

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
            items += item
        return [items]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-parameters", ParametersDirective)
    app.add_directive("needling-bibliography", BibliographyDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
