"""Where deputies serve: professional groups, liaison stations, duty activities (with their
participants), constituent opinions and campaigns.

Activities and participations are the big tables (a province records millions of participations
a year): a participation carries its activity's date so that a deputy's year, the coverage of a
year and monthly counts are each one index range scan on this table alone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.access import ScopedQuerySet
from anping.history.models import TransitionBase
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.models import Expertise, Person

# --- professional groups ------------------------------------------------------------------


class GroupQuerySet(ScopedQuerySet):
    """Staff: groups of their region's subtree; a deputy: the groups they belong to or lead."""

    region_path = "region"

    def for_deputy(self, user):
        # Two ways in (member or leader): an EXISTS keeps one row per group, no DISTINCT.
        return self.filter(
            Exists(Membership.objects.filter(group=OuterRef("pk"), person__user=user))
            | Q(leader__user=user)
        )


class Group(models.Model):
    """A professional (industry) group of deputies, 代表专业(产业)小组, at city, county or
    township level. Members are matched to the group by their expertise; a deputy may belong to
    several groups."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    class Category(models.TextChoices):
        # The six categories of Anyang's county and township groups.
        ECOMMERCE = "ecommerce", _("E-commerce")
        AGRICULTURE = "agriculture", _("Agriculture")
        SERVICES = "services", _("Services (tertiary sector)")
        INDUSTRY = "industry", _("Industry and manufacturing")
        CULTURE_TOURISM = "culture", _("Culture and tourism")
        SOCIAL = "social", _("Social undertakings")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(
        _("field"), max_length=60, help_text=_("e.g. aviation industry, electronic information")
    )
    category = models.CharField(
        _("category"),
        max_length=12,
        choices=Category.choices,
        blank=True,
        help_text=_("Required for county and township groups."),
    )
    expertise = models.ManyToManyField(
        Expertise,
        verbose_name=_("matching expertise"),
        blank=True,
        related_name="+",
        help_text=_("Deputies with any of these are proposed as members."),
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("professional group")
        verbose_name_plural = _("professional groups")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="group_unique_name_in_region"),
            models.CheckConstraint(
                condition=Q(level="city") | ~Q(category=""),
                name="group_lower_level_has_category",
                violation_error_message=_("County and township groups need a category."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.level != self.Level.CITY and not self.category:
            raise ValidationError({"category": _("County and township groups need a category.")})


class MembershipQuerySet(ScopedQuerySet):
    via = "group"


class Membership(models.Model):
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="membership_once"),
        ]
        indexes = [
            # A deputy's groups (duty record) and "is in group X" in the deputy finder.
            models.Index(fields=["person", "group"], name="membership_person"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"


# --- liaison stations ---------------------------------------------------------------------


class StationQuerySet(ScopedQuerySet):
    """Staff: stations of their region's subtree; a deputy: stations they are stationed in."""

    region_path = "region"

    def for_deputy(self, user):
        # Stationed there, in any period: an EXISTS keeps one row per station.
        return self.filter(
            Exists(Stationing.objects.filter(station=OuterRef("pk"), person__user=user))
        )


