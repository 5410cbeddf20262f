"""Seed a PostgreSQL database at national scale for the HTTP benchmarks.

    .venv/bin/python -m bench.seed                                 # 100,000 questions x 10 answers
    .venv/bin/python -m bench.seed --questions 2000 --answers-per 5  # a quick one

`DATABASE_URL` defaults to postgres://postgres@127.0.0.1:5432/alternance_bench_big.
The database is dropped and recreated (only one whose name contains "bench"),
migrated, then filled with COPY (psycopg 3 `cursor.copy`): members, verified
HR/school badges, tags, questions, answers, votes, flags and their review
items. Text comes from the demo threads (forum/demo/content), cut into
paragraphs that are recombined and given a few varying words (diplomas,
towns, sectors), so that full-text search meets a realistic vocabulary.

Every denormalised value is computed while generating and written once
(`Question.answer_count`, `last_activity_at`, `accepted_answer`,
`Answer.vote_count`): no UPDATE pass, and `tests/test_bench_seed.py` checks
them against aggregates. Ids are assigned here, then every sequence is moved
past them, so that rows created later by the app (and the event log's cursor)
continue from there.

One thread, the "reference thread" of the thread-page scenario, has exactly
`REFERENCE_ANSWERS` published answers; every other question has fewer.
`reference_thread()` finds it.
"""

import argparse
import os
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alternance_bench_big"
REFERENCE_ANSWERS = 30
# One password for every seeded member: hashing 50,000 of them would take
# longer than the rest of the seed. Only the benchmark signs in.
PASSWORD = "alternance-bench"
BENCH_USERNAME = "bench-student"

DIPLOMAS = [
    "CAP",
    "Bac pro",
    "BTS MCO",
    "BTS NDRC",
    "BTS SIO",
    "BUT GEA",
    "BUT TC",
    "BUT Info",
    "Licence pro",
    "Master RH",
    "Master MEEF",
    "titre pro",
    "diplôme d'ingénieur",
    "BTS CG",
    "BTS GPME",
    "DUT",
    "MBA",
]
SECTORS = [
    "banque",
    "BTP",
    "restauration",
    "hôtellerie",
    "grande distribution",
    "informatique",
    "industrie",
    "santé",
    "logistique",
    "commerce",
    "immobilier",
    "assurance",
    "coiffure",
    "boulangerie",
    "aéronautique",
    "automobile",
    "communication",
    "comptabilité",
    "énergie",
    "agriculture",
    "transport",
    "mode",
]
TOWNS = [
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nice",
    "Nantes",
    "Montpellier",
    "Strasbourg",
    "Bordeaux",
    "Lille",
    "Rennes",
    "Reims",
    "Toulon",
    "Saint-Étienne",
    "Le Havre",
    "Grenoble",
    "Dijon",
    "Angers",
    "Nîmes",
    "Clermont-Ferrand",
    "Aix-en-Provence",
    "Brest",
    "Tours",
    "Amiens",
    "Limoges",
    "Annecy",
    "Perpignan",
    "Besançon",
    "Metz",
    "Orléans",
    "Rouen",
    "Mulhouse",
    "Caen",
    "Nancy",
    "Argenteuil",
    "Roubaix",
    "Tourcoing",
    "Avignon",
    "Poitiers",
    "Pau",
    "La Rochelle",
    "Calais",
    "Cannes",
    "Colmar",
    "Quimper",
    "Valence",
    "Troyes",
    "Chambéry",
    "Lorient",
    "Niort",
    "Vannes",
    "Bayonne",
    "Cayenne",
    "Saint-Denis",
    "Ajaccio",
    "Bastia",
]
QUALIFIERS = [
    "en {d}",
    "à {t}",
    "dans le secteur {s}",
    "({d}, {t})",
    "— {s} à {t}",
    "en {d} à {t}",
    "pour un {d} en {s}",
    "",
    "",
    "",
]
FIRST_NAMES = [
    "Lucas",
    "Emma",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Manon",
    "Nathan",
    "Camille",
    "Enzo",
    "Inès",
    "Jules",
    "Sarah",
    "Mathis",
    "Lina",
    "Yanis",
    "Jade",
    "Théo",
    "Zoé",
    "Karim",
    "Amina",
    "Thomas",
    "Julie",
    "Mehdi",
    "Océane",
    "Baptiste",
    "Lucie",
    "Sofiane",
    "Clara",
    "Antoine",
    "Nour",
    "Maël",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Haddad",
]
ROLES = ["student"] * 6 + ["apprentice"] * 3 + ["school", "other"]


