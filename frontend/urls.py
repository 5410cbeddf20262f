import functools

from django.core.exceptions import BadRequest
from django.urls import path, register_converter

from forum.limits import check_lengths, query_items
from frontend import feeds
from frontend.views import (
    accounts,
    answers,
    audit,
    calendar,
    charter,
    flags,
    insights,
    legal_dates,
    live_sessions,
    notifications,
    organisations,
    pages,
    privacy,
    profiles,
    questions,
    review_queue,
    sanctions,
    search,
    seo,
    thread_tools,
    verification,
)


class PostKindConverter:
    """The French slug of a post kind in a URL ("reponse") and the code value
    views and templates use ("answer"): French stays in this file."""

    SLUGS = {"question": "question", "answer": "reponse"}
    KINDS = {slug: kind for kind, slug in SLUGS.items()}
    regex = "question|reponse"

    def to_python(self, value: str) -> str:
        return self.KINDS[value]

    def to_url(self, value: str) -> str:
        if value not in self.SLUGS:
            raise ValueError(value)  # NoReverseMatch, rather than a link to a 404
        return self.SLUGS[value]


register_converter(PostKindConverter, "post_kind")

app_name = "frontend"
urlpatterns = [
    path("", questions.home, name="home"),
    # For search engines (frontend/views/seo.py)
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    # Atom feeds (frontend/feeds.py)
    path("flux/questions/", feeds.NewestQuestionsFeed(), name="feed_questions"),
    path("flux/tags/<slug:slug>/", feeds.TagFeed(), name="feed_tag"),
    path("flux/tags/<slug:slug>/sans-reponse/", feeds.UnansweredTagFeed(), name="feed_tag_unanswered"),
    path("flux/organisations/<slug:slug>/", feeds.OrganisationFeed(), name="feed_organisation"),
    path("recherche/", search.search_page, name="search"),
    path("questions/poser/", questions.ask, name="ask"),
    # The ask form's "similar questions", as HTML for forms.js (issue 11)
    path("questions/similaires/", search.similar_fragment, name="similar_questions"),
    # Discovery lists (issue 11)
    path("questions/sans-reponse/", questions.discovery, {"list_name": "unanswered"}, name="unanswered"),
    path("questions/populaires/", questions.discovery, {"list_name": "hot"}, name="hot"),
    path(
        "questions/resolues-par-un-rh/",
        questions.discovery,
        {"list_name": "solved_by_verified"},
        name="solved_by_verified",
    ),
    # The bare id (and any old slug) redirects permanently to the canonical
    # /questions/<id>/<slug>/; the thread's own sub-paths come first, since a
    # slug could otherwise swallow them (forum.slugs.RESERVED).
    path("questions/<int:pk>/", questions.thread, name="thread_by_id"),
    path("questions/<int:pk>/modifier/", questions.edit_question, name="edit_question"),
    path("questions/<int:pk>/historique/", questions.question_history, name="question_history"),
    path("questions/<int:pk>/repondre/", answers.post_answer, name="post_answer"),
    # The live parts of a thread for this viewer, fetched by live.js (issues 10 and 19)
    path("questions/<int:pk>/reponses/", questions.thread_answers, name="thread_answers"),
    path("questions/<int:pk>/partage.png", seo.thread_share_image, name="thread_share_image"),
    path("questions/<int:pk>/suivre/", notifications.follow_thread, name="follow_thread"),
    path("questions/<int:pk>/<slug:slug>/", questions.thread, name="thread"),
    # An anonymous reader's view of a thread page the HTTP cache answered (live.js).
    # Not under questions/<id>/: any word there could be a thread's slug.
    path("vues/<int:pk>/", questions.thread_viewed, name="thread_viewed"),
    path("reponses/<int:pk>/vote/", answers.toggle_vote, name="vote"),
    path("reponses/<int:pk>/accepter/", answers.accept, name="accept"),
    path("reponses/<int:pk>/ne-plus-accepter/", answers.unaccept, name="unaccept"),
    path("reponses/<int:pk>/modifier/", answers.edit_answer, name="edit_answer"),
    path("reponses/<int:pk>/retirer/", answers.withdraw_answer, name="withdraw_answer"),
    path("reponses/<int:pk>/historique/", answers.answer_history, name="answer_history"),
    path("reponses/<int:pk>/toujours-valable/", legal_dates.confirm_validity, name="confirm_answer_validity"),
    path("mes-reponses-a-verifier/", legal_dates.my_answers_to_check, name="my_answers_to_check"),
    path(
        "moderation/reponses-a-verifier/",
        legal_dates.moderation_answers_to_check,
        name="moderation_answers_to_check",
    ),
    path("tags/", questions.tag_index, name="tag_index"),
    path("tags/suggestions/", questions.tag_suggest, name="tag_suggest"),
    path("tags/<slug:slug>/", questions.tag_detail, name="tag"),
    path("tags/<slug:slug>/description/", questions.describe_tag, name="tag_describe"),
    path("tags/<slug:slug>/suivre/", notifications.follow_tag, name="follow_tag"),
    path("membres/<str:username>/", profiles.profile, name="profile"),
    path("mon-profil/", profiles.edit_profile, name="edit_profile"),
    # RGPD: a member's data and account; the policy and the legal notice.
    path("mon-profil/donnees/", privacy.my_data, name="my_data"),
    path("mon-profil/donnees/telecharger/", privacy.download_my_data, name="download_my_data"),
    path("mon-profil/supprimer/", privacy.delete_account, name="delete_account"),
    path("confidentialite/", privacy.privacy_policy, name="privacy"),
    path("mentions-legales/", privacy.legal_notice, name="legal_notice"),
    path("charte/", pages.charter, name="charter"),
    path("comptes/confirmation/renvoyer/", accounts.resend_confirmation, name="resend_confirmation"),
    path("aide/", pages.help_index, name="help"),
    path("aide/markdown/", pages.markdown_help, name="markdown_help"),
    path("aide/reponses-datees/", legal_dates.help_dated_answers, name="help_dated_answers"),
    path("aide/calendrier/", calendar.help_calendar, name="help_calendar"),
    path("aide/mode-discret/", pages.discreet_help, name="help_discreet"),
    path("aide/charte-en-pratique/", charter.help_charter, name="help_charter"),
    path("charte/conseils/compris/", charter.dismiss_hints, name="charter_hints_dismiss"),
    # Organisations and verified badges
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/nouvelle/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/gerer/", organisations.organisation_manage, name="organisation_manage"),
    path("organisations/<slug:slug>/domaines/", organisations.domain_add, name="organisation_domain_add"),
    path("organisations/<slug:slug>/domaines/retirer/", organisations.domain_remove, name="organisation_domain_remove"),
    path("organisations/<slug:slug>/badge/", verification.request_badge, name="verification_request"),
    path("badges/", verification.my_badges, name="my_badges"),
    path("badges/confirmer/<str:token>/", verification.confirm, name="verification_confirm"),
    path("badges/demandes/<int:pk>/annuler/", verification.cancel, name="verification_cancel"),
    path("badges/demandes/<int:pk>/renvoyer/", verification.resend, name="verification_resend"),
    path("badges/<int:pk>/renouveler/", verification.renew, name="badge_renew"),
    path("badges/<int:pk>/retirer/", verification.revoke, name="badge_revoke"),
    path("moderation/badges/", verification.queue, name="verification_queue"),
    path("moderation/badges/<int:pk>/", verification.decide, name="verification_decide"),
    # Moderation: the review queue, the audit log, members and sanctions, thread tools
    path("moderation/", review_queue.queue, name="moderation_queue"),
    path("moderation/file/groupe/", review_queue.bulk, name="moderation_bulk"),
    path("moderation/file/<int:pk>/", review_queue.queue_item, name="moderation_item"),
    path("moderation/file/<int:pk>/decider/", review_queue.decide, name="moderation_decide"),
    path("moderation/file/<int:pk>/modifier/", review_queue.edit_item, name="moderation_edit_item"),
    path("moderation/journal/", audit.audit_log, name="moderation_audit"),
    path("moderation/membres/<str:username>/", sanctions.member, name="moderation_member"),
    path(
        "moderation/membres/<str:username>/donnees/",
        privacy.moderation_member_export,
        name="moderation_member_export",
    ),
    path("moderation/questions/<int:pk>/<slug:tool>/", thread_tools.thread_tool, name="moderation_thread_tool"),
    path("moderation/reponses/<int:pk>/<slug:tool>/", thread_tools.answer_tool, name="moderation_answer_tool"),
    path("moderation/calendrier/", calendar.calendar_list, name="moderation_calendar"),
    path("moderation/calendrier/nouvelle/", calendar.calendar_edit, name="moderation_calendar_new"),
    path("moderation/calendrier/<int:pk>/", calendar.calendar_edit, name="moderation_calendar_edit"),
    path("moderation/calendrier/<int:pk>/supprimer/", calendar.calendar_delete, name="moderation_calendar_delete"),
    # Members: reports, appeals, their own warnings
    path("signaler/<post_kind:kind>/<int:pk>/", flags.flag, name="flag"),
    path("recours/<post_kind:kind>/<int:pk>/", flags.appeal, name="appeal"),
    path("mes-avertissements/", sanctions.my_warnings, name="my_warnings"),
    path("moderation/decisions/<int:pk>/", charter.moderation_outcome, name="moderation_outcome"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/<int:pk>/lue/", notifications.mark_read, name="notification_mark_read"),
    path("notifications/tout-lu/", notifications.mark_all_read, name="notifications_mark_all_read"),
    path("notifications/preferences/", notifications.preferences, name="notification_preferences"),
    path("notifications/desabonnement/<str:token>/", notifications.unsubscribe, name="notifications_unsubscribe"),
    # HR insights ("veille", issue 14): verified HR and school staff, moderators
    path("veille/", insights.insights, name="insights"),
    path("veille/export/<slug:name>.csv", insights.insights_csv, name="insights_csv"),
    # Live Q&A sessions, "chats conseil" (issue 13); the session's fixed
    # sub-paths come before its slug (LiveSession.slug avoids them).
    path("chats-conseil/", live_sessions.session_list, name="live_sessions"),
    path("chats-conseil/programmer/", live_sessions.schedule, name="live_schedule"),
    path("chats-conseil/questions/<int:question_pk>/vote/", live_sessions.vote, name="live_vote"),
    path("chats-conseil/questions/<int:question_pk>/prendre/", live_sessions.pick, name="live_pick"),
    path("chats-conseil/questions/<int:question_pk>/repondre/", live_sessions.answer, name="live_answer"),
    path("chats-conseil/questions/<int:question_pk>/masquer/", live_sessions.hide, name="live_hide"),
    path("chats-conseil/questions/<int:question_pk>/publier/", live_sessions.approve, name="live_approve"),
    path("chats-conseil/questions/<int:question_pk>/fusionner/", live_sessions.merge, name="live_merge"),
    path("chats-conseil/questions/<int:question_pk>/en-discussion/", live_sessions.convert, name="live_convert"),
    path("chats-conseil/<int:pk>/", live_sessions.session_by_id, name="live_session_by_id"),
    path("chats-conseil/<int:pk>/direct/", live_sessions.session_parts, name="live_session_parts"),
    path("chats-conseil/<int:pk>/poser/", live_sessions.submit_question, name="live_submit"),
    path("chats-conseil/<int:pk>/suivre/", live_sessions.follow, name="live_follow"),
    path("chats-conseil/<int:pk>/modifier/", live_sessions.edit, name="live_edit"),
    path("chats-conseil/<int:pk>/annuler/", live_sessions.cancel, name="live_cancel"),
    path("chats-conseil/<int:pk>/agenda.ics", live_sessions.calendar_file, name="live_calendar"),
    path("chats-conseil/<int:pk>/<slug:slug>/", live_sessions.session_page, name="live_session"),
    path("chats-conseil/<int:pk>/<slug:slug>/transcription/", live_sessions.transcript, name="live_transcript"),
    # The editors' @mention autocomplete, as JSON for mentions.js (issue 12).
    path("mentions/suggestions/", notifications.mention_suggest, name="mention_suggest"),
]


def limit_input_lengths(view):
    """Every query parameter and string path parameter of a page has a
    maximum length (forum.limits): beyond it the answer is the 400 page with
    the reason, before the view runs, never a query that fails with a 500."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        items = query_items(request.GET) + [(name, value) for name, value in kwargs.items() if isinstance(value, str)]
        errors = check_lengths(items)
        if errors:
            name, messages = next(iter(errors.items()))
            raise BadRequest(f"{name}: {messages[0]}")
        return view(request, *args, **kwargs)

    return wrapper


for _pattern in urlpatterns:
    _pattern.callback = limit_input_lengths(_pattern.callback)
