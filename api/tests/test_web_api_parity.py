"""Everything a member, an HR member or a moderator can do on a page, the app
can do through the API: every state-changing web URL name (the site's pages
and allauth's account pages) maps to API operations, by operationId in
/api/schema/ or by method and path in the accounts schema (/_allauth/openapi.json).

A new page form without an API operation fails here. Add the operation (a thin
view over the same service, api/v1/), or, rarely, an ALLOWLIST entry that says
why the app does not need it: the list is reviewed with every change.
"""

import inspect

import pytest
from allauth.headless.spec.internal.schema import get_schema
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from frontend.views.thread_tools import ANSWER_TOOLS, THREAD_TOOLS

ACCOUNTS = "/_allauth/app/v1"

PARITY: dict[str, tuple[str, ...]] = {
    # allauth's account pages -> allauth headless (app client), plus our device tokens
    "account_signup": ("POST /auth/signup",),
    "account_confirm_email": ("POST /auth/email/verify",),
    "frontend:resend_confirmation": ("POST /auth/email/verify/resend",),
    "account_login": ("POST /auth/login", "auth_token_obtain"),
    "account_confirm_login_code": ("POST /auth/code/confirm",),
    "account_reauthenticate": ("POST /auth/reauthenticate",),
    "account_logout": ("DELETE /auth/session", "auth_token_revoke_current", "auth_tokens_revoke"),
    "account_change_password": ("POST /account/password/change",),
    "account_set_password": ("POST /account/password/change",),
    "account_reset_password": ("POST /auth/password/request",),
    "account_reset_password_from_key": ("POST /auth/password/reset",),
    # threads and answers
    "frontend:ask": ("threads_create",),
    "frontend:edit_question": ("threads_update",),
    "frontend:post_answer": ("threads_answers_create",),
    "frontend:edit_answer": ("answers_update",),
    "frontend:withdraw_answer": ("answers_withdraw",),
    "frontend:vote": ("answers_vote", "answers_unvote"),
    "frontend:accept": ("answers_accept",),
    "frontend:unaccept": ("answers_unaccept",),
    "frontend:confirm_answer_validity": ("answers_confirm_validity",),
    # A view of a thread page the HTTP cache answered: the app's read of a
    # thread counts itself (never answered by the cache, forum/http_cache.py).
    "frontend:thread_viewed": ("threads_retrieve",),
    # live sessions (issue 13)
    "frontend:live_schedule": ("live_sessions_create",),
    "frontend:live_follow": ("live_sessions_follow", "live_sessions_unfollow"),
    "frontend:live_submit": ("live_sessions_questions_create",),
    "frontend:live_vote": ("live_questions_vote", "live_questions_unvote"),
    "frontend:live_pick": ("live_questions_pick",),
    "frontend:live_answer": ("live_questions_answer",),
    "frontend:live_hide": ("live_questions_hide",),
    "frontend:live_approve": ("live_questions_approve",),
    "frontend:live_merge": ("live_questions_merge",),
    "frontend:live_convert": ("live_questions_convert",),
    "frontend:live_edit": ("live_sessions_partial_update",),
    "frontend:live_cancel": ("live_sessions_cancel",),
    # the alternance calendar (moderators)
    "frontend:moderation_calendar_new": ("calendar_windows_create",),
    "frontend:moderation_calendar_edit": ("calendar_windows_update",),
    "frontend:moderation_calendar_delete": ("calendar_windows_destroy",),
    # profile
    "frontend:edit_profile": ("me_update",),
    "frontend:delete_account": ("me_delete",),
    # notifications and following
    "frontend:follow_thread": ("threads_follow", "threads_unfollow"),
    "frontend:follow_tag": ("tags_follow", "tags_unfollow"),
    "frontend:notification_mark_read": ("notifications_mark_read",),
    "frontend:notifications_mark_all_read": ("notifications_mark_all_read",),
    "frontend:notification_preferences": ("notifications_preferences_update",),
    # the e-mail's signed one-click link; the app turns the same type off in its preferences
    "frontend:notifications_unsubscribe": ("notifications_preferences_update",),
    # tags
    "frontend:tag_describe": ("tags_describe",),
    # organisations and verified badges
    "frontend:organisation_create": ("organizations_create",),
    "frontend:organisation_manage": ("organizations_update",),
    "frontend:organisation_domain_add": ("organizations_domains_create",),
    "frontend:organisation_domain_remove": ("organizations_domains_destroy",),
    "frontend:verification_request": ("verification_requests_create",),
    "frontend:verification_confirm": ("verification_confirm",),
    "frontend:verification_cancel": ("verification_requests_cancel",),
    "frontend:verification_resend": ("verification_requests_resend",),
    "frontend:badge_renew": ("verification_badges_renew",),
    "frontend:badge_revoke": ("verification_badges_revoke",),
    "frontend:verification_decide": ("verification_requests_approve", "verification_requests_refuse"),
    # reports, appeals, warnings
    "frontend:flag": ("threads_flag", "answers_flag"),
    "frontend:appeal": ("threads_appeal", "answers_appeal"),
    "frontend:my_warnings": ("me_warnings_seen",),
    "frontend:charter_hints_dismiss": ("me_composer_hints_dismiss",),
    # moderation
    "frontend:moderation_decide": ("moderation_queue_decide",),
    "frontend:moderation_edit_item": ("moderation_queue_decide",),  # decision "edit_approve"
    "frontend:moderation_bulk": ("moderation_queue_bulk",),
    "frontend:moderation_member": (
        "moderation_members_warn",
        "moderation_members_suspend",
        "moderation_members_unsuspend",
        "moderation_members_ban",
        "moderation_members_unban",
    ),
    "frontend:moderation_member_export": ("moderation_members_export",),
    "frontend:moderation_thread_tool": (),  # per tool, below
    "frontend:moderation_answer_tool": (),
}

