"""An email backend whose server always refuses: retries and backoff are
tested against a real failure path, not a mock of our own code."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refused the connection")


class SlowFileBackend(BaseEmailBackend):
    """The file backend, a little slow per message, so that a test can kill
    the worker in the middle of a batch. The delay comes *before* the write,
    like a mail server taking its time before accepting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kwargs.setdefault("file_path", os.environ["EMAIL_FILE_PATH"])
        self.inner = FileBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        time.sleep(0.15)
        return self.inner.send_messages(email_messages)
