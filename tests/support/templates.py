"""Which templates an action rendered: a fragment served from the cache renders none."""

from django.test.signals import template_rendered


def templates_rendered(action) -> list[str]:
    names = []

    def note(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(note)
    try:
        action()
    finally:
        template_rendered.disconnect(note)
    return names
