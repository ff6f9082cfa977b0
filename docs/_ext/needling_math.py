"""Equations drawn at build time by Matplotlib's mathtext as inline SVG: nothing fetched, no LaTeX needed.

Registered as Sphinx's HTML math renderer ``mathtext``. Mathtext covers the TeX the model pages use
(fractions, sub- and superscripts, Greek letters, functions); one equation per ``math`` block.
"""

from __future__ import annotations

import io
import re
from functools import cache

from docutils import nodes
from sphinx.application import Sphinx

_SVG_HEAD = re.compile(r"^.*?(<svg)", re.S)


@cache
def latex_to_svg(latex: str, fontsize: float) -> str:
    """Render one TeX expression with mathtext and return the ``<svg>`` element as text."""
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buf = io.BytesIO()
    expression = " ".join(latex.split())
    mathtext.math_to_image(f"${expression}$", buf, prop=FontProperties(size=fontsize), format="svg")
    svg = buf.getvalue().decode("utf-8")
    svg = _SVG_HEAD.sub(r"\1", svg, count=1)
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _inline_visit(self, node: nodes.Element) -> None:
    svg = latex_to_svg(node.astext(), 11.0)
    self.body.append(f'<span class="math mathtext" role="math" aria-label="{self.encode(node.astext())}">{svg}</span>')
    raise nodes.SkipNode


def _block_visit(self, node: nodes.Element) -> None:
    svg = latex_to_svg(node.astext(), 15.0)
    number = ""
    if node.get("number"):
        number = f'<span class="eqno">({node["number"]})</span>'
    label = self.encode(node.astext())
    self.body.append(f'<div class="mathtext-block" role="math" aria-label="{label}">{svg}{number}</div>')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, object]:
    app.add_html_math_renderer("mathtext", (_inline_visit, None), (_block_visit, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
