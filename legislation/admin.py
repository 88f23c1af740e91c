"""The legislative affairs staff's side: projects and their stages, versions uploaded as Word
files and compared, consultation rounds (inviting deputies with the deputy finder, comments from
contact points, closing, the summary table), and the answers to comments. Every write calls a
service in `legislation.services`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.errors import run_step
from anping.orgs.models import Organisation
from stations import selectors as station_selectors
from stations.forms import FinderForm, regions_in_scope

from . import diff, exports, selectors, services
from .forms import ContactPointCommentForm, StepForm, VersionUploadForm
from .models import Comment, CommentTransition, ContactPoint, Project, Round, Version

FINDER_LIMIT = 300  # rows shown with a checkbox; "invite all" takes every match


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def _pk(value) -> int:
    """A path or query id; anything not a number is a 404, never a 500."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


def _with_user(form_class, user):
    """The admin's form class, built with the user so that its choices are the user's scope."""

    class Scoped(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, user=user, **kwargs)

    return Scoped


# --- projects ----------------------------------------------------------------------------------


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "region", "committee", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["region"].queryset = regions_in_scope(user)
            path = access.staff_region_path(user) or ""
            committees = Organisation.objects.filter(
                kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
            )
            if access.staff_region_path(user) is None:
                committees = committees.none()
            elif path:
                committees = committees.filter(region__path__startswith=path)
            self.fields["committee"].queryset = committees