class Station(models.Model):
    """A deputies' liaison station (代表联络站), where deputies meet constituents, hear
    department heads and take opinions."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional station")
        PROFESSIONAL = "professional", _("Professional station")
        DEMO_POINT = "demo", _("Grassroots demonstration point of whole-process democracy")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(
        _("industry or development zone"),
        max_length=100,
        blank=True,
        help_text=_("For professional stations: the industry or zone it serves."),
    )
    address = models.CharField(_("address"), max_length=200)
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    reception_schedule = models.CharField(
        _("reception schedule"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the 15th of every month, 9:00–11:30"),
    )
    co_builders = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-builders"),
        blank=True,
        related_name="co_built_stations",
        limit_choices_to={"kind": Organisation.Kind.COMMITTEE},
        help_text=_("The committees that build and run the station together."),
    )
    # The four standard functions of a demonstration point: 联系、协商、监督、促进.
    does_liaison = models.BooleanField(_("liaison (联系)"), default=False)
    does_consultation = models.BooleanField(_("consultation (协商)"), default=False)
    does_supervision = models.BooleanField(_("supervision (监督)"), default=False)
    does_promotion = models.BooleanField(_("promotion (促进)"), default=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_unique_name"),
            models.CheckConstraint(
                condition=~Q(kind="professional") | ~Q(industry=""),
                name="station_professional_has_industry",
                violation_error_message=_("A professional station serves an industry or zone."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="demo")
                | Q(
                    does_liaison=True,
                    does_consultation=True,
                    does_supervision=True,
                    does_promotion=True,
                ),
                name="station_demo_point_all_functions",
                violation_error_message=_("A demonstration point has all four standard functions."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == self.Kind.PROFESSIONAL and not self.industry:
            raise ValidationError(
                {"industry": _("A professional station serves an industry or zone.")}
            )
        if self.kind == self.Kind.DEMO_POINT and not self.has_standard_functions:
            raise ValidationError(_("A demonstration point has all four standard functions."))

    @property
    def has_standard_functions(self) -> bool:
        return (
            self.does_liaison
            and self.does_consultation
            and self.does_supervision
            and self.does_promotion
        )


class StationLeadQuerySet(ScopedQuerySet):
    via = "station"


class StationLead(models.Model):
    """The person in charge of a station (for a demonstration point: trained for the role)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="leads"
    )
    name = models.CharField(_("name"), max_length=40)
    post = models.CharField(_("post"), max_length=100, blank=True)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("training days"), default=0)

    objects = StationLeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("station lead")
        verbose_name_plural = _("station leads")

    def __str__(self) -> str:
        return self.name


class StationingQuerySet(ScopedQuerySet):
    via = "station"


class Stationing(models.Model):
    """A deputy stationed (进驻) at a station for a period; may come from another city."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="stationings"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="stationings"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = StationingQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationed deputy")
        verbose_name_plural = _("stationed deputies")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "person", "start_date"], name="stationing_once_per_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="stationing_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            # A deputy's stations in their duty record.
            models.Index(fields=["person", "start_date"], name="stationing_person"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.person}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


# --- campaigns ----------------------------------------------------------------------------


class CampaignQuerySet(ScopedQuerySet):
    region_path = "region"

    def for_staff(self, user):
        # A county runs the city's campaign too: staff see campaigns of their region and above.
        path = access.staff_region_path(user)
        if path == "":
            return self
        return self.filter(
            Q(region__path__startswith=path) | Q(region__path__in=ancestor_paths(path))
        )


def ancestor_paths(path: str) -> list[str]:
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


class Campaign(models.Model):
    """A themed year of work, e.g. 为人民履职、为中原添彩·人大代表在行动 (2024)."""

    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "name"], name="campaign_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.year})"


class MeasureQuerySet(ScopedQuerySet):
    via = "campaign"


class Measure(models.Model):
    """One of a campaign's concrete measures (具体举措), with an owner, deadline and status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Carried out")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("measure"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The committee or working body responsible."),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    done_on = models.DateField(_("carried out on"), null=True, blank=True, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="measure_unique_number"),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="measure_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeasureChangeQuerySet(ScopedQuerySet):
    via = "measure"


class MeasureChange(TransitionBase):
    """A recorded move of a measure's status (the shared transition row)."""

    subject_field = "measure"

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Measure.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Measure.Status.choices)

    objects = MeasureChangeQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("measure status change")
        verbose_name_plural = _("measure status changes")


# --- duty activities ----------------------------------------------------------------------


