"""How the app answers errors: audited refusals, styled pages for the browser, JSON with the field for the API.

:func:`install` adds the exception handlers and the middleware that counts requests for patient data made
without a valid log-in.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from needling.clinic import services as S
from needling.clinic.anonymous_count import CountAnonymous
from needling.clinic.audit_log import record_refusal
from needling.clinic.deps import LogInRequiredError
from needling.clinic.error_pages import PAGE_STATUSES, error_page, wants_page
from needling.errors import InputError

UNSTORABLE = "a value is too long, too large or holds characters that cannot be stored"


async def log_in_first(request: Request, exc: LogInRequiredError) -> Response:
    """A page asked for without a log-in: to the log-in page (counted by :class:`CountAnonymous`)."""
    return RedirectResponse("/login", status_code=303)


async def input_error(request: Request, exc: InputError) -> Response:
    return JSONResponse(
        {"detail": [{"loc": ["body", exc.field or "input"], "msg": str(exc), "type": "value_error"}]},
        status_code=422,
    )


async def not_found(request: Request, exc: S.NotFound) -> Response:
    await run_in_threadpool(record_refusal, request, 404, exc.patient_id, str(exc))
    if wants_page(request):
        return error_page(request, 404, str(exc), exc)
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def forbidden(request: Request, exc: S.Forbidden) -> Response:
    await run_in_threadpool(record_refusal, request, 403, None, str(exc))
    if wants_page(request):
        return error_page(request, 403, str(exc), exc)
    return JSONResponse({"detail": str(exc)}, status_code=403)


async def unstorable(request: Request, exc: Exception) -> Response:
    """The last line of defence (the request is rolled back): a value the database cannot hold, such as a
    NUL character or an over-long text from a page's form. The API bounds its fields before this."""
    if wants_page(request):
        return error_page(request, 422)
    return JSONResponse({"detail": [{"loc": ["body"], "msg": UNSTORABLE, "type": "value_error"}]}, status_code=422)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
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


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
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


def install(app: FastAPI) -> None:
    """Add the anonymous-request counter and every exception handler to ``app``."""
    app.add_middleware(CountAnonymous)  # outermost of the app's own, as its "http" middleware was
    app.add_exception_handler(LogInRequiredError, log_in_first)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, input_error)  # type: ignore[arg-type]
    app.add_exception_handler(S.NotFound, not_found)  # type: ignore[arg-type]
    app.add_exception_handler(S.Forbidden, forbidden)  # type: ignore[arg-type]
    for unstorable_error in (DataError, OverflowError, UnicodeEncodeError):
        app.add_exception_handler(unstorable_error, unstorable)
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
