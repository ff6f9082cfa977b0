"""The FastAPI application: API under /api, pages, static files; migrate and seed on start."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from needling import __version__
from needling.clinic import handlers
from needling.clinic.account_api import router as account_api_router
from needling.clinic.account_pages import router as account_page_router
from needling.clinic.api import router as api_router
from needling.clinic.apidocs import ASSETS, assets_directory
from needling.clinic.apidocs import router as docs_router
from needling.clinic.appointments_api import router as appointments_api_router
from needling.clinic.appointments_pages import router as appointments_page_router
from needling.clinic.audit_pages import router as audit_page_router
from needling.clinic.consent_api import router as consent_api_router
from needling.clinic.consent_pages import router as consent_page_router
from needling.clinic.dashboard_pages import router as dashboard_page_router
from needling.clinic.data_export import router as data_export_router
from needling.clinic.db import make_engine, session_factory, upgrade
from needling.clinic.device_models_api import router as device_models_api_router
from needling.clinic.device_models_pages import router as device_models_page_router
from needling.clinic.flash import FlashSigning
from needling.clinic.headers import SecurityHeaders
from needling.clinic.intake_pages import router as intake_page_router
from needling.clinic.my_plan_pages import router as my_plan_page_router
from needling.clinic.pages import router as page_router
from needling.clinic.photo_api import router as photo_api_router
from needling.clinic.photo_pages import router as photo_page_router
from needling.clinic.portal_api import router as portal_api_router
from needling.clinic.portal_pages import router as portal_page_router
from needling.clinic.record_api import router as record_api_router
from needling.clinic.record_pages import router as record_page_router
from needling.clinic.recording_slots import RecordingSlots
from needling.clinic.security import Sessions
from needling.clinic.seed import seed_if_empty
from needling.clinic.settings import Settings
from needling.clinic.stock_pages import router as stock_page_router

ROUTERS = (
    api_router,
    photo_api_router,
    data_export_router,
    device_models_api_router,
    portal_api_router,
    account_api_router,
    appointments_api_router,
    consent_api_router,
    record_api_router,
    stock_page_router,  # before the pages: /lots/scan is not a lot id
    photo_page_router,
    intake_page_router,  # before the pages: /patients/new is not a patient id
    record_page_router,
    page_router,
    audit_page_router,
    device_models_page_router,
    dashboard_page_router,
    portal_page_router,
    my_plan_page_router,
    account_page_router,
    appointments_page_router,
    consent_page_router,
    docs_router,
)
"""Every router, in the order they are matched: the API first, then the pages, then the API's documentation."""


@asynccontextmanager
async def thread_pool(app: FastAPI) -> AsyncIterator[None]:
    """Size the process's thread pool (where the routes that talk to the database run) to ``settings.threads``."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.threads
    yield


def create_app(settings: Settings | None = None, migrate: bool = True, seed: bool = True) -> FastAPI:
    """Build the app for ``settings``; migrate the database and seed the demonstration clinic if asked."""
    settings = settings or Settings()
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="needling clinic",
        version=__version__,
        description="Patients, plans, sessions, device lots and recalls, photos, outcomes and FHIR.",
        docs_url=None,
        redoc_url=None,
        lifespan=thread_pool,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(FlashSigning, secret=settings.secret_key)
    app.state.settings = settings
    app.state.engine = engine
    app.state.Session = session_factory(engine)
    app.state.sessions = Sessions(settings.secret_key, settings.session_max_age_s)
    app.state.recording_slots = RecordingSlots(settings.recording_slots)
    app.state.seeded_logins = None
    if seed:
        with app.state.Session() as db:
            app.state.seeded_logins = seed_if_empty(db)

    handlers.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=assets_directory()), name="docs-assets")
    app.mount("/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static")
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from the environment."""
    return create_app()