# The moderator tools of the thread page (one URL name, a tool per slug).
THREAD_TOOL_PARITY = {
    "lock": "threads_lock",
    "unlock": "threads_unlock",
    "pin": "threads_pin",
    "unpin": "threads_unpin",
    "duplicate": "threads_close_duplicate",
    "retag": "threads_retag",
    "merge": "threads_merge",
    "hide": "threads_hide",
    "restore": "threads_restore",
}
ANSWER_TOOL_PARITY = {
    "hide": "answers_hide",
    "restore": "answers_restore",
    "move": "threads_move_answers",
}

# Web pages that change state on GET (so the POST scan below misses them).
CHANGES_STATE_ON_GET = {"frontend:my_warnings"}  # opening it marks the warnings read

ALLOWLIST = {
    # Adding, removing or choosing the primary email address. allauth headless
    # verifies a new address by code and keeps that process in the session,
    # which a device token does not carry (api/headless.py): the app opens the
    # web page for it (rare, and the web verifies by link).
    "account_email",
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _view_code(callback):
    """The function, or the class of a callable instance (a syndication Feed)."""
    target = inspect.unwrap(callback)
    return target if inspect.isfunction(target) or inspect.ismethod(target) else type(target)


def accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    # Function views say so in their source: require_POST, or a branch on request.method.
    return "POST" in inspect.getsource(_view_code(callback))


def state_changing_web_urls() -> set[str]:
    """The site's pages and allauth's account pages (not the admin, the
    operators' tool, nor set_language: the app sends Accept-Language)."""
    found = set()
    for name, callback in _walk(get_resolver().url_patterns):
        module = (getattr(callback, "view_class", None) or _view_code(callback)).__module__
        if not module.startswith(("frontend.", "allauth.account.")):
            continue
        if accepts_post(callback) or name in CHANGES_STATE_ON_GET:
            found.add(name)
    return found


@pytest.fixture(scope="module")
def operation_ids() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {operation["operationId"] for operations in schema["paths"].values() for operation in operations.values()}


@pytest.fixture(scope="module")
def account_operations() -> set[str]:
    return {
        f"{method.upper()} {path.removeprefix(ACCOUNTS)}"
        for path, operations in get_schema()["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_state_changing_web_url_has_an_api_operation():
    web = state_changing_web_urls()

    missing = sorted(web - PARITY.keys() - ALLOWLIST)
    assert missing == [], f"web actions without an API operation: {missing}"
    # The scan still finds what the tables name (a renamed page must update them).
    assert sorted((PARITY.keys() | ALLOWLIST) - web) == []
    assert not PARITY.keys() & ALLOWLIST


def test_every_moderator_tool_of_the_thread_page_has_an_api_operation():
    assert THREAD_TOOLS.keys() == THREAD_TOOL_PARITY.keys()
    assert ANSWER_TOOLS.keys() == ANSWER_TOOL_PARITY.keys()


def test_the_named_api_operations_exist(operation_ids, account_operations):
    named = {ref for refs in PARITY.values() for ref in refs}
    named |= set(THREAD_TOOL_PARITY.values()) | set(ANSWER_TOOL_PARITY.values())
    unknown = sorted(
        ref for ref in named if ref not in (account_operations if ref.split(" ")[0].isupper() else operation_ids)
    )
    assert unknown == []
