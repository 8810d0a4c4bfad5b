from django import forms
from django.forms.renderers import DjangoTemplates


class Form(forms.Form):
    """Nansen's form base: labels without a trailing colon (it reads oddly in Japanese and
    Arabic, and screen readers announce it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FormRenderer(DjangoTemplates):
    """Each field in its own wrapper, so layouts can place label, help, error and input
    together."""

    field_template_name = "core/field.html"
