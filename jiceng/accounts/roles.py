"""Access roles: what a login may do, held on an area or a body for a date range.

These are the permission bundles of the system's users (ARCHITECTURE §1), distinct from the offices
people hold in bodies (orgs.models.Role). A permission held on an area holds on everything below it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    VIEW = "view", _("查看")
    VIEW_PERSONAL_DATA = "view_personal_data", _("查看个人敏感信息")
    EDIT_PEOPLE = "edit_people", _("维护人员信息")
    IMPORT_PEOPLE = "import_people", _("导入花名册")
    EXPORT_PEOPLE = "export_people", _("导出花名册")
    MANAGE_ORGS = "manage_orgs", _("维护区域与机构")
    MANAGE_MEMBERSHIPS = "manage_memberships", _("维护任职")
    MANAGE_ACCOUNTS = "manage_accounts", _("管理账号")
    VIEW_AUDIT = "view_audit", _("查看审计记录")
    RUN_MEETINGS = "run_meetings", _("组织会议")
    APPROVE_AS_STREET = "approve_as_street", _("街道审核（名单、主题）")
    MANAGE_RULEBOOK = "manage_rulebook", _("设定本区规则参数")


class AccessRole(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级管理员")
    STREET_ADMIN = "street_admin", _("街道管理员")
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMUNITY_ADMIN = "community_admin", _("社区管理员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    SUPERVISION_MEMBER = "supervision_member", _("居务监督委员会成员")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_HEAD = "building_head", _("楼栋长")
    VIEWER = "viewer", _("只读")


_ALL = frozenset(Perm)
_RUN_PEOPLE = frozenset({Perm.VIEW, Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PEOPLE, Perm.IMPORT_PEOPLE,
                         Perm.EXPORT_PEOPLE})

PERMISSIONS: dict[str, frozenset[str]] = {
    AccessRole.DISTRICT_ADMIN: _ALL,
    AccessRole.STREET_ADMIN: _ALL,
    AccessRole.STREET_STAFF: _RUN_PEOPLE | {Perm.VIEW_AUDIT, Perm.RUN_MEETINGS, Perm.APPROVE_AS_STREET},
    AccessRole.COMMUNITY_ADMIN: _RUN_PEOPLE | {Perm.MANAGE_ORGS, Perm.MANAGE_MEMBERSHIPS, Perm.VIEW_AUDIT,
                                               Perm.RUN_MEETINGS},
    AccessRole.COMMUNITY_WORKER: _RUN_PEOPLE | {Perm.MANAGE_MEMBERSHIPS, Perm.RUN_MEETINGS},
    # Supervisors read what the residents committee does; they do not need ID numbers or phones.
    AccessRole.SUPERVISION_MEMBER: frozenset({Perm.VIEW, Perm.VIEW_AUDIT}),
    AccessRole.GRID_WORKER: frozenset({Perm.VIEW, Perm.VIEW_PERSONAL_DATA, Perm.EDIT_PEOPLE}),
    AccessRole.BUILDING_HEAD: frozenset({Perm.VIEW}),
    AccessRole.VIEWER: frozenset({Perm.VIEW}),
}
