"""{% reltime %}: the <time> element of every date shown. Its opening tag is
remembered per moment, language and time zone (written 30 times per thread
page); only the relative label follows the clock."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone, translation

from frontend.templatetags.forum_ui import reltime

MOMENT = datetime(2026, 9, 1, 6, 30, tzinfo=UTC)


def test_the_title_follows_the_language_and_the_time_zone_of_each_reader():
    with translation.override("fr"), timezone.override("Europe/Paris"):
        paris = str(reltime(MOMENT))
    with translation.override("fr"), timezone.override("America/Cayenne"):
        cayenne = str(reltime(MOMENT))
    with translation.override("en"), timezone.override("Europe/Paris"):
        english = str(reltime(MOMENT))

    assert 'datetime="2026-09-01T06:30:00+00:00"' in paris
    assert 'title="1 septembre 2026 08:30"' in paris
    assert 'title="1 septembre 2026 03:30"' in cayenne
    assert "Sept. 1, 2026, 8:30" in english
    assert "il y a" in paris
    assert "ago" in english


def test_the_label_follows_the_clock_and_is_escaped_with_the_class():
    now = timezone.now()
    with translation.override("fr"):
        recent = str(reltime(now - timedelta(minutes=5), "muted"))
        with timezone.override("Europe/Paris"):
            same_moment = reltime(now - timedelta(minutes=5), "muted")

    assert recent.startswith('<time datetime="')
    assert recent.endswith("</time>")
    assert ' class="muted">' in recent
    assert "5\xa0minutes" in recent
    assert str(same_moment).split(">")[1] == recent.split(">")[1]
    assert reltime(None) == ""


def test_the_remembered_label_is_the_one_naturaltime_writes():
    from django.contrib.humanize.templatetags.humanize import naturaltime

    from frontend.templatetags.forum_ui import _label_in_minute, _relative_label

    _label_in_minute.cache_clear()
    elapsed = [
        timedelta(seconds=5),
        timedelta(seconds=61),
        timedelta(minutes=59, seconds=30),
        timedelta(hours=23, minutes=59),
        timedelta(days=1, minutes=1),
        timedelta(days=6, hours=5),
        timedelta(days=40, hours=3),
        timedelta(days=400),
    ]
    for language in ("fr", "en"):
        with translation.override(language):
            for delta in elapsed:
                moment = timezone.now() - delta
                first, again = _relative_label(moment), _relative_label(moment)
                assert first == naturaltime(moment)
                assert again == first
    # Remembered from the first minute on, per language: 7 of the 8 in each.
    assert _label_in_minute.cache_info().currsize == 14
    assert _label_in_minute.cache_info().hits == 14
