from datetime import timedelta

from django.utils import timezone

from forum.models import DeviceToken
from forum.services.tokens import active_tokens, authenticate_token, issue_token, revoke_all_tokens, revoke_token


def test_a_token_is_stored_hashed_and_authenticates(student):
    token, secret = issue_token(user=student, device_name="iPhone de Alice")
    assert secret not in {token.key_hash, token.prefix}
    assert not DeviceToken.objects.filter(key_hash=secret).exists()
    assert authenticate_token(secret).user == student


def test_a_revoked_or_expired_token_stops_working(student):
    _, first = issue_token(user=student, device_name="a")
    token, second = issue_token(user=student, device_name="b")
    assert revoke_token(user=student, token_id=token.pk)
    assert authenticate_token(second) is None
    assert authenticate_token(first) is not None
    DeviceToken.objects.filter(user=student).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert authenticate_token(first) is None


def test_revoking_all_tokens(student):
    for name in ("a", "b", "c"):
        issue_token(user=student, device_name=name)
    assert revoke_all_tokens(user=student) == 3
    assert not active_tokens(user=student).exists()


def test_expiry_slides_with_use(student):
    token, secret = issue_token(user=student, device_name="a")
    DeviceToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(hours=1), expires_at=timezone.now() + timedelta(days=1)
    )
    authenticate_token(secret)
    token.refresh_from_db()
    assert token.expires_at > timezone.now() + timedelta(days=80)


def test_garbage_secrets_are_refused(db):
    for secret in ("", "aqa_", "x" * 500, "Bearer abc", "aqa_" + "é" * 30):
        assert authenticate_token(secret) is None


def test_a_deactivated_member_cannot_use_a_token(student):
    _, secret = issue_token(user=student, device_name="a")
    student.is_active = False
    student.save()
    assert authenticate_token(secret) is None
