"""/api/: the versioned REST API, its schema and its docs.

The last pattern catches every other /api/ path so that it, too, answers in
the API's JSON error shape (a 404, or a hint about a missing slash) instead of
the site's HTML pages.

The docs are Swagger UI only: drf-spectacular's Redoc page pulls its fonts from
Google's CDN, and nothing here may load from a third party.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import NotFoundView

urlpatterns = [
    path("v1/", include("api.v1.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, not inline,
    # so the Content-Security-Policy needs no 'unsafe-inline' for scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    # [\s\S]: a path may contain a newline (%0A), which "." would not match
    # (and "(?s)" would break reverse()).
    re_path(r"^[\s\S]*$", NotFoundView.as_view()),
]
