"""Organisations (companies, schools, CFAs) and their verified email domains.

Moderators create and edit organisations and decide which email domains prove
membership; every change is written to the audit log.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forum import confusables, permissions
from forum.exceptions import Conflict, NotFound
from forum.models import Organisation, OrganisationDomain, Question, QuestionAddressee, User
from forum.services import audit
from forum.validation import Errors, raise_if

NAME_MAX = 120
DESCRIPTION_MAX = 300
# A question may be addressed to a few organisations, not broadcast to all.
ADDRESSEES_MAX = 3
# Discreet mode hides an asker from their employer and school (and perhaps a
# previous one): a handful, not a way to hide from every HR team at once.
DISCREET_FROM_MAX = 5

# Anyone can open an address there: such a domain proves nothing.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "icloud.com",
        "me.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "bbox.fr",
        "aol.com",
        "gmx.fr",
        "gmx.com",
        "proton.me",
        "protonmail.com",
        "yopmail.com",
    }
)

SLUG = re.compile(r"[-a-z0-9_]{1,80}")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_domain(value) -> str | None:
    """'@Groupe.Example.COM.' -> 'groupe.example.com'; None when not a domain name."""
    if not isinstance(value, str):
        return None
    domain = value.strip().lower().lstrip("@").rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None
    return domain


def email_domain(address: str) -> str | None:
    if not isinstance(address, str) or address.count("@") != 1:
        return None
    return normalise_domain(address.rsplit("@", 1)[1])


def domain_matches(address_domain: str, organisation_domain: str) -> bool:
    """Exact domain or a subdomain of it: 'rh.groupe.fr' matches 'groupe.fr',
    'evilgroupe.fr' and 'groupe.fr.evil.com' do not."""
    return address_domain == organisation_domain or address_domain.endswith("." + organisation_domain)


def _clean_text(value, field: str, limit: int, errors: Errors, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Enter text."))
        return ""
    value = " ".join(value.replace("\x00", "").split())
    if required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("At most %(max)d characters.") % {"max": limit})
    return value


def _clean_url(value, field: str, errors: Errors) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Enter a web address."))
        return ""
    value = value.strip()
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        errors.setdefault(field, []).append(_("Enter a full web address starting with https://."))
        return ""
    if len(value) > 200:
        errors.setdefault(field, []).append(_("At most %(max)d characters.") % {"max": 200})
    return value


def _clean_kind(value, errors: Errors) -> str:
    if value not in Organisation.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a company or a school."))
        return Organisation.Kind.COMPANY
    return value


def _snapshot(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "website": organisation.website,
        "logo_url": organisation.logo_url,
        "description": organisation.description,
        "auto_approve_ambassadors": organisation.auto_approve_ambassadors,
    }


def _check_name(name: str, errors: Errors) -> None:
    """An organisation's name is shown on badges: the name rule of members
    (forum.permissions.name_refusal) applies. And no two organisations may
    look the same ("Banque Horizon" and "Bаnque Horizon" with a Cyrillic а,
    `_name_taken`): organisations are few and created by moderators, so
    comparing keys in Python is enough; no stored column."""
    if not name:
        return
    refusal = permissions.name_refusal(None, name, field="organisation")
    if refusal:
        errors.setdefault("name", []).append(refusal)


def _name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Same name as another organisation as a reader sees it: case, accents,
    separators and look-alike letters aside."""
    wanted = confusables.compact_key(name)
    others = Organisation.objects.exclude(pk=exclude_pk).values_list("name", flat=True)
    return any(confusables.compact_key(other) == wanted for other in others)


def create_organisation(
    *,
    actor: User,
    name: str,
    kind: str = Organisation.Kind.COMPANY,
    slug: str | None = None,
    website: str = "",
    logo_url: str = "",
    description: str = "",
    auto_approve_ambassadors: bool = False,
    domains: list[str] | tuple[str, ...] = (),
) -> Organisation:
    permissions.check_can_manage_organisations(actor)
    errors: Errors = {}
    name = _clean_text(name, "name", NAME_MAX, errors, required=True)
    slug = slugify(slug or name)[:80].strip("-")
    if name and not slug:
        errors.setdefault("slug", []).append(_("Choose a web name made of letters and digits."))
    values = {
        "kind": _clean_kind(kind, errors),
        "website": _clean_url(website, "website", errors),
        "logo_url": _clean_url(logo_url, "logo_url", errors),
        "description": _clean_text(description, "description", DESCRIPTION_MAX, errors),
        "auto_approve_ambassadors": bool(auto_approve_ambassadors),
    }
    cleaned_domains = [_clean_new_domain(d, errors) for d in domains]
    _check_name(name, errors)
    raise_if(errors)
    if _name_taken(name) or Organisation.objects.filter(slug=slug).exists():
        raise Conflict(_("An organisation with this name already exists."), fields={"name": [_("Already taken.")]})
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(name=name, slug=slug, **values)
            audit.record(actor=actor, action="organisation.created", target=organisation, after=_snapshot(organisation))
            for domain in cleaned_domains:
                _create_domain(actor=actor, organisation=organisation, domain=domain)
    except IntegrityError:
        raise Conflict(_("An organisation with this name or domain already exists.")) from None
    return organisation


