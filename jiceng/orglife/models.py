"""组织生活: democratic evaluation of members (R-DEMEV), service commitments 「一定二审三公开」 (R-COMMIT) and
e-education screenings (R-EDU). 三会一课 themselves are meetings of jiceng/meetings; this app only reads them.

A party member is a Person holding Role.PARTY_MEMBER or Role.PROBATIONARY_MEMBER on a community party organisation
Body on the date concerned (jiceng/orgs); this app never keeps its own member list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import IllegalTransition
from jiceng.orgs.models import Body, Person
from jiceng.rules import orglife as r


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(code, zh) for code, (zh, _en) in labels.items()]


class OrgScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "party_org__area__path"))


class EvaluationRound(models.Model):
    """One year's democratic evaluation of the members of one party organisation (R-DEMEV-01)."""

    class Status(models.TextChoices):
        OPEN = "open", _("评议中")
        SUBMITTED = "submitted", _("已报上级审定")
        CLOSED = "closed", _("已结束")

    TRANSITIONS = {Status.OPEN: {Status.SUBMITTED}, Status.SUBMITTED: {Status.CLOSED, Status.OPEN}}

    party_org = models.ForeignKey(Body, models.PROTECT, related_name="evaluation_rounds", verbose_name=_("党组织"))
    year = models.PositiveIntegerField(_("年度"))
    evaluated_on = models.DateField(_("评议日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN)
    # R-DEMEV-01: the superior's envoy.
    envoy_name = models.CharField(_("上级派员"), max_length=100, blank=True)
    envoy_person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    # R-DEMEV-03: members whose organisational relation is in the branch on the evaluation date.
    base_count = models.PositiveIntegerField(_("应参评人数"), default=0)
    participant_count = models.PositiveIntegerField(_("实际参评人数"), default=0)
    participation_warning = models.JSONField(_("参评率提示"), null=True, blank=True)
    # R-DEMEV-07
    summary = models.TextField(_("工作小结"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    disclosure_item = models.ForeignKey("disclosure.DisclosureItem", models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("党务公开事项"))
    rulebook_version = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("民主评议党员")
        verbose_name_plural = _("民主评议党员")
        ordering = ["-year", "party_org_id"]
        constraints = [models.UniqueConstraint(fields=["party_org", "year"], name="one_evaluation_round_a_year")]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return f"{self.party_org} {self.year}年度民主评议党员"

    @property
    def area(self):
        return self.party_org.area

    def move_to(self, new: str) -> None:
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.get_status_display(), wanted=self.Status(new).label)
        self.status = new


class MemberEvaluation(models.Model):
    """One member in one round: the four modes (R-DEMEV-02), the self-assessment (R-DEMEV-04), the grade the
    branch proposes and the one the superior approves (R-DEMEV-05)."""

    round = models.ForeignKey(EvaluationRound, models.CASCADE, related_name="evaluations")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("党员"))
    probationary = models.BooleanField(_("预备党员"), default=False)
    participated = models.BooleanField(_("参加评议"), default=False)
    outgoing = models.BooleanField(_("外出党员"), default=False)
    self_assessment = models.TextField(_("自评材料"), blank=True)
    peer_opinion = models.TextField(_("互评意见"), blank=True)
    residents_opinion = models.TextField(_("群众评议意见"), blank=True)
    organisation_opinion = models.TextField(_("组织评议意见"), blank=True)
    proposed_grade = models.CharField(_("建议格次"), max_length=24, choices=_choices(r.GRADE_LABELS), blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    grade = models.CharField(_("审定格次"), max_length=24, choices=_choices(r.GRADE_LABELS), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approval_note = models.CharField(_("审定意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "person__name_pinyin", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="one_evaluation_per_member")]

    def __str__(self) -> str:
        return f"{self.person} · {self.round.year}"

    @property
    def modes_done(self) -> list[str]:
        return [mode for mode, text in (("self", self.self_assessment), ("peer", self.peer_opinion),
                                        ("residents", self.residents_opinion),
                                        ("organisation", self.organisation_opinion)) if text.strip()]


class EvaluationDecision(models.Model):
    """A commendation of an excellent member or a measure for an unqualified one (R-DEMEV-06): always a recorded
    decision of people, never automatic."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("表彰")
        MEASURE = "measure", _("处置")

    evaluation = models.ForeignKey(MemberEvaluation, models.CASCADE, related_name="decisions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    measure = models.CharField(_("处置方式"), max_length=32, choices=_choices(r.MEASURE_LABELS), blank=True)
    decided_on = models.DateField(_("决定日期"))
    decided_by_body = models.CharField(_("决定机构"), max_length=120)
    agenda_item = models.ForeignKey("meetings.AgendaItem", models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation.person} · {self.get_kind_display()}"


class Commitment(models.Model):
    """A service commitment of the branch or of one member, through 「一定、二审、三公开」 (R-COMMIT-03..06) and
    then the half-year reviews and the yearly appraisal (R-COMMIT-07/08)."""

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("一定（拟定）")
        PUBLICLY_REVIEWED = "publicly_reviewed", _("公开审查")
        ORGANISATIONALLY_REVIEWED = "organisationally_reviewed", _("组织（大会）审查")
        CONFIRMED = "confirmed", _("确定")
        PUBLISHED = "published", _("三公开")
        APPRAISED = "appraised", _("已考评")
        WITHDRAWN = "withdrawn", _("已撤回")

    TRANSITIONS = {
        Status.DRAFTED: {Status.PUBLICLY_REVIEWED, Status.WITHDRAWN},
        Status.PUBLICLY_REVIEWED: {Status.ORGANISATIONALLY_REVIEWED, Status.CONFIRMED, Status.WITHDRAWN},
        Status.ORGANISATIONALLY_REVIEWED: {Status.CONFIRMED, Status.WITHDRAWN},
        Status.CONFIRMED: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.APPRAISED},
    }

    party_org = models.ForeignKey(Body, models.PROTECT, related_name="commitments", verbose_name=_("党组织"))
    year = models.PositiveIntegerField(_("年度"))
    committer_type = models.CharField(_("承诺主体"), max_length=24, choices=_choices(r.COMMITTER_LABELS))
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("承诺党员"))
    area = models.CharField(_("承诺方面"), max_length=32, choices=list(r.AREA_LABELS.items()))
    title = models.CharField(_("承诺事项"), max_length=200)
    content = models.TextField(_("承诺内容"))
    status = models.CharField(_("状态"), max_length=32, choices=Status, default=Status.DRAFTED)
    drafted_on = models.DateField(_("拟定日期"))
    posted_on = models.DateField(_("公示日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("组织审查日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    assembly = models.ForeignKey("meetings.Meeting", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("党员大会"))
    assembly_yes = models.PositiveIntegerField(null=True, blank=True)
    assembly_present = models.PositiveIntegerField(null=True, blank=True)
    approval_basis = models.JSONField(default=dict, blank=True)
    confirmed_on = models.DateField(_("确定日期"), null=True, blank=True)
    published_on = models.DateField(_("三公开完成日期"), null=True, blank=True)
    appraisal_grade = models.CharField(_("年度考评"), max_length=24, choices=_choices(r.APPRAISAL_GRADES),
                                       blank=True)
    # WARN rules that let the commitment through, as shown and stored (R-COMMIT-09: one or two a year).
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    rulebook_version = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员服务承诺")
        verbose_name_plural = _("党员服务承诺")
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["party_org", "year", "status"]), models.Index(fields=["person", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def committer_label(self) -> str:
        return str(self.person) if self.person_id else str(self.party_org)

    def move_to(self, new: str) -> None:
        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.get_status_display(), wanted=self.Status(new).label)
        self.status = new


class CommitmentStep(models.Model):
    """Every step a commitment went through, as it happened: the public posting, the review, the assembly vote,
    each channel of 三公开, the half-year reviews and the appraisal's three steps."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("拟定")
        POSTED = "posted", _("公示审查")
        REVIEWED = "reviewed", _("组织审查")
        ASSEMBLY_VOTE = "assembly_vote", _("党员大会表决")
        PUBLISHED = "published", _("公开")
        HALF_YEAR_REVIEW = "half_year_review", _("半年点评")
        APPRAISAL = "appraisal", _("年终考评")
        WITHDRAWN = "withdrawn", _("撤回")

    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=Kind)
    channel = models.CharField(max_length=16, blank=True)  # 三公开 channel or appraisal step
    occurred_on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    grade = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["commitment", "kind"])]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.get_kind_display()}"


class EducationFilm(models.Model):
    """The approved catalogue of e-education films (R-EDU-03), kept per district or street."""

    area = models.ForeignKey("orgs.Area", models.PROTECT, related_name="+", verbose_name=_("审定区域"))
    title = models.CharField(_("片名"), max_length=200)
    approved_on = models.DateField(_("审定日期"))
    withdrawn_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Screening(models.Model):
    """One logged e-education screening (R-EDU-02 = R-MTG-14): date, film, chair and who watched."""

    party_org = models.ForeignKey(Body, models.PROTECT, related_name="screenings", verbose_name=_("党组织"))
    held_on = models.DateField(_("播放日期"))
    film = models.ForeignKey(EducationFilm, models.PROTECT, related_name="screenings", verbose_name=_("电教片"))
    chair = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("主持人"))
    attendees = models.ManyToManyField(Person, related_name="+", blank=True, verbose_name=_("收看党员"))
    note = models.TextField(_("收看记录"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["party_org", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.film}"


class Projectionist(models.Model):
    """A projectionist of the branch's e-education room (R-EDU-01: one or two). Not an orgs.Role: kept here."""

    party_org = models.ForeignKey(Body, models.PROTECT, related_name="projectionists", verbose_name=_("党组织"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("播放员"))
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("最后一天（含）"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["party_org", "start_on", "pk"]
        indexes = [models.Index(fields=["party_org", "start_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.party_org}"
