import functools

from django.http import JsonResponse
from django.urls import path, register_converter

from api.exceptions import error_body
from api.v1 import (
    answers,
    answers_to_check,
    audit,
    auth,
    calendar,
    charter,
    flags,
    insights,
    live_sessions,
    me,
    notifications,
    organisations,
    post_moderation,
    privacy,
    review_queue,
    sanctions,
    search,
    tags,
    thread_tools,
    threads,
    users,
    verification,
)
from forum.exceptions import InvalidInput
from forum.limits import check_lengths


class ObjectIdConverter:
    """Ids that fit a 64-bit column: a longer number is a plain 404, not a
    query that overflows."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class UsernameConverter:
    """Django's username characters, of any length: a longer one is refused
    with a 400 by limit_path_lengths, not a 404 that hides why."""

    regex = r"[\w.@+-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ObjectIdConverter, "object_id")
register_converter(UsernameConverter, "username")

app_name = "api-v1"
urlpatterns = [
    # Live Q&A sessions (issue 13)
    path("live-sessions/", live_sessions.LiveSessionListView.as_view(), name="live-sessions"),
    path("live-sessions/<object_id:pk>/", live_sessions.LiveSessionDetailView.as_view(), name="live-session"),
    path(
        "live-sessions/<object_id:pk>/cancel/",
        live_sessions.LiveSessionCancelView.as_view(),
        name="live-session-cancel",
    ),
    path(
        "live-sessions/<object_id:pk>/follow/",
        live_sessions.LiveSessionFollowView.as_view(),
        name="live-session-follow",
    ),
    path(
        "live-sessions/<object_id:pk>/questions/",
        live_sessions.LiveQuestionListView.as_view(),
        name="live-session-questions",
    ),
    path(
        "live-sessions/<object_id:pk>/transcript/",
        live_sessions.LiveTranscriptView.as_view(),
        name="live-session-transcript",
    ),
    path(
        "live-questions/<object_id:pk>/vote/", live_sessions.LiveQuestionVoteView.as_view(), name="live-question-vote"
    ),
    path(
        "live-questions/<object_id:pk>/pick/", live_sessions.LiveQuestionPickView.as_view(), name="live-question-pick"
    ),
    path(
        "live-questions/<object_id:pk>/answer/",
        live_sessions.LiveQuestionAnswerView.as_view(),
        name="live-question-answer",
    ),
    path(
        "live-questions/<object_id:pk>/hide/", live_sessions.LiveQuestionHideView.as_view(), name="live-question-hide"
    ),
    path(
        "live-questions/<object_id:pk>/approve/",
        live_sessions.LiveQuestionApproveView.as_view(),
        name="live-question-approve",
    ),
    path(
        "live-questions/<object_id:pk>/merge/",
        live_sessions.LiveQuestionMergeView.as_view(),
        name="live-question-merge",
    ),
    path(
        "live-questions/<object_id:pk>/convert/",
        live_sessions.LiveQuestionConvertView.as_view(),
        name="live-question-convert",
    ),
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/tokens/", auth.DeviceTokenListView.as_view(), name="tokens"),
    path("auth/tokens/<object_id:pk>/", auth.DeviceTokenDetailView.as_view(), name="token-detail"),
    path("threads/", threads.ThreadListView.as_view(), name="threads"),
    path("threads/similar/", search.SimilarThreadsView.as_view(), name="threads-similar"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("threads/facets/", threads.ThreadFacetsView.as_view(), name="thread-facets"),
    path("threads/boosted/", calendar.BoostedThreadsView.as_view(), name="threads-boosted"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/windows/", calendar.CalendarWindowCreateView.as_view(), name="calendar-windows"),
    path("calendar/windows/<object_id:pk>/", calendar.CalendarWindowView.as_view(), name="calendar-window"),
    path("threads/<object_id:pk>/", threads.ThreadDetailView.as_view(), name="thread"),
    path("threads/<object_id:pk>/revisions/", threads.ThreadRevisionListView.as_view(), name="thread-revisions"),
    path("threads/<object_id:pk>/answers/", answers.ThreadAnswerListView.as_view(), name="thread-answers"),
    path("answers/<object_id:pk>/", answers.AnswerDetailView.as_view(), name="answer"),
    path("answers/<object_id:pk>/vote/", answers.AnswerVoteView.as_view(), name="answer-vote"),
    path("answers/<object_id:pk>/accept/", answers.AnswerAcceptView.as_view(), name="answer-accept"),
    path("answers/<object_id:pk>/revisions/", answers.AnswerRevisionListView.as_view(), name="answer-revisions"),
    path(
        "answers/<object_id:pk>/confirm-validity/",
        answers_to_check.AnswerConfirmValidityView.as_view(),
        name="answer-confirm-validity",
    ),
    path("tags/", tags.TagListView.as_view(), name="tags"),
    path("users/<username:username>/", users.UserDetailView.as_view(), name="user"),
    path("users/<username:username>/answers/", users.UserAnswerListView.as_view(), name="user-answers"),
    path("me/", me.MeView.as_view(), name="me"),
    path("me/export/", privacy.MyDataExportView.as_view(), name="me-export"),
    path("me/delete/", privacy.DeleteMyAccountView.as_view(), name="me-delete"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path("notifications/unread-count/", notifications.UnreadCountView.as_view(), name="notifications-unread-count"),
    path("notifications/read-all/", notifications.MarkAllReadView.as_view(), name="notifications-read-all"),
    path("notifications/preferences/", notifications.PreferencesView.as_view(), name="notification-preferences"),
    path("notifications/<object_id:pk>/read/", notifications.MarkReadView.as_view(), name="notification-read"),
    path("subscriptions/", notifications.SubscriptionsView.as_view(), name="subscriptions"),
    path("threads/<object_id:pk>/follow/", notifications.ThreadFollowView.as_view(), name="thread-follow"),
    path("tags/<slug:slug>/", tags.TagDetailView.as_view(), name="tag"),
    path("tags/<slug:slug>/follow/", notifications.TagFollowView.as_view(), name="tag-follow"),
    path("devices/", notifications.DeviceListView.as_view(), name="devices"),
    path("devices/<object_id:pk>/", notifications.DeviceDetailView.as_view(), name="device"),
    path("users/", notifications.MemberSuggestView.as_view(), name="users-suggest"),
    # Organisations and verified badges ("organization" in the API, as in author badges).
    path("insights/", insights.InsightsView.as_view(), name="insights"),
    path(
        "insights/organizations/<slug:slug>/",
        insights.OrganizationInsightsView.as_view(),
        name="insights-organization",
    ),
    path("organizations/", organisations.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<slug:slug>/", organisations.OrganizationDetailView.as_view(), name="organization"),
    path(
        "organizations/<slug:slug>/members/",
        organisations.OrganizationMemberListView.as_view(),
        name="organization-members",
    ),
    path(
        "organizations/<slug:slug>/domains/",
        organisations.OrganizationDomainListView.as_view(),
        name="organization-domains",
    ),
    path(
        "organizations/<slug:slug>/domains/<str:domain>/",
        organisations.OrganizationDomainDetailView.as_view(),
        name="organization-domain",
    ),
    path("verification/requests/", verification.VerificationRequestListView.as_view(), name="verification-requests"),
    path(
        "verification/requests/<object_id:pk>/",
        verification.VerificationRequestDetailView.as_view(),
        name="verification-request",
    ),
    path(
        "verification/requests/<object_id:pk>/cancel/",
        verification.VerificationRequestCancelView.as_view(),
        name="verification-request-cancel",
    ),
    path(
        "verification/requests/<object_id:pk>/resend/",
        verification.VerificationRequestResendView.as_view(),
        name="verification-request-resend",
    ),
    path(
        "verification/requests/<object_id:pk>/approve/",
        verification.VerificationRequestApproveView.as_view(),
        name="verification-request-approve",
    ),
    path(
        "verification/requests/<object_id:pk>/refuse/",
        verification.VerificationRequestRefuseView.as_view(),
        name="verification-request-refuse",
    ),
    path("verification/confirm/", verification.VerificationConfirmView.as_view(), name="verification-confirm"),
    path("verification/queue/", verification.VerificationQueueView.as_view(), name="verification-queue"),
    path("verification/badges/", verification.BadgeListView.as_view(), name="verification-badges"),
    path(
        "verification/badges/<object_id:pk>/renew/",
        verification.BadgeRenewView.as_view(),
        name="verification-badge-renew",
    ),
    path(
        "verification/badges/<object_id:pk>/revoke/",
        verification.BadgeRevokeView.as_view(),
        name="verification-badge-revoke",
    ),
    # Moderation: reports, appeals, the review queue, thread tools, sanctions, audit log.
    path("threads/<object_id:pk>/flags/", flags.ThreadFlagView.as_view(), name="thread-flags"),
    path("answers/<object_id:pk>/flags/", flags.AnswerFlagView.as_view(), name="answer-flags"),
    path("threads/<object_id:pk>/appeal/", flags.ThreadAppealView.as_view(), name="thread-appeal"),
    path("answers/<object_id:pk>/appeal/", flags.AnswerAppealView.as_view(), name="answer-appeal"),
    path("threads/<object_id:pk>/hide/", post_moderation.ThreadHideView.as_view(), name="thread-hide"),
    path("answers/<object_id:pk>/hide/", post_moderation.AnswerHideView.as_view(), name="answer-hide"),
    path("threads/<object_id:pk>/restore/", post_moderation.ThreadRestoreView.as_view(), name="thread-restore"),
    path("answers/<object_id:pk>/restore/", post_moderation.AnswerRestoreView.as_view(), name="answer-restore"),
    path("threads/<object_id:pk>/lock/", thread_tools.ThreadLockView.as_view(), name="thread-lock"),
    path("threads/<object_id:pk>/pin/", thread_tools.ThreadPinView.as_view(), name="thread-pin"),
    path("threads/<object_id:pk>/duplicate/", thread_tools.ThreadDuplicateView.as_view(), name="thread-duplicate"),
    path("threads/<object_id:pk>/retag/", thread_tools.ThreadRetagView.as_view(), name="thread-retag"),
    path("threads/<object_id:pk>/merge/", thread_tools.ThreadMergeView.as_view(), name="thread-merge"),
    path(
        "threads/<object_id:pk>/move-answers/",
        thread_tools.ThreadMoveAnswersView.as_view(),
        name="thread-move-answers",
    ),
    path("moderation/queue/", review_queue.QueueView.as_view(), name="moderation-queue"),
    path("moderation/queue/bulk/", review_queue.BulkDecisionView.as_view(), name="moderation-queue-bulk"),
    path("moderation/queue/<object_id:pk>/", review_queue.QueueItemView.as_view(), name="moderation-item"),
    path("moderation/queue/<object_id:pk>/decision/", review_queue.DecisionView.as_view(), name="moderation-decide"),
    path("moderation/members/<username:username>/", sanctions.MemberView.as_view(), name="moderation-member"),
    path(
        "moderation/members/<username:username>/warn/",
        sanctions.MemberWarnView.as_view(),
        name="moderation-member-warn",
    ),
    path(
        "moderation/members/<username:username>/suspend/",
        sanctions.MemberSuspendView.as_view(),
        name="moderation-member-suspend",
    ),
    path(
        "moderation/members/<username:username>/ban/",
        sanctions.MemberBanView.as_view(),
        name="moderation-member-ban",
    ),
    path(
        "moderation/members/<username:username>/export/",
        privacy.MemberDataExportView.as_view(),
        name="moderation-member-export",
    ),
    path("moderation/audit/", audit.AuditLogView.as_view(), name="moderation-audit"),
    path("me/warnings/", sanctions.MyWarningsView.as_view(), name="me-warnings"),
    path("me/composer-hints/", charter.ComposerHintsView.as_view(), name="me-composer-hints"),
    path("me/composer-hints/dismiss/", charter.ComposerHintsDismissView.as_view(), name="me-composer-hints-dismiss"),
    path("moderation/decisions/<object_id:pk>/", charter.ModerationOutcomeView.as_view(), name="moderation-decision"),
    path("me/warnings/seen/", sanctions.MyWarningsSeenView.as_view(), name="me-warnings-seen"),
    path("me/answers-to-check/", answers_to_check.MyAnswersToCheckView.as_view(), name="me-answers-to-check"),
    path(
        "moderation/answers-to-check/",
        answers_to_check.ModerationAnswersToCheckView.as_view(),
        name="moderation-answers-to-check",
    ),
]


def limit_path_lengths(view):
    """A string path parameter over its forum.limits length is a 400 in the
    API's error shape, before the view runs (query parameters and bodies are
    bounded by api.v1.common.parse)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        errors = check_lengths((name, value) for name, value in kwargs.items() if isinstance(value, str))
        if errors:
            return JsonResponse(error_body("invalid", InvalidInput.default_message, errors), status=400)
        return view(request, *args, **kwargs)

    return wrapper


for _pattern in urlpatterns:
    _pattern.callback = limit_path_lengths(_pattern.callback)
