"""The obvious French synonyms of the demo tags, so that "rupture" suggests
`rupture-contrat` from day one. Moderators maintain the list in the admin.
Names are already normalised (forum.validation.normalise_tag)."""

from django.db import migrations

SYNONYMS = {
    "rupture-contrat": ["rupture", "rompre", "demission", "licenciement", "rupture-conventionnelle"],
    "contrat-apprentissage": ["apprentissage", "apprenti", "apprentie", "contrat-apprenti"],
    "contrat-pro": ["professionnalisation", "contrat-professionnalisation", "contrat-de-professionnalisation"],
    "salaire": ["remuneration", "paie", "paye", "smic", "fiche-de-paie"],
    "periode-essai": ["essai", "periode-dessai"],
    "conges": ["conge", "vacances", "conges-payes"],
    "tuteur": ["tutrice", "maitre-apprentissage", "tutorat"],
    "recherche-entreprise": ["trouver-entreprise", "recherche-alternance", "trouver-alternance"],
    "candidature": ["cv", "lettre-motivation", "postuler"],
    "aides": ["aide", "aides-financieres", "prime", "aide-embauche"],
    "rh": ["ressources-humaines", "drh", "recruteur"],
    "entretien": ["entretien-embauche", "entretiens"],
    "handicap": ["rqth"],
    "mobilite-internationale": ["erasmus", "etranger", "international"],
    "logement": ["loyer", "apl"],
    "transport": ["transports", "navigo", "trajet"],
    "reconversion": ["reconversion-professionnelle", "changement-de-metier"],
    "cfa": ["centre-de-formation", "centre-formation"],
    "ecole": ["ecoles", "etablissement"],
}


def seed(apps, schema_editor):
    TagSynonym = apps.get_model("forum", "TagSynonym")
    for tag_name, names in SYNONYMS.items():
        for name in names:
            TagSynonym.objects.get_or_create(name=name, defaults={"tag_name": tag_name})


def unseed(apps, schema_editor):
    TagSynonym = apps.get_model("forum", "TagSynonym")
    TagSynonym.objects.filter(name__in=[n for names in SYNONYMS.values() for n in names]).delete()


class Migration(migrations.Migration):
    dependencies = [("forum", "0006_tag_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
