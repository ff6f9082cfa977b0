"""The FastAPI application: API under /api, pages, static files; migrate and seed on start."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from needling import __version__
from needling.clinic import services as S
from needling.clinic.account_api import router as account_api_router
from needling.clinic.account_pages import router as account_page_router
from needling.clinic.api import router as api_router
from needling.clinic.apidocs import ASSETS, assets_directory
from needling.clinic.apidocs import router as docs_router
from needling.clinic.appointments_api import router as appointments_api_router
from needling.clinic.appointments_pages import router as appointments_page_router
from needling.clinic.audit_log import count_unauthenticated, is_patient_route, record_refusal
from needling.clinic.audit_pages import router as audit_page_router
from needling.clinic.consent_api import router as consent_api_router
from needling.clinic.consent_pages import router as consent_page_router
from needling.clinic.dashboard_pages import router as dashboard_page_router
from needling.clinic.db import make_engine, session_factory, upgrade
from needling.clinic.deps import client_address
from needling.clinic.device_models_api import router as device_models_api_router
from needling.clinic.device_models_pages import router as device_models_page_router
from needling.clinic.error_pages import PAGE_STATUSES, error_page, wants_page
from needling.clinic.flash import FlashSigning
from needling.clinic.headers import SecurityHeaders
from needling.clinic.my_plan_pages import router as my_plan_page_router
from needling.clinic.pages import router as page_router
from needling.clinic.portal_api import router as portal_api_router
from needling.clinic.portal_pages import router as portal_page_router
from needling.clinic.security import Sessions
from needling.clinic.seed import seed_if_empty
from needling.clinic.settings import Settings
from needling.errors import InputError


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
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(FlashSigning, secret=settings.secret_key)
    app.state.settings = settings
    app.state.engine = engine
    app.state.Session = session_factory(engine)
    app.state.sessions = Sessions(settings.secret_key, settings.session_max_age_s)
    app.state.seeded_logins = None
    if seed:
        with app.state.Session() as db:
            app.state.seeded_logins = seed_if_empty(db)

    @app.middleware("http")
    async def _count_unauthenticated(request: Request, call_next):
        """Count requests for patient data that had no valid log-in (401, or a page sent to log in)."""
        response = await call_next(request)
        to_login = response.status_code in (302, 303, 307) and response.headers.get("location", "").startswith("/login")
        if (response.status_code == 401 or to_login) and is_patient_route(request.url.path):
            with app.state.Session() as db:
                await run_in_threadpool(count_unauthenticated, db, client_address(request), request.url.path)
        return response

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return JSONResponse(
            {"detail": [{"loc": ["body", exc.field or "input"], "msg": str(exc), "type": "value_error"}]},
            status_code=422,
        )

    @app.exception_handler(S.NotFound)
    async def _not_found(request: Request, exc: S.NotFound):
        await run_in_threadpool(record_refusal, request, 404, exc.patient_id, str(exc))
        if wants_page(request):
            return error_page(request, 404, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(S.Forbidden)
    async def _forbidden(request: Request, exc: S.Forbidden):
        await run_in_threadpool(record_refusal, request, 403, None, str(exc))
        if wants_page(request):
            return error_page(request, 403, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    @app.exception_handler(UnicodeEncodeError)
    async def _unstorable(request: Request, exc: Exception):
        # The last line of defence (the request is rolled back): a value the database cannot hold, such as a
        # NUL character or an over-long text from a page's form. The API bounds its fields before this.
        if wants_page(request):
            return error_page(request, 422)
        return JSONResponse(
            {
                "detail": [
                    {
                        "loc": ["body"],
                        "msg": "a value is too long, too large or holds characters that cannot be stored",
                        "type": "value_error",
                    }
                ]
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code in (403, 404):  # a wrong CSRF token, a role refused: audited like any refusal
            await run_in_threadpool(record_refusal, request, exc.status_code, None, str(exc.detail))
        # A body that cannot be decoded (bytes that are not UTF-8 JSON) is bad input like any other: 422.
        if exc.status_code == 400 and request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": [{"loc": ["body"], "msg": f"unreadable body: {exc.detail}", "type": "body_invalid"}]},
                status_code=422,
            )
        if wants_page(request) and exc.status_code in PAGE_STATUSES:
            return error_page(request, exc.status_code, str(exc.detail) if exc.status_code != 404 else "")
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        if wants_page(request):
            fields = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors()]
            return error_page(request, 422, errors=fields)
        return JSONResponse(
            {
                "detail": [
                    {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                    for e in exc.errors()
                ]
            },
            status_code=422,
        )

    app.include_router(api_router)
    app.include_router(device_models_api_router)
    app.include_router(portal_api_router)
    app.include_router(account_api_router)
    app.include_router(appointments_api_router)
    app.include_router(consent_api_router)
    app.include_router(page_router)
    app.include_router(audit_page_router)
    app.include_router(device_models_page_router)
    app.include_router(dashboard_page_router)
    app.include_router(portal_page_router)
    app.include_router(my_plan_page_router)
    app.include_router(account_page_router)
    app.include_router(appointments_page_router)
    app.include_router(consent_page_router)
    app.include_router(docs_router)
    app.mount(ASSETS, StaticFiles(directory=assets_directory()), name="docs-assets")
    app.mount("/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static")
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from the environment."""
    return create_app()
