"""Demo organisations (a bank, a retailer, a CFA) and verified badges for a few
demo members, `demo-hr` among them.

Organisations and domains go through the real services. The badges cannot:
the real flow needs someone to open a link sent to a work inbox, and demo
domains (".example", reserved) have none. So this step writes the approved
request and the badge the flow would have produced, decided by `demo-mod`,
and records the same audit entry, marked as demo data.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from forum.demo.context import SeedContext
from forum.models import Badge, BadgeRole, Organisation, OrganisationDomain, VerificationRequest
from forum.models.organisations import BADGE_VALIDITY
from forum.services import audit
from forum.services.organisations import add_domain, create_organisation


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    domains: tuple[str, ...]
    website: str
    description: str
    auto_approve_ambassadors: bool = False


ORGANISATIONS = (
    DemoOrganisation(
        name="Banque Horizon",
        kind=Organisation.Kind.COMPANY,
        domains=("banque-horizon.example",),
        website="https://www.banque-horizon.example",
        description="Banque de détail : 120 alternants par an en agence, au siège et dans les métiers du numérique.",
    ),
    DemoOrganisation(
        name="Marché Vert",
        kind=Organisation.Kind.COMPANY,
        domains=("marche-vert.example", "magasins.marche-vert.example"),
        website="https://www.marche-vert.example",
        description="Enseigne de distribution alimentaire : alternances en magasin (BTS MCO, NDRC) et en logistique.",
        auto_approve_ambassadors=True,
    ),
    DemoOrganisation(
        name="CFA Avenir Métiers",
        kind=Organisation.Kind.SCHOOL,
        domains=("cfa-avenir.example",),
        website="https://www.cfa-avenir.example",
        description="CFA multi-métiers : du CAP au BTS, commerce, gestion et services.",
    ),
)

# (username, organisation, role, work email, verified days ago)
BADGES = (
    ("demo-hr", "Banque Horizon", BadgeRole.HR, "julie.moreau@banque-horizon.example", 40),
    ("amandine-p", "Banque Horizon", BadgeRole.HR, "amandine.perrin@banque-horizon.example", 120),
    ("clara-f", "Marché Vert", BadgeRole.HR, "clara.fontaine@marche-vert.example", 75),
    ("ines-benali", "Marché Vert", BadgeRole.AMBASSADOR, "ines.benali@magasins.marche-vert.example", 30),
    ("nathalie-cfa", "CFA Avenir Métiers", BadgeRole.SCHOOL, "n.lefevre@cfa-avenir.example", 200),
)


def seed_organisations(ctx: SeedContext) -> None:
    moderator = ctx.member("demo-mod")
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=spec.name).first()
        if organisation is None:
            organisation = create_organisation(
                actor=moderator,
                name=spec.name,
                kind=spec.kind,
                website=spec.website,
                description=spec.description,
                auto_approve_ambassadors=spec.auto_approve_ambassadors,
            )
            ctx.created["organisations"] += 1
        for domain in spec.domains:
            if not OrganisationDomain.objects.filter(domain=domain).exists():
                add_domain(actor=moderator, organisation=organisation, domain=domain)

    for username, organisation_name, role, work_email, days_ago in BADGES:
        user = ctx.members.get(username)
        if user is None:
            continue
        organisation = Organisation.objects.get(name=organisation_name)
        if Badge.objects.active().filter(user=user, organisation=organisation, role=role).exists():
            continue
        verified_at = ctx.now - timedelta(days=days_ago)
        with transaction.atomic():
            request = VerificationRequest.objects.create(
                user=user,
                organisation=organisation,
                role=role,
                work_email=work_email,
                status=VerificationRequest.Status.APPROVED,
                email_confirmed_at=verified_at,
                decided_at=verified_at,
                decided_by=moderator,
                created_at=verified_at - timedelta(days=1),
            )
            badge = Badge.objects.create(
                user=user,
                organisation=organisation,
                role=role,
                request=request,
                verified_at=verified_at,
                expires_at=verified_at + BADGE_VALIDITY,
            )
            audit.record(
                actor=moderator,
                action="verification.approved",
                target=request,
                reason="Demo data (seed_demo).",
                after={"badge_id": badge.pk, "organisation": organisation.slug, "role": role},
            )
        ctx.created["badges"] += 1