def update_organisation(
    *,
    actor: User,
    organisation: Organisation,
    name: str | None = None,
    kind: str | None = None,
    website: str | None = None,
    logo_url: str | None = None,
    description: str | None = None,
    auto_approve_ambassadors: bool | None = None,
) -> Organisation:
    """Fields left as None keep their value. The slug never changes: it is in
    links people shared."""
    permissions.check_can_manage_organisations(actor)
    errors: Errors = {}
    changes: dict = {}
    if name is not None:
        changes["name"] = _clean_text(name, "name", NAME_MAX, errors, required=True)
    if kind is not None:
        changes["kind"] = _clean_kind(kind, errors)
    if website is not None:
        changes["website"] = _clean_url(website, "website", errors)
    if logo_url is not None:
        changes["logo_url"] = _clean_url(logo_url, "logo_url", errors)
    if description is not None:
        changes["description"] = _clean_text(description, "description", DESCRIPTION_MAX, errors)
    if auto_approve_ambassadors is not None:
        changes["auto_approve_ambassadors"] = bool(auto_approve_ambassadors)
    if changes.get("name") and changes["name"] != organisation.name:
        _check_name(changes["name"], errors)
    raise_if(errors)
    if "name" in changes and _name_taken(changes["name"], exclude_pk=organisation.pk):
        raise Conflict(_("An organisation with this name already exists."), fields={"name": [_("Already taken.")]})
    with transaction.atomic():
        locked = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
        before = _snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        after = _snapshot(locked)
        if after != before:
            locked.save(update_fields=list(changes))
            audit.record(actor=actor, action="organisation.updated", target=locked, before=before, after=after)
    return locked


def _clean_new_domain(value, errors: Errors) -> str:
    domain = normalise_domain(value)
    if domain is None:
        errors.setdefault("domain", []).append(_("Enter a domain name such as groupe-exemple.fr."))
        return ""
    if domain in PUBLIC_EMAIL_DOMAINS:
        errors.setdefault("domain", []).append(
            _("%(domain)s is a public email service: an address there proves nothing.") % {"domain": domain}
        )
    return domain


def _create_domain(*, actor: User, organisation: Organisation, domain: str) -> OrganisationDomain:
    if OrganisationDomain.objects.filter(domain=domain).exists():
        raise Conflict(
            _("The domain %(domain)s already belongs to an organisation.") % {"domain": domain},
            fields={"domain": [_("Already used.")]},
        )
    entry = OrganisationDomain.objects.create(organisation=organisation, domain=domain, added_by=actor)
    audit.record(
        actor=actor,
        action="organisation.domain_added",
        target=organisation,
        after={"domain": domain},
    )
    return entry


def add_domain(*, actor: User, organisation: Organisation, domain: str) -> OrganisationDomain:
    permissions.check_can_manage_organisations(actor)
    errors: Errors = {}
    domain = _clean_new_domain(domain, errors)
    raise_if(errors)
    try:
        with transaction.atomic():
            return _create_domain(actor=actor, organisation=organisation, domain=domain)
    except IntegrityError:
        raise Conflict(
            _("The domain %(domain)s already belongs to an organisation.") % {"domain": domain},
            fields={"domain": [_("Already used.")]},
        ) from None


def remove_domain(*, actor: User, organisation: Organisation, domain: str) -> None:
    """Badges already proven with this domain stay until they expire or are
    revoked; new requests and renewals at this domain are refused."""
    permissions.check_can_manage_organisations(actor)
    normalised = normalise_domain(domain)
    with transaction.atomic():
        entry = OrganisationDomain.objects.filter(organisation=organisation, domain=normalised).first()
        if entry is None:
            raise NotFound(_("This organisation has no such domain."))
        entry.delete()
        audit.record(
            actor=actor,
            action="organisation.domain_removed",
            target=organisation,
            before={"domain": normalised},
        )


# --- Ask an organisation ---------------------------------------------------------


def clean_addressees(value, errors: Errors, field: str = "addressed_to") -> list[Organisation]:
    """Organisations named by slug (or given as objects) that a question is
    addressed to: known, distinct, at most ADDRESSEES_MAX."""
    organisations = _named_organisations(value, errors, field)
    if len(organisations) > ADDRESSEES_MAX:
        errors.setdefault(field, []).append(
            _("Address your question to at most %(max)d organisations.") % {"max": ADDRESSEES_MAX}
        )
        return []
    return organisations


def clean_discreet_from(value, errors: Errors, field: str = "discreet_from") -> list[Organisation]:
    """Organisations (slugs or objects) whose verified members must not see who
    asked: known, distinct, at most DISCREET_FROM_MAX."""
    organisations = _named_organisations(value, errors, field)
    if len(organisations) > DISCREET_FROM_MAX:
        errors.setdefault(field, []).append(_("Hide from at most %(max)d organisations.") % {"max": DISCREET_FROM_MAX})
        return []
    return organisations


def _named_organisations(value, errors: Errors, field: str) -> list[Organisation]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list | tuple):
        errors.setdefault(field, []).append(_("Name organisations by their web name."))
        return []
    organisations: list[Organisation] = []
    slugs: list[str] = []
    for item in value:
        if isinstance(item, Organisation):
            if item not in organisations:
                organisations.append(item)
        elif isinstance(item, str) and item.strip():
            slug = item.strip().lower()[:100]
            if slug not in slugs:
                slugs.append(slug)
        else:
            errors.setdefault(field, []).append(_("Name organisations by their web name."))
            return []
    if slugs:
        # Only well-formed slugs reach the database (a NUL byte would not).
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=[s for s in slugs if SLUG.fullmatch(s)])}
        unknown = [s for s in slugs if s not in found]
        if unknown:
            errors.setdefault(field, []).append(
                _("Unknown organisation: %(names)s.") % {"names": ", ".join(unknown[:5])[:200]}
            )
            return []
        organisations += [found[s] for s in slugs if found[s] not in organisations]
    return organisations


def address_question(*, question: Question, organisations: list[Organisation]) -> None:
    """Store the addressing inside the caller's transaction (ask_question).
    Delivery to the organisations' verified members comes with notifications."""
    QuestionAddressee.objects.bulk_create(
        [QuestionAddressee(question=question, organisation=organisation) for organisation in organisations],
        ignore_conflicts=True,
    )
