"""Alternance facets of a question: the situation it is about (diploma level,
contract type, sector, region). All optional when asking; a list can be
filtered by any of them (forum/thread_filters.py).

The stored values are stable ASCII slugs (they appear in URLs and in the API);
the labels are translated. Changing a value is a data migration, adding one is not."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DiplomaLevel(models.TextChoices):
    CAP = "cap", _("CAP")
    BAC_PRO = "bac-pro", _("Bac pro")
    BTS = "bts", _("BTS")
    BUT = "but", _("BUT")
    LICENCE = "licence", _("Licence")
    LICENCE_PRO = "licence-pro", _("Licence pro")
    MASTER = "master", _("Master")
    ENGINEER = "ingenieur", _("Engineering degree")
    TITRE_PRO = "titre-pro", _("Professional title (RNCP)")
    OTHER = "autre", _("Other diploma")


class ContractType(models.TextChoices):
    APPRENTICESHIP = "apprentissage", _("Apprenticeship contract")
    PROFESSIONALISATION = "professionnalisation", _("Professionalisation contract")


class Sector(models.TextChoices):
    BANKING_INSURANCE = "banque-assurance", _("Banking and insurance")
    RETAIL = "commerce", _("Retail and sales")
    INDUSTRY = "industrie", _("Industry")
    IT = "informatique", _("IT and digital")
    HEALTH = "sante", _("Health and social care")
    CONSTRUCTION = "btp", _("Construction")
    HOSPITALITY = "hotellerie-restauration", _("Hotels and restaurants")
    ADMINISTRATION = "administration", _("Public administration")
    OTHER = "autre", _("Other sector")


class Region(models.TextChoices):
    """The 18 regions of France: 13 in metropolitan France, 5 overseas."""

    AUVERGNE_RHONE_ALPES = "auvergne-rhone-alpes", _("Auvergne-Rhône-Alpes")
    BOURGOGNE_FRANCHE_COMTE = "bourgogne-franche-comte", _("Bourgogne-Franche-Comté")
    BRETAGNE = "bretagne", _("Brittany")
    CENTRE_VAL_DE_LOIRE = "centre-val-de-loire", _("Centre-Val de Loire")
    CORSE = "corse", _("Corsica")
    GRAND_EST = "grand-est", _("Grand Est")
    HAUTS_DE_FRANCE = "hauts-de-france", _("Hauts-de-France")
    ILE_DE_FRANCE = "ile-de-france", _("Île-de-France")
    NORMANDIE = "normandie", _("Normandy")
    NOUVELLE_AQUITAINE = "nouvelle-aquitaine", _("Nouvelle-Aquitaine")
    OCCITANIE = "occitanie", _("Occitanie")
    PAYS_DE_LA_LOIRE = "pays-de-la-loire", _("Pays de la Loire")
    PROVENCE_ALPES_COTE_DAZUR = "provence-alpes-cote-dazur", _("Provence-Alpes-Côte d’Azur")
    GUADELOUPE = "guadeloupe", _("Guadeloupe")
    MARTINIQUE = "martinique", _("Martinique")
    GUYANE = "guyane", _("French Guiana")
    LA_REUNION = "la-reunion", _("Réunion")
    MAYOTTE = "mayotte", _("Mayotte")


# Field name on Question -> its choices, in the order forms and lists show them.
FACETS: dict[str, type[models.TextChoices]] = {
    "diploma": DiplomaLevel,
    "contract": ContractType,
    "sector": Sector,
    "region": Region,
}

FACET_LABELS = {
    "diploma": _("Diploma"),
    "contract": _("Contract"),
    "sector": _("Sector"),
    "region": _("Region"),
}
