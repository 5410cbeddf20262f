"""Container health probe: GET /healthz (default) or the path given, e.g.
`python /app/docker/healthcheck.py /readyz`, on this container, as the proxy
would.

The image's HEALTHCHECK asks /healthz (is the process alive?); compose.yaml asks
/readyz (database, Redis and migrations), so that the proxy only starts once a
web container can serve (docs/operations.md, "Health checks").

Django answers 400 to a Host it does not serve, so the probe names the first
entry of ALLOWED_HOSTS; both paths are exempt from the HTTPS redirect. Standard
library only: the slim image has no curl.
"""

import os
import sys
import urllib.error
import urllib.request

PATHS = {"/healthz", "/readyz"}

path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
if path not in PATHS:
    sys.exit(f"usage: healthcheck.py [{' | '.join(sorted(PATHS))}]")
hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
# ".example.org" allows every subdomain: the bare domain is one of them.
host = next((host.lstrip(".") for host in hosts if host != "*"), "localhost")
request = urllib.request.Request(f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except urllib.error.HTTPError as exc:  # /readyz's 503 names the failing part: show it in `docker inspect`
    print(f"healthcheck failed: {exc.code} {exc.read(500).decode(errors='replace')}", file=sys.stderr)
    sys.exit(1)
except Exception as exc:  # any failure means unhealthy; the message shows in `docker inspect`
    print(f"healthcheck failed: {exc}", file=sys.stderr)
    sys.exit(1)
