"""allauth's hooks, pointed at the forum's rules (settings.ACCOUNT_ADAPTER).

- Sign-up usernames follow the name rule of every name shown next to a post
  (forum.permissions.name_refusal) and may not look like an existing username
  (User.username_key, unique in the database).
- Password logins count against the account's attempt limit shared with the
  API (forum.services.login_limits), on top of allauth's per-address limit.
- Two sign-ups racing with look-alike usernames both pass the check above; the
  unique `username_key` refuses the second at its INSERT, and that member gets
  the same "taken" error as if they had been second all along, not a 500.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

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

    def save_user(self, request, user, form, commit=True):
        if not commit:
            return super().save_user(request, user, form, commit=False)
        try:
            with transaction.atomic():
                return super().save_user(request, user, form, commit=True)
        except IntegrityError as exc:
            if "username_key" not in str(exc):
                raise
            # allauth's middleware answers with this response (web and app alike).
            raise ImmediateHttpResponse(self._username_taken(request, form)) from None

    def _username_taken(self, request: HttpRequest, form) -> HttpResponse:
        message = str(self.error_messages["username_taken"])
        if request.path.startswith("/_allauth/"):
            # allauth headless's error shape (the app's sign-up form maps it to its field).
            body = {"status": 400, "errors": [{"message": message, "code": "username_taken", "param": "username"}]}
            return JsonResponse(body, status=400)
        from allauth.account.views import SignupView

        form.add_error("username", message)
        view = SignupView()
        view.setup(request)
        response = TemplateResponse(request, view.template_name, view.get_context_data(form=form), status=400)
        return response.render()

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
