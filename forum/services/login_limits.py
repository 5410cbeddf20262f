"""Per-account password attempt limit, shared by the web login form (allauth,
through frontend.adapter) and the API token endpoint (api.v1.auth).

Per-address limits (allauth's "login_failed" 10/min per address, DRF's "auth"
scope) slow one machine down; they do nothing against a botnet guessing one
member's password from thousands of addresses. This counts attempts per
*account*, whoever makes them:

- at most LOGIN_ATTEMPTS_PER_ACCOUNT attempts per LOGIN_ATTEMPT_WINDOW_MINUTES
  (settings.FORUM); the next one locks the account's password login for
  LOGIN_LOCKOUT_MINUTES. A locked account refuses even the right password
  (else the lock would tell the guesser when they are right), with 429 and
  Retry-After on the API and a form message on the web;
- the lock has a cool-off and is not extended by attempts made while it
  holds: an attacker can keep a member from logging in with a password only
  for LOCKOUT minutes at a time, never for good (docs/known-traps.md on django-axes),
  and a member who is logged in stays logged in (sessions and device tokens
  are not touched);
- a successful login clears the count.

Atomic: an attempt is *reserved* (the row locked with SELECT … FOR UPDATE,
BEGIN IMMEDIATE on SQLite, and incremented) before the password is checked,
so twenty parallel guesses get counts 1 to 20 and only the first ones reach
the password check. A cache counter (allauth's, DRF's) reads then writes and
lets parallel requests through together (docs/known-traps.md).

The key is the account, whichever login names it (username or email, any
case); a login that names no account is counted under its own text, so an
unknown name locks the same way and the lock reveals nothing about who is a
member.
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.exceptions import AccountLocked
from forum.models import LoginThrottle, User
from forum.services.ratelimits import wait_text


def _rule(name: str, default: int) -> int:
    return settings.FORUM.get(name, default)


def account_key(login: str) -> str:
    login = (login or "").strip()
    if "@" in login:
        lookup = Q(email__iexact=login) | Q(emailaddress__email__iexact=login)
    else:
        lookup = Q(username__iexact=login)
    pk = User.objects.filter(lookup).order_by("pk").values_list("pk", flat=True).first() if login else None
    return f"user:{pk}" if pk else f"login:{login.casefold()[:250]}"


def begin_attempt(*, login: str) -> str:
    """Count one password attempt against the account `login` names; raise
    AccountLocked if it is over the limit. Returns the key for `succeeded`."""
    limit = _rule("LOGIN_ATTEMPTS_PER_ACCOUNT", 5)
    key = account_key(login)
    if limit <= 0:
        return key
    window = timedelta(minutes=_rule("LOGIN_ATTEMPT_WINDOW_MINUTES", 15))
    lockout = timedelta(minutes=_rule("LOGIN_LOCKOUT_MINUTES", 15))
    now = timezone.now()
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"window_started_at": now}
        )
        if row.locked_until and row.locked_until > now:
            _refuse(row.locked_until - now)
        if row.locked_until or row.window_started_at <= now - window:
            # A lock that has run out, or a quiet window: start counting afresh.
            row.attempts, row.window_started_at, row.locked_until = 0, now, None
        row.attempts += 1
        if row.attempts > limit:
            row.locked_until = now + lockout
        row.save(update_fields=["attempts", "window_started_at", "locked_until"])
    if row.locked_until:
        _refuse(lockout)
    return key


def succeeded(*, key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()


def password_replaced(*, user: User) -> None:
    """A new password (changed, reset by email, set by an operator) lifts the
    account's pause: the pause message tells the member to reset their
    password, and whoever was guessing guesses an old one now."""
    LoginThrottle.objects.filter(key=f"user:{user.pk}").delete()


@contextmanager
def attempt(*, login: str) -> Iterator[None]:
    """`with attempt(login=...): <check the password>`: counted before,
    cleared if the block does not raise."""
    key = begin_attempt(login=login)
    yield
    succeeded(key=key)


def _refuse(remaining: timedelta) -> None:
    seconds = max(1, math.ceil(remaining.total_seconds()))
    raise AccountLocked(
        _(
            "Too many login attempts on this account. For its safety, logging in with a password is paused: "
            "try again in %(wait)s, or reset your password."
        )
        % {"wait": wait_text(seconds)},
        retry_after=seconds,
    )


def forget_stale(*, now=None) -> int:
    """Delete the rows that no longer count: their window is over and no lock
    holds. `begin_attempt` would start such a row afresh anyway, so nothing
    changes for the limit; but a row keyed by a mistyped login (an email
    address, say) is personal data the privacy policy says is not kept.
    Run by the worker's periodic sweep; returns the number deleted."""
    now = now or timezone.now()
    window = timedelta(minutes=_rule("LOGIN_ATTEMPT_WINDOW_MINUTES", 15))
    stale = LoginThrottle.objects.filter(window_started_at__lte=now - window).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )
    deleted, _ = stale.delete()
    return deleted
