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
    DASHBOARD_VIEW = "dashboard.view", "查看指挥调度大屏"
    BRIEFING_EDIT = "briefing.edit", "编写简报与读取报送材料"
    BRIEFING_PUBLISH = "briefing.publish", "签发简报"
    CAMPAIGN_VIEW = "campaign.view", "查看专项行动"
    CAMPAIGN_EDIT = "campaign.edit", "维护专项行动"
    CAMPAIGN_REPORT = "campaign.report", "填报任务进展"
    CAMPAIGN_SUPERVISE = "campaign.supervise", "督查专项行动"
    GRASSROOTS_VIEW = "grassroots.view", "查看四下基层"
    GRASSROOTS_EDIT = "grassroots.edit", "填报四下基层"
    GRASSROOTS_RECORD = "grassroots.record", "查看本单位干部一线纪实"
    GRASSROOTS_APPRAISE = "grassroots.appraise", "干部一线考核（组织部）"
    VENUES_VIEW = "venues.view", "查看阵地与预约"
    VENUES_MANAGE = "venues.manage", "管理阵地、审核预约"
    LECTURES_VIEW = "lectures.view", "查看菜单式宣讲"
    LECTURES_MANAGE = "lectures.manage", "管理宣讲团、配菜送菜"
    CLAIMS_VIEW = "claims.view", "查看服务认领与双报到"
    CLAIMS_POST = "claims.post", "发布群众需求、确认认领"
    CLAIMS_REPORT = "claims.report", "登记双报到与服务记录"
    CLAIMS_BRANCH = "claims.branch", "以支部名义认领、报到"
    PUBLICITY_VIEW = "publicity.view", "查看党务村务公开与宣传学习"
    PUBLICITY_EDIT = "publicity.edit", "发布公开事项、文章和征集评选"


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(Permission.values),
    Role.DISTRICT_OFFICER: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.PERSONAL_DATA_VIEW, P.IMPORT_RUN, P.AUDIT_VIEW,
         P.LEDGER_VIEW, P.LEDGER_EDIT, P.LEDGER_REVIEW, P.VOICES_VIEW, P.VOICES_TRIAGE,
         P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD, P.GRASSROOTS_APPRAISE}
    ),
    Role.STREET_SECRETARY: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN, P.LEDGER_VIEW, P.LEDGER_EDIT,
         P.VOICES_VIEW, P.VOICES_TRIAGE, P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD}
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN, P.LEDGER_VIEW, P.LEDGER_EDIT,
         P.VOICES_VIEW, P.VOICES_TRIAGE, P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD}
    ),
    Role.BRANCH_SECRETARY: frozenset({P.ORG_VIEW, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.LEDGER_VIEW, P.LEDGER_EDIT,
                                      P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD}),
    Role.INSPECTOR: frozenset({P.ORG_VIEW, P.MEMBER_VIEW, P.AUDIT_VIEW, P.LEDGER_VIEW, P.LEDGER_REVIEW, P.VOICES_VIEW,
                               P.GRASSROOTS_VIEW}),
    Role.DEPARTMENT_HANDLER: frozenset({P.ORG_VIEW, P.VOICES_DEPARTMENT}),
    Role.MEMBER: frozenset({P.ORG_VIEW}),
    Role.RESIDENT: frozenset(),
}

# The command dashboard and briefings: officers and secretaries see their subtree's figures; the district
# officer writes and issues briefings, streets and communities write their own.
ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] |= {P.DASHBOARD_VIEW, P.BRIEFING_EDIT, P.BRIEFING_PUBLISH}
ROLE_PERMISSIONS[Role.STREET_SECRETARY] |= {P.DASHBOARD_VIEW, P.BRIEFING_EDIT, P.BRIEFING_PUBLISH}
ROLE_PERMISSIONS[Role.COMMUNITY_SECRETARY] |= {P.DASHBOARD_VIEW, P.BRIEFING_EDIT}
ROLE_PERMISSIONS[Role.INSPECTOR] |= {P.DASHBOARD_VIEW}
# 专项行动: who keeps the roadmap, who reports on tasks, who follows up (纪工委、效能办、督查室 hold the
# inspector role on the subtree they supervise).
CAMPAIGN_GRANTS: dict[str, frozenset[str]] = {
    Role.DISTRICT_OFFICER: frozenset({P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT, P.CAMPAIGN_SUPERVISE}),
    Role.STREET_SECRETARY: frozenset({P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT}),
    Role.COMMUNITY_SECRETARY: frozenset({P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT}),
    Role.BRANCH_SECRETARY: frozenset({P.CAMPAIGN_VIEW, P.CAMPAIGN_REPORT}),
    Role.INSPECTOR: frozenset({P.CAMPAIGN_VIEW, P.CAMPAIGN_SUPERVISE}),
}
for _role, _permissions in CAMPAIGN_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions
VENUES_AND_LECTURES = frozenset({P.VENUES_VIEW, P.VENUES_MANAGE, P.LECTURES_VIEW, P.LECTURES_MANAGE})
for _role in (Role.DISTRICT_OFFICER, Role.STREET_SECRETARY, Role.COMMUNITY_SECRETARY):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | VENUES_AND_LECTURES
for _role in (Role.BRANCH_SECRETARY, Role.INSPECTOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {P.VENUES_VIEW, P.LECTURES_VIEW}
CLAIMS_GRANTS = {
    Role.DISTRICT_OFFICER: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
    Role.STREET_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
    Role.COMMUNITY_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
    Role.BRANCH_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_BRANCH},
    Role.INSPECTOR: {P.CLAIMS_VIEW},
}
for _role, _permissions in CLAIMS_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions
# Affairs publicity and columns: secretaries publish for their own org and subtree; inspectors read.
for _role in (Role.DISTRICT_OFFICER, Role.STREET_SECRETARY, Role.COMMUNITY_SECRETARY, Role.BRANCH_SECRETARY):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {P.PUBLICITY_VIEW, P.PUBLICITY_EDIT}
ROLE_PERMISSIONS[Role.INSPECTOR] = ROLE_PERMISSIONS[Role.INSPECTOR] | {P.PUBLICITY_VIEW}

STAFF_ROLES = frozenset(set(Role.values) - {Role.MEMBER, Role.RESIDENT})
