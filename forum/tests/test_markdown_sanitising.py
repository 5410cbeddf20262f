import pytest

from forum.markdown import render_markdown, render_plain_excerpt


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_nothing_executable_survives(source):
    html = render_markdown(source)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered or "&lt;" in lowered
    assert 'href="javascript' not in lowered
    assert 'href="data:' not in lowered
    assert "<iframe" not in lowered
    assert "<img" not in lowered


def test_links_are_marked_as_user_generated():
    html = render_markdown("Voir [le site du CFA](https://www.cfa.example/inscription).")
    assert 'href="https://www.cfa.example/inscription"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_markdown_formatting_is_kept():
    html = render_markdown("**Rythme** : 3 jours en entreprise\n\n- lundi\n- mardi\n\n`code`")
    assert "<strong>Rythme</strong>" in html
    assert "<li>lundi</li>" in html
    assert "<code>code</code>" in html


def test_raw_html_is_shown_as_text_not_interpreted():
    assert "&lt;b&gt;" in render_markdown("<b>gras</b>")


def test_excerpt_is_plain_text():
    assert (
        render_plain_excerpt("**Bonjour** <script>x</script> [lien](https://a.example)")
        == "Bonjour <script>x</script> lien"
    )
    assert len(render_plain_excerpt("mot " * 200, length=50)) <= 50
