from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from api.edge_reader import edge_answers, edge_reader, edge_view
from api.headless import UNUSED_PATHS, AccountsSpecView, AppChangePasswordView, AppConfigView, not_served
from config.metrics import metrics_view
from frontend.views import edge
from frontend.views.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Prometheus, restricted to a token or loopback (config/metrics.py).
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # Asked by the HTTP cache only (deploy/varnish/default.vcl), which refuses it from outside.
    path("_edge/reader/", edge_reader, name="edge-reader"),
    path("_edge/view/<int:pk>/", edge_view, name="edge-view"),
    path("_edge/answers/<int:pk>/", edge_answers, name="edge-answers"),
    path("_edge/menu/", edge.edge_menu, name="edge-menu"),
    path("_edge/csrf/", edge.edge_csrf, name="edge-csrf"),
    path("_edge/page/<path:page>", edge.edge_page, name="edge-page"),
    # Without a CSRF token: the switch only sets the reader's own language
    # cookie (a forged one changes nothing else, and `next` stays on this
    # host), and a token would be the one per-reader bit of an anonymous page,
    # costing each cached page a new secret, its masking and a cookie
    # (frontend/page_cache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("comptes/", include("allauth.urls")),
    path("api/", include("api.urls")),
    # allauth headless for the mobile app's accounts, at the paths allauth's
    # specification and client libraries expect (docs/api.md, "Accounts").
    path("_allauth/app/v1/config", AppConfigView.as_api_view(client="app")),
    path("_allauth/app/v1/account/password/change", AppChangePasswordView.as_api_view(client="app")),
    path("_allauth/openapi.json", AccountsSpecView.as_view(), name="accounts-schema"),
    path("_allauth/openapi.yaml", AccountsSpecView.as_view(format="yaml")),
    *[path(f"_allauth/app/v1/{unused}", not_served) for unused in UNUSED_PATHS],
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("frontend.urls")),
]

handler400 = "frontend.views.errors.bad_request"
handler403 = "frontend.views.errors.permission_denied"
handler404 = "frontend.views.errors.page_not_found"
handler500 = "frontend.views.errors.server_error"
