"""Playwright driving Debian's Chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.clinic.server import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    s.stop()


VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}
"""Browser contexts a flow runs in when parametrized over ``sorted(VIEWPORTS)``."""


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One live server for a module's parametrized cases (each case uses its own patient and lot)."""
    s = Server(tmp_path_factory.mktemp("shared"))
    yield s
    s.stop()
