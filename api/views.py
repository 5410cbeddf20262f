from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any /api/ path that names nothing, whatever the method."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(self._message(request.path))

    def _message(self, path: str) -> str:
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and match.func.view_class is not NotFoundView:
                return _("No such address. Did you mean %(path)s (with a final slash)?") % {"path": path + "/"}
        return _("No such address in the API: see /api/docs/.")
