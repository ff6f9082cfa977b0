"""``.. needling-cli::``: every command of ``needling`` with its options, read from the Typer application.

The commands come from :data:`needling.cli.main.COMMANDS` and each one's click command (options, their
help, defaults and whether they are required), so the page says what ``needling CMD --help`` says.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from needling_tables import table
from sphinx.application import Sphinx


def _default(param: Any) -> str:
    if getattr(param, "required", False):
        return "required"
    default = getattr(param, "default", None)
    if default is None or default == () or callable(default):
        return ""
    if isinstance(default, bool):
        return "on" if default else "off"
    return str(getattr(default, "value", default))


def _options(command: Any) -> nodes.Node:
    rows = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        names = ", ".join(param.opts) if param.param_type_name == "option" else param.name.upper()
        rows.append([nodes.literal(text=names), _default(param), getattr(param, "help", None) or ""])
    if not rows:
        return nodes.paragraph(text="No options.")
    return table(["option", "default", "meaning"], rows, [20, 10, 50])


def _section(path: str, command: Any) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id("cli-" + path)])
    section += nodes.title(text=f"needling {path}")
    help_text = (command.help or command.short_help or "").strip()
    if help_text:
        section += nodes.paragraph(text=" ".join(help_text.split("\n\n")[0].split()))
    sub = getattr(command, "commands", None)
    if sub:
        for name, child in sub.items():
            section += _section(f"{path} {name}", child)
    else:
        section += _options(command)
    return section


class CliDirective(Directive):
    """Every command, group and subcommand of ``needling``, with its options."""

    def run(self) -> list[nodes.Node]:
        from needling.cli.application import commands_of
        from needling.cli.main import COMMANDS

        loaded: dict[str, dict[str, Any]] = {}
        out: list[nodes.Node] = []
        for name, (module, _) in COMMANDS.items():
            if module not in loaded:
                loaded[module] = commands_of(module)
            out.append(_section(name, loaded[module][name]))
        return out


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-cli", CliDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
