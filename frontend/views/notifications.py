"""The notification centre: the list, opening one (read, then the exact
answer), marking read, following a thread, preferences, and the one-click
unsubscribe of emails (no login needed: the signed link is the credential)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from forum import queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import Channel, NotificationKind, NotificationPreference, Question
from forum.notifications import texts
from forum.notifications.fanout import MENTION_RE
from forum.services import notifications as notification_services
from frontend.views.common import paginate, raise_for_page, refuse, safe_next_url, see_other


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind") or ""
    rows = queries.notifications_of(
        request.user, unread_only=unread_only, kind=kind if kind in NotificationKind.values else ""
    )
    page = paginate(rows, request.GET.get("page"), per_page=30)
    items = [{"n": n, "text": texts.describe(n), "url": texts.link(n)} for n in page.items]
    return render(
        request,
        "frontend/notifications/list.html",
        {"page": page, "items": items, "unread_only": unread_only, "kind": kind, "kinds": NotificationKind.choices},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A GET that writes: following the link is what reading means, and it is
    the member's own row (safe to repeat)."""
    try:
        notification = notification_services.mark_read(user=request.user, notification_id=pk)
    except ForumError as exc:
        raise_for_page(exc)
    return see_other(texts.target_url(notification))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_services.mark_read(user=request.user, notification_id=pk)
    except ForumError as exc:
        raise_for_page(exc)
    return see_other(safe_next_url(request, "/notifications/"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_services.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return see_other(safe_next_url(request, "/notifications/"))


@login_required
@require_POST
def follow_thread(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    following = request.POST.get("following") == "1"
    try:
        notification_services.set_thread_following(user=request.user, question=question, following=following)
    except ForumError as exc:
        return refuse(request, exc, question.get_absolute_url())
    messages.success(request, _("You follow this thread.") if following else _("You no longer follow this thread."))
    return see_other(question.get_absolute_url())


@login_required
@require_POST
def follow_tag(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (or stop following) a tag: its new questions notify the member
    (forum.notifications, type "new question in a followed tag")."""
    url = reverse("frontend:tag", args=[slug])
    try:
        if request.POST.get("following") == "1":
            notification_services.follow_tag(user=request.user, slug=slug)
            messages.success(request, _("You follow this tag: its new questions will notify you."))
        else:
            notification_services.unfollow_tag(user=request.user, slug=slug)
            messages.success(request, _("You no longer follow this tag."))
    except ForumError as exc:
        return refuse(request, exc, url)
    return see_other(url)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = notification_services.preferences_of(request.user)
    errors = {}
    if request.method == "POST":
        channels = {kind: request.POST.get(f"channel_{kind}", "") for kind in NotificationKind.values}
        try:
            notification_services.update_preferences(
                user=request.user,
                channels={k: v for k, v in channels.items() if v},
                muted=request.POST.get("muted") == "1",
                quiet_start=_time(request.POST.get("quiet_start")),
                quiet_end=_time(request.POST.get("quiet_end")),
                digest=request.POST.get("digest") or NotificationPreference.Digest.NONE,
                language=request.POST.get("language") or "fr",
            )
        except InvalidInput as exc:
            errors = exc.fields
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return see_other(request.path)
    rows = [
        {"kind": value, "label": label, "channel": pref.channel(value)} for value, label in NotificationKind.choices
    ]
    return render(
        request,
        "frontend/notifications/preferences.html",
        {
            "pref": pref,
            "rows": rows,
            "channels": Channel.choices,
            "digests": NotificationPreference.Digest.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _time(raw: str | None):
    from datetime import time

    if not raw:
        return None
    try:
        hours, minutes = raw.split(":")[:2]
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(fields={"quiet_hours": [_("Enter a time as HH:MM.")]}) from None


# No CSRF: a mail client posts "List-Unsubscribe=One-Click" here (RFC 8058)
# with no cookie; the signed token in the URL is what authorises it.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    decoded = texts.read_unsubscribe_token(token)
    if decoded is None:
        return render(request, "frontend/notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind_label = NotificationKind(decoded[1]).label
    if request.method == "POST":
        notification_services.unsubscribe(token=token)
        return render(request, "frontend/notifications/unsubscribe.html", {"done": True, "kind_label": kind_label})
    return render(request, "frontend/notifications/unsubscribe.html", {"kind_label": kind_label, "token": token})


# A username's own limit (forum.limits): nothing longer can match one.
MENTION_QUERY_MAX_LENGTH = 150


@require_GET
def mention_suggest(request: HttpRequest) -> JsonResponse:
    """For mentions.js: members whose username starts with `q` (what follows
    the `@` being typed), from one letter on. The API's `users_suggest` gives
    the same list from two letters, behind the API's throttles; this one is
    the editor's, on the session, like the tag suggestions."""
    if not request.user.is_authenticated:
        # Only members write posts; the member list is not for crawling.
        return JsonResponse({"errors": {"__all__": [_("Log in to mention a member.")]}}, status=403)
    query = request.GET.get("q", "").strip().removeprefix("@")
    if len(query) > MENTION_QUERY_MAX_LENGTH:
        message = ngettext("At most %(max)d character.", "At most %(max)d characters.", MENTION_QUERY_MAX_LENGTH)
        return JsonResponse({"errors": {"q": [message % {"max": MENTION_QUERY_MAX_LENGTH}]}}, status=400)
    # What the post's mention parser would not read as a name suggests nobody.
    if not MENTION_RE.fullmatch("@" + query):
        return JsonResponse({"results": []})
    members = queries.member_suggestions(query, exclude_id=request.user.pk)
    return JsonResponse(
        {"results": [{"username": member.username, "display_name": member.public_name} for member in members]}
    )
