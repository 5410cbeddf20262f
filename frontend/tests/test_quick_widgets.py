"""The Python-written checkbox list gives exactly Django's HTML."""

import pytest
from django import forms

from frontend.widgets import CheckboxSelectMultiple, Select

CHOICES = [("banque-exemple", "Banque Exemple"), ("cfa-<lyon>", 'CFA "Lyon" & co'), (3, "Trois")]


def both(field_kwargs: dict, data: dict | None, *, auto_id="id_%s", attrs=None):
    def form(widget):
        class Form(forms.Form):
            orgs = forms.MultipleChoiceField(choices=CHOICES, widget=widget(attrs=attrs), **field_kwargs)

        return Form(data=data, auto_id=auto_id)

    return str(form(forms.CheckboxSelectMultiple)["orgs"]), str(form(CheckboxSelectMultiple)["orgs"])


@pytest.mark.parametrize(
    ("field_kwargs", "data", "auto_id", "attrs"),
    [
        ({"required": False}, None, "id_%s", None),
        ({"required": False, "help_text": "Aide"}, {"orgs": ["cfa-<lyon>", "3"]}, "id_%s", None),
        ({"required": True}, {}, "id_%s", {"class": "list", "data-x": True, "hidden": False}),
        ({"required": False, "disabled": True}, None, False, None),
    ],
)
def test_the_markup_is_djangos(field_kwargs, data, auto_id, attrs):
    django_html, ours = both(field_kwargs, data, auto_id=auto_id, attrs=attrs)
    assert ours == django_html


def test_grouped_choices_go_through_the_templates():
    class Form(forms.Form):
        orgs = forms.MultipleChoiceField(
            choices=[("Écoles", [("a", "A"), ("b", "B")])], widget=CheckboxSelectMultiple, required=False
        )

    class Reference(forms.Form):
        orgs = forms.MultipleChoiceField(
            choices=[("Écoles", [("a", "A"), ("b", "B")])], widget=forms.CheckboxSelectMultiple, required=False
        )

    assert str(Form()["orgs"]) == str(Reference()["orgs"])


SELECT_CHOICES = [("", "Non précisé"), ("bts", "BTS"), ("cfa-<lyon>", 'CFA "Lyon" & co'), (3, "Trois")]


@pytest.mark.parametrize(
    ("field_kwargs", "data", "auto_id", "attrs"),
    [
        ({"required": False}, None, "id_%s", None),
        ({"required": False, "help_text": "Aide"}, {"pick": "cfa-<lyon>"}, "id_%s", None),
        ({"required": True}, {"pick": "3"}, "id_%s", {"class": "select", "data-x": True, "hidden": False}),
        ({"required": False, "disabled": True}, {"pick": "bts"}, False, None),
    ],
)
def test_the_select_markup_is_djangos(field_kwargs, data, auto_id, attrs):
    def form(widget):
        class Form(forms.Form):
            pick = forms.ChoiceField(choices=SELECT_CHOICES, widget=widget(attrs=attrs), **field_kwargs)

        return Form(data=data, auto_id=auto_id)

    assert str(form(Select)["pick"]) == str(form(forms.Select)["pick"])


def test_a_select_with_a_char_field_and_an_initial_value_is_djangos():
    def form(widget):
        class Form(forms.Form):
            pick = forms.CharField(required=False, widget=widget(choices=SELECT_CHOICES))

        return Form(initial={"pick": "bts"})

    assert str(form(Select)["pick"]) == str(form(forms.Select)["pick"])
    assert 'value="bts" selected' in str(form(Select)["pick"])
