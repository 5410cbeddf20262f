"""Settings for the server process that Schemathesis fuzzes.

Production settings, except that a password is hashed cheaply first: every
fuzzed login with an unknown username still hashes once (so that its timing
does not reveal the account exists), and at PBKDF2's cost a few hundred
generated logins would take minutes. Existing PBKDF2 hashes still verify.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
