"""Forms of the portal and of the staff pages. They only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anping.accounts import access
from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.uploads.forms import ContentTypeFileField, MultipleContentTypeFileField

from .files import ALLOWED
from .models import ContactRecord, Evaluation, Feedback, Reply, Suggestion, SupervisionEvent
from .services.unit_work import MAX_COMMITMENTS


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Suggestion.Category.choices)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The problem, what causes it, and what you suggest be done."),
    )
    mandate = forms.ChoiceField(label=_("As deputy of"), required=False)
    files = MultipleContentTypeFileField(
        label=_("Attachments"), allowed=ALLOWED, required=False, max_files=5
    )

    def __init__(self, *args, mandates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mandates = {str(m.pk): m for m in mandates}
        if len(self.mandates) > 1:
            self.fields["mandate"].choices = [(k, str(m.term)) for k, m in self.mandates.items()]
        else:
            del self.fields["mandate"]

    def chosen_mandate(self):
        return self.mandates.get(self.cleaned_data.get("mandate") or "")


class AttachmentForm(forms.Form):
    file = ContentTypeFileField(label=_("Attachment"), allowed=ALLOWED)


class FeedbackForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=Feedback.Verdict.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you are not satisfied."),
    )
    ask_evaluation = forms.BooleanField(
        label=_("I ask for third-party evaluation of how it was handled"), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("Months asked"), min_value=1, max_value=6, initial=1)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    contacted_on = forms.DateField(
        label=_("Contacted on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    method = forms.ChoiceField(
        label=pgettext_lazy("contact method", "How"), choices=ContactRecord.Method.choices
    )
    notes = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion to the lead unit"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ReplyForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Class"), choices=Reply.Grade.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 10}))
    signed_by = forms.CharField(label=_("Signed by (unit leader)"), max_length=60, required=False)
    files = MultipleContentTypeFileField(
        label=_("Attachments"), allowed=ALLOWED, required=False, max_files=5
    )


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=300, required=False)
    due_date = forms.DateField(
        label=_("To be carried out by"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("text") and not data.get("due_date"):
            self.add_error("due_date", _("Give the date by which it will be carried out."))
        return data


class BaseCommitmentFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        filled = [f for f in self.forms if f.is_valid() and f.cleaned_data.get("text")]
        if len(filled) > MAX_COMMITMENTS:
            raise forms.ValidationError(
                _("A reply states at most %(n)s commitments.") % {"n": MAX_COMMITMENTS}
            )


# The reply form offers at most MAX_COMMITMENTS rows; a posted 11th row is refused with the
# service's own message (validate_max), not silently accepted.
CommitmentFormSet = forms.formset_factory(
    CommitmentForm,
    formset=BaseCommitmentFormSet,
    extra=3,
    max_num=MAX_COMMITMENTS,
    validate_max=True,
    absolute_max=MAX_COMMITMENTS,
)


class FulfilForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence that it was carried out"), widget=forms.Textarea(attrs={"rows": 4})
    )
    done_on = forms.DateField(
        label=_("Carried out on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    file = ContentTypeFileField(label=_("Supporting file"), allowed=ALLOWED, required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Evaluation.Verdict.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("Evaluation opinion"), widget=forms.Textarea(attrs={"rows": 8})
    )


class EvaluationRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Why evaluation is needed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class InboxFilterForm(forms.Form):
    """Search and filters of the unit's lists (GET). Anything malformed is simply not applied."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    due_from = forms.DateField(
        label=_("Due from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    due_to = forms.DateField(
        label=_("Due until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    overdue_days = forms.IntegerField(
        label=_("Overdue by at least (days)"), min_value=1, max_value=3650, required=False
    )

    def clean_q(self):
        return self.cleaned_data["q"].strip()


# --- staff pages (admin) -----------------------------------------------------------------------


def unit_choices(user=None):
    """Active handling units, within a staff writer's region (the service checks it again)."""
    units = Organisation.objects.handling_units().select_related("region")
    if user is not None:
        path = access.staff_region_path(user)
        if path is None:
            return units.none()
        if path:
            units = units.filter(region__path__startswith=path)
    return units.order_by("region__path", "name")


class PersonChoiceField(forms.ModelChoiceField):
    """An account shown by the person's name (and their region), not the login name."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name}（{obj.region.name}）" if obj.region_id else name


class AssignForm(forms.Form):
    MODE_LEAD = "lead"
    MODE_SPLIT = "split"
    mode = forms.ChoiceField(
        label=pgettext_lazy("assignment mode", "How"),
        choices=[
            (MODE_LEAD, _("One lead unit, with co-handling units")),
            (MODE_SPLIT, _("Split among several units")),
        ],
        widget=forms.RadioSelect,
        initial=MODE_LEAD,
    )
    lead = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Organisation.objects.none(), required=False
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"), queryset=Organisation.objects.none(), required=False
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("Units sharing it (split)"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_choices(user)
        for name in ("lead", "co_units", "split_units"):
            self.fields[name].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_LEAD and not data.get("lead"):
            self.add_error("lead", _("Choose the lead unit."))
        if data.get("mode") == self.MODE_SPLIT and len(data.get("split_units") or []) < 2:
            self.add_error("split_units", _("Choose at least two units."))
        return data


class ReassignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("New unit"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user)


class ReviewForm(forms.Form):
    REGISTER, RETURN, DECLINE = "register", "return", "decline"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (REGISTER, _("Register it")),
            (RETURN, _("Return it to the deputy for revision")),
            (DECLINE, _("Do not register it")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning it or not registering it."),
    )


class KeyForm(forms.Form):
    supervisor = PersonChoiceField(
        label=_("Supervising leader"),
        queryset=User.objects.none(),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Committee accounts the writer may see (their region's), by name.
        staff = User.objects.visible_to(user) if user is not None else User.objects
        self.fields["supervisor"].queryset = (
            staff.filter(role__in=[User.Role.CITY_STAFF, User.Role.COUNTY_STAFF], is_active=True)
            .select_related("region")
            .order_by("last_name", "first_name", "username")
        )


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionEvent.Kind.choices)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )


class SendEvaluationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (r.value, r.label)
            for r in (
                Evaluation.Reason.NOT_SATISFIED,
                Evaluation.Reason.BASIC,
                Evaluation.Reason.REPEATED,
                Evaluation.Reason.KEY,
            )
        ],
        required=False,
        help_text=_("Not needed when the deputy or the unit asked for it."),
    )
    evaluator = PersonChoiceField(label=_("Evaluator"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(role=User.Role.EVALUATOR, is_active=True)
        if term is not None:
            qs = qs.filter(evaluator_appointments__term=term)
        self.fields["evaluator"].queryset = (
            qs.distinct().select_related("region").order_by("first_name")
        )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Keep this one; merge the others into it"), queryset=Suggestion.objects.none()
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["into"].queryset = candidates
