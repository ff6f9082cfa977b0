"""The listening socket of ``needling serve --workers N``, made so that every connection answers at once.

With more than one worker, uvicorn binds the port itself and hands the socket to its worker processes. It makes
that socket without naming its protocol (``proto`` 0), the connections accepted on it inherit that, and asyncio
turns off Nagle's algorithm (``TCP_NODELAY``) only on a connection that says it is TCP. So each answer on a kept
alive connection waited for the client's delayed acknowledgement of its head, some 40 ms on Linux: a health check
took 44 ms instead of under one, and every request of a browser or an API client as long (uvicorn issue 3149,
measured with ``benchmarks/bench_session_load.py``). One worker is not affected: asyncio binds that socket itself.

On Linux each worker listens on a socket of its own (:class:`OwnListener`), bound to the same port with
``SO_REUSEPORT``, and the kernel spreads the connections over them by their addresses. On one shared socket the worker
that woke first took most of them (measured with 50 clients opened at once: 30-44 of 50 on one of two workers, run
after run); its clients then waited for one core while the other worker idled, which set the slowest recordings.
With a socket each they split 22-28 of 50 (benchmarks/bench_session_load.py). The command binds the port first (so a
port in use fails there, in one line) but never listens on it itself, so no connection waits on a socket no worker
serves. ``SO_REUSEPORT`` lets another program of the same user bind the port too and take a share of the
connections; a program of another user cannot. Elsewhere (macOS and the BSDs do not spread connections over such
sockets) the workers share one socket as uvicorn's own.
"""

from __future__ import annotations

import contextlib
import socket
import sys

from needling.errors import InputError


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


def _bind_own(family: socket.AddressFamily, address: tuple) -> socket.socket:
    """A worker's own socket on the command's port: TCP, ``SO_REUSEPORT``, bound. The worker's server listens on
    it once the app has started, and only then does the kernel send it connections."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


class OwnListener(socket.socket):
    """The command's socket on the port (bound with ``SO_REUSEPORT``, never listening), which reaches each worker as
    a new socket of the worker's own on the same address (:func:`_bind_own`): the workers are spawned, and a
    socket passed to a spawned process is pickled, which calls :meth:`__reduce__`. A worker started again after
    one ended gets a new socket too."""

    def __reduce__(self):
        """What pickling makes of this socket in the process that loads it: a new socket on the same address."""
        return (_bind_own, (self.family, self.getsockname()))


def own_listener(host: str, port: int) -> socket.socket:
    """The port bound for :class:`OwnListener` workers: an IPv6 socket when ``host`` is an IPv6 address.

    Raises
    ------
    OSError
        If the port is taken by a socket that is not this user's ``SO_REUSEPORT`` one (or cannot be bound).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = OwnListener(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def spreads_connections() -> bool:
    """Whether this system spreads a port's connections over the sockets bound to it with ``SO_REUSEPORT``
    (Linux does, by a hash of each connection's addresses)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def run_workers(app: str, workers: int, host: str, port: int, log_level: str) -> None:
    """Serve the app factory ``app`` (``module:function``) in ``workers`` processes, as ``uvicorn.run`` does:
    each on a socket of its own where the system spreads connections over them (:class:`OwnListener`), else on
    one listening socket made by :func:`tcp_socket`."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(app, factory=True, workers=workers, host=host, port=port, log_level=log_level)
    if spreads_connections():
        try:
            sock = own_listener(host, port)
        except OSError as e:
            raise InputError(
                f"--port {port} on {host}: {e.strerror or e}; valid: a free port (or stop what listens on it)",
                field="--port",
            ) from None
    else:
        sock = tcp_socket(config.bind_socket())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the supervisor has stopped its workers
        Multiprocess(config, sockets=[sock]).run()
