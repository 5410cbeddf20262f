"""The client half of tools/stack_check.sh: talks to the stack only through
its proxy, as a browser or the mobile app would, and prints what it saw.
Everything but /ws/ and /static/ goes through the HTTP cache (Varnish) behind
the proxy, which says `X-Cache: hit` for what it served from memory.

It runs inside the built image (`buildah run`, host network), so it needs
nothing but the image: the standard library and `websockets` (installed with
uvicorn[standard]). Arguments: the proxy's HTTPS and HTTP base URLs, the
proxy's root certificate, and a demo account's credentials. Exits non-zero
with the reason on the first check that fails.
"""

import argparse
import asyncio
import http.client
import json
import re
import secrets
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

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
# The probe's own address for that request: another loopback address than
# the proxy's and the cache's (127.0.0.1), so that the access log shows whether
# the web process counted its two hops right (stack_check.sh).
CLIENT_ADDRESS = "127.0.0.2"


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

    def request(self, path: str, *, base: str | None = None, method: str = "GET", body=None, form=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
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

    # From CLIENT_ADDRESS: stack_check.sh finds this address, not the forged
    # one nor the proxy's, in the access log of the web process that answered.
    parts = urllib.parse.urlsplit(proxy.base)
    connection = http.client.HTTPSConnection(
        parts.hostname, parts.port, context=proxy.context, timeout=TIMEOUT, source_address=(CLIENT_ADDRESS, 0)
    )
    try:
        connection.request("GET", "/readyz?forged-forwarded-for", headers={"X-Forwarded-For": FORGED_ADDRESS})
        status = connection.getresponse().status
    finally:
        connection.close()
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


def bearer_for(proxy: Proxy, username: str, password: str, device: str) -> dict:
    """The Authorization header of a new device token of `username`."""
    status, _, body = proxy.request(
        "/api/v1/auth/token/",
        method="POST",
        body={"username": username, "password": password, "device_name": device},
    )
    check(status == 201, f"token for {username}: {status} {body[:300]!r}")
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


def post_answer(proxy: Proxy, thread_id: int, text: str, bearer: dict) -> dict:
    """Posts an answer through the proxy as the bearer's member; the created answer."""
    status, _, body = proxy.request(
        f"/api/v1/threads/{thread_id}/answers/", method="POST", body={"body": text}, headers=bearer
    )
    check(status == 201, f"answer on thread {thread_id}: {status} {body[:300]!r}")
    return json.loads(body)


async def check_websockets_across_processes(proxy: Proxy, username: str, password: str) -> None:
    bearer = bearer_for(proxy, username, password, "stack-check")
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
            text = f"Réponse de contrôle n°{number} de la pile : période d'essai en jours travaillés."
            posted.append(post_answer(proxy, thread, text, bearer)["id"])
        for name, ws in (("first", first), ("second", second)):
            seen = []
            while len(seen) < len(posted):
                frame = await next_frame(ws, "event")
                if frame["event"] == "answer.created":
                    seen.append(frame["data"]["id"])
            check(sorted(seen) == sorted(posted), f"{name} socket saw {seen}, posted {posted}")
    print(f"stack probe: both websockets received answers {posted} on {topic}")


def cookies_of(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in(proxy: Proxy, username: str, password: str) -> dict[str, str]:
    """The web form, as a browser: the member's cookies (session, CSRF)."""
    status, headers, page = proxy.request("/comptes/login/")
    check(status == 200, f"login page: {status}")
    cookies = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(token is not None and "csrftoken" in cookies, "login page without a CSRF token and its cookie")
    status, headers, body = proxy.request(
        "/comptes/login/",
        method="POST",
        form={"login": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()},
        headers={"Cookie": cookie_header(cookies), "Referer": f"{proxy.base}/comptes/login/"},
    )
    cookies |= cookies_of(headers)
    check(status == 302 and "sessionid" in cookies, f"web login of {username}: {status} {body[:300]!r}")
    return cookies


def check_http_cache(proxy: Proxy, username: str, password: str) -> None:
    """Anonymous readers share the cache's copy; a change bans it at once; a
    member's pages are never from it; clients cannot ban."""
    bearer = bearer_for(proxy, username, password, "stack-check-cache")
    # As the member sees the list: a thread the member may open and answer
    # (not locked, not hidden from the member's employer), other than the one
    # the websocket check answered.
    status, _, body = proxy.request("/api/v1/threads/", headers=bearer)
    check(status == 200, f"thread list: {status}")
    threads = [thread for thread in json.loads(body)["results"][1:] if not thread.get("is_locked")]
    check(bool(threads), "no open thread to answer")
    thread = threads[0]
    path = urllib.parse.urlsplit(thread["web_url"]).path

    def page(headers=None) -> tuple[str, bytes]:
        status, response_headers, content = proxy.request(path, headers=headers)
        check(status == 200, f"{path} answered {status}")
        return response_headers.get("x-cache", ""), content

    first, _ = page()
    second, content = page()
    check(second == "hit", f"anonymous {path} twice: X-Cache {first!r} then {second!r}")
    print(f"stack probe: anonymous {path}: X-Cache {first}, then {second}")

    # A client's BAN reaches the cache's traffic listener through the proxy:
    # refused there (bans come from the web processes, on another listener).
    status, _, _ = proxy.request("/", method="BAN", headers={"X-Cache-Ban": "."})
    check(status == 405, f"a client's BAN through the proxy answered {status}")
    after_ban, _ = page()
    check(after_ban == "hit", f"after a client's BAN, {path} X-Cache {after_ban!r}")
    print(f"stack probe: a client's BAN through the proxy: 405, {path} still a hit")

    marker = secrets.token_hex(6)
    text = f"Contrôle du cache {marker} : le contrat d'apprentissage se signe avant le début."
    post_answer(proxy, thread["id"], text, bearer)
    fresh, content = page()
    check(fresh == "miss", f"{path} right after an answer was posted: X-Cache {fresh!r}")
    check(marker.encode() in content, f"{path} right after an answer was posted does not show it")
    print(f"stack probe: after an answer was posted, {path}: X-Cache {fresh}, with the answer")

    # A member: the session cookie, with the two cookies an anonymous copy
    # may be asked with (the language choice, CSRF). The member's own page,
    # in the chosen language, and never from the cache.
    cookies = sign_in(proxy, username, password)
    member = {"Cookie": cookie_header({"django_language": "en", **cookies})}
    for attempt in (1, 2):
        served, content = page(member)
        check(served != "hit", f"{username}'s {path} (request {attempt}) came from the cache")
        check(b"user:me" in content, f"{username}'s {path} (request {attempt}) is not a member's page")
        check(b'<html lang="en">' in content, f"{username}'s {path} (request {attempt}) is not in English")
    print(f"stack probe: {username}'s {path}, signed in, in English: X-Cache {served} twice")


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
    check_http_cache(proxy, args.username, args.password)


if __name__ == "__main__":
    main()
