"""The gettext catalogues: every marked text has its Swedish, placeholders agree, numbers and units in the locale."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import jinja2
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from needling import i18n
from needling.i18n import install, load, millimetres, number, po_path, translate, translate_plural, weeks
from needling.i18n.build import placeholder_errors

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
KEYWORDS |= {"translate": (2,), "translate_plural": (2, 3), "NP_": ((1, "c"), 2), "translate_in_context": ((2, "c"), 3)}


def extracted() -> set[tuple[str | None, str]]:
    """Every msgid marked in the sources and templates with its context, extracted the way ``make messages`` does
    (a region as a patient reads it, "cheeks" in the context "region, patient", is a text of its own)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    ids = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "src"), method_map, options_map, keywords=KEYWORDS
    ):
        ids.add((context, message[0] if isinstance(message, tuple) else message))
    return ids


def catalog(lang: str):
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def test_every_marked_text_has_its_swedish_and_none_is_fuzzy():
    sv = catalog("sv")
    translated = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in sv
        if m.id and not m.fuzzy and all((isinstance(m.string, str) and m.string) or s for s in _strings(m))
    }
    missing = sorted(extracted() - translated)
    assert not missing, f"{len(missing)} texts without Swedish (run make messages, then translate): {missing[:5]}"


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_no_swedish_translation_is_empty_or_fuzzy():
    bad = [m.id for m in catalog("sv") if m.id and (m.fuzzy or not all(_strings(m)))]
    assert not bad, bad[:5]


def test_placeholders_agree_between_english_and_swedish():
    errors = placeholder_errors("sv")
    assert not errors, errors[:5]


def test_catalogue_is_read_from_the_po_when_no_mo_was_compiled(tmp_path):
    po = tmp_path / "needling.po"
    shutil.copy(po_path("sv"), po)
    assert not po.with_suffix(".mo").exists()
    assert load(po).ngettext("%(num)d week", "%(num)d weeks", 2) == "%(num)d veckor"


def test_swedish_numbers_units_and_plurals_use_the_locale():
    assert millimetres(0.25, "sv") == "0,25\N{NO-BREAK SPACE}mm"
    assert millimetres(0.25, "en") == "0.25\N{NO-BREAK SPACE}mm"
    assert number(1.5, "sv") == "1,5"
    assert number(2.0, "sv") == "2"
    assert (weeks(1, "sv"), weeks(2, "sv"), weeks(1, "en"), weeks(2, "en")) == (
        "1 vecka",
        "2 veckor",
        "1 week",
        "2 weeks",
    )
    assert i18n.long_date("2026-03-03", "sv") == "3 mars 2026"
    assert i18n.weekday("2026-03-03", "sv") == "tisdag"


def test_unknown_language_is_english_and_unknown_text_is_itself():
    assert translate("xx", "Session recorded.") == "Session recorded."
    assert translate("sv", "a text nobody marked") == "a text nobody marked"
    assert translate_plural("sv", "%(num)d day", "%(num)d days", 3) == "3 dagar"


def test_one_environment_renders_each_threads_own_language():
    env = jinja2.Environment(autoescape=True)
    install(env)
    template = env.from_string('{{ ngettext("%(num)d week", "%(num)d weeks", n) }} · {{ 0.25|mm }}')
    out: dict[tuple[str, int], str] = {}
    barrier = threading.Barrier(8)

    def run(lang: str, i: int) -> None:
        barrier.wait()
        for _ in range(50):
            out[(lang, i)] = template.render(lang=lang, n=2)

    threads = [threading.Thread(target=run, args=(lang, i)) for i in range(4) for lang in ("en", "sv")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert {v for (lang, _), v in out.items() if lang == "sv"} == {"2 veckor · 0,25\N{NO-BREAK SPACE}mm"}
    assert {v for (lang, _), v in out.items() if lang == "en"} == {"2 weeks · 0.25\N{NO-BREAK SPACE}mm"}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_trans_block_and_escaping(lang):
    env = jinja2.Environment(autoescape=True)
    install(env)
    html = env.from_string("{% trans %}Session recorded.{% endtrans %} {{ _(x) }}").render(lang=lang, x="<b>")
    assert html == ("Session recorded. &lt;b&gt;" if lang == "en" else "Behandlingen är registrerad. &lt;b&gt;")
