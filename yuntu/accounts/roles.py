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
    ORGLIFE_VIEW = "orglife.view", "查看组织生活"
    ORGLIFE_EDIT = "orglife.edit", "记录组织生活"
    ASSESSMENT_VIEW = "assessment.view", "查看考核与预警"
    ASSESSMENT_MANAGE = "assessment.manage", "管理考核与预警"


P = Permission
R = Role
# What each role may do, module by module; a role's permissions are the union over the modules.
MODULE_GRANTS: dict[str, dict[str, set[str]]] = {
    "orgs": {
        R.DISTRICT_OFFICER: {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.PERSONAL_DATA_VIEW,
                             P.IMPORT_RUN, P.AUDIT_VIEW},
        R.STREET_SECRETARY: {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN},
        R.COMMUNITY_SECRETARY: {P.ORG_VIEW, P.ORG_CHANGE, P.MEMBER_VIEW, P.MEMBER_CHANGE, P.IMPORT_RUN},
        R.BRANCH_SECRETARY: {P.ORG_VIEW, P.MEMBER_VIEW, P.MEMBER_CHANGE},
        R.INSPECTOR: {P.ORG_VIEW, P.MEMBER_VIEW, P.AUDIT_VIEW},
        R.DEPARTMENT_HANDLER: {P.ORG_VIEW},
        R.MEMBER: {P.ORG_VIEW},
    },
    "ledger": {
        R.DISTRICT_OFFICER: {P.LEDGER_VIEW, P.LEDGER_EDIT, P.LEDGER_REVIEW},
        R.STREET_SECRETARY: {P.LEDGER_VIEW, P.LEDGER_EDIT},
        R.COMMUNITY_SECRETARY: {P.LEDGER_VIEW, P.LEDGER_EDIT},
        R.BRANCH_SECRETARY: {P.LEDGER_VIEW, P.LEDGER_EDIT},
        R.INSPECTOR: {P.LEDGER_VIEW, P.LEDGER_REVIEW},
    },
    "voices": {
        R.DISTRICT_OFFICER: {P.VOICES_VIEW, P.VOICES_TRIAGE},
        R.STREET_SECRETARY: {P.VOICES_VIEW, P.VOICES_TRIAGE},
        R.COMMUNITY_SECRETARY: {P.VOICES_VIEW, P.VOICES_TRIAGE},
        R.INSPECTOR: {P.VOICES_VIEW},
        R.DEPARTMENT_HANDLER: {P.VOICES_DEPARTMENT},
    },
    # Needs, claims and dual reporting.
    "claims": {
        R.DISTRICT_OFFICER: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
        R.STREET_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
        R.COMMUNITY_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_REPORT},
        R.BRANCH_SECRETARY: {P.CLAIMS_VIEW, P.CLAIMS_POST, P.CLAIMS_BRANCH},
        R.INSPECTOR: {P.CLAIMS_VIEW},
    },
    "venues_and_lectures": {
        R.DISTRICT_OFFICER: {P.VENUES_VIEW, P.VENUES_MANAGE, P.LECTURES_VIEW, P.LECTURES_MANAGE},
        R.STREET_SECRETARY: {P.VENUES_VIEW, P.VENUES_MANAGE, P.LECTURES_VIEW, P.LECTURES_MANAGE},
        R.COMMUNITY_SECRETARY: {P.VENUES_VIEW, P.VENUES_MANAGE, P.LECTURES_VIEW, P.LECTURES_MANAGE},
        R.BRANCH_SECRETARY: {P.VENUES_VIEW, P.LECTURES_VIEW},
        R.INSPECTOR: {P.VENUES_VIEW, P.LECTURES_VIEW},
    },
    # 专项行动: who keeps the roadmap, who reports on tasks, who follows up (纪工委、效能办、督查室 hold the
    # inspector role on the subtree they supervise).
    "campaigns": {
        R.DISTRICT_OFFICER: {P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT, P.CAMPAIGN_SUPERVISE},
        R.STREET_SECRETARY: {P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT},
        R.COMMUNITY_SECRETARY: {P.CAMPAIGN_VIEW, P.CAMPAIGN_EDIT, P.CAMPAIGN_REPORT},
        R.BRANCH_SECRETARY: {P.CAMPAIGN_VIEW, P.CAMPAIGN_REPORT},
        R.INSPECTOR: {P.CAMPAIGN_VIEW, P.CAMPAIGN_SUPERVISE},
    },
    "orglife_and_assessment": {
        R.DISTRICT_OFFICER: {P.ORGLIFE_VIEW, P.ORGLIFE_EDIT, P.ASSESSMENT_VIEW, P.ASSESSMENT_MANAGE},
        R.STREET_SECRETARY: {P.ORGLIFE_VIEW, P.ORGLIFE_EDIT, P.ASSESSMENT_VIEW, P.ASSESSMENT_MANAGE},
        R.COMMUNITY_SECRETARY: {P.ORGLIFE_VIEW, P.ORGLIFE_EDIT, P.ASSESSMENT_VIEW},
        R.BRANCH_SECRETARY: {P.ORGLIFE_VIEW, P.ORGLIFE_EDIT, P.ASSESSMENT_VIEW},
        R.INSPECTOR: {P.ORGLIFE_VIEW, P.ASSESSMENT_VIEW},
    },
    # 四下基层: a cadre's frontline record is read by their org's leaders; appraisal by the organisation department.
    "grassroots": {
        R.DISTRICT_OFFICER: {P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD, P.GRASSROOTS_APPRAISE},
        R.STREET_SECRETARY: {P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD},
        R.COMMUNITY_SECRETARY: {P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD},
        R.BRANCH_SECRETARY: {P.GRASSROOTS_VIEW, P.GRASSROOTS_EDIT, P.GRASSROOTS_RECORD},
        R.INSPECTOR: {P.GRASSROOTS_VIEW},
    },
    # Affairs publicity and columns: secretaries publish for their own org and subtree; inspectors read.
    "publicity": {
        R.DISTRICT_OFFICER: {P.PUBLICITY_VIEW, P.PUBLICITY_EDIT},
        R.STREET_SECRETARY: {P.PUBLICITY_VIEW, P.PUBLICITY_EDIT},
        R.COMMUNITY_SECRETARY: {P.PUBLICITY_VIEW, P.PUBLICITY_EDIT},
        R.BRANCH_SECRETARY: {P.PUBLICITY_VIEW, P.PUBLICITY_EDIT},
        R.INSPECTOR: {P.PUBLICITY_VIEW},
    },
    # The command dashboard and briefings: officers and secretaries see their subtree's figures; the district
    # officer and streets write and issue briefings, communities write their own.
    "dashboard_and_briefings": {
        R.DISTRICT_OFFICER: {P.DASHBOARD_VIEW, P.BRIEFING_EDIT, P.BRIEFING_PUBLISH},
        R.STREET_SECRETARY: {P.DASHBOARD_VIEW, P.BRIEFING_EDIT, P.BRIEFING_PUBLISH},
        R.COMMUNITY_SECRETARY: {P.DASHBOARD_VIEW, P.BRIEFING_EDIT},
        R.INSPECTOR: {P.DASHBOARD_VIEW},
    },
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset(permission for grants in MODULE_GRANTS.values() for permission in grants.get(role, ()))
    for role in Role.values
}
ROLE_PERMISSIONS[Role.ADMINISTRATOR] = frozenset(Permission.values)

STAFF_ROLES = frozenset(set(Role.values) - {Role.MEMBER, Role.RESIDENT})