class ActivityQuerySet(ScopedQuerySet):
    """Staff: activities in their region's subtree; a deputy: those they took part in or
    organised (as a group's leader); nobody else any."""

    region_path = "region"

    def for_deputy(self, user):
        # Two ways in (took part, or leads the organising group): EXISTS, one row each.
        return self.filter(
            Exists(Participation.objects.filter(activity=OuterRef("pk"), person__user=user))
            | Q(group__leader__user=user)
        )


class Activity(models.Model):
    """A duty activity (履职活动): who organised it, where and when, who took part, and what came
    of it (the opinions linked to it; suggestions link to those opinions from their side)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        SURVEY = "survey", _("Survey")
        LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection")
        LEGISLATION = "legislation", _("Legislation consultation")
        BUDGET_REVIEW = "budget_review", _("Budget review")
        RECEPTION = "reception", _("Constituent reception")
        PUBLICITY = "publicity", _("Publicity")
        TRAINING = "training", _("Training")
        STATION_EVENT = "station_event", _("Station event")
        LIVELIHOOD = "livelihood", _("Livelihood-project supervision")
        REPORT = "report", _("Report to voters")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    # The organiser: exactly one of a committee, a professional group or a station.
    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("organising committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={
            "kind__in": [Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
        },
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("organising group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("organising station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("campaign measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    summary = models.TextField(_("what came of it"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty activity")
        verbose_name_plural = _("duty activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(committee__isnull=False, group__isnull=True, station__isnull=True)
                    | Q(committee__isnull=True, group__isnull=False, station__isnull=True)
                    | Q(committee__isnull=True, group__isnull=True, station__isnull=False)
                ),
                name="activity_one_organiser",
                violation_error_message=_(
                    "Choose one organiser: a committee, a group or a station."
                ),
            ),
        ]
        indexes = [
            # Monthly statistics: activities by type in a date range (then by region).
            models.Index(fields=["date", "kind"], name="activity_date_kind"),
            # Scoped lists and monthly figures of one region: region = X and date in a range.
            models.Index(fields=["region", "date"], name="activity_region_date"),
            # A group's and a station's own activities.
            models.Index(fields=["group", "date"], name="activity_group_date"),
            models.Index(fields=["station", "date"], name="activity_station_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self):
        if sum(x is not None for x in (self.committee_id, self.group_id, self.station_id)) != 1:
            raise ValidationError(_("Choose one organiser: a committee, a group or a station."))

    @property
    def organiser(self):
        return self.committee or self.group or self.station


class ParticipationQuerySet(ScopedQuerySet):
    region_path = "activity__region"
    deputy_path = "person"

    def in_year(self, year: int) -> ParticipationQuerySet:
        import datetime as dt

        return self.filter(date__gte=dt.date(year, 1, 1), date__lt=dt.date(year + 1, 1, 1))


class Participation(models.Model):
    """A deputy took part in an activity. `date` is the activity's, copied by the services (and
    kept equal when the activity moves), so the per-deputy and per-year queries never join."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="participations"
    )
    date = models.DateField(_("date"), editable=False)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participation_once"),
        ]
        indexes = [
            # The duty record (a deputy's year, by date) and coverage (EXISTS for a person in a
            # year): both are a range on (person, date), answered from the index alone.
            models.Index(fields=["person", "date"], name="participation_person_date"),
            # Monthly statistics: distinct deputies taking part in a month.
            models.Index(fields=["date", "person"], name="participation_date_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"


class DepartmentReportQuerySet(ScopedQuerySet):
    via = "activity"


class DepartmentReport(models.Model):
    """At a station event, the head of a government department reports to the deputies present
    (the activity's participants)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("station event"),
        on_delete=models.CASCADE,
        related_name="department_reports",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.HANDLING_UNIT},
    )
    head_name = models.CharField(_("department head"), max_length=40)
    head_post = models.CharField(_("post"), max_length=60, blank=True)
    topic = models.CharField(_("topic of the report"), max_length=200)

    objects = DepartmentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("department head's report")
        verbose_name_plural = _("department heads' reports")
        constraints = [
            models.UniqueConstraint(fields=["activity", "unit"], name="department_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.head_name}"


# --- constituent opinions -----------------------------------------------------------------


class OpinionQuerySet(access.ScopedQuerySet):
    region_path = "region"
    deputy_path = "taken_by"
    # A handling unit reads only what was forwarded to it (the dispatch step sets the unit).
    unit_path = "forwarded_to"

    def for_deputy(self, user):
        # A deputy reads the opinions they took and those left at a station they serve now
        # (a resident who scans the station's card writes to all its deputies).
        today = timezone.localdate()
        serving = Stationing.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            person__user=user,
            start_date__lte=today,
        ).values("station_id")
        return self.filter(Q(taken_by__user=user) | Q(station_id__in=serving))


class Opinion(models.Model):
    """A constituent's opinion (群众意见) a deputy took, and what became of it."""

    class Channel(models.TextChoices):
        STATION = "station", _("Liaison station")
        RECEPTION = "reception", _("Constituent reception")
        WECHAT = "wechat", _("WeChat group")
        HOTLINE = "hotline", _("Hotline")
        ONLINE = "online", _("Online")

    class Topic(models.TextChoices):
        INDUSTRY = "industry", _("Industrial transformation")
        BUSINESS = "business", _("Business environment")
        ECOLOGY = "ecology", _("Ecology and environment")
        URBAN = "urban", _("Urban and rural construction")
        TRANSPORT = "transport", _("Transport")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health care")
        AGRICULTURE = "agriculture", _("Agriculture and villages")
        SOCIAL = "social", _("Social security and elderly care")
        SAFETY = "safety", _("Public safety")
        FISCAL = "fiscal", _("Budget and finance")
        LEGISLATION = "legislation", _("Legislation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded, not yet handled")
        FORWARDED = "forwarded", _("Forwarded to a department")
        SUGGESTION = "suggestion", _("Turned into a suggestion")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Explained and closed")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    summary = models.CharField(_("opinion"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    constituent = models.CharField(
        _("raised by"), max_length=60, blank=True, help_text=_("Name or description, optional.")
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    taken_by = models.ForeignKey(
        Person, verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="opinions"
    )
    received_on = models.DateField(_("received on"))
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    status = models.CharField(
        _("outcome"),
        max_length=12,
        choices=Status.choices,
        default=Status.RECORDED,
        editable=False,
    )
    forwarded_to = models.ForeignKey(
        Organisation,
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True, editable=False)
    closed_on = models.DateField(_("settled on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OpinionQuerySet.as_manager()

    # Outcomes that end an opinion's handling.
    FINAL = frozenset(
        {Status.SUGGESTION, Status.SOLVED, Status.CLOSED, Status.ADOPTED, Status.NOT_ADOPTED}
    )

    class Meta:
        verbose_name = _("constituent opinion")
        verbose_name_plural = _("constituent opinions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="forwarded") | Q(forwarded_to__isnull=False),
                name="opinion_forwarded_has_unit",
            ),
        ]
        indexes = [
            # A deputy's opinions in a year (duty record).
            models.Index(fields=["taken_by", "received_on"], name="opinion_taker_date"),
            # Monthly statistics: opinions collected / solved in a date range.
            models.Index(fields=["received_on", "status"], name="opinion_date_status"),
            # Scoped lists: region = X, newest first.
            models.Index(fields=["region", "received_on"], name="opinion_region_date"),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        """Not settled yet (recorded, or with a department): what the badge marks as waiting."""
        return self.status not in self.FINAL


class OpinionTransitionQuerySet(access.ScopedQuerySet):
    via = "opinion"


class OpinionTransition(TransitionBase):
    """A recorded change of an opinion's outcome: who, when, from what, to what, and why."""

    subject_field = "opinion"

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Opinion.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Opinion.Status.choices)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OpinionTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("opinion outcome change")
        verbose_name_plural = _("opinion outcome changes")
