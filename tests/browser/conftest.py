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


_LAUNCHED: list = []
"""The browser tests' Chromium once launched (at most one)."""


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests (closed after the last of them; a launch per module cost a second
    or more each time). Each test opens its own context or page, which isolates it (cookies, storage); what a
    module leaves open is closed at the module's end."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        _LAUNCHED.append(b)
        yield b
        _LAUNCHED.clear()
        b.close()


@pytest.fixture(autouse=True, scope="module")
def _close_what_the_module_left_open():
    """Close the contexts and pages a module's tests left open, as closing the module's own browser used to."""
    yield
    for b in _LAUNCHED:
        for context in b.contexts:
            context.close()


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
