from django import forms
from django.utils.translation import gettext_lazy as _

from .services import SUGGESTION_MAX_DESCRIPTION


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ProgressReportForm(forms.Form):
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea)
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; several may be chosen."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class SuggestionForm(forms.Form):
    # No "you are" choice: the source is who is signed in (services.suggestion_source_for).
    title = forms.CharField(label=_("Project idea"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=SUGGESTION_MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"maxlength": SUGGESTION_MAX_DESCRIPTION}),
    )
    submitter_name = forms.CharField(label=_("Your name or unit"), max_length=60)
    submitter_contact = forms.CharField(label=_("Contact"), max_length=40, required=False)
