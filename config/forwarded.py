"""The client's address as REMOTE_ADDR under WSGI, from the trusted proxy's
X-Forwarded-For: what uvicorn's --proxy-headers does for the ASGI processes.

WSGI servers (granian, gunicorn) leave REMOTE_ADDR the proxy's, and every
reader would look like one address to the view counter
(`frontend.views.common.viewer_of`) and in the access log. Same rule as the
settings' TRUSTED_PROXY_COUNT: only when the connection comes from an
address in FORWARDED_ALLOW_IPS (the proxy; "*" is refused by the settings),
and the address is the TRUSTED_PROXY_COUNT-th entry from the right, the one
the outermost trusted proxy saw (entries to its left are client-chosen).
"""

import ipaddress
import os

from django.conf import settings


def trusted_proxies() -> frozenset[str]:
    """Addresses or CIDR ranges, as uvicorn reads the same variable."""
    return frozenset(a.strip() for a in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1").split(",") if a.strip())


def _is_proxy(remote_addr: str, proxies: frozenset[str]) -> bool:
    if remote_addr in proxies:
        return True
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(remote_addr: str, forwarded_for: str, *, proxies: frozenset[str], count: int) -> str:
    if count <= 0 or not forwarded_for or not _is_proxy(remote_addr, proxies):
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
    if len(entries) < count:
        return remote_addr
    return entries[-count]


class ForwardedClientAddress:
    def __init__(self, application):
        self.application = application
        self.proxies = trusted_proxies()
        self.count = settings.TRUSTED_PROXY_COUNT

    def __call__(self, environ, start_response):
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
        if forwarded_for:
            environ["REMOTE_ADDR"] = client_address(
                environ.get("REMOTE_ADDR", ""), forwarded_for, proxies=self.proxies, count=self.count
            )
        return self.application(environ, start_response)
