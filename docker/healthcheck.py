"""Docker HEALTHCHECK: GET /healthz on this container, as the proxy would.

Django answers 400 to a Host it does not serve, so the probe names the first
entry of ALLOWED_HOSTS; /healthz is exempt from the HTTPS redirect. Standard
library only: the slim image has no curl.
"""

import os
import sys
import urllib.request

hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
# ".example.org" allows every subdomain: the bare domain is one of them.
host = next((host.lstrip(".") for host in hosts if host != "*"), "localhost")
request = urllib.request.Request(f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # any failure means unhealthy; the message shows in `docker inspect`
    print(f"healthcheck failed: {exc}", file=sys.stderr)
    sys.exit(1)
