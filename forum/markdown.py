"""Markdown to safe HTML, on the server, once per write.

markdown-it-py renders CommonMark with raw HTML disabled; nh3 (ammonia) then
keeps an allow-list of tags and attributes, drops unsafe URL schemes and marks
every link as user-generated so it passes no search ranking.
"""

import functools
import html

import nh3
from markdown_it import MarkdownIt

_renderer = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    # Images would let a post track its readers and break small screens.
    .disable("image")
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str) -> str:
    html = _renderer.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow ugc noopener",
        filter_style_properties={"text-align"},
    )


# Lists show the same excerpts on every request: rendering them again cost a
# tenth of the home page's CPU (docs/performance.md). A pure function of its
# arguments, so a bounded per-process memo is exact; an edited post is a new
# key, and at ~1 KB per entry the memo stays under ~5 MB.
@functools.lru_cache(maxsize=4096)
def render_plain_excerpt(source: str, length: int = 200) -> str:
    """A short text-only excerpt for lists and notifications."""
    text = nh3.clean(_renderer.render(source), tags=set())
    text = " ".join(text.split())
    text = html.unescape(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
