"""The listening socket of ``needling serve --workers N``, made so that every connection answers at once.

With more than one worker, uvicorn binds the port itself and hands the socket to its worker processes. It makes
that socket without naming its protocol (``proto`` 0), the connections accepted on it inherit that, and asyncio
turns off Nagle's algorithm (``TCP_NODELAY``) only on a connection that says it is TCP. So each answer on a kept
alive connection waited for the client's delayed acknowledgement of its head, some 40 ms on Linux: a health check
took 44 ms instead of under one, and every request of a browser or an API client as long (uvicorn issue 3149,
measured with ``benchmarks/bench_session_load.py``). One worker is not affected: asyncio binds that socket itself.
"""

from __future__ import annotations

import contextlib
import socket


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock``, an internet stream socket, as a socket object that says it is TCP (its connections inherit that).

    The socket stays the same (its descriptor, its bound port); only the object's ``proto`` is set. A socket of
    another family (a Unix socket), or one that says TCP already, is returned as it is.
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)  # the workers get it, as uvicorn's own
    return tcp


def run_workers(app: str, workers: int, host: str, port: int, log_level: str) -> None:
    """Serve the app factory ``app`` (``module:function``) in ``workers`` processes, as ``uvicorn.run`` does,
    on a listening socket made by :func:`tcp_socket`."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(app, factory=True, workers=workers, host=host, port=port, log_level=log_level)
    sock = tcp_socket(config.bind_socket())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the supervisor has stopped its workers
        Multiprocess(config, sockets=[sock]).run()
