"""Signed-in sessions with the member's id in a column of their own.

Django's database sessions keep the member's id inside the signed session
data only, so every signed-in request read its session row, then its member
in a second query; and a member's sessions could only be found by decoding
every live session of the site (the data export, account deletion). This is
Django's documented way to extend the database store ("Extending
database-backed session engines"): the same key, data and expiry, plus the
member, so that config/session_store.py reads the session and its member in
one query and `MemberSession.objects.filter(user=…)` finds a member's
sessions. The rows of `django_session` were copied here by migration 0027,
so nobody was logged out.
"""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class MemberSession(AbstractBaseSession):
    # Written from the session's data on each save (config/session_store.py);
    # no database constraint: a session saved in the same instant as its
    # member is removed must not fail the request, and it reads as no member.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "forum_member_session"

    @classmethod
    def get_session_store_class(cls):
        from config.session_store import SessionStore

        return SessionStore
