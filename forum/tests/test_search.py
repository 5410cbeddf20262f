"""Full-text search through forum.search, on the database the run uses: the
embedded SQLite (FTS5) by default, PostgreSQL (fr_unaccent, pg_trgm) when
DATABASE_URL points at it. The same behaviours hold on both, except where a
test says otherwise."""

import itertools
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import search
from forum.exceptions import InvalidInput
from forum.models import AnswerSearchVector, Question, SearchDocument
from forum.services import answers as answer_services
from forum.services import moderation
from forum.services import questions as question_services
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user
from tests.support.requirements import require_postgres

ANONYMOUS = AnonymousUser()


def found(query: str, viewer=ANONYMOUS, **kwargs) -> list[int]:
    return [hit.question.pk for hit in search.search(query, viewer=viewer, **kwargs).hits]


_bodies = itertools.count(1)


def ask(author, title: str, body: str | None = None, **kw):
    # Numbered: the same text twice from one member is refused as a duplicate.
    body = body or f"Je voudrais des conseils précis sur ce point, merci d'avance (n° {next(_bodies)})."
    return make_question(author=author, title=title, body=body, **kw)


@pytest.fixture
def threads(student):
    return {
        "contrat": ask(student, "Mon contrat d'apprentissage est-il valable ?"),
        "ecole": ask(student, "Quelle école choisir pour un BTS ?"),
        "apprentissage": ask(student, "Apprentissage en cuisine : quels horaires ?"),
    }


# --- Matching -----------------------------------------------------------------


def test_a_plural_finds_the_singular(threads):
    assert found("contrats") == [threads["contrat"].pk]


def test_a_feminine_finds_the_masculine(student):
    # Students write of themselves as "apprentie", "alternante"; threads say "apprenti".
    thread = ask(student, "Un apprenti alternant peut-il travailler le dimanche ?")
    assert found("apprentie") == [thread.pk]
    assert found("apprenties alternantes") == [thread.pk]


def test_a_word_without_accents_finds_it_with_them(threads):
    assert found("ecole") == [threads["ecole"].pk]
    assert found("ÉCOLE") == [threads["ecole"].pk]


def test_a_misspelled_word_finds_the_right_one_and_says_so(threads):
    page = search.search("apprantissage", viewer=ANONYMOUS)
    assert threads["apprentissage"].pk in [hit.question.pk for hit in page.hits]
    assert page.corrected
    assert page.did_you_mean == "apprentissage"


def test_a_correct_word_is_not_corrected(threads):
    page = search.search("apprentissage", viewer=ANONYMOUS)
    assert page.hits
    assert not page.corrected
    assert page.did_you_mean is None


def test_answers_are_searched_and_the_matching_answer_is_highlighted(student, other_student):
    question = ask(student, "Question sur mon planning en entreprise")
    answer = make_answer(author=other_student, question=question, body="Regarde ta convention collective, tout y est.")
    page = search.search("conventions", viewer=ANONYMOUS)
    [hit] = page.hits
    assert hit.question == question
    assert hit.answer_id == answer.pk
    assert "<mark>" in hit.answer_snippet_html
    assert "convention" in hit.answer_snippet_html.lower()


def test_snippets_are_escaped_before_marking(student):
    ask(student, "Une question sur le contrat <b>gras</b>", body="Le <script>alert(1)</script> contrat est signé.")
    [hit] = search.search("contrat", viewer=ANONYMOUS).hits
    for html in (hit.title_html, hit.snippet_html):
        assert "<script>" not in html
        assert "<b>" not in html
        assert "&lt;" in html
        assert "<mark>" in html


# --- Ranking --------------------------------------------------------------------


def test_a_title_match_beats_a_body_match(student):
    in_body = ask(student, "Question sur mon employeur", body="Mon employeur parle d'une rupture conventionnelle.")
    in_title = ask(student, "Rupture conventionnelle en alternance ?")
    assert found("rupture")[:2] == [in_title.pk, in_body.pk]


