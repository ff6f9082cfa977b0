"""Which HTTP parser and event loop ``needling serve`` runs on, as uvicorn picks them.

uvicorn's defaults (``http="auto"``, ``loop="auto"``) take httptools' C parser and uvloop's event loop when they
can be imported, else the pure-Python h11 parser and asyncio's own loop. Both are dependencies of needling, so a
normal install gets the fast pair; the serve command names what it got, so a missing wheel shows at start-up
instead of as a slower clinic (figures in ``benchmarks/bench_session_load.py``).
"""

from __future__ import annotations


def http_stack() -> tuple[str, str]:
    """The names of the HTTP parser and the event loop uvicorn's ``auto`` choices give in this environment.

    Returns
    -------
    tuple of str
        ``("httptools", "uvloop")`` when both are importable; ``"h11"`` and ``"asyncio"`` for what is not.
    """
    from uvicorn.loops.auto import auto_loop_factory
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    parser = "httptools" if AutoHTTPProtocol.__module__.endswith("httptools_impl") else "h11"
    loop = auto_loop_factory()()
    try:
        event_loop = "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"
    finally:
        loop.close()
    return parser, event_loop
