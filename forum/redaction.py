"""Replacing a deleted member's personal values inside stored text and JSON.

Used where other rows *quote* the member (event payloads, audit entries,
moderators' notes), after the member row itself was erased: the payloads of
author blocks (`{"id": .., "username": .., "display_name": ..}`) are rewritten
to the deleted member's block, and any other occurrence of a value is replaced
by a neutral mark, case-insensitively."""

import re
from dataclasses import dataclass, field

MARK = "[deleted]"
# Shorter values ("Jo", a two-letter region) would rewrite unrelated words.
MIN_LENGTH = 3


@dataclass
class Redactor:
    member_id: int
    old_username: str
    new_username: str
    deleted_name: str
    web_url: str
    values: list[str] = field(default_factory=list)

    def __post_init__(self):
        unique = {v.strip() for v in [self.old_username, *self.values] if v and len(v.strip()) >= MIN_LENGTH}
        # Longest first, so that "julie.martin@example.org" goes before "julie".
        self.needles = sorted(unique, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(n) for n in self.needles), re.IGNORECASE) if self.needles else None
        )

    @property
    def sql_pattern(self) -> str:
        """The needles as one case-insensitive regular expression for
        PostgreSQL (`__iregex`), so that a scan reads each row's text once
        rather than once per needle (an OR of ILIKEs casts a JSON column to
        text for each). Python's escaping is valid there: a backslash before
        punctuation or a space is the character itself."""
        return "|".join(re.escape(n) for n in self.needles)

    def text(self, value: str) -> str:
        if not value or self._pattern is None:
            return value
        return self._pattern.sub(MARK, value)

    def json(self, value):
        if isinstance(value, dict):
            if value.get("username") == self.old_username or (
                value.get("id") == self.member_id and "username" in value
            ):
                value = {
                    **value,
                    "username": self.new_username,
                    **({"display_name": self.deleted_name} if "display_name" in value else {}),
                    **({"web_url": self.web_url} if "web_url" in value else {}),
                    **({"badges": []} if "badges" in value else {}),
                }
            return {key: self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value
