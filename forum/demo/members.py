"""The people of the demo community: three demo accounts to log in with, and
the members who ask and answer in the demo threads.

Every seeded account has an address under DEMO_EMAIL_DOMAIN (a reserved
".invalid" domain, so no mail ever leaves for a real person); that address is
also how a later run recognises an account as its own.
"""

from dataclasses import dataclass

from forum.models import UserRole

DEMO_EMAIL_DOMAIN = "demo.alternance-qa.invalid"


@dataclass(frozen=True)
class Member:
    username: str
    display_name: str
    role: str
    school: str
    region: str
    bio: str = ""
    joined_days_ago: int = 90
    moderator: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


# Log in with these (the password is given to `manage.py seed_demo`).
DEMO_ACCOUNTS = (
    Member(
        username="demo-student",
        display_name="Zoé (compte démo)",
        role=UserRole.STUDENT,
        school="Terminale STMG, vise un BTS NDRC en alternance",
        region="Île-de-France",
        bio="Compte de démonstration : une lycéenne qui cherche sa première alternance.",
        joined_days_ago=75,
    ),
    Member(
        username="demo-hr",
        display_name="Julie Moreau (compte démo)",
        role=UserRole.HR,
        school="Chargée de recrutement alternance",
        region="Auvergne-Rhône-Alpes",
        bio="Compte de démonstration : une recruteuse qui répond aux futurs alternants.",
        joined_days_ago=120,
    ),
    Member(
        username="demo-mod",
        display_name="Équipe de modération (démo)",
        role=UserRole.OTHER,
        school="Équipe de modération d'Alternance Q&A",
        region="",
        bio="Compte de démonstration de l'équipe de modération.",
        joined_days_ago=150,
        moderator=True,
    ),
)

