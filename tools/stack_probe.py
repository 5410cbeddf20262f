"""The client half of tools/stack_check.sh: talks to the stack only through
its proxy, as a browser or the mobile app would, and prints what it saw.

It runs inside the built image (`buildah run`, host network), so it needs
nothing but the image: the standard library and `websockets` (installed with
uvicorn[standard]). Arguments: the proxy's HTTPS and HTTP base URLs, the
proxy's root certificate, and a demo account's credentials. Exits non-zero
with the reason on the first check that fails.
"""

import argparse
import asyncio
import json
import re
import ssl
import sys
import urllib.error
import urllib.request

import websockets

TIMEOUT = 15
# Django's own answers and the proxy's: what a browser is told about this site.
SECURITY_HEADERS = {
    "strict-transport-security": re.compile(r"max-age=\d+"),
    "content-security-policy": re.compile(r"default-src 'self'"),
    "x-content-type-options": re.compile(r"^nosniff$"),
    "x-frame-options": re.compile(r"^DENY$"),
    "referrer-policy": re.compile(r"^same-origin$"),
}
# A client-chosen X-Forwarded-For that must never reach the web processes
# (stack_check.sh looks for it in their access logs).
FORGED_ADDRESS = "203.0.113.7"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"stack probe: FAILED: {message}")


class Proxy:
    def __init__(self, base: str, plain: str, context: ssl.SSLContext):
        self.base, self.plain, self.context = base, plain, context
        self.opener = urllib.request.build_opener(NoRedirect(), urllib.request.HTTPSHandler(context=context))

    def request(self, path: str, *, base: str | None = None, method: str = "GET", body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
        request = urllib.request.Request((base or self.base) + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()


def check_readiness_and_headers(proxy: Proxy) -> None:
    status, _, body = proxy.request("/readyz")
    check(status == 200, f"/readyz through the proxy answered {status}: {body[:300]!r}")
    print(f"stack probe: /readyz through the proxy: 200 {json.loads(body)['checks']}")

    status, headers, _ = proxy.request("/readyz?forged-forwarded-for", headers={"X-Forwarded-For": FORGED_ADDRESS})
    check(status == 200, f"/readyz with a forged X-Forwarded-For answered {status}")

    status, headers, page = proxy.request("/")
    check(status == 200, f"the home page answered {status}")
    for name, pattern in SECURITY_HEADERS.items():
        check(bool(pattern.search(headers.get(name, ""))), f"home page header {name}: {headers.get(name)!r}")
    check("server" not in headers, f"the Server header names the software: {headers.get('server')!r}")
    print(f"stack probe: security headers present: {', '.join(SECURITY_HEADERS)}; no Server header")

    status, headers, _ = proxy.request("/", base=proxy.plain)
    check(status in {301, 308} and headers.get("location", "").startswith("https://"), f"plain HTTP: {status}")
    print(f"stack probe: plain HTTP redirects to HTTPS ({status})")

    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page)
    check(stylesheet is not None, "no stylesheet under /static/ in the home page")
    path = stylesheet.group(1).decode()
    status, headers, _ = proxy.request(path, headers={"Accept-Encoding": "br, gzip"})
    check(status == 200, f"{path} answered {status}")
    check("immutable" in headers.get("cache-control", ""), f"{path} Cache-Control: {headers.get('cache-control')!r}")
    check(headers.get("content-encoding") in {"br", "gzip"}, f"{path} not precompressed")
    check(headers.get("x-content-type-options") == "nosniff", f"{path} without nosniff")
    print(f"stack probe: {path} served by the proxy: {headers['cache-control']}, {headers['content-encoding']}")


async def next_frame(ws, kind: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        check(frame["type"] != "error", f"websocket error frame: {frame}")
        if frame["type"] == kind:
            return frame


async def check_websockets_across_processes(proxy: Proxy, username: str, password: str) -> None:
    status, _, body = proxy.request(
        "/api/v1/auth/token/",
        method="POST",
        body={"username": username, "password": password, "device_name": "stack-check"},
    )
    check(status == 201, f"token for {username}: {status} {body[:300]!r}")
    bearer = {"Authorization": f"Bearer {json.loads(body)['token']}"}
    status, _, body = proxy.request("/api/v1/threads/")
    check(status == 200 and json.loads(body)["results"], f"thread list: {status}")
    thread = json.loads(body)["results"][0]["id"]
    topic = f"thread:{thread}"
    ws_url = proxy.base.replace("https://", "wss://") + "/ws/"

    # Round robin: two handshakes in a row land on the two web processes, then
    # the two answers are posted through one each. stack_check.sh confirms the
    # spread from the processes' own access logs.
    async with (
        websockets.connect(ws_url, ssl=proxy.context, open_timeout=TIMEOUT) as first,
        websockets.connect(ws_url, ssl=proxy.context, open_timeout=TIMEOUT) as second,
    ):
        for ws in (first, second):
            await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            # Subscribed before anything is posted: a live event sent before
            # that would only come back through catch-up.
            await next_frame(ws, "subscribed")
        posted = []
        for number in (1, 2):
            status, _, body = proxy.request(
                f"/api/v1/threads/{thread}/answers/",
                method="POST",
                body={"body": f"Réponse de contrôle n°{number} de la pile : période d'essai en jours travaillés."},
                headers=bearer,
            )
            check(status == 201, f"answer {number}: {status} {body[:300]!r}")
            posted.append(json.loads(body)["id"])
        for name, ws in (("first", first), ("second", second)):
            seen = []
            while len(seen) < len(posted):
                frame = await next_frame(ws, "event")
                if frame["event"] == "answer.created":
                    seen.append(frame["data"]["id"])
            check(sorted(seen) == sorted(posted), f"{name} socket saw {seen}, posted {posted}")
    print(f"stack probe: both websockets received answers {posted} on {topic}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="https://host:port of the proxy")
    parser.add_argument("--plain", required=True, help="http://host:port of the proxy")
    parser.add_argument("--ca", required=True, help="the proxy's root certificate (PEM)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    proxy = Proxy(args.base, args.plain, ssl.create_default_context(cafile=args.ca))
    check_readiness_and_headers(proxy)
    asyncio.run(check_websockets_across_processes(proxy, args.username, args.password))


if __name__ == "__main__":
    main()
