from forum.models.audit import AuditLog
from forum.models.events import Event
from forum.models.posts import Answer, PostRevision, Question, Visibility, Vote
from forum.models.tokens import DeviceToken
from forum.models.users import User, UserRole

__all__ = [
    "Answer",
    "AuditLog",
    "DeviceToken",
    "Event",
    "PostRevision",
    "Question",
    "User",
    "UserRole",
    "Visibility",
    "Vote",
]
