"""An email backend whose server always refuses: retries and backoff are
tested against a real failure path, not a mock of our own code."""

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refused the connection")
