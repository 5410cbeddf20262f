"""What every seeding step shares: the SeedContext and the Step signature.

In a module of its own so that the steps (members, moderation, organisations,
...) and steps.py, which lists them, import it without importing each other.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from forum.models import User


@dataclass
class SeedContext:
    password: str
    now: datetime = field(default_factory=timezone.now)
    members: dict[str, User] = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)
    passwords_reset: int = 0
    _password_hash: str | None = None

    @property
    def password_hash(self) -> str:
        # One hash for every demo account: hashing costs ~0.5 s, and twenty-five
        # of them would blow the seconds this command has. The shared salt only
        # reveals that demo accounts share a password, which is public anyway.
        if self._password_hash is None:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def member(self, username: str) -> User:
        return self.members[username]


Step = Callable[[SeedContext], None]
