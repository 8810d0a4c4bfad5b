from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.coi.extraction import MAX_FILE_BYTES
from nansen.coi.services import SourceInput, UploadedSource
from nansen.core.forms import Form
from nansen.core.reference import COMMON_LANGUAGES, country_choices, is_language, language_name
from nansen.core.search import SearchQueryField
from nansen.core.weblinks import WebURLField


class DateInput(forms.DateInput):
    input_type = "date"


def _language_choices():
    return sorted(
        ((code, language_name(code)) for code in COMMON_LANGUAGES), key=lambda item: item[1]
    )


class SourceForm(Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    publisher = forms.CharField(label=_("Author or publisher"), max_length=300)
    published_on = forms.DateField(label=_("Date of publication"), widget=DateInput)
    countries = forms.MultipleChoiceField(
        label=_("Countries covered"),
        choices=country_choices,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. military service, treatment of returnees."),
    )
    url = WebURLField(label=_("Address (URL)"), required=False)
    language = forms.ChoiceField(label=_("Language of the text"), choices=_language_choices)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paste the text, or upload the file below; paragraphs are separated by blank lines."
        ),
    )
    file = forms.FileField(
        label=_("File (PDF, HTML or text)"),
        required=False,
        help_text=_("Its text is extracted and indexed, page by page for a PDF."),
    )
    reliability_note = forms.CharField(
        label=_("Note on reliability"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who the author is, their methods and sources, known biases."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

    def clean_language(self):
        code = self.cleaned_data["language"]
        if not is_language(code):
            raise forms.ValidationError(_("Unknown language."))
        return code

    @classmethod
    def for_source(cls, source, data=None, files=None):
        initial = {
            "title": source.title,
            "publisher": source.publisher,
            "published_on": source.published_on,
            "countries": source.country_codes,
            "topics": ", ".join(t.name for t in source.topics.all()),
            "url": source.url,
            "language": source.language,
            "reliability_note": source.reliability_note,
        }
        return cls(data, files, initial=initial)

    def source_input(self) -> SourceInput:
        data = self.cleaned_data
        return SourceInput(
            title=data["title"],
            publisher=data["publisher"],
            published_on=data["published_on"],
            countries=list(data["countries"]),
            topics=[t for t in data["topics"].split(",") if t.strip()],
            url=data["url"],
            language=data["language"],
            text=data["text"],
            reliability_note=data["reliability_note"],
        )

    def upload(self) -> UploadedSource | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return UploadedSource(name=upload.name, content=upload.read())


class SearchForm(Form):
    q = SearchQueryField(label=_("Search"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    published_from = forms.DateField(label=_("Published from"), required=False, widget=DateInput)
    published_to = forms.DateField(label=_("Published until"), required=False, widget=DateInput)

    def __init__(self, *args, topics: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        self.fields["topic"].choices = [("", _("Any topic")), *((t, t) for t in topics)]
