"""Form widgets whose markup is Django's own, written without its template engine.

The ask form lists every organisation twice as checkboxes ("ask an organisation",
discreet mode). Django renders each option through four small templates; with
300 organisations that was 600 options, about 110 ms of the page's 145 ms of CPU.
`CheckboxSelectMultiple` below writes the same HTML in Python, and `Select` does
the same for the facet, status and sort selects of every list and search page
(a member's home 84 → 71 M instructions per request). Tests compare both with
Django's rendering; grouped choices still go through the templates."""

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone.
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {conditional_escape(name)}")
        elif value is not False:
            written.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(written)


class _FlatChoicesInPython:
    """Flat choices written by `write(context, options)`; grouped choices go
    through Django's templates as before."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        groups = context["optgroups"]
        if any(group is not None for group, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        return self.write(context, [option for _group, options, _index in groups for option in options])


class CheckboxSelectMultiple(_FlatChoicesInPython, forms.CheckboxSelectMultiple):
    def write(self, context: dict, options: list[dict]) -> str:
        items = format_html_join(
            "",
            '<div>\n    <label{}><input type="{}" name="{}"{}{}>\n {}</label>\n\n</div>',
            (
                (
                    format_html(' for="{}"', option["attrs"]["id"]) if option["attrs"].get("id") else "",
                    option["type"],
                    option["name"],
                    "" if option["value"] is None else format_html(' value="{}"', option["value"]),
                    mark_safe(_attributes(option["attrs"])),  # noqa: S308 (escaped by _attributes)
                    option["label"],
                )
                for option in options
            ),
        )
        element_id = context["attrs"].get("id")
        css_class = context["attrs"].get("class")
        return format_html(
            "<div{}{}>{}\n</div>",
            format_html(' id="{}"', element_id) if element_id else "",
            format_html(' class="{}"', css_class) if css_class else "",
            items,
        )


class Select(_FlatChoicesInPython, forms.Select):
    """The list and search pages' facet and sort selects went through three
    templates per option (about an eighth of a computed search page's CPU)."""

    def write(self, context: dict, options: list[dict]) -> str:
        items = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            (
                (
                    str(option["value"]),
                    mark_safe(_attributes(option["attrs"])),  # noqa: S308 (escaped by _attributes)
                    option["label"],
                )
                for option in options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            context["name"],
            mark_safe(_attributes(context["attrs"])),  # noqa: S308 (escaped by _attributes)
            items,
        )