COMMUNITY = (
    Member(
        "lucas-m",
        "Lucas Martin",
        UserRole.STUDENT,
        "Terminale STMG, vise un BTS NDRC",
        "Hauts-de-France",
        "Je cherche une alternance en commerce pour la rentrée. Fan de basket.",
        joined_days_ago=64,
    ),
    Member(
        "ines-benali",
        "Inès Benali",
        UserRole.APPRENTICE,
        "BTS MCO en apprentissage, CFA de la CCI",
        "Île-de-France",
        "2e année de BTS MCO, apprentie dans un magasin de sport. Rythme 2 jours / 3 jours.",
        joined_days_ago=140,
    ),
    Member(
        "thomas-r",
        "Thomas Roux",
        UserRole.APPRENTICE,
        "BUT GEA, 2e année en apprentissage",
        "Auvergne-Rhône-Alpes",
        joined_days_ago=98,
    ),
    Member(
        "sarah-k",
        "Sarah Koné",
        UserRole.STUDENT,
        "Licence 3 économie, vise un master RH en alternance",
        "Occitanie",
        "Je prépare mes candidatures de master en alternance, toute aide bienvenue !",
        joined_days_ago=80,
    ),
    Member(
        "maxime-d",
        "Maxime Dubois",
        UserRole.APPRENTICE,
        "Bachelor marketing digital (titre RNCP niveau 6)",
        "Nouvelle-Aquitaine",
        joined_days_ago=112,
    ),
    Member(
        "amandine-p",
        "Amandine Perrin",
        UserRole.HR,
        "Chargée de recrutement alternance, groupe bancaire",
        "Île-de-France",
        "Je recrute nos alternants en agence et au siège. Je réponds ici à titre personnel.",
        joined_days_ago=160,
    ),
    Member(
        "karim-haddad",
        "Karim Haddad",
        UserRole.HR,
        "Responsable RH d'une PME industrielle (80 salariés)",
        "Grand Est",
        "RH généraliste, 6 apprentis chez nous cette année, du CAP au diplôme d'ingénieur.",
        joined_days_ago=150,
    ),
    Member(
        "nathalie-cfa",
        "Nathalie Lefèvre",
        UserRole.SCHOOL,
        "Chargée des relations entreprises, CFA multi-métiers",
        "Pays de la Loire",
        "J'accompagne apprentis et employeurs du premier contact à la fin du contrat.",
        joined_days_ago=170,
    ),
    Member(
        "julien-c",
        "Julien Carpentier",
        UserRole.APPRENTICE,
        "Master contrôle de gestion en apprentissage",
        "Île-de-France",
        "BTS, licence puis master, tout en alternance. Posez vos questions !",
        joined_days_ago=130,
    ),
    Member(
        "emma-l",
        "Emma Laurent",
        UserRole.STUDENT,
        "BTS SIO option SLAM, en recherche d'entreprise",
        "Bretagne",
        joined_days_ago=70,
    ),
    Member(
        "yanis-t",
        "Yanis Traoré",
        UserRole.APPRENTICE,
        "CAP cuisine en apprentissage",
        "Provence-Alpes-Côte d'Azur",
        joined_days_ago=61,
    ),
    Member(
        "chloe-v",
        "Chloé Vasseur",
        UserRole.APPRENTICE,
        "Contrat de professionnalisation, titre de gestionnaire de paie",
        "Normandie",
        joined_days_ago=100,
    ),
    Member(
        "hugo-b",
        "Hugo Bernard",
        UserRole.OTHER,
        "Ancien alternant, aujourd'hui développeur en CDI",
        "Auvergne-Rhône-Alpes",
        "Alternant de 2017 à 2020, tuteur de deux apprentis depuis. Je passe ici rendre ce qu'on m'a donné.",
        joined_days_ago=165,
    ),
    Member(
        "manon-g",
        "Manon Girard",
        UserRole.STUDENT,
        "Terminale générale, hésite entre BTS et BUT",
        "Centre-Val de Loire",
        joined_days_ago=58,
    ),
    Member(
        "sophie-ml",
        "Sophie Marchand",
        UserRole.OTHER,
        "Conseillère en insertion, mission locale",
        "Hauts-de-France",
        "J'accompagne des jeunes de 16 à 25 ans vers l'emploi et l'alternance.",
        joined_days_ago=155,
    ),
    Member(
        "pierre-cfa",
        "Pierre Morel",
        UserRole.SCHOOL,
        "Formateur référent, CFA du BTP",
        "Occitanie",
        "Formateur et référent d'apprentis depuis 12 ans. Le droit de l'apprentissage, c'est mon quotidien.",
        joined_days_ago=168,
    ),
    Member(
        "lea-n",
        "Léa Nguyen",
        UserRole.APPRENTICE,
        "Licence pro e-commerce en alternance",
        "Grand Est",
        joined_days_ago=90,
    ),
    Member(
        "mehdi-a",
        "Mehdi Amrani",
        UserRole.STUDENT,
        "Reconversion : titre pro développeur web à 27 ans",
        "Île-de-France",
        "Six ans dans la logistique, je me reconvertis dans le développement web.",
        joined_days_ago=66,
    ),
    Member(
        "clara-f",
        "Clara Fontaine",
        UserRole.HR,
        "Chargée marque employeur et relations écoles",
        "Auvergne-Rhône-Alpes",
        "Marque employeur, réseaux sociaux et relations écoles dans un groupe de services.",
        joined_days_ago=145,
    ),
    Member(
        "antoine-s",
        "Antoine Simon",
        UserRole.APPRENTICE,
        "BTS commerce international, 1re année",
        "Hauts-de-France",
        joined_days_ago=62,
    ),
    Member(
        "camille-j",
        "Camille Joly",
        UserRole.APPRENTICE,
        "Diplôme d'État d'éducatrice spécialisée en apprentissage",
        "Bourgogne-Franche-Comté",
        joined_days_ago=110,
    ),
    Member(
        "rayan-o",
        "Rayan Ouali",
        UserRole.STUDENT,
        "BTS MCO, cherche une nouvelle entreprise",
        "Provence-Alpes-Côte d'Azur",
        joined_days_ago=63,
    ),
)

ALL_MEMBERS = DEMO_ACCOUNTS + COMMUNITY
