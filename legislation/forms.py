from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anping.uploads import ContentTypeFileField
from anping.uploads.validation import DOCX

from .models import Article, ContactPoint, Version


class CommentForm(forms.Form):
    quote = forms.CharField(
        label=_("Words you mean (optional, copied from the article)"),
        required=False,
        max_length=300,
    )
    text = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class PhoneCodeForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class PublicCommentForm(forms.Form):
    article = ArticleChoiceField(
        label=_("Article"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("The draft as a whole"),
    )
    text = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=40, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    code = forms.CharField(label=_("Code from the SMS"), max_length=6)

    def __init__(self, *args, articles, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in articles]
        self.fields["article"].queryset = Article.objects.filter(pk__in=ids)


class VersionUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Version.Kind.choices)
    file = ContentTypeFileField(label=_("Word file (.docx)"), allowed={DOCX})


class StepForm(forms.Form):
    """What a stage records: the meeting (readings), the date, and the remarks or report."""

    meeting = forms.CharField(label=_("meeting"), max_length=200, required=False)
    held_on = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("remarks, report or result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContactPointCommentForm(forms.Form):
    contact_point = forms.ModelChoiceField(
        label=_("contact point"), queryset=ContactPoint.objects.none()
    )
    article = ArticleChoiceField(
        label=_("article"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("The draft as a whole"),
    )
    text = forms.CharField(
        label=_("comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_point"].queryset = ContactPoint.objects.visible_to(user)
        self.fields["article"].queryset = Article.objects.filter(version_id=round.version_id)
