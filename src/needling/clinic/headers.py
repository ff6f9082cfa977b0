"""Security headers on every response, and no caching of anything that may carry patient data."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: No inline script or style, nothing from another origin, no framing, forms post only to this site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: Paths whose responses are the same for everyone (stylesheets, scripts, the API docs' assets).
PUBLIC_PREFIXES = ("/static/", "/docs-assets/")
#: One year, the usual HSTS lifetime; sent only when the service runs behind TLS (secure cookies on).
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """ASGI middleware adding CSP, nosniff, referrer policy, HSTS (behind TLS) and ``Cache-Control``.

    Parameters
    ----------
    app : ASGIApp
        The application to wrap.
    hsts : bool
        Send ``Strict-Transport-Security`` (set it when cookies are secure, i.e. behind TLS).
    """

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        public = scope.get("path", "").startswith(PUBLIC_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"pragma") or public
                ]
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if not public:
                    headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                if self.hsts:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
