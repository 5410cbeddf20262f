"""schema.org data (JSON-LD) and share cards of the public pages, built from the same objects
the page renders, and only from what an anonymous reader may see: search
engines are anonymous readers, and a page cached for one viewer must not leak
another's pending answer into its structured data (docs/seo.md)."""

from html import unescape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum import permissions
from forum.models import Answer, BadgeRole, Question, User
from forum.presenters import EVERYONE, masked_name, verified_badges
from frontend.canonical import absolute
from frontend.share_image import ShareCard

ANONYMOUS = AnonymousUser()


def plain_text(html: str) -> str:
    """The text a reader sees of sanitised body HTML, whitespace folded."""
    return " ".join(unescape(strip_tags(html)).split())


def _person(user: User, *, affiliation: bool = True) -> dict:
    person = {"@type": "Person", "name": user.public_name, "url": absolute(user.get_absolute_url())}
    if user.is_erased:
        # "Deleted member": no profile page left to point at.
        del person["url"]
    if not affiliation:
        return person
    organisations = [badge.organisation for badge in verified_badges(user) if badge.organisation is not None]
    if organisations:
        # Verified staff speak for their organisation (the "Réponse RH vérifiée" of the page).
        person["worksFor"] = [
            {"@type": "Organization", "name": o.name, "url": absolute(o.get_absolute_url())} for o in organisations
        ]
    return person


def _masked_person() -> dict:
    return {"@type": "Person", "name": masked_name()}


def _post_person(post: Question | Answer, question: Question, *, affiliation: bool = True) -> dict:
    # Structured data and share cards are made once for every reader (and
    # search engines): the asker of a discreet thread is masked in them for all.
    if not permissions.can_see_author(EVERYONE, post, question):
        return _masked_person()
    return _person(post.author, affiliation=affiliation)


def _answer(answer: Answer, question: Question) -> dict:
    return {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "dateCreated": answer.created_at.isoformat(),
        **({"dateModified": answer.edited_at.isoformat()} if answer.edited_at else {}),
        "upvoteCount": answer.vote_count,
        "url": absolute(answer.get_absolute_url()),
        "author": _post_person(answer, question),
    }


def thread_json_ld(question: Question, answers: list[Answer], tags: list) -> list[dict]:
    """QAPage + BreadcrumbList of a thread, or nothing when an anonymous
    reader could not open it. `answers` is what the page shows to this viewer;
    the ones an anonymous reader would not see (pending, hidden: their
    author's or a moderator's view) are left out here, in the policy's words."""
    if not permissions.can_view_question(ANONYMOUS, question):
        return []
    public = [answer for answer in answers if permissions.can_view_answer(ANONYMOUS, answer)]
    accepted = next((a for a in public if a.pk == question.accepted_answer_id), None)
    url = absolute(question.get_absolute_url())
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": len(public),
        "dateCreated": question.created_at.isoformat(),
        **({"dateModified": question.edited_at.isoformat()} if question.edited_at else {}),
        "url": url,
        # Answers' authors come with their badges prefetched; the asker's would
        # cost two queries per page, for the rare asker who speaks for a company.
        "author": _post_person(question, question, affiliation=False),
        # Members vote on answers only: a question has no upvotes to report.
    }
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(accepted, question)
    suggested = [_answer(a, question) for a in public if a is not accepted]
    if suggested:
        entity["suggestedAnswer"] = suggested
    crumbs = [("Alternance Q&A", absolute(reverse("frontend:home")))]
    if tags:
        crumbs.append((tags[0].name, absolute(reverse("frontend:tag", args=[tags[0].slug]))))
    crumbs.append((question.title, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": item} for i, (name, item) in enumerate(crumbs, 1)
        ],
    }
    return [{"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}, breadcrumbs]


def thread_share_card(question: Question, answers: list[Answer], tags: list) -> ShareCard:
    """What the share image of a thread shows, from what an anonymous reader
    sees: a pending answer by a recruiter does not make a "verified" card."""
    verified = ""
    for answer in answers:
        if not permissions.can_view_answer(ANONYMOUS, answer):
            continue
        if not permissions.can_see_author(EVERYONE, answer, question):
            continue
        for badge in verified_badges(answer.author):
            if badge.role == BadgeRole.HR and badge.organisation is not None:
                verified = _("Verified HR answer · %(organisation)s") % {"organisation": badge.organisation.name}
                break
        if verified:
            break
    return ShareCard(
        title=question.title,
        tags=tuple(tag.name for tag in tags),
        verified_line=verified,
        site_name="Alternance Q&A",
    )


def share_meta(*, title: str, description: str, path: str, image: str = "", type: str = "website") -> dict:
    """The OpenGraph / Twitter card values of a page (partials/share_tags.html)."""
    return {
        "title": title,
        "description": " ".join(description.split())[:300],
        "url": absolute(path),
        "image": image,
        "type": type,
        "locale": "en_GB" if get_language() == "en" else "fr_FR",
    }


def thread_share_image_url(question: Question, card: ShareCard) -> str:
    params = {"v": card.version}
    if get_language() != settings.LANGUAGE_CODE:
        params["lang"] = get_language()
    return absolute(reverse("frontend:thread_share_image", args=[question.pk])) + "?" + urlencode(params)
