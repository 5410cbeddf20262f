"""allauth's hooks, pointed at the forum's rules (settings.ACCOUNT_ADAPTER).

- Sign-up usernames follow the name rule of every name shown next to a post
  (forum.permissions.name_refusal) and may not look like an existing username
  (User.username_key, unique in the database).
- Password logins count against the account's attempt limit shared with the
  API (forum.services.login_limits), on top of allauth's per-address limit.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from forum import confusables, permissions
from forum.exceptions import AccountLocked
from forum.models import User
from forum.services import login_limits


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = super().clean_username(username, shallow=shallow)
        refusal = permissions.name_refusal(None, username, field="username")
        if refusal:
            raise forms.ValidationError(refusal)
        if not shallow and User.objects.filter(username_key=confusables.compact_key(username)).exists():
            raise self.validation_error("username_taken")
        return username

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        login = credentials.get("email") or credentials.get("username") or ""
        try:
            self._login_limit_key = login_limits.begin_attempt(login=login)
        except AccountLocked as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def authenticate(self, request, **credentials):
        self._login_limit_key = None
        user = super().authenticate(request, **credentials)
        if user is not None and self._login_limit_key:
            login_limits.succeeded(key=self._login_limit_key)
        return user
