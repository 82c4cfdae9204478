"""Roles and what each may do, declared once. A grant of a role on an org node covers its subtree."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "系统管理员"
    DISTRICT_OFFICER = "district_officer", "区委组织部"
    STREET_SECRETARY = "street_secretary", "街道党工委书记"
    COMMUNITY_SECRETARY = "community_secretary", "社区（村）党组织书记"
    BRANCH_SECRETARY = "branch_secretary", "党支部书记"
    INSPECTOR = "inspector", "联络组（督导组）"
    DEPARTMENT_HANDLER = "department_handler", "职能部门经办人"
    MEMBER = "member", "党员"
    RESIDENT = "resident", "群众"


class Permission(models.TextChoices):
    ORG_VIEW = "org.view", "查看组织"
    ORG_CHANGE = "org.change", "维护组织"
    MEMBER_VIEW = "member.view", "查看党员"
    MEMBER_CHANGE = "member.change", "维护党员"
    PERSONAL_DATA_VIEW = "personal_data.view", "查看完整个人信息"
    IMPORT_RUN = "import.run", "导入数据"
    AUDIT_VIEW = "audit.view", "查看审计日志"
    GRANT_MANAGE = "grant.manage", "管理角色授权"
    LEDGER_VIEW = "ledger.view", "查看整改台账"
    LEDGER_EDIT = "ledger.edit", "填报整改台账"
    LEDGER_REVIEW = "ledger.review", "审核整改台账"
    VOICES_VIEW = "voices.view", "查看群众诉求"
    VOICES_TRIAGE = "voices.triage", "受理分派群众诉求"
    VOICES_DEPARTMENT = "voices.department", "部门办理诉求"
    ORGLIFE_VIEW = "orglife.view", "查看组织生活"
    ORGLIFE_EDIT = "orglife.edit", "记录组织生活"
    ASSESSMENT_VIEW = "assessment.view", "查看考核与预警"
    ASSESSMENT_MANAGE = "assessment.manage", "管理考核与预警"


P = Permission
ORGLIFE_STAFF = {P.ORGLIFE_VIEW, P.ORGLIFE_EDIT, P.ASSESSMENT_VIEW}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(Permission.values),
    Role.DISTRICT_OFFICER: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.PERSONAL_DATA_VIEW, P.IMPORT_RUN, P.AUDIT_VIEW,
         P.LEDGER_VIEW, P.LEDGER_EDIT, P.LEDGER_REVIEW, P.VOICES_VIEW, P.VOICES_TRIAGE, *ORGLIFE_STAFF,
         P.ASSESSMENT_MANAGE}
    ),
    Role.STREET_SECRETARY: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN, P.LEDGER_VIEW, P.LEDGER_EDIT,
         P.VOICES_VIEW, P.VOICES_TRIAGE, *ORGLIFE_STAFF, P.ASSESSMENT_MANAGE}
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN, P.LEDGER_VIEW, P.LEDGER_EDIT,
         P.VOICES_VIEW, P.VOICES_TRIAGE, *ORGLIFE_STAFF}
    ),
    Role.BRANCH_SECRETARY: frozenset({P.ORG_VIEW, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.LEDGER_VIEW, P.LEDGER_EDIT,
                                      *ORGLIFE_STAFF}),
    Role.INSPECTOR: frozenset({P.ORG_VIEW, P.MEMBER_VIEW, P.AUDIT_VIEW, P.LEDGER_VIEW, P.LEDGER_REVIEW, P.VOICES_VIEW,
                               P.ORGLIFE_VIEW, P.ASSESSMENT_VIEW}),
    Role.DEPARTMENT_HANDLER: frozenset({P.ORG_VIEW, P.VOICES_DEPARTMENT}),
    Role.MEMBER: frozenset({P.ORG_VIEW}),
    Role.RESIDENT: frozenset(),
}

STAFF_ROLES = frozenset(set(Role.values) - {Role.MEMBER, Role.RESIDENT})
