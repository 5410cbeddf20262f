"""The "add to my calendar" file of a live session: one VEVENT (RFC 5545),
written by hand since it is twenty lines and a library would be a dependency."""

from datetime import UTC, datetime

from django.utils import timezone

from forum.markdown import render_plain_excerpt
from forum.models import LiveSession


def _text(value: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon, comma and newlines are escaped.
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start = [], 0
    while start < len(encoded):
        end = min(start + (75 if not parts else 74), len(encoded))
        # Never cut a UTF-8 sequence in two.
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(encoded[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(session: LiveSession, url: str) -> str:
    description = render_plain_excerpt(session.description or "", 500)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Alternance Q&A//Chats conseil//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:live-session-{session.pk}@alternance-qa",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"SUMMARY:{_text(session.title)}",
        f"DESCRIPTION:{_text(f'{description}\n\n{url}'.strip())}",
        f"URL:{url}",
        # A file saved before a cancellation says nothing; one fetched after says so.
        "STATUS:CANCELLED" if session.cancelled_at else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