@dataclass
class Scale:
    questions: int = 100_000
    answers_per: float = 10.0
    members: int = 50_000
    tags: int = 300
    badges: int = 1_000
    organisations: int = 300
    votes_per_answer: float = 1.5
    seed: int = 16


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    reference_question_id: int = 0


# --- text -------------------------------------------------------------------------------


@dataclass
class Corpus:
    titles: list
    # (markdown, html) paragraph pairs, rendered once each.
    paragraphs: list
    demo_tags: list


def load_corpus() -> Corpus:
    from forum.demo.threads import load_threads
    from forum.markdown import render_markdown

    titles, sources, tags = [], [], set()
    for thread in load_threads():
        titles.append(thread.title.rstrip(" ?"))
        tags.update(thread.tags)
        for text in (thread.body, *(reply.body for reply in thread.replies)):
            sources.extend(p.strip() for p in text.split("\n\n") if p.strip())
    paragraphs = [(p, render_markdown(p)) for p in dict.fromkeys(sources)]
    return Corpus(titles=titles, paragraphs=paragraphs, demo_tags=sorted(tags))


class Text:
    """Bodies and titles recombined from the corpus with a varying sentence,
    whose Markdown is plain text so its HTML is known without rendering."""

    def __init__(self, corpus: Corpus, rng: random.Random):
        self.corpus = corpus
        self.rng = rng

    def words(self) -> dict:
        rng = self.rng
        return {"d": rng.choice(DIPLOMAS), "t": rng.choice(TOWNS), "s": rng.choice(SECTORS)}

    def title(self) -> str:
        rng = self.rng
        base = rng.choice(self.corpus.titles)
        qualifier = rng.choice(QUALIFIERS).format(**self.words())
        return (f"{base} {qualifier}".strip() + " ?")[:200]

    def body(self, paragraphs: int) -> tuple[str, str]:
        rng = self.rng
        chosen = [rng.choice(self.corpus.paragraphs) for _ in range(paragraphs)]
        w = self.words()
        sentence = f"Je suis en {w['d']} à {w['t']}, dans le secteur {w['s']} (situation n° {rng.randrange(10**6)})."
        markdown = "\n\n".join([sentence, *(p[0] for p in chosen)])
        html = "\n".join([f"<p>{escape(sentence)}</p>", *(p[1] for p in chosen)])
        return markdown, html


def escape(text: str) -> str:
    from django.utils.html import escape as django_escape

    return str(django_escape(text))


# --- database ---------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """Drop and create the database named in `url`: only one whose name says
    it is a benchmark's, so a mistyped URL cannot wipe real data."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: only a database whose name contains 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _columns(model, values: dict) -> tuple[list[str], list]:
    """Every concrete column of `model`, the given value or the field's
    default: COPY does not apply Django's Python-side defaults."""
    from django.db.models import JSONField
    from psycopg.types.json import Jsonb

    columns, defaults = [], []
    for f in model._meta.concrete_fields:
        columns.append(f.column)
        if f.attname in values:
            defaults.append(None)
        elif f.has_default():
            default = f.get_default()
            defaults.append(Jsonb(default) if isinstance(f, JSONField) else default)
        elif f.null:
            defaults.append(None)
        elif f.get_internal_type() in {"CharField", "TextField", "EmailField", "URLField", "SlugField"}:
            defaults.append("")
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
    return columns, defaults


class Copier:
    """COPY rows of one model given as dicts of attnames; the other columns
    take their defaults."""

    def __init__(self, cursor, model, attnames: list[str]):
        self.cursor = cursor
        self.model = model
        columns, defaults = _columns(model, dict.fromkeys(attnames))
        self.columns = columns
        index = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
        self.slots = [index[a] for a in attnames]
        self.template = defaults
        self.count = 0

    def __enter__(self):
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self._cm = self.cursor.copy(f'COPY "{self.model._meta.db_table}" ({cols}) FROM STDIN')
        self.copy = self._cm.__enter__()
        return self

    def write(self, *values) -> None:
        row = list(self.template)
        for slot, value in zip(self.slots, values, strict=True):
            row[slot] = value
        self.copy.write_row(row)
        self.count += 1

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


# --- the seed ---------------------------------------------------------------------------