STEP_LABELS = {
    "drafting": gettext_lazy("Start drafting"),
    "reading": gettext_lazy("Record a reading"),
    "review": gettext_lazy("Record the unified review"),
    "vote": gettext_lazy("Record the vote"),
    "approve": gettext_lazy("Record the provincial approval"),
    "promulgate": gettext_lazy("Record the promulgation"),
}


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ["title", "year", "stage", "readings", "approval_due_display"]
    list_filter = ["year", "stage"]
    search_fields = ["title"]
    readonly_fields = ["stage", "readings", "voted_on", "approved_on", "promulgated_on"]
    list_select_related = ["region"]
    change_form_template = "legislation/admin/project_change_form.html"

    form = ProjectForm

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a draft is kept; nothing here is deleted

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_user(super().get_form(request, obj, change=change, **kwargs), request.user)

    @admin.display(description=gettext_lazy("provincial approval due"))
    def approval_due_display(self, obj):
        due = obj.approval_due
        if not due:
            return ""
        if obj.approval_overdue:
            return format_html('<strong class="errornote">{}</strong>', due.isoformat())
        return due.isoformat()

    def save_service(self, *, request, obj, form, change):
        services.project_save(project=obj, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<str:pk>/step/<str:step>/", view(self.step_view), name="legislation_project_step"
            ),
            path("<str:pk>/upload/", view(self.upload_view), name="legislation_project_upload"),
            path("<str:pk>/compare/", view(self.compare_view), name="legislation_project_compare"),
            path(
                "<str:pk>/versions/<str:vid>/",
                view(self.version_view),
                name="legislation_project_version",
            ),
            *super().get_urls(),
        ]

    def _project(self, request, pk) -> Project:
        project = self.get_queryset(request).filter(pk=_pk(pk)).first()
        if project is None:
            raise Http404
        return project

    def _change_url(self, project):
        return reverse("admin:legislation_project_change", args=[project.pk])

    def _context(self, request, project, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": project,
            "title": title,
            **extra,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        project = (
            self.get_queryset(request).filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if project is not None:
            extra["steps"] = [
                (name, STEP_LABELS[name])
                for name, (_fn, allowed) in services.STEPS.items()
                if allowed(project)
            ]
            extra["versions"] = list(project.versions.all())
            extra["history"] = list(project.transitions.select_related("by"))
            extra["rounds"] = list(
                Round.objects.filter(version__project=project).select_related("version")
            )
        return super().change_view(request, object_id, form_url, extra)

    def step_view(self, request, pk, step):
        """One stage of the project: a form for its date and remarks, then the service."""
        project = self._project(request, pk)
        if step not in services.STEPS or not self.has_change_permission(request, project):
            raise Http404
        service, _allowed = services.STEPS[step]
        form = StepForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            kwargs = {"project": project, "by": request.user}
            if step == "drafting":
                kwargs["reason"] = data["reason"]
            elif step == "reading":
                kwargs.update(meeting=data["meeting"], remarks=data["reason"])
            elif step == "review":
                kwargs["report"] = data["reason"]
            elif step == "vote":
                kwargs["result"] = data["reason"]
            else:
                kwargs["reason"] = data["reason"]
            if step != "drafting":
                if not data["held_on"]:
                    form.add_error("held_on", _("Enter the date."))
                kwargs["held_on"] = data["held_on"]
            if form.is_valid():
                ok, _result = run_step(
                    request, service, success=_("The stage is recorded."), **kwargs
                )
                if ok:
                    return HttpResponseRedirect(self._change_url(project))
        return TemplateResponse(
            request,
            "legislation/admin/form.html",
            self._context(request, project, str(STEP_LABELS[step]), form=form, multipart=False),
        )

    def upload_view(self, request, pk):
        """Upload a version (.docx): split into articles, or refused with nothing kept."""
        project = self._project(request, pk)
        if not self.has_change_permission(request, project):
            raise PermissionDenied
        form = VersionUploadForm(
            *((request.POST, request.FILES) if request.method == "POST" else ())
        )
        if request.method == "POST" and form.is_valid():
            ok, version = run_step(
                request,
                services.version_upload,
                project=project,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
            if ok:
                messages.success(
                    request,
                    _("The version is uploaded: %(n)d articles.") % {"n": version.articles.count()},
                )
                return HttpResponseRedirect(self._change_url(project))
        return TemplateResponse(
            request,
            "legislation/admin/form.html",
            self._context(request, project, _("Upload a version"), form=form, multipart=True),
        )

    def version_view(self, request, pk, vid):
        project = self._project(request, pk)
        version = project.versions.filter(pk=_pk(vid)).first()
        if version is None:
            raise Http404
        return TemplateResponse(
            request,
            "legislation/admin/version.html",
            self._context(
                request,
                project,
                str(version),
                version=version,
                articles=list(version.articles.all()),
            ),
        )

    def compare_view(self, request, pk):
        """Any two versions: each article's changes, with the differences marked."""
        project = self._project(request, pk)
        versions = {v.pk: v for v in project.versions.all()}
        a, b = request.GET.get("a", ""), request.GET.get("b", "")
        if not (a.isdigit() and b.isdigit()) or int(a) not in versions or int(b) not in versions:
            raise Http404
        old, new = versions[int(a)], versions[int(b)]
        changes = diff.compare(list(old.articles.all()), list(new.articles.all()))
        return TemplateResponse(
            request,
            "legislation/admin/compare.html",
            self._context(
                request,
                project,
                _("Changes from %(a)s to %(b)s")
                % {"a": old.get_kind_display(), "b": new.get_kind_display()},
                old=old,
                new=new,
                changes=[c for c in changes if not c.is_same],
                counts=diff.summary(changes),
            ),
        )


# --- rounds ------------------------------------------------------------------------------------


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["version", "title", "opens_on", "deadline", "is_public"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and "version" in self.fields:
            self.fields["version"].queryset = Version.objects.visible_to(user).select_related(
                "project"
            )


@admin.register(Round)
class RoundAdmin(ScopedAdmin):
    list_display = ["title", "version", "deadline", "is_public", "status", "counts"]
    list_filter = ["status", "is_public"]
    list_select_related = ["version__project"]
    search_fields = ["title"]
    change_form_template = "legislation/admin/round_change_form.html"
    actions = ["close_rounds", "mark_attended"]

    form = RoundForm

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a draft is kept; nothing here is deleted

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_user(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        # One query for the page's counts (invited, commented), not one per row.
        self._counts = selectors.round_counts([r.pk for r in cl.result_list])
        return cl

    @admin.display(description=gettext_lazy("invited / commented"))
    def counts(self, obj):
        row = getattr(self, "_counts", {}).get(obj.pk, {})
        return f"{row.get('invited', 0)} / {row.get('commented', 0)}"

    def save_service(self, *, request, obj, form, change):
        services.round_save(round=obj, by=request.user)

    @admin.action(description=gettext_lazy("Close the chosen rounds (after their deadline)"))
    def close_rounds(self, request, queryset):
        done = 0
        for round in queryset.select_related("version__project__region"):
            ok, _r = run_step(request, services.round_close, round=round, by=request.user)
            done += ok
        if done:
            self.message_user(request, _("%(n)d rounds closed.") % {"n": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Mark every invited deputy of the chosen rounds as attending")
    )
    def mark_attended(self, request, queryset):
        for round in queryset.select_related("version__project__region"):
            persons = list(round.invitations.values_list("person_id", flat=True))
            ok, n = run_step(
                request, services.round_mark_attended, round=round, persons=persons, by=request.user
            )
            if ok:
                self.message_user(
                    request, _("%(n)d deputies marked as attending.") % {"n": n}, messages.SUCCESS
                )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<str:pk>/invite/", view(self.invite_view), name="legislation_round_invite"),
            path("<str:pk>/enter/", view(self.enter_view), name="legislation_round_enter"),
            path("<str:pk>/close/", view(self.close_view), name="legislation_round_close"),
            path(
                "<str:pk>/summary.<str:fmt>",
                view(self.export_view),
                name="legislation_round_export",
            ),
            *super().get_urls(),
        ]

    def _round(self, request, pk) -> Round:
        round = (
            self.get_queryset(request)
            .select_related("version__project__region")
            .filter(pk=_pk(pk))
            .first()
        )
        if round is None:
            raise Http404
        return round

    def _change_url(self, round):
        return reverse("admin:legislation_round_change", args=[round.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        round = (
            self.get_queryset(request).filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if round is not None:
            extra["round"] = round
            extra["may_close"] = round.may_close()
            extra["accepts"] = round.accepts_comments()
            extra["history"] = list(round.transitions.select_related("by"))
            extra["handled"] = selectors.handling_summary(round)
            extra["invitations"] = list(
                round.invitations.select_related("person").order_by("person__name")
            )
        return super().change_view(request, object_id, form_url, extra)

    def invite_view(self, request, pk):
        """Find deputies (by expertise, level, region, group) and invite the ones chosen."""
        round = self._round(request, pk)
        if not self.has_change_permission(request, round):
            raise PermissionDenied
        form = FinderForm(request.GET or None, user=request.user)
        found, count = None, 0
        if form.is_bound and form.is_valid() and form.has_criteria():
            found = station_selectors.find_deputies(user=request.user, **form.criteria())
            count = found.count()
        if request.method == "POST" and found is not None:
            if request.POST.get("all"):
                ids = list(found.values_list("pk", flat=True))
            else:
                # Only what the search shows may be invited.
                ids = list(
                    found.filter(pk__in=_ids(request, "person")).values_list("pk", flat=True)
                )
            ok, n = run_step(
                request, services.round_invite, round=round, persons=ids, by=request.user
            )
            if ok:
                messages.success(request, _("%(n)d deputies invited.") % {"n": n})
                return HttpResponseRedirect(self._change_url(round))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": round,
            "title": _("Invite deputies"),
            "form": form,
            "found": list(found[:FINDER_LIMIT]) if found is not None else None,
            "count": count,
            "limit": FINDER_LIMIT,
        }
        return TemplateResponse(request, "stations/admin/finder.html", context)

    def enter_view(self, request, pk):
        """Enter a comment gathered by a grassroots legislative contact point."""
        round = self._round(request, pk)
        if not self.has_change_permission(request, round):
            raise PermissionDenied
        form = ContactPointCommentForm(
            request.POST if request.method == "POST" else None, user=request.user, round=round
        )
        if request.method == "POST" and form.is_valid():
            ok, _c = run_step(
                request,
                services.comment_enter,
                success=_("The comment is entered."),
                round=round,
                article=form.cleaned_data["article"],
                contact_point=form.cleaned_data["contact_point"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
            if ok:
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": round,
            "title": _("Enter a comment from a contact point"),
            "form": form,
            "multipart": False,
        }
        return TemplateResponse(request, "legislation/admin/form.html", context)

    def close_view(self, request, pk):
        round = self._round(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, round):
            raise PermissionDenied
        run_step(
            request,
            services.round_close,
            success=_("The round is closed and counted as a duty activity."),
            round=round,
            by=request.user,
        )
        return HttpResponseRedirect(self._change_url(round))

    def export_view(self, request, pk, fmt):
        """The summary table (意见汇总表) as .xlsx or .docx."""
        round = self._round(request, pk)
        from anping.uploads.validation import CONTENT_TYPES, DOCX, XLSX

        if fmt == "xlsx":
            data, kind = exports.xlsx(round), XLSX
        elif fmt == "docx":
            data, kind = exports.docx(round), DOCX
        else:
            raise Http404
        response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
        from urllib.parse import quote

        name = f"{exports.title(round)}.{fmt}"
        response["Content-Disposition"] = (
            f"attachment; filename=\"summary.{fmt}\"; filename*=utf-8''{quote(name)}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- comments ----------------------------------------------------------------------------------


class CommentAnswerForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["outcome", "reason", "linked_article"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["linked_article"].queryset = services.linkable_articles(self.instance)
            self.fields["linked_article"].label_from_instance = lambda a: (
                f"{a.version.get_kind_display()} · {a.label}"
            )
        self.fields["outcome"].choices = (
            [c for c in Comment.Outcome.choices if c[0] != Comment.Outcome.PENDING]
            if self.instance.is_answered
            else Comment.Outcome.choices
        )

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome and outcome != Comment.Outcome.ADOPTED and outcome != Comment.Outcome.PENDING:
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason when a comment is not wholly adopted."))
        if self.instance.linked_article_id and not data.get("linked_article"):
            self.add_error("linked_article", _("A link to a changed article stays."))
        if data.get("linked_article") and outcome not in (
            Comment.Outcome.ADOPTED,
            Comment.Outcome.PARTLY,
        ):
            self.add_error(
                "linked_article", _("Only an adopted or partly adopted comment can be linked.")
            )
        return data


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    form = CommentAnswerForm
    list_display = ["article_label", "short_text", "author", "channel", "outcome", "linked"]
    list_filter = ["outcome", "channel", "round"]
    search_fields = ["text"]
    list_select_related = ["article", "person", "contact_point", "linked_article"]
    ordering = ["round", "article__number", "created_at", "pk"]
    readonly_fields = ["round", "article", "author", "quote", "text", "created_at"]
    fields = readonly_fields + ["outcome", "reason", "linked_article"]
    actions = ["answer_adopted"]
    change_form_template = "legislation/admin/comment_change_form.html"

    def has_add_permission(self, request):
        return False  # comments come from deputies, the public and contact points

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("article"), ordering="article__number")
    def article_label(self, obj):
        return obj.article.label if obj.article_id else _("The draft as a whole")

    @admin.display(description=gettext_lazy("comment"))
    def short_text(self, obj):
        return obj.text[:60]

    @admin.display(description=gettext_lazy("who"))
    def author(self, obj):
        return obj.author_label

    @admin.display(description=gettext_lazy("changed article"))
    def linked(self, obj):
        return obj.linked_article.label if obj.linked_article_id else ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if str(object_id).isdigit():
            extra["history"] = list(
                CommentTransition.objects.filter(
                    comment__in=self.get_queryset(request).filter(pk=object_id)
                ).select_related("by")
            )
        return super().change_view(request, object_id, form_url, extra)

    def save_service(self, *, request, obj, form, change):
        """The answer and the link are two steps; each runs only when its fields changed."""
        old = Comment.objects.get(pk=obj.pk)
        if "outcome" in form.changed_data or "reason" in form.changed_data:
            services.comment_answer(
                comment=old, outcome=obj.outcome, reason=obj.reason, by=request.user
            )
        if "linked_article" in form.changed_data and obj.linked_article_id:
            services.comment_link(comment=old, article=obj.linked_article, by=request.user)

    @admin.action(description=gettext_lazy("Answer the chosen comments: adopted"))
    def answer_adopted(self, request, queryset):
        done = 0
        for comment in queryset:
            ok, _c = run_step(
                request,
                services.comment_answer,
                comment=comment,
                outcome=Comment.Outcome.ADOPTED,
                reason="",
                by=request.user,
            )
            done += ok
        if done:
            self.message_user(
                request, _("%(n)d comments answered: adopted.") % {"n": done}, messages.SUCCESS
            )


# --- contact points ----------------------------------------------------------------------------


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["name", "region"]


@admin.register(ContactPoint)
class ContactPointAdmin(ScopedAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a draft is kept; nothing here is deleted

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["region"].queryset = regions_in_scope(request.user)
        return form

    def save_service(self, *, request, obj, form, change):
        services.contact_point_save(contact_point=obj, by=request.user)


@admin.register(Version)
class VersionAdmin(ReadOnlyScopedAdmin):
    """Versions are uploaded from their project's page; here they are only listed."""

    list_display = ["project", "number", "kind", "original_name", "uploaded_at", "articles_link"]
    list_select_related = ["project"]

    @admin.display(description=gettext_lazy("articles"))
    def articles_link(self, obj):
        url = reverse("admin:legislation_project_version", args=[obj.project_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("read"))
