"""Forms of the loop. The public ones are plain HTML (WeChat's built-in browser, no script)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.regions.models import Region
from anping.uploads.forms import ContentTypeFileField, MultipleContentTypeFileField
from anping.uploads.validation import IMAGE_KINDS, XLSX
from stations.forms import RegionChoiceField
from stations.models import Opinion

from .models import Case
from .services import MAX_REPLY_FILES, REPLY_FILE_KINDS


class ResidentForm(forms.Form):
    """What a resident writes after scanning a card."""

    deputy = forms.TypedChoiceField(label=_("To the deputy"), coerce=int)
    topic = forms.ChoiceField(label=_("Topic"), choices=Opinion.Topic.choices)
    text = forms.CharField(
        label=_("Your opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    region = RegionChoiceField(label=_("Your township or street"), queryset=Region.objects.none())
    photos = MultipleContentTypeFileField(
        label=_("Photos (up to three)"),
        allowed=IMAGE_KINDS,
        max_files=3,
        max_bytes=settings.OPINIONS["PHOTO_MAX_BYTES"],
        required=False,
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=30, required=False)
    phone = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
        help_text=_("We send a code to confirm it. Only your deputy and the staff see it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    # A field people never see: a robot that fills every field is turned away.
    website = forms.CharField(required=False, label="")

    def __init__(self, *args, deputies, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].choices = [(p.pk, p.name) for p in deputies]
        if len(deputies) == 1:
            self.fields["deputy"].widget = forms.HiddenInput()
            self.initial["deputy"] = deputies[0].pk
        self.fields["region"].queryset = regions
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "hp"}
        )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The code in the SMS"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ConfirmForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Was the problem solved?"),
        choices=[("1", _("Solved")), ("0", _("Not solved"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Case.Satisfaction.choices,
        widget=forms.RadioSelect,
    )


class CallForm(ConfirmForm):
    note = forms.CharField(label=_("What the resident said"), max_length=500, required=False)


class AnswerForm(forms.Form):
    """The deputy's steps: a text for the resident (or, proposing, for the staff)."""

    text = forms.CharField(
        label=_("Answer / reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None)
    reason = forms.CharField(label=_("Note for the unit"), max_length=500, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Case.Outcome.choices, widget=forms.RadioSelect
    )
    solve_by = forms.DateField(
        label=_("To be solved by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when it is being solved."),
    )
    text = forms.CharField(
        label=_("Answer to the resident"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When it cannot be solved, say why."),
    )
    files = MultipleContentTypeFileField(
        label=_("Attachments (up to three)"),
        allowed=REPLY_FILE_KINDS,
        max_files=MAX_REPLY_FILES,
        required=False,
    )
    files_shown_to_resident = forms.BooleanField(
        label=_("Show the photos on the resident's tracking page"),
        required=False,
        help_text=_(
            "Only images, and only if they show no personal data (no names, numbers or faces)."
        ),
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not your unit's business"), max_length=500)


class WeChatGroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=60)
    region = RegionChoiceField(
        label=_("Township or street"),
        queryset=Region.objects.filter(kind=Region.Kind.TOWNSHIP)
        .select_related("parent")
        .order_by("path"),
    )
    joined_on = forms.DateField(
        label=_("Joined on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    size = forms.IntegerField(label=_("Members"), min_value=1, max_value=10000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("joined_on", timezone.localdate())


class PaperForm(forms.Form):
    file = ContentTypeFileField(label=_("Workbook (.xlsx)"), allowed={XLSX})