def test_an_accepted_answer_match_beats_an_unrelated_answer_match(student, other_student, third_student):
    neutral = "Je voudrais des conseils précis sur ce point, merci d'avance."
    unrelated = ask(student, "Question sur mon premier jour", body=neutral + " Premier jour.")
    make_answer(author=other_student, question=unrelated, body="Au fait, pense aussi à ta mutuelle un jour.")
    solved = ask(student, "Question sur ma santé au travail", body=neutral + " Santé.")
    accepted = make_answer(author=third_student, question=solved, body="La mutuelle de l'entreprise est obligatoire.")
    answer_services.accept_answer(user=student, answer=accepted)
    assert found("mutuelle")[:2] == [solved.pk, unrelated.pk]


def test_recency_sort_puts_the_newest_first(student):
    older = ask(student, "Alternance en banque : quel rythme ?")
    newer = ask(student, "Alternance en cuisine : quel rythme ?")
    Question.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert found("rythme", sort="recency") == [newer.pk, older.pk]


# --- Filters --------------------------------------------------------------------


def test_filters_by_status_tag_and_dates(student, other_student):
    solved = ask(student, "Salaire en première année de BTS", tags=("salaire",))
    answer = make_answer(author=other_student, question=solved)
    answer_services.accept_answer(user=student, answer=answer)
    unanswered = ask(student, "Salaire en deuxième année de licence", tags=("licence",))
    Question.objects.filter(pk=unanswered.pk).update(created_at=timezone.now() - timedelta(days=40))

    assert found("salaire", filters=search.SearchFilters(status="solved")) == [solved.pk]
    assert found("salaire", filters=search.SearchFilters(status="unanswered")) == [unanswered.pk]
    assert found("salaire", filters=search.SearchFilters(tag="Licence")) == [unanswered.pk]
    since = timezone.localdate() - timedelta(days=10)
    assert found("salaire", filters=search.SearchFilters(since=since)) == [solved.pk]
    assert found("salaire", filters=search.SearchFilters(until=since)) == [unanswered.pk]


def test_the_verified_filter_keeps_threads_answered_by_verified_staff(student, other_student, moderator):
    hr = make_user(username="rh")
    organisation = make_organisation(moderator=moderator)
    grant_badge(user=hr, organisation=organisation, moderator=moderator)
    verified = ask(student, "Télétravail pendant l'alternance : possible ?")
    make_answer(author=hr, question=verified, body="Chez nous, oui, deux jours par semaine en accord avec le tuteur.")
    other = ask(student, "Télétravail le vendredi pour un apprenti ?")
    make_answer(author=other_student, question=other)

    assert found("teletravail", filters=search.SearchFilters(status="verified")) == [verified.pk]
    [hit] = search.search("teletravail", viewer=ANONYMOUS, filters=search.SearchFilters(status="verified")).hits
    assert hit.has_verified_answer
    # Without a filter too (PostgreSQL reads it with the questions then).
    marks = {hit.question.pk: hit.has_verified_answer for hit in search.search("teletravail", viewer=ANONYMOUS).hits}
    assert marks == {verified.pk: True, other.pk: False}


def test_extra_filters_plug_in_without_touching_the_backends(threads):
    class OnlyThese:
        def __init__(self, ids):
            self.ids = ids

        def apply(self, queryset):
            return queryset.filter(pk__in=self.ids)

    filters = search.SearchFilters(extra=[OnlyThese([threads["ecole"].pk])])
    assert found("ecole contrat", filters=filters) == []
    assert found("ecole", filters=filters) == [threads["ecole"].pk]
    page = search.search("ecole", viewer=ANONYMOUS, filters=filters)
    assert list(page.matches.values_list("pk", flat=True)) == [threads["ecole"].pk]


# --- Visibility -----------------------------------------------------------------


