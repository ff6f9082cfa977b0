"""The middleware that counts requests for patient data made without a valid log-in.

A pure ASGI middleware: it looks at each answer's status as it passes and touches nothing else, so a request
with a log-in pays a comparison (Starlette's ``BaseHTTPMiddleware``, which it replaces, ran every request in a
task of its own with its body passed through memory streams: some 0.1-0.2 ms of the server's processor per
request, ``benchmarks/bench_session_load.py``). The count is stored before the answer's head is sent, as before:
whoever gets the 401 or the redirect to log in finds it counted.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from needling.clinic.audit_log import count_unauthenticated, is_patient_route
from needling.clinic.client import client_address

REDIRECTS = (302, 303, 307)


def _to_login(message: Message) -> bool:
    """Whether an answer's head (``http.response.start``) is a 401 or a redirect to the log-in page."""
    status = message["status"]
    if status == 401:
        return True
    if status not in REDIRECTS:
        return False
    location = next((v for k, v in message.get("headers", ()) if k.lower() == b"location"), b"")
    return location.startswith(b"/login")


def _count(factory: sessionmaker[Session], client: str, path: str) -> None:
    with factory() as db:
        count_unauthenticated(db, client, path)


class CountAnonymous:
    """ASGI middleware: count each 401 or redirect to log in on a patient route (see :mod:`audit_log`).

    Parameters
    ----------
    app : ASGIApp
        The application to wrap; its ``state.Session`` (read per request) opens the database session.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and _to_login(message):
                request = Request(scope)
                path = request.url.path
                if is_patient_route(path):
                    await run_in_threadpool(_count, request.app.state.Session, client_address(request), path)
            await send(message)

        await self.app(scope, receive, counting_send)
