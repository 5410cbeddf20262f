from forum.models.audit import AuditLog
from forum.models.calendar import CalendarReminder, CalendarWindow, WindowKind
from forum.models.events import Event
from forum.models.facets import FACETS, ContractType, DiplomaLevel, Region, Sector
from forum.models.live_sessions import LiveQuestion, LiveSession, LiveSessionFollow, LiveVote, Phase
from forum.models.member_sessions import MemberSession
from forum.models.moderation import (
    CharterClause,
    CharterHintsDismissal,
    Flag,
    FlagReason,
    HoldReason,
    ReviewItem,
    Sanction,
)
from forum.models.notifications import (
    Channel,
    Notification,
    NotificationEmail,
    NotificationKind,
    NotificationPreference,
    PushDevice,
    TagSubscription,
    ThreadSubscription,
)
from forum.models.organisations import (
    Badge,
    BadgeRole,
    Organisation,
    OrganisationDomain,
    QuestionAddressee,
    VerificationRequest,
)
from forum.models.posts import Answer, PostRevision, Question, Visibility, Vote
from forum.models.search import AnswerSearchVector, SearchDocument, SearchTerm
from forum.models.tags import TagDescription, TagQuestionCount, TagSynonym
from forum.models.tokens import DeviceToken
from forum.models.users import LoginThrottle, User, UserRole

__all__ = [
    "MemberSession",
    "Sector",
    "Region",
    "FACETS",
    "DiplomaLevel",
    "ContractType",
    "Answer",
    "AuditLog",
    "CalendarReminder",
    "CalendarWindow",
    "WindowKind",
    "Badge",
    "BadgeRole",
    "Channel",
    "CharterClause",
    "CharterHintsDismissal",
    "DeviceToken",
    "Event",
    "Flag",
    "FlagReason",
    "HoldReason",
    "LoginThrottle",
    "Notification",
    "NotificationEmail",
    "NotificationKind",
    "NotificationPreference",
    "Organisation",
    "OrganisationDomain",
    "PostRevision",
    "PushDevice",
    "Question",
    "QuestionAddressee",
    "ReviewItem",
    "Sanction",
    "AnswerSearchVector",
    "SearchDocument",
    "SearchTerm",
    "TagDescription",
    "TagQuestionCount",
    "TagSubscription",
    "TagSynonym",
    "ThreadSubscription",
    "User",
    "UserRole",
    "VerificationRequest",
    "Visibility",
    "Vote",
    "LiveQuestion",
    "LiveSession",
    "LiveSessionFollow",
    "LiveVote",
    "Phase",
]