def test_hidden_and_pending_questions_are_never_found_by_the_public(student, moderator):
    hidden = ask(student, "Harcèlement de mon tuteur, que faire ?")
    moderation.hide_post(moderator=moderator, post=hidden, clause="respect")
    newcomer = make_user(username="nouveau", date_joined=timezone.now())
    pending = ask(newcomer, "Harcèlement au CFA, à qui parler ?")
    assert Question.objects.get(pk=pending.pk).visibility == "pending"

    for viewer in (ANONYMOUS, student, newcomer):
        assert found("harcelement", viewer=viewer) == []
    assert search.similar("harcèlement", viewer=ANONYMOUS) == []


def test_a_moderator_finds_hidden_questions_flagged(student, moderator):
    public = ask(student, "Harcèlement en entreprise : les recours")
    hidden = ask(student, "Harcèlement de mon tuteur, que faire ?")
    moderation.hide_post(moderator=moderator, post=hidden, clause="respect")
    hits = {hit.question.pk: hit for hit in search.search("harcelement", viewer=moderator).hits}
    assert set(hits) == {public.pk, hidden.pk}
    assert hits[hidden.pk].moderation_only
    assert not hits[public.pk].moderation_only


def test_hidden_and_withdrawn_answers_are_neither_matched_nor_shown(student, other_student, third_student, moderator):
    question = ask(student, "Question sur mes congés payés")
    hidden = make_answer(author=other_student, question=question, body="Insulte et confidentiel : xylophone.")
    moderation.hide_post(moderator=moderator, post=hidden, clause="respect")
    withdrawn = make_answer(author=third_student, question=question, body="Je retire ceci : marmotte.")
    answer_services.withdraw_answer(user=third_student, answer=withdrawn)
    make_answer(author=third_student, question=question, body="Tu as droit à cinq semaines de congés.")

    assert found("xylophone") == []
    assert found("marmotte") == []
    [hit] = search.search("conges", viewer=ANONYMOUS).hits
    assert "xylophone" not in hit.answer_snippet_html + hit.snippet_html

    # Moderators read hidden answers (flagged), never withdrawn ones.
    [hit] = search.search("xylophone", viewer=moderator).hits
    assert hit.moderation_only
    assert hit.answer_id == hidden.pk
    assert hit.answer_visibility == "hidden"
    assert found("marmotte", viewer=moderator) == []


def test_a_restored_question_is_found_again(student, moderator):
    question = ask(student, "Harcèlement de mon tuteur, que faire ?")
    moderation.hide_post(moderator=moderator, post=question, clause="respect")
    assert found("harcelement") == []
    moderation.restore_post(moderator=moderator, post=question)
    assert found("harcelement") == [question.pk]


# --- Kept current by the services ------------------------------------------------


def test_an_edit_is_searchable_at_once(student):
    question = ask(student, "Question sur mon emploi du temps")
    question_services.edit_question(editor=student, question=question, title="Question sur ma rémunération")
    assert found("remuneration") == [question.pk]
    assert found("emploi") == []


def test_an_edited_answer_is_matched_and_shown_by_its_new_words(student, other_student):
    question = ask(student, "Question sur ma visite médicale")
    answer = make_answer(author=other_student, question=question, body="Demande au service xylophone de ton CFA.")
    answer_services.edit_answer(editor=other_student, answer=answer, body="Demande à la médecine du travail, marimba.")
    assert found("xylophone") == []
    [hit] = search.search("marimba", viewer=ANONYMOUS).hits
    assert hit.answer_id == answer.pk
    assert "<mark>marimba</mark>" in hit.answer_snippet_html


def test_accepting_an_answer_reindexes_the_thread(student, other_student):
    question = ask(student, "Question sur la prime d'activité")
    answer = make_answer(author=other_student, question=question, body="Tu peux faire une simulation sur le site.")
    before = search.search("simulation", viewer=ANONYMOUS).hits[0].rank
    answer_services.accept_answer(user=student, answer=answer)
    assert search.search("simulation", viewer=ANONYMOUS).hits[0].rank > before


def test_rebuild_indexes_every_thread(threads):
    SearchDocument.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_search_public")
    assert found("ecole") == []
    assert search.rebuild() == len(threads)
    assert found("ecole") == [threads["ecole"].pk]


