"""The campaign pages, split by topic; each POST calls one service."""

from .campaigns import (
    board,
    board_data,
    campaign_detail,
    campaign_list,
    campaign_transition,
    follow_up,
    import_roadmap,
    import_template,
    ledger_export,
    project_create,
    weekly,
)
from .projects import (
    hq_create,
    hq_dissolve,
    hq_member_add,
    mark_add,
    post_create,
    project_detail,
    task_create,
)
from .tasks import milestone_done, task_detail, task_file, task_progress, task_transition

__all__ = [
    "board", "board_data", "campaign_detail", "campaign_list", "campaign_transition", "follow_up", "hq_create",
    "hq_dissolve", "hq_member_add", "import_roadmap", "import_template", "ledger_export", "mark_add", "milestone_done",
    "post_create", "project_create", "project_detail", "task_create", "task_detail", "task_file", "task_progress",
    "task_transition", "weekly",
]
