from .alerts import alert_detail, alert_list, alert_transition, rule_configure, rule_list, scan_now
from .assessments import (
    period_award,
    period_compute,
    period_detail,
    period_list,
    period_score,
    weak_lax_lift,
    weak_lax_list,
)
from .circulars import circular_detail, circular_export, circular_list, circular_publish
from .schemes import period_create, scheme_create, scheme_delete, scheme_detail, scheme_edit, scheme_list

__all__ = ["alert_detail", "alert_list", "alert_transition", "circular_detail", "circular_export", "circular_list",
           "circular_publish", "period_award", "period_compute", "period_create", "period_detail", "period_list", "period_score",
           "rule_configure", "rule_list", "scan_now", "scheme_create", "scheme_delete", "scheme_detail", "scheme_edit", "scheme_list", "weak_lax_lift", "weak_lax_list"]