# --- Paging and input ---------------------------------------------------------


def test_the_cursor_pages_through_every_result(student):
    ids = {ask(student, f"Stage numéro {n} en alternance, quelle durée ?").pk for n in range(25)}
    first = search.search("stage", viewer=ANONYMOUS)
    assert len(first.hits) == 20
    assert first.next_cursor
    second = search.search("stage", viewer=ANONYMOUS, cursor=first.next_cursor)
    assert second.next_cursor is None
    assert {h.question.pk for h in first.hits + second.hits} == ids


@pytest.mark.parametrize(
    ("query", "kwargs", "field"),
    [
        ("   ", {}, "q"),
        ("stage", {"cursor": "forged"}, "cursor"),
        ("stage", {"sort": "votes"}, "sort"),
        ("stage", {"filters": search.SearchFilters(since=date(2026, 5, 2), until=date(2026, 5, 1))}, "until"),
    ],
)
def test_bad_input_is_an_invalid_input_error(db, query, kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        search.search(query, viewer=ANONYMOUS, **kwargs)
    assert field in caught.value.fields


def test_query_syntax_is_only_text(threads):
    for query in ['"contrat', "contrat & | ! :* ( )", "'; DROP TABLE forum_question; --", '"" OR * contrat']:
        search.search(query, viewer=ANONYMOUS)
        search.similar(query, viewer=ANONYMOUS)
    assert found("contrat & | ! :* ( )") == [threads["contrat"].pk]


# --- Similar questions --------------------------------------------------------------


def test_similar_questions_share_words_with_the_title(student, other_student):
    pay = ask(student, "Salaire apprenti : combien à 19 ans ?")
    ask(student, "Quelle école choisir pour un BTS ?")
    solved = ask(student, "Rémunération en licence pro après un BTS")
    answer = make_answer(author=other_student, question=solved)
    answer_services.accept_answer(user=student, answer=answer)

    similar = search.similar("rémunération apprenti", viewer=ANONYMOUS)
    assert {item.question.pk for item in similar} == {pay.pk, solved.pk}
    assert search.similar("rémunération apprenti", viewer=ANONYMOUS, exclude_id=pay.pk)[0].question == solved
    assert search.similar("   ", viewer=ANONYMOUS) == []
    assert len(search.similar("le la les", viewer=ANONYMOUS)) == 0


def test_related_questions_run_the_search_once_per_title(student, other_student, moderator, django_assert_num_queries):
    thread = ask(student, "Rémunération apprenti en BTS")
    pay = ask(other_student, "Salaire apprenti : combien à 19 ans ?")
    other = ask(other_student, "Rémunération en licence pro")
    assert {item.question for item in search.related_questions(thread)} == {pay, other}
    # Cached ids: one query reads their status and visibility.
    with django_assert_num_queries(1):
        assert {item.question for item in search.related_questions(thread)} == {pay, other}
    # Read at every render: a question hidden since drops out at once.
    moderation.hide_post(moderator=moderator, post=pay, clause="respect")
    assert [item.question for item in search.related_questions(thread)] == [other]
    # An edited title is a new search.
    thread = question_services.edit_question(editor=student, question=thread, title="Horaires de nuit en cuisine")
    assert search.related_questions(thread) == []


def test_a_search_page_costs_the_same_queries_for_one_hit_or_twenty(student, other_student):
    def queries_for(query: str) -> int:
        # Once before counting: a backend may keep per-query planning hints
        # (PostgreSQL's estimate of how common the words are) between searches.
        search.search(query, viewer=ANONYMOUS)
        with CaptureQueriesContext(connection) as captured:
            search.search(query, viewer=ANONYMOUS)
        return len(captured)

    ask(student, "Horaires de nuit en boulangerie")
    one = queries_for("boulangerie")
    for n in range(20):
        question = ask(student, f"Horaires en boulangerie, cas {n}")
        make_answer(author=other_student, question=question, body=f"En boulangerie on commence tôt ({n}).")
    assert queries_for("boulangerie") == one


# --- PostgreSQL specifics ------------------------------------------------------


@pytest.mark.postgres
def test_postgres_stores_weighted_vectors_and_searches_them_by_index(threads):
    require_postgres()
    document = SearchDocument.objects.get(question=threads["contrat"])
    assert "'contrat':" in document.public_vector
    assert "A" in document.public_vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('fr_unaccent', 'Écoles')::text")
        assert cursor.fetchone()[0] == "'ecol':1"
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'forum_searchdoc_public_gin'")
        assert "gin" in cursor.fetchone()[0]


@pytest.mark.postgres
def test_postgres_bulk_rebuild_builds_what_the_services_build(student, other_student, moderator):
    require_postgres()
    question = ask(student, "Mutuelle et prévoyance en alternance", tags=("mutuelle", "contrat-pro"))
    accepted = make_answer(author=other_student, question=question, body="La mutuelle est obligatoire, oui.")
    answer_services.accept_answer(user=student, answer=accepted)
    hidden = make_answer(author=moderator, question=question, body="Un texte caché par la modération.")
    moderation.hide_post(moderator=moderator, post=hidden, clause="respect")
    make_answer(author=moderator, question=question, body="Une autre réponse publiée.")
    # Only published posts: the rebuild reuses the public vector as the full one.
    public = ask(student, "Prévoyance et arrêt maladie", tags=("mutuelle",))
    make_answer(author=other_student, question=public, body="La prévoyance couvre l'arrêt maladie.")
    columns = ("question_id", "public_vector", "full_vector")
    before = list(SearchDocument.objects.order_by("question_id").values_list(*columns))
    SearchDocument.objects.all().delete()
    assert search.rebuild() == 2
    assert list(SearchDocument.objects.order_by("question_id").values_list(*columns)) == before


@pytest.mark.postgres
def test_postgres_similar_lists_titles_with_every_word_before_titles_with_some(student, monkeypatch):
    require_postgres()
    both = ask(student, "Rémunération d'un apprenti en BTS")
    for n in range(4):
        ask(student, f"Apprenti cuisinier, question pratique numéro {n}")
    # Titles sharing only some words are ranked among the newest few: the
    # one with every word comes first whatever its age.
    monkeypatch.setattr("forum.search.postgres.SIMILAR_POOL", 2)
    similar = [item.question for item in search.similar("rémunération apprenti", viewer=ANONYMOUS)]
    assert similar[0] == both
    assert len(similar) == 3


@pytest.mark.postgres
def test_postgres_ranks_a_bounded_pool_of_the_newest_matches(student, monkeypatch):
    require_postgres()
    title_match = ask(student, "Mutuelle en alternance")
    body = "Une question sur ma mutuelle, cas numéro {}."
    body_matches = [ask(student, f"Question pratique {n}", body=body.format(n)) for n in range(3)]
    assert found("mutuelle", page_size=1) == [title_match.pk]
    # A word matching more threads than the pool ranks only the newest ones
    # (the price of bounded work for words that match most threads).
    monkeypatch.setattr("forum.search.postgres.RANK_POOL", 2)
    assert found("mutuelle", page_size=1) == [body_matches[2].pk]


def _answer_vectors() -> dict[int, tuple[str, str, str]]:
    """Each stored answer vector with its digest and the row version (xmin):
    a row rewritten gets a new xmin even when its values are the same."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT answer_id, vector::text, body_digest, xmin::text FROM forum_answersearchvector")
        return {row[0]: row[1:] for row in cursor.fetchall()}


@pytest.mark.postgres
def test_postgres_stores_each_answer_vector_and_redoes_only_those_whose_text_changed(student, other_student):
    require_postgres()
    question = ask(student, "Question sur la mutuelle d'entreprise")
    kept = make_answer(author=other_student, question=question, body="La mutuelle est obligatoire en entreprise.")
    edited = make_answer(author=student, question=question, body="Merci, et pour la prévoyance ?")
    before = _answer_vectors()
    assert "'mutuel':" in before[kept.pk][0]
    answer_services.edit_answer(editor=student, answer=edited, body="Merci ! Et pour les congés payés ?")
    after = _answer_vectors()
    assert after[kept.pk] == before[kept.pk]
    assert "'cong':" in after[edited.pk][0]
    assert after[edited.pk][1] != before[edited.pk][1]
    # An answer that is gone takes its vector with it.
    withdrawn_thread = ask(student, "Question retirée ensuite")
    gone = make_answer(author=other_student, question=withdrawn_thread, body="Une réponse bientôt effacée.")
    gone.delete()
    assert gone.pk not in _answer_vectors()


@pytest.mark.postgres
def test_postgres_bulk_rebuild_builds_the_answer_vectors_the_services_build(student, other_student, moderator):
    require_postgres()
    question = ask(student, "Prime d'activité et apprentissage")
    make_answer(author=other_student, question=question, body="Oui, la **prime d'activité** est possible.")
    hidden = make_answer(author=moderator, question=question, body="Un texte caché par la modération.")
    moderation.hide_post(moderator=moderator, post=hidden, clause="respect")
    before = {pk: values[:2] for pk, values in _answer_vectors().items()}
    assert set(before) == {a.pk for a in question.answers.all()}
    AnswerSearchVector.objects.all().delete()
    search.rebuild()
    assert {pk: values[:2] for pk, values in _answer_vectors().items()} == before


@pytest.mark.postgres
def test_postgres_an_answer_without_a_stored_vector_is_still_matched(student, other_student):
    require_postgres()
    question = ask(student, "Question sur le permis de conduire")
    answer = make_answer(author=other_student, question=question, body="Une aide de 500 euros existe, xylophone.")
    AnswerSearchVector.objects.filter(answer=answer).delete()
    [hit] = search.search("xylophone", viewer=ANONYMOUS).hits
    assert hit.answer_id == answer.pk
    assert "<mark>xylophone</mark>" in hit.answer_snippet_html


class _NarrowsNothing:
    """A filter that keeps every question but does not say so (no `is_empty`):
    the search then takes the general path."""

    def apply(self, queryset):
        return queryset


def test_a_search_without_filters_ranks_as_the_general_path_does(student, other_student):
    title = ask(student, "Prime d'apprentissage : qui la verse ?")
    body = ask(student, "Question sur mon employeur", body="Il parle d'une prime, je ne comprends pas (1).")
    answered = ask(student, "Question sur mon CFA")
    accepted = make_answer(author=other_student, question=answered, body="La prime est versée par l'État.")
    answer_services.accept_answer(user=student, answer=accepted)

    def ranked(**kwargs):
        return [
            (hit.question.pk, round(hit.rank, 6), hit.answer_id, hit.has_verified_answer, hit.snippet_html)
            for hit in search.search("prime", viewer=ANONYMOUS, **kwargs).hits
        ]

    plain = ranked()
    assert [row[0] for row in plain][0] == title.pk
    assert {row[0] for row in plain} == {title.pk, body.pk, answered.pk}
    assert ranked(filters=search.SearchFilters(extra=[_NarrowsNothing()])) == plain


@pytest.mark.postgres
def test_postgres_a_plain_search_costs_six_queries(student, other_student, django_assert_num_queries):
    """The pool and its ranking, the page's questions (with the verified
    mark), their tags, their authors' badges and moderator groups, every
    snippet. Another query here is a decision: docs/benchmarks.md measures
    each one at about 1-30 ms at national scale."""
    require_postgres()
    for n in range(3):
        question = ask(student, f"Horaires de nuit en boulangerie, cas {n}")
        make_answer(author=other_student, question=question, body=f"En boulangerie on commence tôt ({n}).")
    search.search("boulangerie", viewer=ANONYMOUS)  # the planner's estimate, kept per process
    with django_assert_num_queries(6):
        assert len(search.search("boulangerie", viewer=ANONYMOUS).hits) == 3
