from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.imports.formats import ENCODINGS

# A page upload is held in memory while it is checked; larger files go through
# `nansen imports registration` on the server.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("At most 50 MB; larger files can be imported on the server's command line."),
    )
    encoding = forms.ChoiceField(
        label=_("Character encoding (CSV only)"),
        required=False,
        choices=[("", _("Recognise it automatically")), *ENCODINGS.items()],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
