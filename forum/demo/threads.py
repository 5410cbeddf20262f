"""The demo threads: questions about alternance in France, in the voice of the
people who ask them, answered by apprentices, HR staff, CFA staff and mentors.

The facts are those in force when this was written (late 2026: apprentice pay
grid of 2019, 45 days of free rupture, mediator before resignation, aid
amounts that change every year and are therefore given with a pointer to the
official simulator). `days_ago` places a question in the past; `after_hours`
places each reply after its question; `votes` is how many members found a
reply helpful; `accepted` is the index of the reply the asker accepted.
"""

from dataclasses import dataclass
from inspect import cleandoc


@dataclass(frozen=True)
class Reply:
    author: str
    after_hours: float
    votes: int
    body: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", cleandoc(self.body))


@dataclass(frozen=True)
class Thread:
    author: str
    title: str
    tags: tuple[str, ...]
    days_ago: float
    body: str
    replies: tuple[Reply, ...] = ()
    accepted: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", cleandoc(self.body))


THREADS = (
    Thread(
        author="emma-l",
        title="Contrat d'apprentissage ou contrat de professionnalisation : quelle différence concrètement ?",
        tags=("contrat-apprentissage", "contrat-pro", "bts"),
        days_ago=57.4,
        body="""
            Je rentre en BTS SIO en septembre et l'école me dit que je peux faire « l'un ou l'autre ».
            C'est quoi la vraie différence pour moi (salaire, durée, école) ? Et pour l'entreprise, il y en a un
            qu'elle préfère ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                3.5,
                8,
                """
                Les deux sont des contrats de travail en alternance, mais ils ne visent pas les mêmes publics.

                **Contrat d'apprentissage**
                - de 16 à 29 ans révolus (sans limite d'âge notamment avec une RQTH) ;
                - prépare un diplôme ou un titre enregistré au RNCP : CAP, BTS, BUT, licence, master, titre pro… ;
                - de 6 mois à 3 ans, avec au moins 25 % du temps en formation au CFA ;
                - salaire en % du SMIC selon ton âge **et** ton année de contrat ;
                - formation gratuite pour toi, suivi par un **maître d'apprentissage**.

                **Contrat de professionnalisation**
                - 16-25 ans, ou demandeurs d'emploi de 26 ans et plus, bénéficiaires de minima sociaux ;
                - prépare une qualification reconnue (titre RNCP, CQP de branche…) ;
                - en général 6 à 12 mois (jusqu'à 24 mois dans certains cas), formation entre 15 et 25 %
                  du temps, 150 h minimum ;
                - salaire en % du SMIC selon ton âge et ton niveau de diplôme, suivi par un **tuteur**.

                Pour un BTS en deux ans, c'est presque toujours l'apprentissage. Le contrat pro sert surtout pour
                des formations courtes et les reconversions.
                """,
            ),
            Reply(
                "hugo-b",
                6,
                3,
                """
                Une différence qu'on oublie : en apprentissage, pendant les 45 premiers jours passés en entreprise,
                chacun peut rompre librement. En contrat pro, ce sont les règles d'une période d'essai classique
                de CDD ou de CDI.
                """,
            ),
            Reply(
                "ines-benali",
                20,
                2,
                """
                Dans ma promo de BTS MCO on est tous en apprentissage. Le contrat pro je l'ai surtout vu chez des
                gens en reconversion.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="thomas-r",
        title="Salaire apprenti : combien je dois toucher à 19 ans en 2e année ?",
        tags=("salaire", "contrat-apprentissage", "but"),
        days_ago=55.1,
        body="""
            J'ai 19 ans, je suis passé en 2e année de BUT GEA en apprentissage en septembre. Ma fiche de paie
            n'a pas bougé depuis l'an dernier, c'est normal ? Je croyais que ça augmentait chaque année.
        """,
        replies=(
            Reply(
                "julien-c",
                1.2,
                7,
                """
                La grille légale, en % du SMIC :

                | Âge | 1re année | 2e année | 3e année |
                | --- | --- | --- | --- |
                | 16-17 ans | 27 % | 39 % | 55 % |
                | 18-20 ans | 43 % | 51 % | 67 % |
                | 21-25 ans | 53 % | 61 % | 78 % |
                | 26 ans et plus | 100 % | 100 % | 100 % |

                (À partir de 21 ans, le calcul se fait sur le minimum de la convention collective s'il est plus
                élevé que le SMIC.)

                À 19 ans en 2e année, c'est **51 % du SMIC minimum**. Attention : « l'année » c'est l'année
                d'exécution du contrat, pas l'année scolaire. Ça change à la date anniversaire de ton contrat.
                Et quand ton âge te fait changer de tranche, ça augmente le 1er jour du mois qui suit ton
                anniversaire.
                """,
            ),
            Reply(
                "karim-haddad",
                4,
                4,
                """
                Côté employeur, je confirme. C'est un minimum légal : certaines conventions collectives ou
                entreprises paient plus. Si la date anniversaire de ton contrat est passée et que rien n'a
                bougé, demande simplement au service paie, c'est souvent un oubli de paramétrage.
                """,
            ),
            Reply(
                "ines-benali",
                9,
                2,
                """
                Même chose pour moi l'an dernier : c'était bien un oubli, ils ont fait un rappel de salaire sur
                la fiche de paie suivante.
                """,
            ),
            Reply(
                "chloe-v",
                30,
                1,
                """
                Précision pour ceux en contrat pro qui tombent sur ce fil : la grille n'est pas la même, elle
                dépend de l'âge et du niveau de diplôme, pas de l'année de contrat.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="lucas-m",
        title="J'ai un nom super courant (Lucas Martin), comment les recruteurs peuvent me trouver ?",
        tags=("e-reputation", "reseaux-sociaux", "linkedin"),
        days_ago=53.8,
        body="""
            Quand je tape mon nom sur Google il y a des centaines de Lucas Martin, dont un footballeur.
            Est-ce que c'est grave pour ma recherche d'alternance ? Comment je fais pour qu'on me trouve, moi ?
        """,
        replies=(
            Reply(
                "clara-f",
                2,
                5,
                """
                Pas de panique : le but n'est pas d'être premier, mais d'apparaître **en première page avec une
                image cohérente**. Un recruteur fera la différence entre Lucas Martin, futur alternant en BTS
                NDRC à Lille, et Lucas Martin footballeur 😉

                - crée un profil LinkedIn avec la même photo et le même titre que sur ton CV (« Futur alternant
                  BTS NDRC – Lille – septembre ») ;
                - mets l'adresse de ton profil sur ton CV et dans ta signature de mail ;
                - utilise toujours la même forme de ton nom, partout.

                Les réseaux pro sont très bien référencés : ton profil remontera vite.
                """,
            ),
            Reply(
                "sophie-ml",
                5,
                2,
                """
                Et crée une alerte Google sur "Lucas Martin" + ta ville : tu recevras un mail chaque fois que
                ton nom apparaît quelque part.
                """,
            ),
        ),
    ),
    Thread(
        author="sarah-k",
        title="Master RH en alternance : comment savoir si l'école est sérieuse ?",
        tags=("master", "ecole", "cfa"),
        days_ago=52.2,
        body="""
            Je compare trois écoles privées pour un master RH en alternance. Deux me demandent 300 € de
            « frais de dossier » et la troisième m'a dit que si je ne trouve pas d'entreprise, je devrai
            payer 8 000 € l'année. C'est normal ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                3,
                7,
                """
                Quelques vérifications **avant** de signer quoi que ce soit :

                1. Le diplôme ou le titre est-il enregistré au RNCP ? Cherche-le sur
                   [France compétences](https://www.francecompetences.fr) : sans RNCP, pas de contrat
                   d'apprentissage possible.
                2. L'organisme est-il certifié **Qualiopi** ?
                3. Demande les taux d'obtention du diplôme et d'insertion : les CFA doivent les publier.

                En apprentissage, la formation est **gratuite pour l'apprenti** : c'est l'OPCO de l'entreprise
                qui la finance. En revanche, sans contrat tu es étudiante en formation initiale, et l'école peut
                te facturer. Lis bien la clause « si vous ne trouvez pas d'entreprise ».
                """,
            ),
            Reply(
                "julien-c",
                9,
                4,
                """
                Méfie-toi des mots : un « mastère » ou un « MBA » n'est pas un master (diplôme national). Ça peut
                être un bon titre RNCP de niveau 7, mais vérifie. Moi j'ai pris un master universitaire en
                apprentissage, aucun frais de scolarité.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="rayan-o",
        title="Période d'essai en apprentissage : mon patron peut-il arrêter du jour au lendemain ?",
        tags=("rupture-contrat", "contrat-apprentissage", "periode-essai"),
        days_ago=50.6,
        body="""
            Ça fait 5 semaines que je suis en apprentissage (BTS MCO, 2 jours école / 3 jours entreprise).
            Mon responsable m'a dit que « ça ne colle pas » et qu'il peut arrêter quand il veut pendant la
            période d'essai. C'est vrai ? Je suis un peu perdu.
        """,
        replies=(
            Reply(
                "pierre-cfa",
                1.5,
                9,
                """
                Oui, malheureusement : pendant les **45 premiers jours, consécutifs ou non, de formation
                pratique en entreprise**, l'employeur comme l'apprenti peuvent rompre le contrat sans motif, par
                écrit. Ce sont des jours de présence *en entreprise* : les jours au CFA ne comptent pas. Avec
                3 jours par semaine en entreprise, 45 jours font environ 15 semaines, tu es donc encore dedans.

                Ce que tu peux faire :
                - préviens ton CFA tout de suite : en cas de rupture, tu peux continuer ta formation jusqu'à
                  6 mois pendant que tu cherches un nouvel employeur ;
                - demande à ton responsable ce qui ne va pas concrètement. Parfois « ça ne colle pas » se règle
                  en une discussion.
                """,
            ),
            Reply(
                "hugo-b",
                5,
                4,
                """
                En tant que tuteur : si on te dit ça au bout de 5 semaines sans avoir fait un seul point avant,
                demande un rendez-vous avec ton maître d'apprentissage **et** le référent du CFA. C'est souvent
                un malentendu sur les missions.
                """,
            ),
            Reply(
                "ines-benali",
                26,
                2,
                """
                Ça m'est arrivé en 1re année. Le CFA m'a trouvé une autre boîte en 3 semaines, et c'était mieux
                au final. Courage !
                """,
            ),
            Reply(
                "karim-haddad",
                40,
                3,
                """
                Côté employeur : la rupture pendant cette période doit être faite **par écrit**, et le CFA et
                l'OPCO en sont informés. Tant que ton responsable ne fait que le dire à l'oral, rien n'est rompu.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="maxime-d",
        title="Après les 45 jours, comment rompre mon contrat d'apprentissage ?",
        tags=("rupture-contrat", "contrat-apprentissage", "bachelor"),
        days_ago=48.9,
        body="""
            Je suis en 2e année de bachelor, ça se passe mal : missions qui n'ont rien à voir avec ma formation,
            heures sup pas payées. Je suis largement au-delà des 45 jours. J'ai le droit de démissionner ?
        """,
        replies=(
            Reply(
                "pierre-cfa",
                2.5,
                8,
                """
                Après les 45 jours, il reste trois voies :

                - **la rupture d'un commun accord**, écrite et signée par vous deux (la plus simple si
                  l'employeur est d'accord) ;
                - **ta démission** : tu dois d'abord saisir le médiateur de la chambre consulaire (CCI, chambre
                  de métiers ou chambre d'agriculture). Au moins 5 jours calendaires après, tu informes ton
                  employeur par écrit, et la rupture ne peut intervenir qu'au moins 7 jours calendaires après
                  cette information ;
                - **le licenciement**, à l'initiative de l'employeur, seulement dans certains cas : faute grave,
                  inaptitude, force majeure, exclusion définitive du CFA…

                Pour les heures sup non payées, garde des traces (plannings, mails). Le médiateur peut aussi
                régler le problème sans rupture.
                """,
            ),
            Reply(
                "camille-j",
                30,
                2,
                """
                Le médiateur m'a vraiment aidée l'an dernier. Rien que son appel à mon employeur a tout
                débloqué, et finalement je n'ai pas rompu.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="manon-g",
        title="Parcoursup et alternance : d'abord l'école ou d'abord l'entreprise ?",
        tags=("bts", "candidature", "ecole"),
        days_ago=47.3,
        body="""
            Je suis en terminale. Je veux faire un BTS en alternance mais je n'ai pas d'entreprise. Je dois
            d'abord trouver l'entreprise ou d'abord l'école ? Et est-ce que ça passe par Parcoursup ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                4,
                6,
                """
                Les deux en parallèle ! Beaucoup de BTS en apprentissage sont sur Parcoursup (la formation est
                indiquée « en apprentissage »), mais ton inscription définitive dépendra de la signature d'un
                contrat. Certains CFA recrutent aussi en dehors de Parcoursup.

                Bon à savoir : tu peux commencer la formation au CFA **jusqu'à 3 mois sans employeur**, le
                temps de trouver ton entreprise. Le CFA t'accompagne dans ta recherche pendant ce temps.
                """,
            ),
            Reply(
                "lucas-m",
                11,
                2,
                """
                Je suis dans le même cas. Ma conseillère m'a dit de candidater sur Parcoursup **et** directement
                auprès des CFA, et de commencer à chercher l'entreprise dès février-mars.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="lea-n",
        title="Rythme 1 semaine école / 3 semaines entreprise ou 2 jours / 3 jours : lequel choisir ?",
        tags=("rythme", "licence-pro", "cfa"),
        days_ago=45.7,
        body="""
            Deux CFA me proposent la même licence pro e-commerce, l'un en 1 semaine / 3 semaines, l'autre en
            2 jours / 3 jours. Vous avez des retours sur ce qui marche le mieux ?
        """,
        replies=(
            Reply(
                "maxime-d",
                2,
                4,
                """
                J'ai testé les deux. Le 2 j / 3 j est plus fatigant (tu changes de casquette tout le temps) mais
                tu suis mieux les projets en entreprise. Le 1 sem / 3 sem permet d'avancer vraiment sur une
                mission, mais la semaine de cours est très dense.
                """,
            ),
            Reply(
                "clara-f",
                7,
                5,
                """
                Côté entreprise, pour des missions e-commerce (campagnes, mises en ligne), on préfère en général
                les rythmes longs : une semaine d'absence se prépare, deux jours qui tombent en plein lancement,
                c'est plus dur. Demande à ton futur tuteur ce qu'il préfère : c'est un argument en entretien !
                """,
            ),
            Reply(
                "hugo-b",
                22,
                2,
                """
                Regarde aussi le calendrier détaillé : certains CFA concentrent les cours en début d'année, et
                au printemps tu es quasiment à temps plein en entreprise.
                """,
            ),
        ),
        accepted=1,
    ),
    Thread(
        author="mehdi-a",
        title="Reconversion à 27 ans : contrat d'apprentissage ou contrat pro ?",
        tags=("reconversion", "contrat-pro", "contrat-apprentissage", "salaire"),
        days_ago=44.2,
        body="""
            J'ai 27 ans, six ans de logistique derrière moi, et je veux devenir développeur web (titre pro
            DWWM). On me parle de contrat pro, mais j'ai lu que l'apprentissage c'est jusqu'à 29 ans. Qu'est-ce
            qui est le mieux pour moi ?
        """,
        replies=(
            Reply(
                "sophie-ml",
                3,
                4,
                """
                À 27 ans tu peux faire les deux. Et à partir de 26 ans, dans les deux contrats, ton salaire est
                au minimum le SMIC, voire plus selon ta convention collective (100 % de son salaire minimum en
                apprentissage, 85 % en contrat pro, si c'est plus que le SMIC). La vraie différence sera donc
                l'organisme de formation : s'il est CFA, l'apprentissage est possible ; sinon ce sera un contrat
                pro.

                Si tu es inscrit à France Travail, parle aussi de la **POEI** à ton conseiller : une formation
                financée avant l'embauche quand une entreprise s'engage à te recruter.
                """,
            ),
            Reply(
                "karim-haddad",
                8,
                2,
                """
                Côté PME, l'apprentissage est souvent plus simple à financer pour nous. Mais pour toi, à ton âge,
                ça ne change presque rien : choisis surtout la formation et l'entreprise.
                """,
            ),
        ),
    ),
    Thread(
        author="yanis-t",
        title="Apprenti mineur en cuisine : on me fait finir à 23 h 30 et faire 45 h, c'est légal ?",
        tags=("contrat-apprentissage", "cap", "rh"),
        days_ago=42.8,
        body="""
            J'ai 17 ans, CAP cuisine en apprentissage dans un restaurant. Le soir on finit souvent vers
            23 h 30 et certaines semaines je fais 45 h. J'ose pas trop dire non au chef.
        """,
        replies=(
            Reply(
                "pierre-cfa",
                2,
                7,
                """
                Pour un apprenti de moins de 18 ans, les règles sont strictes :

                - **8 h par jour et 35 h par semaine maximum** (des dérogations existent dans certains secteurs,
                  avec des limites et des repos compensateurs, mais 45 h non) ;
                - **pas de travail de nuit** : en hôtellerie-restauration, une dérogation permet de travailler
                  jusqu'à 23 h 30 au plus tard, pas après ;
                - **12 h de repos consécutives** entre deux journées et deux jours de repos consécutifs par
                  semaine.

                Parles-en à ton formateur référent au CFA : il peut appeler ton employeur. Tu peux aussi
                contacter l'inspection du travail.
                """,
            ),
            Reply(
                "karim-haddad",
                9,
                3,
                """
                Côté employeur, ce genre d'horaires peut coûter très cher en cas de contrôle, jusqu'à
                l'interdiction d'embaucher des apprentis. Le CFA peut recadrer les choses sans te mettre en
                avant.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="chloe-v",
        title="Contrat pro : l'école ferme à Noël, je dois aller en entreprise ?",
        tags=("contrat-pro", "conges"),
        days_ago=41.5,
        body="""
            En contrat pro (titre de gestionnaire de paie), mon école ferme deux semaines à Noël. Je dois aller
            en entreprise pendant ce temps ? Et j'ai droit à des congés comme les autres salariés ?
        """,
        replies=(
            Reply(
                "karim-haddad",
                1,
                5,
                """
                Tu es salariée : **5 semaines de congés payés par an** (2,5 jours ouvrables par mois de travail),
                à poser avec l'accord de ton employeur comme tout le monde. Les vacances de l'école ne sont pas
                des congés : quand l'école ferme, tu es en entreprise.

                En apprentissage, il existe en plus un congé de 5 jours ouvrables pour préparer les examens.
                Ce n'est pas prévu par la loi pour le contrat pro, mais vérifie ta convention collective.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="antoine-s",
        title="Apprenti avec 43 % du SMIC : quelles aides pour payer un studio ?",
        tags=("aides", "logement"),
        days_ago=40.1,
        body="""
            Mon entreprise est à Lille, ma famille à Arras. Je vais devoir prendre un studio mais avec 43 % du
            SMIC je ne m'en sortirai jamais sans aide. Est-ce que les apprentis ont droit aux APL ? Autre chose ?
        """,
        replies=(
            Reply(
                "sophie-ml",
                2,
                7,
                """
                Oui, tu peux avoir les APL : fais la simulation sur [caf.fr](https://www.caf.fr). Et cumule avec :

                - **Mobili-Jeune** ([Action Logement](https://www.actionlogement.fr)) : pour les alternants de
                  moins de 30 ans payés au plus le SMIC, une aide sur le loyer (de 10 à 100 € par mois) ;
                - **Visale** : une garantie gratuite qui remplace le garant auprès du propriétaire ;
                - les **foyers de jeunes travailleurs** (FJT), souvent moins chers et habitués aux alternants.

                Demande aussi à ton CFA : certaines régions aident les apprentis pour l'hébergement.
                """,
            ),
            Reply(
                "ines-benali",
                14,
                3,
                """
                Pour Mobili-Jeune, la demande doit être faite au plus tard 6 mois après le début de la
                formation. Je l'ai su trop tard 😭
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="emma-l",
        title="60 candidatures pour un BTS SIO et presque aucune réponse, je fais quoi de travers ?",
        tags=("recherche-entreprise", "candidature", "bts"),
        days_ago=38.6,
        body="""
            J'ai envoyé 60 candidatures sur Indeed et LinkedIn depuis mars : 4 refus, le reste rien. J'ai peur
            de perdre ma place à l'école si je n'ai pas d'entreprise en septembre.
        """,
        replies=(
            Reply(
                "amandine-p",
                3,
                10,
                """
                60 candidatures sans retour, c'est souvent un problème de ciblage plus que de profil. Quelques
                pistes :

                1. **La première phrase** : « Étudiante en BTS SIO option SLAM, je cherche une alternance de
                   2 ans en développement à partir de septembre, rythme 2 j / 3 j. » Le recruteur doit tout
                   comprendre en cinq secondes.
                2. **Les candidatures spontanées** : [La bonne alternance](https://labonnealternance.apprentissage.beta.gouv.fr)
                   liste aussi les entreprises qui recrutent souvent des alternants sans publier d'offre.
                3. **La relance**, une semaine après, par téléphone si tu peux.
                4. Les **job datings** de ton CFA et de la CCI.

                Pour ta place : demande au CFA si tu peux commencer sans contrat (c'est possible jusqu'à 3 mois).
                """,
            ),
            Reply(
                "hugo-b",
                6,
                5,
                """
                Mets un lien vers ton GitHub avec 2-3 petits projets propres. En SLAM, un recruteur tech regarde
                ça avant le CV.
                """,
            ),
            Reply(
                "lucas-m",
                19,
                2,
                """
                Ce qui a marché pour moi, c'est d'aller directement déposer mon CV. En SIO c'est moins évident,
                mais appelle les petites ESN de ta ville.
                """,
            ),
            Reply(
                "karim-haddad",
                28,
                4,
                """
                Côté PME : je lis toutes les candidatures, mais j'en reçois 150 pour un poste d'alternant. Celles
                qui sortent du lot disent en une phrase pourquoi **notre** entreprise. Ça suffit, mais il faut
                cette phrase.
                """,
            ),
            Reply(
                "nathalie-cfa",
                50,
                0,
                """
                Et passe voir le service relations entreprises de ton CFA : on reçoit des offres d'entreprises
                partenaires toute l'année, elles ne sont pas toutes en ligne.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="demo-student",
        title="Premier entretien pour une alternance mardi : quelles questions on va me poser ?",
        tags=("entretien", "candidature", "bts"),
        days_ago=3.2,
        body="""
            J'ai enfin un entretien pour un poste d'assistante commerciale en alternance (BTS NDRC). C'est le
            premier entretien de ma vie et je stresse. Vous avez des conseils ?
        """,
        replies=(
            Reply(
                "clara-f",
                1.5,
                5,
                """
                Bravo ! Les grands classiques en alternance :

                - « Pourquoi l'alternance, et pourquoi ce BTS ? »
                - « Que savez-vous de notre entreprise ? » (va voir leur site, leur page LinkedIn, leurs
                  derniers posts)
                - « Comment allez-vous gérer le rythme école / entreprise ? » (connais ton calendrier par cœur)
                - une petite mise en situation commerciale, fréquente en NDRC.

                Prépare aussi **deux questions à poser** : qui sera ton tuteur, quelles missions la première
                année.
                """,
            ),
            Reply(
                "ines-benali",
                5,
                2,
                """
                On m'a demandé mes défauts. J'ai dit que j'étais timide mais que le BTS m'aidait à progresser.
                Quand c'est honnête, ça passe bien.
                """,
            ),
            Reply(
                "amandine-p",
                9,
                3,
                "Et apporte ton calendrier d'alternance imprimé : ça rassure énormément le manager.",
            ),
        ),
    ),
    Thread(
        author="julien-c",
        title="Mon entreprise me propose d'être « ambassadeur alternance » sur LinkedIn : j'accepte ?",
        tags=("linkedin", "reseaux-sociaux", "e-reputation"),
        days_ago=36.9,
        body="""
            La DRH cherche des alternants pour publier sur LinkedIn : témoignages, photos d'équipe, relais des
            offres. C'est valorisant, mais j'ai peur de devenir une pub ambulante. Et mon LinkedIn, c'est **mon**
            profil, pas celui de la boîte.
        """,
        replies=(
            Reply(
                "clara-f",
                2,
                6,
                """
                Je gère ce genre de programme, donc je te dis ce que j'aimerais que tous les alternants sachent :

                - c'est **volontaire** : ton compte t'appartient, ton employeur ne peut pas t'imposer de publier
                  sur tes réseaux personnels ;
                - un bon programme te forme (ce qu'on peut dire, ce qu'on ne dit jamais : infos confidentielles,
                  clients…) et te laisse ta propre voix. Des posts tout faits à copier-coller, ça se voit et ça
                  ne sert ni toi ni l'entreprise ;
                - pour toi, c'est un vrai plus : un réseau, une visibilité pro, des échanges avec des candidats.

                Demande s'il existe une charte réseaux sociaux et lis-la avant de dire oui.
                """,
            ),
            Reply(
                "hugo-b",
                10,
                2,
                """
                J'ai été ambassadeur pendant mon master. Le plus utile, ce n'était pas les posts mais les
                étudiants qui me posaient leurs questions en message privé. Et j'ai arrêté quand j'ai voulu,
                personne ne m'a rien reproché.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="ines-benali",
        title="Critiquer son entreprise sur TikTok ou Facebook, on risque vraiment quelque chose ?",
        tags=("e-reputation", "reseaux-sociaux", "rupture-contrat"),
        days_ago=35.4,
        body="""
            Une fille de ma promo a raconté sur TikTok que son manager était « un tyran », avec le nom du
            magasin. Elle a été convoquée. Ils peuvent rompre son contrat alors que c'est son compte perso ?
        """,
        replies=(
            Reply(
                "karim-haddad",
                3,
                7,
                """
                Oui, ça peut aller jusque-là. Ce qui compte n'est pas que le compte soit « perso », c'est que le
                contenu soit **public** ou visible par beaucoup de monde : des juges ont déjà validé le
                licenciement de salariés qui avaient dénigré leur hiérarchie sur un mur Facebook ouvert.

                En apprentissage, après les 45 premiers jours, l'employeur ne peut rompre que dans des cas
                précis, mais la **faute grave** en fait partie, et un dénigrement public et nominatif peut en
                être une.

                Si ça se passe mal avec un manager : CFA, médiateur, représentants du personnel. Pas les réseaux.
                """,
            ),
            Reply(
                "sophie-ml",
                7,
                3,
                """
                Et même sans sanction : les recruteurs tapent ton nom sur Google. Une vidéo comme ça peut te
                suivre des années.
                """,
            ),
            Reply(
                "demo-mod",
                12,
                2,
                """
                Petit rappel de la charte : ici aussi, quand vous racontez un conflit, ne citez ni le nom de la
                personne ni celui de l'entreprise. On peut très bien avoir de l'aide sans ça 🙂
                """,
            ),
        ),
    ),
    Thread(
        author="karim-haddad",
        title="Nous recrutons notre premier apprenti : quelles démarches pour une PME ?",
        tags=("rh", "contrat-apprentissage", "aides"),
        days_ago=34.0,
        body="""
            PME industrielle de 80 salariés : nous voulons prendre un apprenti en BTS maintenance des systèmes
            en septembre. Je n'ai jamais fait d'apprentissage moi-même. Qui enregistre le contrat, quel coût,
            quelles aides ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                4,
                5,
                """
                Dans l'ordre :

                1. Vous choisissez le CFA et le candidat ; le CFA vous aide à remplir le **Cerfa** du contrat.
                2. Vous désignez un **maître d'apprentissage** : diplôme au moins équivalent et 1 an
                   d'expérience dans le métier, ou 2 ans d'expérience. Il peut suivre 2 apprentis au plus.
                3. Vous transmettez le contrat à **votre OPCO** au plus tard 5 jours après son début : il
                   l'enregistre et finance la formation.
                4. Visite d'information et de prévention (médecine du travail) dans les 2 mois.

                Pour les aides, utilisez le simulateur du
                [portail de l'alternance](https://www.alternance.emploi.gouv.fr) : le montant de l'aide à
                l'embauche change presque chaque année et dépend de la taille de l'entreprise. Depuis juillet
                2025, pour un diplôme de niveau bac+3 ou plus, l'employeur verse aussi une participation
                forfaitaire de 750 € ; ce n'est pas le cas pour un BTS.
                """,
            ),
            Reply(
                "hugo-b",
                10,
                4,
                """
                Et prévoyez du temps pour le maître d'apprentissage : chez nous on compte 2 à 3 h par semaine
                au début. Un apprenti bien accueilli le premier jour (poste prêt, accès, badge), c'est la moitié
                de la réussite.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="sarah-k",
        title="Je ne pourrai pas être au live RH de jeudi : ma question sur l'alternance en banque",
        tags=("live", "candidature", "master", "rh"),
        days_ago=32.6,
        body="""
            Je serai en cours pendant le live de jeudi midi, donc je pose ma question ici avant. Pour une
            alternance en agence bancaire (chargée de clientèle), vous regardez plutôt le master visé ou
            l'expérience en vente ? Je n'ai jamais travaillé en banque, seulement des jobs d'été en magasin.
        """,
        replies=(
            Reply(
                "amandine-p",
                26,
                4,
                """
                Merci d'avoir posé la question avant : je l'ai reprise pendant le live et je réponds aussi ici
                pour ceux qui n'ont pas pu être là.

                Pour un poste de chargé de clientèle en alternance, **l'expérience relationnelle compte autant
                que le diplôme**. Tes jobs d'été en magasin sont un vrai atout : mets en avant des situations
                précises (un client mécontent, un objectif de vente). Ce qu'on regarde surtout :

                - la motivation pour le métier (pas « la banque parce que c'est stable ») ;
                - la capacité à expliquer simplement quelque chose de compliqué ;
                - la cohérence entre le master visé et le poste.
                """,
            ),
        ),
    ),
    Thread(
        author="thomas-r",
        title="Le compte Instagram « alternance » d'une grande banque, c'est vraiment les RH qui répondent ?",
        tags=("reseaux-sociaux", "rh"),
        days_ago=31.2,
        body="""
            J'ai posé une question en message privé au compte recrutement d'une banque et on m'a répondu en
            10 minutes, de façon super précise. Mon pote dit que c'est forcément une agence ou un bot. Vous
            savez comment ça marche ?
        """,
        replies=(
            Reply(
                "amandine-p",
                2,
                5,
                """
                Je ne peux parler que pour nous : chez nous, ce sont deux personnes de l'équipe marque employeur
                qui répondent en direct, pas une agence. On tient à le faire nous-mêmes, justement parce que
                la question « est-ce vraiment vous ? » revient souvent, et que répondre vite et précisément est
                ce qui rend le compte crédible. Pour le reste, on écoute beaucoup : vos questions nous disent ce
                qui inquiète les candidats.
                """,
            ),
            Reply(
                "clara-f",
                6,
                2,
                """
                Pareil chez nous. Un indice : si la réponse colle précisément à TON cas (ta formation, ta ville),
                c'est un humain 😉
                """,
            ),
        ),
    ),
    Thread(
        author="emma-l",
        title="LinkedIn, Indeed, Welcome to the Jungle… faut-il être partout pour trouver une alternance ?",
        tags=("reseaux-sociaux", "linkedin", "recherche-entreprise"),
        days_ago=29.7,
        body="""
            Je me disperse complètement entre tous les sites. Combien de sites et de réseaux faut-il vraiment
            utiliser ? Quelqu'un m'a même parlé de Viadeo.
        """,
        replies=(
            Reply(
                "hugo-b",
                1,
                5,
                """
                Viadeo, c'était le réseau pro français il y a 10-15 ans ; aujourd'hui c'est LinkedIn qui compte.
                Mon conseil : **un réseau pro soigné (LinkedIn) + deux sites d'offres maximum** + des
                candidatures spontanées. Mieux vaut deux endroits où tu es active et cohérente que huit profils
                à moitié remplis.
                """,
            ),
            Reply(
                "sophie-ml",
                4,
                4,
                """
                Ajoute les sites publics, souvent oubliés : [1jeune1solution](https://www.1jeune1solution.gouv.fr),
                La bonne alternance et l'espace candidat de [France Travail](https://www.francetravail.fr).
                Beaucoup de PME y déposent leurs offres et nulle part ailleurs.
                """,
            ),
        ),
    ),
    Thread(
        author="maxime-d",
        title="Comment savoir ce qu'un recruteur voit quand il me cherche en ligne ?",
        tags=("e-reputation", "reseaux-sociaux"),
        days_ago=28.3,
        body="""
            En entretien, un recruteur m'a dit « j'ai vu votre compte X ». Rien de grave, mais ça m'a refroidi.
            Comment je surveille ce qu'on trouve sur moi ?
        """,
        replies=(
            Reply(
                "clara-f",
                3,
                7,
                """
                Trois réflexes :

                1. Cherche ton nom entre guillemets sur Google, en navigation privée, onglet Images compris.
                2. Crée une **alerte Google** sur ton nom : tu reçois un mail dès qu'il apparaît quelque part.
                3. Sépare les usages : le privé sur Instagram ou Facebook (revérifie les paramètres de
                   confidentialité, ils changent régulièrement), le pro sur LinkedIn.

                Tu ne contrôles pas ce que les autres disent de toi (ta e-réputation), mais tu contrôles ce que
                tu dis de toi (ton identité numérique). Le plus efficace : occuper la première page avec du
                contenu pro cohérent.
                """,
            ),
            Reply(
                "julien-c",
                8,
                2,
                """
                Et si un contenu te gêne (une photo publiée par un ami…), commence par demander gentiment à la
                personne de le retirer. Ça marche presque toujours.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="camille-j",
        title="Recommandation LinkedIn : comment la demander à mon tuteur sans que ce soit gênant ?",
        tags=("linkedin", "tuteur"),
        days_ago=27.5,
        body="""
            Je finis mon apprentissage d'éducatrice spécialisée en juin. Mon tuteur m'apprécie, j'aimerais
            une recommandation sur LinkedIn mais je ne sais pas comment lui demander.
        """,
        replies=(
            Reply(
                "sophie-ml",
                5,
                4,
                """
                Demande-la au bon moment (après un projet réussi, ou à ton bilan de fin d'année) et **guide-le** :
                « Camille est géniale » ne valide aucune compétence. Propose-lui deux ou trois points précis :
                « Tu pourrais parler de l'accompagnement du groupe d'ados et de l'atelier théâtre ? ». Il gagne
                du temps, et tu obtiens une recommandation utile.
                """,
            ),
        ),
    ),
    Thread(
        author="demo-student",
        title="Aide au permis de conduire pour les apprentis : comment ça marche ?",
        tags=("aides", "transport", "contrat-apprentissage"),
        days_ago=6.4,
        body="""
            Mon futur employeur est à 25 minutes en voiture et il n'y a pas de bus. J'ai entendu parler d'une
            aide de 500 € pour le permis quand on est apprenti. C'est vrai ? Il faut la demander à qui ?
        """,
        replies=(
            Reply(
                "pierre-cfa",
                2,
                5,
                """
                Oui : une aide de **500 €** pour les apprentis d'au moins 18 ans qui préparent le permis B.
                La demande se fait auprès de ton CFA, avec le devis ou une facture de l'auto-école ; c'est lui
                qui te verse l'aide. Elle se cumule avec les autres aides que tu peux avoir.
                """,
            ),
            Reply(
                "antoine-s",
                20,
                2,
                "Je l'ai eue, ça a pris environ un mois. Il faut que ton contrat soit signé et en cours.",
            ),
        ),
    ),
    Thread(
        author="lea-n",
        title="Metz – Nancy en TER trois fois par semaine : mon employeur doit-il payer l'abonnement ?",
        tags=("transport", "aides", "rh"),
        days_ago=26.1,
        body="""
            Je fais Metz – Nancy en TER trois jours par semaine pour aller dans mon entreprise, l'abonnement
            coûte cher. Ils doivent en payer une partie ?
        """,
        replies=(
            Reply(
                "karim-haddad",
                1.5,
                5,
                """
                Oui : comme pour tout salarié, l'employeur prend en charge **50 % de l'abonnement de transport en
                commun** entre ton domicile et ton lieu de travail, TER compris. Donne ton justificatif à la paie.
                Certaines entreprises vont plus loin (forfait mobilités durables pour le vélo ou le covoiturage).
                """,
            ),
            Reply(
                "nathalie-cfa",
                6,
                2,
                """
                Pour les trajets vers le CFA, regarde les aides de ta Région : beaucoup aident les apprentis pour
                le transport. Et pense aux tarifs réduits avec ta carte d'étudiant des métiers.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="antoine-s",
        title="Carte d'étudiant des métiers : elle sert à quoi exactement ?",
        tags=("cfa", "aides"),
        days_ago=24.8,
        body="Mon CFA m'a donné une « carte d'étudiant des métiers ». Elle donne droit à quoi exactement ?",
        replies=(
            Reply(
                "pierre-cfa",
                3,
                4,
                """
                Elle prouve ton statut d'apprenti et te donne accès aux **mêmes réductions que les étudiants** :
                cinéma, musées, certains transports… Les avantages varient selon les villes et les enseignes :
                montre-la partout où il y a un tarif étudiant.
                """,
            ),
        ),
    ),
    Thread(
        author="chloe-v",
        title="On me propose un CDI ailleurs pendant mon contrat pro : je peux partir ?",
        tags=("contrat-pro", "rupture-contrat", "premier-emploi"),
        days_ago=23.4,
        body="""
            Je suis en contrat pro (CDD de 12 mois), il me reste 4 mois. Un cabinet comptable me propose un CDI
            de gestionnaire de paie. Est-ce que j'ai le droit de rompre mon contrat pro ?
        """,
        replies=(
            Reply(
                "karim-haddad",
                2,
                4,
                """
                Oui. Ton contrat pro est un CDD, et un CDD peut être rompu avant son terme à l'initiative du
                salarié **qui justifie d'une embauche en CDI**. Tu dois respecter un préavis : un jour par
                semaine de contrat, deux semaines au maximum (sauf accord avec ton employeur).

                Pense quand même à ton titre : demande à ton futur employeur si tu peux finir la formation.
                """,
            ),
            Reply(
                "nathalie-cfa",
                7,
                2,
                """
                Préviens aussi ton organisme de formation : selon les cas, tu pourras terminer en formation
                continue ou passer par une VAE plus tard.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="rayan-o",
        title="Contrat rompu : combien de temps je peux rester au CFA sans employeur ?",
        tags=("rupture-contrat", "cfa", "recherche-entreprise"),
        days_ago=21.9,
        body="""
            Mon contrat a été rompu la semaine dernière, pendant les 45 jours. Le CFA me dit que je peux
            continuer les cours. Jusqu'à quand ? Et je suis payé pendant ce temps ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                2,
                6,
                """
                Après une rupture, tu peux continuer ta formation au CFA **pendant 6 mois au plus**, avec le
                statut de stagiaire de la formation professionnelle, le temps de trouver un nouvel employeur.
                Le CFA doit t'aider dans cette recherche.

                Tu n'es plus salarié, donc plus payé par l'entreprise. Inscris-toi à France Travail pour
                connaître tes droits : ils dépendent de la durée pendant laquelle tu as travaillé.
                """,
            ),
            Reply(
                "ines-benali",
                9,
                2,
                """
                Fonce aux job datings du CFA : les entreprises savent que tu peux commencer tout de suite, et
                c'est un avantage.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="manon-g",
        title="BTS ou BUT en alternance : lequel est le plus reconnu ?",
        tags=("bts", "but", "ecole"),
        days_ago=20.7,
        body="""
            J'hésite entre un BTS commerce et un BUT TC en alternance. Lequel est le mieux vu par les
            entreprises ? Et si je veux continuer après ?
        """,
        replies=(
            Reply(
                "thomas-r",
                4,
                5,
                """
                Le BTS est un bac+2 (niveau 5) en deux ans, très professionnel et centré sur un métier. Le BUT
                est un bac+3 (niveau 6) en trois ans à l'IUT, un peu plus généraliste, et beaucoup de parcours ne
                proposent l'alternance qu'à partir de la 2e année. Les deux sont des diplômes nationaux
                reconnus. Après un BTS, poursuivre en licence pro ou en bachelor ne pose aucun problème.
                """,
            ),
            Reply(
                "nathalie-cfa",
                9,
                2,
                """
                Côté entreprise, un BTS en apprentissage est plus facile à « vendre » : l'engagement dure deux
                ans au lieu de trois.
                """,
            ),
        ),
    ),
    Thread(
        author="lea-n",
        title="Après un BTS en apprentissage, mon salaire en licence pro repart à la 1re année ?",
        tags=("salaire", "licence-pro", "contrat-apprentissage"),
        days_ago=19.5,
        body="""
            J'ai fait mon BTS en apprentissage (2 ans, diplôme obtenu) et je signe pour une licence pro d'un an
            dans une nouvelle entreprise. Ils veulent me payer au taux de 1re année. C'est normal ?
        """,
        replies=(
            Reply(
                "julien-c",
                1,
                7,
                """
                Non ! Quand tu signes un nouveau contrat d'apprentissage après avoir obtenu le diplôme préparé
                pendant le précédent, ta rémunération est **au moins égale à celle de la dernière année du
                contrat précédent** (sauf si la grille selon ton âge est plus favorable). Tu pars donc au minimum
                au taux de 2e année.

                Montre-leur la page sur la rémunération de l'apprenti du
                [portail de l'alternance](https://www.alternance.emploi.gouv.fr), il y a aussi un simulateur.
                """,
            ),
            Reply(
                "karim-haddad",
                5,
                3,
                "Je confirme côté paie : c'est une erreur fréquente chez les employeurs qui découvrent "
                "l'apprentissage.",
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="ines-benali",
        title="Mon maître d'apprentissage n'a jamais le temps de me former, c'est normal ?",
        tags=("tuteur", "contrat-apprentissage", "rh"),
        days_ago=18.2,
        body="""
            Mon maître d'apprentissage est le directeur du magasin, il est toujours débordé. Ça fait trois mois
            que je fais surtout de la mise en rayon, et les missions pour mon BTS je les fais toute seule.
        """,
        replies=(
            Reply(
                "hugo-b",
                2,
                5,
                """
                Pas normal, mais fréquent. Ton maître d'apprentissage doit t'accompagner vers le diplôme, pas
                seulement te donner des tâches. Propose-lui **un point de 20 minutes tous les quinze jours** avec
                la liste de ce que tu dois valider pour le BTS. Les tuteurs débordés sont souvent soulagés qu'on
                leur apporte un cadre.
                """,
            ),
            Reply(
                "pierre-cfa",
                6,
                3,
                """
                Parles-en aussi à ton formateur référent : le CFA fait des points avec l'entreprise, c'est
                exactement à ça qu'ils servent.
                """,
            ),
            Reply(
                "sophie-ml",
                30,
                2,
                """
                Certaines entreprises ont des programmes de parrainage entre alternants (un ancien suit un
                nouveau). Demande aux RH si ça existe chez vous.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="antoine-s",
        title="Premier jour en alternance : pas de PC, pas de badge, personne ne m'attendait 😅",
        tags=("rh", "tuteur"),
        days_ago=17.0,
        body="""
            Premier jour lundi dans une PME d'import-export. Personne n'était au courant de mon arrivée, j'ai
            passé la journée à lire le site internet. C'est mauvais signe pour la suite ?
        """,
        replies=(
            Reply(
                "clara-f",
                3,
                4,
                """
                Ça arrive plus souvent qu'on croit, et ça ne dit pas forcément grand-chose de la suite. Mais
                demande **dès demain** un point avec ton tuteur pour fixer tes missions des premières semaines,
                et note ce qui manque (accès, matériel). Si tu le dis poliment, ça les aidera pour les suivants.
                """,
            ),
            Reply(
                "hugo-b",
                5,
                2,
                """
                J'ai vécu exactement ça. Deux semaines plus tard, j'avais plus de travail que je ne pouvais en
                faire 😄 Reste proactif et propose ton aide.
                """,
            ),
        ),
        accepted=1,
    ),
    Thread(
        author="demo-hr",
        title="Futurs alternants : quels sujets voulez-vous pour notre prochain live RH ?",
        tags=("live", "rh", "candidature"),
        days_ago=9.5,
        body="""
            Chaque mois, notre équipe recrutement alternance répond en direct à vos questions. Plutôt que de
            choisir les sujets nous-mêmes, on préfère vous demander : **qu'est-ce qui vous inquiète, ou qu'est-ce
            qui vous manque comme information ?**

            Répondez ici, on regroupe vos idées pour le prochain live.
        """,
        replies=(
            Reply("emma-l", 2, 4, "Comment se passe le tri des CV : est-ce qu'un humain lit vraiment ma lettre ?"),
            Reply(
                "rayan-o",
                5,
                2,
                "Ce qui se passe si le contrat est rompu, et si vous reprenez des alternants en cours d'année.",
            ),
            Reply("manon-g", 11, 4, "Les vrais salaires chez vous, pas juste le minimum légal 🙏"),
            Reply("lucas-m", 20, 2, "Comment vous choisissez entre deux candidats qui ont le même profil ?"),
            Reply(
                "camille-j",
                31,
                0,
                "Les aménagements possibles pour les alternants en situation de handicap, on en parle trop peu.",
            ),
        ),
    ),
    Thread(
        author="mehdi-a",
        title="France Travail peut-il m'aider à trouver une alternance ?",
        tags=("recherche-entreprise", "reconversion"),
        days_ago=15.3,
        body="""
            Je suis inscrit à France Travail depuis deux mois. Je veux une alternance en développement web,
            mais mon conseiller ne m'en parle jamais.
        """,
        replies=(
            Reply(
                "sophie-ml",
                4,
                4,
                """
                Demande-le explicitement : ton conseiller peut t'orienter vers les offres en alternance, les
                job datings et des dispositifs comme la POEI. Et vérifie avec lui comment ton allocation évolue
                quand tu signes ton contrat.
                """,
            ),
        ),
    ),
    Thread(
        author="camille-j",
        title="Apprentissage avec une RQTH : quels aménagements possibles ?",
        tags=("handicap", "contrat-apprentissage", "cfa"),
        days_ago=14.1,
        body="""
            J'ai une RQTH (troubles dys). Je n'ose pas en parler à mon employeur. Qu'est-ce que ça change pour
            mon apprentissage ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                3,
                6,
                """
                Ça peut changer beaucoup, en ta faveur :

                - **pas de limite d'âge** pour signer un contrat d'apprentissage ;
                - la durée du contrat peut être allongée, jusqu'à 4 ans ;
                - chaque CFA a un **référent handicap** : va le voir, il peut organiser des aménagements
                  (tiers-temps aux examens, supports adaptés) ;
                - ton employeur peut obtenir des aides de l'Agefiph pour adapter ton poste.

                En parler à ton employeur reste ton choix.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="thomas-r",
        title="Est-ce qu'on paie des impôts sur un salaire d'apprenti ?",
        tags=("salaire", "aides"),
        days_ago=12.8,
        body="""
            Mes parents me disent de faire ma propre déclaration d'impôts. Je gagne environ 900 € par mois en
            apprentissage. Je vais payer des impôts ?
        """,
        replies=(
            Reply(
                "karim-haddad",
                2,
                4,
                """
                Le salaire d'apprenti est **exonéré d'impôt sur le revenu dans la limite du montant annuel du
                SMIC**. Avec 900 € par mois tu es en dessous : ce n'est pas imposable, mais il faut quand même le
                déclarer (sur ta déclaration, ou celle de tes parents si tu restes rattaché).

                Et si ton net te paraît bas : pour les contrats signés depuis le 1er mars 2025, l'exonération de
                cotisations salariales est limitée à 50 % du SMIC.
                """,
            ),
            Reply(
                "julien-c",
                6,
                2,
                "Rattaché ou pas, fais la simulation sur impots.gouv.fr : ça dépend aussi de la situation "
                "de tes parents.",
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="julien-c",
        title="Partir un semestre à l'étranger pendant son apprentissage, c'est possible ?",
        tags=("mobilite-internationale", "contrat-apprentissage", "master"),
        days_ago=11.6,
        body="""
            Mon master propose un semestre à Barcelone. Est-ce que je peux partir en restant apprenti ? Qui me
            paie pendant ce temps ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                5,
                3,
                """
                Oui, la mobilité des apprentis à l'étranger est prévue, jusqu'à un an. Pour une mobilité de plus
                de 4 semaines, le contrat peut être « mis en veille » : l'organisme qui t'accueille à l'étranger
                devient responsable de tes conditions de travail et de rémunération pendant ce temps. Le
                référent mobilité de ton CFA t'aidera, et il existe des bourses Erasmus+.
                """,
            ),
        ),
    ),
    Thread(
        author="lucas-m",
        title="Quel salaire pour un contrat pro à 20 ans avec un bac général ?",
        tags=("salaire", "contrat-pro"),
        days_ago=10.4,
        body="J'ai 20 ans et un bac général. On me propose un contrat pro de 12 mois. Je serai payé combien ?",
        replies=(
            Reply(
                "chloe-v",
                2,
                5,
                """
                En contrat pro, c'est en % du SMIC selon ton âge et ton niveau :

                - moins de 21 ans : **55 %** (65 % si tu as au moins un bac pro ou un diplôme professionnel de
                  même niveau) ;
                - 21 à 25 ans : **70 %** (80 % avec ce même niveau) ;
                - 26 ans et plus : au moins le SMIC, et au moins 85 % du minimum de ta convention collective.

                C'est un diplôme **professionnel** qui donne la majoration : avec un bac général, à 20 ans,
                compte 55 % du SMIC minimum.
                """,
            ),
        ),
    ),
    Thread(
        author="rayan-o",
        title="Lettre de motivation écrite avec ChatGPT : les recruteurs le voient ?",
        tags=("candidature", "rh"),
        days_ago=8.7,
        body="""
            Tout le monde dans ma promo écrit ses lettres avec une IA. Les recruteurs s'en rendent compte ?
            C'est mal vu ?
        """,
        replies=(
            Reply(
                "amandine-p",
                3,
                7,
                """
                On le voit très souvent : mêmes tournures, mêmes phrases vides (« dynamique, rigoureux et
                motivé »). Utiliser un outil pour corriger l'orthographe ou structurer n'est pas un problème,
                mais la lettre doit parler de **toi** et de **nous** : une expérience vraie, une raison précise
                de postuler chez nous. Trois lignes sincères valent mieux qu'une page générique.
                """,
            ),
            Reply(
                "ines-benali",
                8,
                2,
                "Moi je l'utilise pour me relire et pour m'entraîner aux questions d'entretien, ça aide vraiment.",
            ),
        ),
    ),
    Thread(
        author="emma-l",
        title="Le CFA me demande 450 € d'inscription alors que je suis en apprentissage",
        tags=("cfa", "ecole", "contrat-apprentissage"),
        days_ago=7.9,
        body="""
            J'ai enfin signé mon contrat d'apprentissage 🎉 mais le CFA me demande 450 € de « frais
            d'inscription ». Je dois payer ?
        """,
        replies=(
            Reply(
                "pierre-cfa",
                1,
                5,
                """
                Non : la formation en apprentissage est **gratuite pour l'apprenti**, et aucune contrepartie
                financière ne peut t'être demandée pour ton inscription. C'est l'OPCO de ton employeur qui
                finance le CFA. Demande par écrit à quoi correspondent ces 450 €.
                """,
            ),
            Reply(
                "sarah-k",
                5,
                2,
                "Ça m'est arrivé aussi. J'ai répondu par mail en rappelant la gratuité, et ils ont retiré les frais.",
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="chloe-v",
        title="Période d'essai en contrat de professionnalisation : combien de temps ?",
        tags=("periode-essai", "contrat-pro"),
        days_ago=7.1,
        body="Les 45 jours dont tout le monde parle, ça s'applique aussi au contrat pro ?",
        replies=(
            Reply(
                "karim-haddad",
                3,
                4,
                """
                Non, les 45 jours sont propres à l'apprentissage. Un contrat pro en CDD suit les règles du CDD :
                un jour par semaine de contrat, dans la limite de 2 semaines pour un contrat de 6 mois ou moins,
                et d'un mois au-delà. Pour un contrat de 12 mois : un mois.
                """,
            ),
        ),
        accepted=0,
    ),
    Thread(
        author="julien-c",
        title="On me propose un CDI à la fin de mon apprentissage : il y aura une période d'essai ?",
        tags=("premier-emploi", "periode-essai", "contrat-apprentissage"),
        days_ago=5.6,
        body="Mon entreprise veut me garder en CDI après mon master. Ils peuvent m'imposer une période d'essai ?",
        replies=(
            Reply(
                "karim-haddad",
                2,
                5,
                """
                Si ton contrat d'apprentissage est suivi d'un CDI **dans la même entreprise**, aucune période
                d'essai ne peut t'être imposée, sauf disposition contraire de la convention collective. Et la
                durée de ton apprentissage compte dans ton ancienneté.
                """,
            ),
            Reply("hugo-b", 6, 2, "Félicitations ! C'est aussi le bon moment pour négocier ton salaire d'embauche."),
        ),
    ),
    Thread(
        author="lea-n",
        title="Comment négocier son premier salaire après l'alternance ?",
        tags=("premier-emploi", "salaire"),
        days_ago=4.8,
        body="""
            On me propose un CDI après ma licence pro. Je n'ose pas parler salaire, j'ai l'impression de leur
            devoir quelque chose puisqu'ils m'ont formée.
        """,
        replies=(
            Reply(
                "demo-hr",
                3,
                4,
                """
                Vous ne leur devez rien : vous avez travaillé pour eux pendant votre formation ! Côté RH, on
                s'attend à ce que vous en parliez. Arrivez avec :

                - une fourchette réaliste (regardez les offres du même poste dans votre région) ;
                - ce que vous savez déjà faire dans **cette** entreprise : vous êtes opérationnelle dès le
                  premier jour, c'est un argument ;
                - les autres éléments : télétravail, tickets restaurant, formation.
                """,
            ),
            Reply(
                "clara-f",
                9,
                2,
                "Et demandez la grille de la convention collective : le minimum du poste y est souvent indiqué.",
            ),
        ),
    ),
    Thread(
        author="manon-g",
        title="Mes parents ont peur que l'alternance m'empêche de faire des études longues",
        tags=("ecole", "master", "bts"),
        days_ago=4.1,
        body="""
            Mes parents pensent que si je commence par un BTS en alternance, je ne pourrai jamais faire de
            master. Est-ce que c'est vrai ?
        """,
        replies=(
            Reply(
                "nathalie-cfa",
                4,
                2,
                """
                Non : l'alternance existe du CAP au diplôme d'ingénieur et au master. Après un BTS, beaucoup
                continuent en licence pro, en bachelor ou en 3e année de licence, puis en master.
                """,
            ),
            Reply(
                "julien-c",
                6,
                4,
                """
                C'est exactement mon parcours : BTS, licence, puis master contrôle de gestion, tout en
                apprentissage. Cinq ans de salaire, aucun frais de scolarité, et trois ans d'expérience sur mon
                CV en sortant. Tu peux montrer ce fil à tes parents 😉
                """,
            ),
        ),
        accepted=1,
    ),
    Thread(
        author="thomas-r",
        title="Les apprentis ont-ils droit à la prime d'activité ?",
        tags=("aides", "salaire"),
        days_ago=2.6,
        body="J'ai 19 ans, apprenti. Un ami m'a dit que je pouvais avoir la prime d'activité en plus de mon salaire.",
        replies=(
            Reply(
                "sophie-ml",
                4,
                3,
                """
                Oui, c'est possible à partir de 18 ans si tes revenus d'activité dépassent un certain seuil
                (autour de 78 % du SMIC net par mois pour les étudiants et apprentis). Fais la simulation sur
                [caf.fr](https://www.caf.fr), ça prend cinq minutes.
                """,
            ),
        ),
    ),
    Thread(
        author="camille-j",
        title="Pages et groupes Facebook « alternance » : ça vaut le coup de s'y inscrire ?",
        tags=("reseaux-sociaux", "recherche-entreprise"),
        days_ago=1.9,
        body="""
            Certaines entreprises ont une page dédiée à l'alternance où les étudiants posent leurs questions.
            Ça sert vraiment, ou c'est juste de la com' ?
        """,
        replies=(
            Reply(
                "clara-f",
                5,
                2,
                """
                Bien faites, ces pages sont utiles : on y trouve des réponses concrètes (choix de l'école,
                rythme, recrutement) et des retours d'autres alternants. Mais ce que tu y écris est public et
                associé à ton nom : garde le même ton que sur LinkedIn.
                """,
            ),
        ),
    ),
    # Recent questions still waiting for their first answer.
    Thread(
        author="yanis-t",
        title="Apprenti en cuisine : je peux changer de restaurant en cours d'année ?",
        tags=("cap", "rupture-contrat"),
        days_ago=1.2,
        body="""
            Je suis en 1re année de CAP cuisine et l'ambiance dans mon restaurant est vraiment dure. Un autre
            chef serait prêt à me prendre. Comment ça se passe pour changer d'employeur en cours d'année ?
        """,
    ),
    Thread(
        author="demo-student",
        title="Alternance dans la fonction publique : c'est possible pour un BTS ?",
        tags=("bts", "recherche-entreprise"),
        days_ago=0.9,
        body="""
            J'aimerais faire mon BTS en alternance dans une mairie ou un hôpital. Est-ce que les employeurs
            publics prennent des apprentis ? Où trouver leurs offres ?
        """,
    ),
    Thread(
        author="antoine-s",
        title="Juillet et août : je dois être en entreprise tout l'été ?",
        tags=("rythme", "conges"),
        days_ago=0.6,
        body="""
            Mon CFA n'a pas cours en juillet et août. Ça veut dire que je suis en entreprise tout l'été, à part
            mes congés ? Comment vous faites, vous ?
        """,
    ),
    Thread(
        author="mehdi-a",
        title="Titre pro développeur web en un an : un rythme 4 jours / 1 jour, c'est accepté ?",
        tags=("reconversion", "rythme"),
        days_ago=0.4,
        body="""
            L'organisme de formation propose 4 jours en entreprise et 1 jour de cours par semaine. Les
            entreprises trouvent ça bien, ou c'est trop peu de formation pour un débutant ?
        """,
    ),
    Thread(
        author="sarah-k",
        title="Quelqu'un a fait son alternance RH dans une association ?",
        tags=("master", "recherche-entreprise", "rh"),
        days_ago=0.2,
        body="""
            Je vise un master RH en alternance et je me demande si les associations recrutent des alternants
            en RH. Vous avez des retours d'expérience ?
        """,
    ),
)
