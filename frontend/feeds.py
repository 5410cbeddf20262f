"""Atom feeds (django.contrib.syndication): the newest questions, each tag,
the unanswered questions of a tag (for HR "veille"), and each organisation's
questions and answers. Everything as an anonymous reader sees it: a feed
reader has no session."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum import permissions, queries
from forum.exceptions import NotFound
from forum.models import Answer, Question
from forum.presenters import EVERYONE, masked_name
from frontend.structured_data import ANONYMOUS

FEED_ITEMS = 30


class _QuestionFeed(Feed):
    feed_type = Atom1Feed

    def language(self) -> str:
        # The request's (cookie, Accept-Language or ?lang=), not LANGUAGE_CODE.
        return get_language()

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        # Sanitised on write (forum.markdown): the same HTML the page shows.
        return item.body_html

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item) -> str:
        # A feed is one document for every subscriber: a discreet asker is masked for all.
        if not permissions.can_see_author(EVERYONE, item):
            return masked_name()
        return item.author.public_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return getattr(item, "last_activity_at", None) or item.edited_at or item.created_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()] if isinstance(item, Question) else []

    def _questions(self, **filters):
        return queries.question_list(ANONYMOUS, ordering="newest", **filters)[:FEED_ITEMS]


class NewestQuestionsFeed(_QuestionFeed):
    def title(self) -> str:
        return _("Newest questions · Alternance Q&A")

    def subtitle(self) -> str:
        return _("Students in work-study ask, answer and help each other.")

    def link(self) -> str:
        return reverse("frontend:home")

    def items(self):
        return self._questions()


def _visible_tag(slug: str):
    try:
        return queries.get_visible_tag(ANONYMOUS, slug)
    except NotFound:
        raise Http404 from None


class TagFeed(_QuestionFeed):
    def get_object(self, request, slug: str):
        return _visible_tag(slug)

    def title(self, tag) -> str:
        return _("Questions tagged %(tag)s · Alternance Q&A") % {"tag": tag.name}

    def link(self, tag) -> str:
        return reverse("frontend:tag", args=[tag.slug])

    def items(self, tag):
        return self._questions(tag=tag.slug)


class UnansweredTagFeed(TagFeed):
    """For recruiters and schools who watch a subject: the questions of a tag
    that nobody has answered yet, newest first."""

    def title(self, tag) -> str:
        return _("Unanswered questions tagged %(tag)s · Alternance Q&A") % {"tag": tag.name}

    def link(self, tag) -> str:
        return reverse("frontend:tag", args=[tag.slug]) + "?filter=unanswered"

    def items(self, tag):
        return self._questions(tag=tag.slug, status="unanswered")


class OrganisationFeed(_QuestionFeed):
    """Questions addressed to an organisation and answers by its verified
    members, newest first, in one feed."""

    def get_object(self, request, slug: str):
        try:
            return queries.get_organisation(slug)
        except NotFound:
            raise Http404 from None

    def title(self, organisation) -> str:
        return _("%(name)s: questions and answers · Alternance Q&A") % {"name": organisation.name}

    def link(self, organisation) -> str:
        return organisation.get_absolute_url()

    def items(self, organisation):
        addressed = list(
            queries.question_list(ANONYMOUS, ordering="newest").filter(addressed_to=organisation)[:FEED_ITEMS]
        )
        answers = queries.organisation_recent_answers(ANONYMOUS, organisation, limit=FEED_ITEMS)
        return sorted([*addressed, *answers], key=lambda item: item.created_at, reverse=True)[:FEED_ITEMS]

    def item_title(self, item) -> str:
        if isinstance(item, Answer):
            name = item.author.public_name if permissions.can_see_author(EVERYONE, item) else masked_name()
            return _("%(name)s answered: %(title)s") % {"name": name, "title": item.question.title}
        return item.title

    def item_description(self, item) -> str:
        return item.body_html

    def item_updateddate(self, item):
        return item.edited_at or item.created_at


def feed_links(*feeds: tuple[str, str]) -> list[dict]:
    """`<link rel="alternate" type="application/atom+xml">` of a page: (title, path)."""
    return [{"title": title, "href": path} for title, path in feeds]
