"""The bibliography loads, every entry is complete, and every output format is valid."""

from __future__ import annotations

import json

from needling.evidence import bibliography, format_bibliography
from tests.conftest import assert_one_line_error


def test_every_source_has_authors_year_title_and_where_published():
    bib = bibliography()
    assert len(bib) >= 1
    for src in bib:
        assert src.authors and all(a.strip() for a in src.authors), src.key
        assert 1900 < src.year <= 2026 or (src.year == 0 and src.kind == "web"), src.key
        assert src.title.strip(), src.key
        assert src.journal or src.url, f"{src.key}: neither journal nor url"


def test_formats(cli):
    text = cli("sources")
    assert text.code == 0 and "[Gill2008]" in text.stdout
    as_json = cli("sources", "--json")
    keys = {s["key"] for s in as_json.json()}
    assert keys == set(bibliography().keys())
    bib = cli("sources", "--format", "bibtex")
    assert bib.stdout.count("@") == len(bibliography())
    assert json.loads(format_bibliography(bibliography().select(["Gill2008"]), "json"))[0]["year"] == 2008


def test_unknown_key_is_one_line(cli):
    assert_one_line_error(cli("sources", "--key", "Gil2008"), "Gill2008")
