"""Front-door permission classes. They mostly decide "is there someone at
all"; whether this member may do this to that is forum.permissions' decision,
asked by the service the view calls. IsModerator is the exception: whole
resources exist for moderators only, so it asks forum.permissions up front."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from forum import permissions


def _method_unsupported(request, view) -> bool:
    # DRF checks permissions before it looks for the handler: without this an
    # anonymous PUT would be a 401, and logging in would only lead to a 405.
    return not hasattr(view, request.method.lower())


class ReadOnlyUnlessAuthenticated(BasePermission):
    """Anyone may read; a write without credentials is a 401, not a 403, so the
    app knows to log in rather than to give up."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or _method_unsupported(request, view):
            return True
        return bool(request.user and request.user.is_authenticated)


class Authenticated(BasePermission):
    """For resources that only exist for someone: /me/, device tokens."""

    def has_permission(self, request, view) -> bool:
        if _method_unsupported(request, view):
            return True
        return bool(request.user and request.user.is_authenticated)


class IsModerator(BasePermission):
    """Moderators' resources (review queue, thread tools, sanctions, audit log):
    a member gets the policy's 403 and its message. Put after Authenticated,
    so that no credentials is still a 401."""

    def has_permission(self, request, view) -> bool:
        if _method_unsupported(request, view):
            return True
        permissions.check_can_review(request.user)
        return True
