"""Areas, bodies, people, households and memberships (ARCHITECTURE §2 `orgs`).

Identifiers of body kinds and roles are the ones of ../shared/spec/rules-core.md §1.1 and §1.2 (with the
street-office bodies of rules-admin.md §1.1 where the core glossary has none), so the API speaks the
spec's language.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), opened_on__lte=on)

    def below(self, area: Area):
        """The area and everything under it (materialised path prefix)."""
        return self.filter(path__startswith=area.path)

    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "path"))


class Area(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", _("区")
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区")
        GRID = "grid", _("网格")
        BUILDING = "building", _("楼栋")

    class CommunityKind(models.TextChoices):
        URBAN = "urban", _("城市社区")
        VILLAGE_TO_RESIDENTIAL = "village_to_residential", _("村改居社区")

    # Which level may sit directly under which (R-ORG-01: district > street > community > grid > building).
    CHILD_LEVEL = {
        Level.DISTRICT: Level.STREET,
        Level.STREET: Level.COMMUNITY,
        Level.COMMUNITY: Level.GRID,
        Level.GRID: Level.BUILDING,
    }

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级"))
    # "/<root id>/…/<own id>/": a prefix match finds a whole subtree with one indexed query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    community_kind = models.CharField(_("社区类型"), max_length=32, choices=CommunityKind, blank=True)
    opened_on = models.DateField(_("设立日期"), default=datetime.date.today)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestor_at(self, level: str) -> Area | None:
        """The area of the given level above (or at) this one, e.g. the street of a building."""
        if self.level == level:
            return self
        return Area.objects.filter(pk__in=self.ancestor_ids, level=level).first()

    def is_open(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.opened_on <= on and (self.closed_on is None or self.closed_on > on)


class AreaChange(models.Model):
    """History of an area: every creation, rename, move and closure, as it happened."""

    class Kind(models.TextChoices):
        CREATED = "created", _("设立")
        RENAMED = "renamed", _("更名")
        MOVED = "moved", _("调整隶属")
        CLOSED = "closed", _("撤销")

    area = models.ForeignKey(Area, models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    old_parent = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+")
    new_parent = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+")
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_kind_display()} · {self.occurred_on}"


class BodyQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), opened_on__lte=on)

    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Body(models.Model):
    class Kind(models.TextChoices):
        # rules-core.md §1.1
        DISTRICT_PARTY_COMMITTEE = "district_party_committee", _("区委")
        DISTRICT_GOVERNMENT = "district_government", _("区政府")
        DISTRICT_ORGANIZATION_DEPARTMENT = "district_organization_department", _("区委组织部")
        DISTRICT_DISCIPLINE_COMMISSION = "district_discipline_commission", _("区纪委")
        STREET_OFFICE = "street_office", _("街道办事处")
        PARTY_WORKING_COMMITTEE = "party_working_committee", _("街道党工委")
        STREET_DISCIPLINE_WORKING_COMMITTEE = "street_discipline_working_committee", _("街道纪工委")
        PWC_OFFICE = "pwc_office", _("党办")
        COMMUNITY_PARTY_ORG = "community_party_org", _("社区党组织")
        BRANCH_COMMITTEE = "branch_committee", _("支部委员会")
        PARTY_GROUP = "party_group", _("党小组")
        TEMPORARY_PARTY_BRANCH = "temporary_party_branch", _("临时党支部")
        GRID_PARTY_BRANCH = "grid_party_branch", _("网格党支部")
        GRID_PARTY_GROUP = "grid_party_group", _("网格党小组")
        BUILDING_PARTY_GROUP = "building_party_group", _("楼栋党小组")
        RESIDENTS_COMMITTEE = "residents_committee", _("社区居民委员会")
        COMMUNITY_WORKSTATION = "community_workstation", _("社区工作站")
        COMPREHENSIVE_GOVERNANCE_OFFICE = "comprehensive_governance_office", _("社区综治办")
        SUPERVISION_COMMITTEE = "supervision_committee", _("居务监督委员会")
        DELIBERATION_COUNCIL = "deliberation_council", _("议事会")
        RESIDENT_REPRESENTATIVES_MEETING = "resident_representatives_meeting", _("居民代表会议")
        RESIDENTS_ASSEMBLY = "residents_assembly", _("居民会议")
        COMMUNITY_MEMBER_REPRESENTATIVES_ASSEMBLY = (
            "community_member_representatives_assembly", _("社区成员代表大会"))
        PARTY_MEMBERS_ASSEMBLY = "party_members_assembly", _("党员大会")
        RESIDENT_UNIT = "resident_unit", _("驻区单位")
        RESIDENT_UNIT_PARTY_ORG = "resident_unit_party_org", _("驻区单位党组织")
        MASS_ORGANIZATION = "mass_organization", _("群众组织")
        VOLUNTEER_TEAM = "volunteer_team", _("社区志愿者队伍")
        COMMUNITY_PATROL_TEAM = "community_patrol_team", _("社区巡防队")
        # rules-admin.md §1.1: street-office bodies the core glossary does not name
        GENERAL_OFFICE = "general_office", _("党政办公室")
        FINANCE_OFFICE = "finance_office", _("财务室")
        ARCHIVES_ROOM = "archives_room", _("档案室")
        STREET_ZZ_CENTER = "street_zz_center", _("街道综治信访维稳中心")

    class OrgType(models.TextChoices):
        PARTY_BRANCH = "party_branch", _("党支部")
        GENERAL_PARTY_BRANCH = "general_party_branch", _("党总支")
        PARTY_COMMITTEE = "party_committee", _("党委")

    class EstablishmentMode(models.TextChoices):
        STANDALONE = "standalone", _("单独建立")
        JOINT = "joint", _("联建")
        AFFILIATED = "affiliated", _("挂靠")
        INSTRUCTOR_ASSIGNED = "instructor_assigned", _("派驻党建指导员")

    # Kinds whose form depends on the number of party members (R-ORG-03/05).
    PARTY_ORG_KINDS = {Kind.COMMUNITY_PARTY_ORG}

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=48, choices=Kind, db_index=True)
    area = models.ForeignKey(Area, models.PROTECT, related_name="bodies", verbose_name=_("所属区域"))
    org_type = models.CharField(_("组织形式"), max_length=32, choices=OrgType, blank=True)
    establishment_mode = models.CharField(_("建立方式"), max_length=32, choices=EstablishmentMode,
                                          blank=True)
    # R-ORG-04: a committee below 101 members needs the superior organisation's approval, on record.
    form_approval_ref = models.CharField(_("上级批准文号"), max_length=120, blank=True)
    form_approval_on = models.DateField(_("上级批准日期"), null=True, blank=True)
    form_approval_grounds = models.CharField(_("批准理由"), max_length=500, blank=True)
    # Party tree (R-ORG-01) and leadership (R-ORG-02) are separate relations.
    parent_body = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="sub_bodies",
                                    verbose_name=_("上级组织"))
    led_by = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("领导机构"))
    opened_on = models.DateField(_("成立日期"), default=datetime.date.today)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["area__path", "kind", "name"]
        indexes = [models.Index(fields=["area", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str | None:
        """For councils: `grid` or `community`, from where the body sits."""
        if self.kind == self.Kind.DELIBERATION_COUNCIL:
            return self.area.level
        return None


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "area__path"))


class Household(models.Model):
    number = models.CharField(_("户号"), max_length=32, unique=True)
    area = models.ForeignKey(Area, models.PROTECT, related_name="households", verbose_name=_("楼栋"))
    unit = models.CharField(_("单元"), max_length=16, blank=True)
    room = models.CharField(_("房号"), max_length=16, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")

    def __str__(self) -> str:
        return self.number


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Residents of the user's areas, plus members of bodies the user can see (shown masked)."""
        from jiceng.accounts import scope

        return self.filter(scope.person_q(user))


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class PoliticalStatus(models.TextChoices):
        PARTY_MEMBER = "party_member", _("中共党员")
        PROBATIONARY_MEMBER = "probationary_member", _("中共预备党员")
        YOUTH_LEAGUE = "youth_league", _("共青团员")
        DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
        NONE = "masses", _("群众")

    name = models.CharField(_("姓名"), max_length=50)
    # Search keys (zhangsan / zs), kept in step with the name by services.
    name_pinyin = models.CharField(max_length=200, db_index=True, editable=False)
    name_initials = models.CharField(max_length=50, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    birth_date = models.DateField(_("出生日期"), editable=False)
    id_tail = models.CharField(max_length=6, db_index=True, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    phone_tail = models.CharField(max_length=4, db_index=True, blank=True, editable=False)
    household = models.ForeignKey(Household, models.PROTECT, null=True, blank=True, related_name="members",
                                  verbose_name=_("户"))
    household_relation = models.CharField(_("与户主关系"), max_length=16, blank=True)
    # Residence: the building (or a coarser area when the building is not known), unit and room.
    area = models.ForeignKey(Area, models.PROTECT, related_name="residents", verbose_name=_("居住区域"))
    unit = models.CharField(_("单元"), max_length=16, blank=True)
    room = models.CharField(_("房号"), max_length=16, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=32, choices=PoliticalStatus,
                                        default=PoliticalStatus.NONE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name_pinyin", "pk"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles held in a body (rules-core.md §1.2)."""

    PWC_SECRETARY = "pwc_secretary", _("党工委书记")
    PWC_DEPUTY_SECRETARY = "pwc_deputy_secretary", _("党工委副书记")
    PWC_MEMBER = "pwc_member", _("党工委委员")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")
    PWC_OFFICE_DIRECTOR = "pwc_office_director", _("党办主任")
    STREET_OFFICE_DIRECTOR = "street_office_director", _("街道办事处主任")
    STREET_OFFICE_DEPUTY_DIRECTOR = "street_office_deputy_director", _("街道办事处副主任")
    STREET_LIAISON_LEADER = "street_liaison_leader", _("分包社区领导")
    AGENCY_STAFF = "agency_staff", _("机关工作人员")
    COMMUNITY_PARTY_SECRETARY = "community_party_secretary", _("社区党组织书记")
    COMMUNITY_PARTY_DEPUTY_SECRETARY = "community_party_deputy_secretary", _("社区党组织副书记")
    PARTY_ORG_COMMITTEE_MEMBER = "party_org_committee_member", _("党组织委员")
    PARTY_DISCLOSURE_OFFICER = "party_disclosure_officer", _("党务公开专人")
    PART_TIME_COMMITTEE_MEMBER = "part_time_committee_member", _("兼职委员")
    RC_DIRECTOR = "rc_director", _("居委会主任")
    RC_DEPUTY_DIRECTOR = "rc_deputy_director", _("居委会副主任")
    RC_MEMBER = "rc_member", _("居委会委员")
    WORKSTATION_HEAD = "workstation_head", _("工作站站长")
    CGO_DIRECTOR = "cgo_director", _("综治办主任")
    SUPERVISION_COMMITTEE_MEMBER = "supervision_committee_member", _("居务监督委员会成员")
    GRID_PARTY_BRANCH_SECRETARY = "grid_party_branch_secretary", _("网格党支部书记")
    PARTY_GROUP_LEADER = "party_group_leader", _("党小组长")
    BUILDING_PARTY_GROUP_LEADER = "building_party_group_leader", _("楼栋党小组长")
    BUILDING_HEAD = "building_head", _("楼栋长")
    GRID_WORKER = "grid_worker", _("网格员")
    GRID_POLICE_OFFICER = "grid_police_officer", _("网格警员")
    RESIDENT_REPRESENTATIVE = "resident_representative", _("居民代表")
    COMMUNITY_MEMBER_REPRESENTATIVE = "community_member_representative", _("社区成员代表")
    PARTY_MEMBER = "party_member", _("党员")
    PROBATIONARY_MEMBER = "probationary_member", _("预备党员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    DESIGNATED_RECORDER = "designated_recorder", _("记录专人")
    ARCHIVIST = "archivist", _("档案管理人员")
    MEMBER = "member", _("成员")


class MembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        """Memberships in force on `day`: a member list is always as of a date."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)

    def visible_to(self, user):
        from jiceng.accounts import scope

        return self.filter(scope.area_q(user, "body__area__path"))


class Membership(models.Model):
    person = models.ForeignKey(Person, models.PROTECT, related_name="memberships", verbose_name=_("人员"))
    body = models.ForeignKey(Body, models.PROTECT, related_name="memberships", verbose_name=_("机构"))
    role = models.CharField(_("职务"), max_length=48, choices=Role)
    start_on = models.DateField(_("任职开始"))
    end_on = models.DateField(_("任职结束"), null=True, blank=True, help_text=_("最后一天（含）"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["body", "role", "start_on"]
        indexes = [models.Index(fields=["body", "start_on"]), models.Index(fields=["person", "start_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                   name="membership_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.body}"


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Import jobs of areas where `user` may import rosters."""
        from jiceng.accounts import scope
        from jiceng.accounts.roles import Perm

        return self.filter(scope.area_q(user, "area__path", Perm.IMPORT_PEOPLE))


class RosterImport(models.Model):
    """One upload of a residents roster (花名册) into an area, with its progress and outcome.

    The people it creates are written all or nothing by `orgs.roster.run_import`; while it runs, progress
    lives in the cache (the import's transaction hides row updates from pollers) and the final state is
    kept here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        VALIDATING = "validating", _("校验中")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未通过")

    TRANSITIONS = {
        Status.QUEUED: {Status.VALIDATING, Status.FAILED},
        Status.VALIDATING: {Status.IMPORTING, Status.FAILED},
        Status.IMPORTING: {Status.DONE, Status.FAILED},
    }

    area = models.ForeignKey(Area, models.PROTECT, related_name="roster_imports", verbose_name=_("导入区域"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                              verbose_name=_("导入人"))
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增人数"), default=0)
    # [{row, column, code, message, message_en}], at most orgs.roster.MAX_REPORTED_ERRORS of them.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("花名册导入")
        verbose_name_plural = _("花名册导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name or f"花名册导入 {self.pk}"

    def move_to(self, new: RosterImport.Status) -> None:
        """Only `orgs.roster` calls this; it saves the row."""
        from jiceng.core.errors import IllegalTransition

        if new not in self.TRANSITIONS.get(self.status, set()):
            raise IllegalTransition(self, current=self.status, wanted=new)
        self.status = new
