"""Probes for orchestrators and the proxy (docs/operations.md, "Health checks").

`/healthz` is liveness: the process answers, nothing else is asked, so a
database or Redis outage never makes every web container restart at once.
`/readyz` is readiness: send this process traffic only when it answers 200.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config import readiness

# How soon a load balancer or a client may ask again after a 503.
RETRY_AFTER_SECONDS = 5


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    problems = readiness.problems()
    checks = {name: problems.get(name, "ok") for name in readiness.CHECKS}
    if not problems:
        return JsonResponse({"status": "ready", "checks": checks})
    response = JsonResponse({"status": "unavailable", "failing": sorted(problems), "checks": checks}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
