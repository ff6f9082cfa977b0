"""``needling serve --workers N`` listens on sockets that say they are TCP, so their connections answer at once,
and on Linux each worker listens on a socket of its own, so the kernel spreads the connections over the workers.

uvicorn binds the workers' socket without naming the protocol; the connections accepted on it then kept Nagle's
algorithm, and each answer on a kept-alive connection waited some 40 ms for the client's delayed acknowledgement
(:mod:`needling.cli.workers_socket`). These tests bind the socket as uvicorn does and check what asyncio, which
serves the connections, makes of it.
"""

from __future__ import annotations

import asyncio
import pickle
import socket

import pytest
import uvicorn

from needling.cli.workers_socket import own_listener, run_workers, spreads_connections, tcp_socket
from needling.errors import InputError


def accepted_nodelay(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection accepted on ``listener`` by an asyncio server, as a uvicorn worker serves it."""

    async def run() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    return asyncio.run(run())


def test_the_workers_socket_says_tcp_and_its_connections_answer_at_once():
    config = uvicorn.Config("needling.cli.serve_cmd:worker_app", factory=True, workers=2, host="127.0.0.1", port=0)
    bound = config.bind_socket()
    port = bound.getsockname()[1]
    sock = tcp_socket(bound)
    assert sock.proto == socket.IPPROTO_TCP
    assert sock.getsockname()[1] == port  # the same socket, still bound
    assert sock.get_inheritable()  # the workers get it
    sock.listen()
    assert accepted_nodelay(sock) != 0


def test_a_worker_gets_the_socket_as_tcp():
    """The workers are spawned: the socket reaches them pickled, rebuilt with the protocol it was sent with."""
    from multiprocessing.reduction import ForkingPickler

    with socket.socket(socket.AF_INET) as plain:
        sock = tcp_socket(plain)
        sock.bind(("127.0.0.1", 0))
        with pickle.loads(ForkingPickler.dumps(sock)) as copy:
            assert copy.proto == socket.IPPROTO_TCP
        sock.close()


def test_a_unix_socket_or_a_tcp_one_is_left_as_it_is():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        assert tcp_socket(unix) is unix
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as tcp:
        assert tcp_socket(tcp) is tcp


@pytest.mark.skipif(not spreads_connections(), reason="SO_REUSEPORT spreads connections on Linux only")
def test_each_worker_gets_a_socket_of_its_own_on_the_port():
    """Pickled for a spawned worker, the command's socket becomes a new one on the same port, which the command's
    own never listens on: the kernel spreads connections over the workers' sockets alone."""
    from multiprocessing.reduction import ForkingPickler

    sock = own_listener("127.0.0.1", 0)
    port = sock.getsockname()[1]
    with sock, pickle.loads(ForkingPickler.dumps(sock)) as one, pickle.loads(ForkingPickler.dumps(sock)) as two:
        assert len({sock.fileno(), one.fileno(), two.fileno()}) == 3  # three sockets, not copies of one
        for s in (sock, one, two):
            assert s.getsockname() == ("127.0.0.1", port)
            assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 0  # bound, not listening yet
            assert s.proto == socket.IPPROTO_TCP
        one.listen()
        assert accepted_nodelay(one) != 0  # a worker's connections answer at once too


@pytest.mark.skipif(not spreads_connections(), reason="SO_REUSEPORT spreads connections on Linux only")
def test_a_port_in_use_is_refused_in_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=rf"^--port {port} on 127\.0\.0\.1: .*; valid: a free port") as e:
            run_workers("needling.cli.serve_cmd:worker_app", 2, "127.0.0.1", port, "warning")
        assert "\n" not in str(e.value)