def answer_counts(scale: Scale, rng: random.Random) -> list[int]:
    """Published-or-not answers per question: about `answers_per` each,
    summing to exactly questions x answers_per, at most REFERENCE_ANSWERS - 1
    except the reference thread (the middle question) with exactly
    REFERENCE_ANSWERS."""
    n = scale.questions
    target = round(n * scale.answers_per)
    cap = REFERENCE_ANSWERS - 1
    counts = [max(0, min(cap, round(rng.gauss(scale.answers_per, scale.answers_per / 2)))) for _ in range(n)]
    reference = n // 2
    counts[reference] = REFERENCE_ANSWERS
    others = [i for i in range(n) if i != reference]
    diff = target - sum(counts)
    if not 0 <= target - REFERENCE_ANSWERS <= cap * len(others):
        raise ValueError(f"{target:,} answers do not fit in {n:,} questions of at most {cap}")
    while diff:
        i = rng.choice(others)
        if diff > 0 and counts[i] < cap:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1
    return counts


def seed(scale: Scale, *, log=print) -> Report:
    """Fill the (empty, migrated) default database. Runs in one transaction."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from forum.confusables import compact_key
    from forum.models import (
        Answer,
        Badge,
        BadgeRole,
        Flag,
        FlagReason,
        Organisation,
        Question,
        ReviewItem,
        User,
        Visibility,
        Vote,
    )
    from forum.models.moderation import CharterClause, HoldReason
    from forum.models.organisations import BADGE_VALIDITY

    rng = random.Random(scale.seed)
    report = Report()
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.seconds[name] = round(now - clock, 1)
        log(f"  {name}: {now - clock:.1f} s")
        clock = now

    corpus = load_corpus()
    text = Text(corpus, rng)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=3 * 365)
    span = (now - start).total_seconds()
    password = make_password(PASSWORD)
    lap("corpus")

    with transaction.atomic():
        # The underlying psycopg cursor: Django's wrapper has no copy().
        cursor = connection.cursor().cursor

        # Members: the bench account first (id 1), then students, apprentices,
        # school staff; the last `badges` members are HR/school badge holders.
        m = scale.members
        badge_holders = range(m - scale.badges + 1, m + 1)
        with Copier(
            cursor,
            User,
            [
                "id",
                "username",
                "username_key",
                "password",
                "email",
                "display_name",
                "role",
                "date_joined",
                "charter_accepted_at",
                "is_active",
            ],
        ) as users:
            for uid in range(1, m + 1):
                if uid == 1:
                    username, display = BENCH_USERNAME, "Bench Student"
                    role = "student"
                else:
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    username = f"{slugify(first)}-{slugify(last)}-{uid}"
                    display = f"{first} {last[0]}."
                    role = (
                        "hr"
                        if uid in badge_holders and uid % 3
                        else ("school" if uid in badge_holders else rng.choice(ROLES))
                    )
                joined = start + timedelta(seconds=rng.random() * span * 0.5)
                users.write(
                    uid,
                    username,
                    compact_key(username),
                    password,
                    f"{username}@example.org",
                    display,
                    role,
                    joined,
                    joined,
                    True,
                )
        lap(f"members ({m:,})")

        with Copier(cursor, Organisation, ["id", "name", "slug", "kind", "created_at"]) as orgs:
            for oid in range(1, scale.organisations + 1):
                kind = "school" if oid % 4 == 0 else "company"
                label = ("CFA" if kind == "school" else "Groupe") + f" {rng.choice(LAST_NAMES)} {oid}"
                orgs.write(oid, label, slugify(label), kind, start)
        with Copier(
            cursor, Badge, ["id", "user_id", "organisation_id", "role", "status", "verified_at", "expires_at"]
        ) as badges:
            for bid, uid in enumerate(badge_holders, start=1):
                verified = now - timedelta(days=rng.randrange(1, 300))
                role = BadgeRole.HR if uid % 3 else BadgeRole.SCHOOL
                badges.write(
                    bid,
                    uid,
                    rng.randrange(1, scale.organisations + 1),
                    role,
                    "active",
                    verified,
                    verified + BADGE_VALIDITY,
                )
        lap(f"organisations and badges ({scale.badges:,})")

        # Tags: the demo ones, then diploma/sector/town ones up to `tags`.
        names = list(dict.fromkeys(corpus.demo_tags + [slugify(x) for x in DIPLOMAS + SECTORS + TOWNS]))
        extra = 0
        while len(names) < scale.tags:
            extra += 1
            names.append(f"{slugify(rng.choice(SECTORS))}-{slugify(rng.choice(TOWNS))}-{extra}")
        names = names[: scale.tags]
        with Copier(cursor, Tag, ["id", "name", "slug"]) as tags:
            for tid, name in enumerate(names, start=1):
                tags.write(tid, name, name)
        # Zipf-like popularity: a few tags carry most questions.
        tag_weights = [1 / (rank**1.1) for rank in range(1, len(names) + 1)]
        lap(f"tags ({len(names)})")

        # Questions' times first (answers need them), ids in time order.
        n = scale.questions
        q_created = sorted(start.timestamp() + rng.random() * span * 0.98 for _ in range(n))
        counts = answer_counts(scale, rng)
        reference = n // 2
        report.reference_question_id = reference + 1
        hr_low, hr_count = badge_holders.start, scale.badges

        q_answer_count = array("i", [0]) * n
        q_last = array("d", q_created)
        q_accepted = array("q", [0]) * n
        a_votes = array("i")
        hidden_answers: list[tuple[int, int, float]] = []  # (answer id, author, time)
        open_flagged: list[int] = []
        aid = 0
        end = now.timestamp()
        with Copier(
            cursor,
            Answer,
            ["id", "question_id", "body", "body_html", "author_id", "created_at", "visibility", "vote_count"],
        ) as answers:
            for qi in range(n):
                qid = qi + 1
                t = q_created[qi]
                published = []
                for _ in range(counts[qi]):
                    aid += 1
                    t = min(end, t + rng.expovariate(1 / 7200))
                    r = rng.random()
                    if qi == reference or r > 0.018:
                        visibility = Visibility.PUBLISHED
                    elif r > 0.008:
                        visibility = Visibility.HIDDEN
                    elif r > 0.003:
                        visibility = Visibility.WITHDRAWN
                    else:
                        visibility = Visibility.PENDING
                    # Verified members answer far more than their share.
                    author = hr_low + rng.randrange(hr_count) if rng.random() < 0.12 else rng.randrange(2, m + 1)
                    votes = min(
                        500, m - 2, int(rng.paretovariate(1.6)) - 1 + (rng.random() < scale.votes_per_answer / 3)
                    )
                    a_votes.append(votes)
                    markdown, html = text.body(rng.choice((1, 1, 2, 2, 3)))
                    when = datetime.fromtimestamp(t, UTC)
                    answers.write(aid, qid, markdown, html, author, when, visibility, votes)
                    if visibility == Visibility.PUBLISHED:
                        published.append((aid, votes))
                        if t > q_last[qi]:
                            q_last[qi] = t
                        if rng.random() < 0.002:
                            open_flagged.append(aid)
                    elif visibility == Visibility.HIDDEN:
                        hidden_answers.append((aid, author, t))
                q_answer_count[qi] = len(published)
                if published and qi != reference and rng.random() < 0.45:
                    # Askers tend to accept a well-voted answer.
                    q_accepted[qi] = max(published, key=lambda p: p[1] + rng.random() * 3)[0]
        total_answers = aid
        lap(f"answers ({total_answers:,})")

        with Copier(
            cursor,
            Question,
            [
                "id",
                "title",
                "body",
                "body_html",
                "author_id",
                "created_at",
                "last_activity_at",
                "accepted_answer_id",
                "is_locked",
                "visibility",
                "view_count",
                "answer_count",
                "pinned_at",
            ],
        ) as questions:
            for qi in range(n):
                markdown, html = text.body(rng.choice((1, 2, 2, 3)))
                created = datetime.fromtimestamp(q_created[qi], UTC)
                r = rng.random()
                visibility = Visibility.PUBLISHED if qi == reference or r > 0.006 else Visibility.HIDDEN
                questions.write(
                    qi + 1,
                    text.title(),
                    markdown,
                    html,
                    rng.randrange(2, m + 1),
                    created,
                    datetime.fromtimestamp(q_last[qi], UTC),
                    q_accepted[qi] or None,
                    qi != reference and r < 0.004,
                    visibility,
                    q_answer_count[qi] * 17 + rng.randrange(50),
                    q_answer_count[qi],
                    created if qi in (n - 3, n - 7) else None,
                )
        lap(f"questions ({n:,})")

        ct = ContentType.objects.get_for_model(Question)
        tagged = 0
        with Copier(cursor, TaggedItem, ["id", "object_id", "content_type_id", "tag_id"]) as items:
            for qi in range(n):
                chosen = set(rng.choices(range(1, len(names) + 1), weights=tag_weights, k=rng.choice((1, 2, 3, 3, 4))))
                for tid in chosen:
                    tagged += 1
                    items.write(tagged, qi + 1, ct.id, tid)
        lap(f"tagged items ({tagged:,})")

        vid = 0
        with Copier(cursor, Vote, ["id", "answer_id", "user_id", "created_at"]) as votes:
            for index, count in enumerate(a_votes):
                if count:
                    when = now - timedelta(seconds=rng.random() * 86400 * 30)
                    for uid in rng.sample(range(2, m + 1), count):
                        vid += 1
                        votes.write(vid, index + 1, uid, when)
        lap(f"votes ({vid:,})")

        # Moderation: hidden answers were reported (2 upheld flags, then a
        # decided review item); a few published ones carry one open flag,
        # below the hiding threshold, so no review item.
        fid = rid = 0
        moderators = [hr_low]  # any member id; decided_by is informational here
        with Copier(
            cursor, Flag, ["id", "answer_id", "flagger_id", "reason", "status", "created_at", "resolved_at"]
        ) as flags:
            for answer_id, author, t in hidden_answers:
                when = datetime.fromtimestamp(t, UTC) + timedelta(hours=1)
                for flagger in rng.sample(range(2, m + 1), 2):
                    if flagger == author:
                        continue
                    fid += 1
                    flags.write(fid, answer_id, flagger, FlagReason.HARASSMENT, Flag.Status.UPHELD, when, when)
            for answer_id in open_flagged:
                fid += 1
                flags.write(
                    fid,
                    answer_id,
                    rng.randrange(2, m + 1),
                    rng.choice(FlagReason.values),
                    Flag.Status.OPEN,
                    now - timedelta(hours=rng.randrange(1, 72)),
                    None,
                )
        with Copier(
            cursor,
            ReviewItem,
            [
                "id",
                "answer_id",
                "author_id",
                "reasons",
                "status",
                "decision",
                "decided_by_id",
                "decided_at",
                "clause",
                "created_at",
                "updated_at",
            ],
        ) as reviews:
            from psycopg.types.json import Jsonb

            for answer_id, author, t in hidden_answers:
                rid += 1
                when = datetime.fromtimestamp(t, UTC) + timedelta(hours=2)
                reviews.write(
                    rid,
                    answer_id,
                    author,
                    Jsonb([HoldReason.FLAGS]),
                    ReviewItem.Status.DECIDED,
                    ReviewItem.Decision.HIDE,
                    moderators[0],
                    when,
                    CharterClause.RESPECT,
                    when,
                    when,
                )
        lap(f"flags ({fid:,}) and review items ({rid:,})")

        reset_sequences(cursor, [User, Organisation, Badge, Tag, TaggedItem, Question, Answer, Vote, Flag, ReviewItem])

    report.counts = {
        "members": m,
        "badges": scale.badges,
        "tags": len(names),
        "questions": n,
        "answers": total_answers,
        "votes": vid,
        "tagged items": tagged,
        "flags": fid,
        "review items": rid,
    }
    return report


def analyze(*, log=print) -> None:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    log(f"  vacuum analyze: {time.monotonic() - started:.1f} s")


def reference_thread():
    """The question of the thread-page scenario: the one with exactly
    REFERENCE_ANSWERS published answers."""
    from forum.models import Question, Visibility

    return (
        Question.objects.filter(answer_count=REFERENCE_ANSWERS, visibility=Visibility.PUBLISHED).order_by("id").first()
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--questions", type=int, default=Scale.questions)
    parser.add_argument("--answers-per", type=float, default=Scale.answers_per)
    parser.add_argument("--members", type=int, default=Scale.members)
    parser.add_argument("--tags", type=int, default=Scale.tags)
    parser.add_argument("--badges", type=int, default=Scale.badges)
    parser.add_argument("--seed", type=int, default=Scale.seed, help="random seed (same seed, same data)")
    args = parser.parse_args(argv)
    if args.badges >= args.members:
        parser.error("--badges must be smaller than --members")

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    started = time.monotonic()
    print(f"recreating {args.database_url.rsplit('/', 1)[-1]}")
    recreate_database(args.database_url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.monotonic() - started:.1f} s")
    scale = Scale(
        questions=args.questions,
        answers_per=args.answers_per,
        members=args.members,
        tags=args.tags,
        badges=args.badges,
        seed=args.seed,
    )
    report = seed(scale)
    # COPY bypasses the services: build what they keep current on every write.
    for command in ("recount_tags", "rebuild_search_index"):
        lap = time.monotonic()
        call_command(command, verbosity=0)
        print(f"  {command}: {time.monotonic() - lap:.1f} s")
    analyze()
    print(f"seeded in {time.monotonic() - started:.0f} s: " + ", ".join(f"{v:,} {k}" for k, v in report.counts.items()))
    print(f"reference thread (exactly {REFERENCE_ANSWERS} answers): question {report.reference_question_id}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
