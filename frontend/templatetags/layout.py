"""The layout's parts that are the same on every page.

A page rendered for its reader spent about 5 ms of CPU on the layout alone
(base.html with an empty main): each `{% url %}` is a reverse (~40 us here),
each `{% static %}` a manifest lookup, each text a catalogue lookup, and the
header and footer have dozens. `{% once %}` renders such a part once per
process, language and script prefix.
"""

from django import template
from django.urls import get_script_prefix
from django.utils.html import format_html, json_script
from django.utils.translation import get_language

from frontend.context_processors import live_texts, status_labels

register = template.Library()


class OnceNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        # One compiled template lives as long as the process (the cached
        # loader), and so does this; a handful of keys at most.
        self.rendered: dict[tuple[str, str], str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_language(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            # An empty context: nothing of the request or the reader can slip
            # into a part shared by every reader (a variable used there renders
            # empty, which the layout's tests would show).
            html = self.nodelist.render(context.new())
            self.rendered[key] = html
        return html


@register.tag
def once(parser, token):
    """{% once %}…{% endonce %}: a part of the layout that depends on nothing
    but the language, rendered once per process and language."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% once %} takes no arguments")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)


@register.simple_tag
def layout_texts() -> str:
    """The thread statuses' labels and the texts the live scripts write, as
    the layout's two JSON scripts (in {% once %}: the catalogue's, in the
    page's language)."""
    return format_html(
        "{}\n  {}", json_script(status_labels(), "status-labels"), json_script(live_texts(), "live-texts")
    )
