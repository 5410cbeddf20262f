from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """What full-text search matches for one thread, derived from the posts by
    forum.search.index_thread (the services call it in the writing transaction).

    A side table rather than columns on Question, so that lists never load the
    vectors. On PostgreSQL the two vectors are filled (GIN-indexed by migration
    0009); on SQLite they stay NULL and FTS5 tables hold the text instead
    (forum/search/sqlite.py).

    - `public_vector`: only what anyone may read (a published question and its
      published answers); NULL when the question itself is not published.
    - `full_vector`: everything a moderator may read (withdrawn answers left out).
    """

    question = models.OneToOneField(
        "forum.Question", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    public_vector = SearchVectorField(null=True)
    full_vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "search document"

    def __str__(self) -> str:
        return f"search document of question {self.question_id}"


class AnswerSearchVector(models.Model):
    """One answer's words as a tsvector (PostgreSQL only; empty on SQLite,
    whose FTS5 tables hold the text): a search picks and ranks the matching
    answer of each shown thread from these instead of parsing every answer
    of those threads again on each query.

    A function of the body alone, never of visibility: who may read an answer
    is decided at query time from `forum_answer.visibility`, as everywhere.
    forum.search.index_thread brings a thread's rows up to date (only those
    whose body changed, by `body_digest`) in the writing transaction; a
    missing row is parsed on the fly, so the index is never needed to be
    right, only to be fast."""

    answer = models.OneToOneField(
        "forum.Answer", on_delete=models.CASCADE, primary_key=True, related_name="search_vector"
    )
    vector = SearchVectorField()
    # md5 of the text parsed (the start of the body, see postgres.ANSWER_SNIPPET_SOURCE).
    body_digest = models.CharField(max_length=32)

    class Meta:
        verbose_name = "answer search vector"

    def __str__(self) -> str:
        return f"search vector of answer {self.answer_id}"


class SearchTerm(models.Model):
    """Words seen in public posts, lower case, accents kept: the lexicon that
    "did you mean" picks corrections from (trigram-indexed on PostgreSQL).
    Only ever grows between rebuilds (manage.py rebuild_search_index); a
    correction is only offered when it finds results the viewer may see, so a
    word left over from a hidden post reveals nothing."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = "search term"

    def __str__(self) -> str:
        return self.word
