"""The client's address: the peer, or the first untrusted hop of ``X-Forwarded-For`` behind trusted proxies."""

from __future__ import annotations

import ipaddress
from functools import cache

from fastapi import Request


@cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_for(peer: str, header_values: list[str], proxies: list[str]) -> str:
    """The client address given the peer, the ``X-Forwarded-For`` values and the trusted proxies.

    ``X-Forwarded-For`` is believed only when the peer is a trusted proxy, and then only back to the
    first hop (from the right) that is not itself a trusted proxy: a client cannot choose its address by
    sending the header itself. A hop that is not an IP address stops the walk at the last trusted one.
    """
    networks = _networks(tuple(proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for value in header_values for h in value.split(",") if h.strip()]
    address = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address
        address = hop
        if not _trusted(hop, networks):
            return hop
    return address


def client_address(request: Request) -> str:
    """The address of the client making ``request`` (see :func:`forwarded_for`)."""
    peer = request.client.host if request.client else "-"
    proxies = request.app.state.settings.trusted_proxies
    return forwarded_for(peer, request.headers.getlist("x-forwarded-for"), proxies)
