from .dues import dues_declare, dues_list, dues_pay, dues_table
from .meetings import (
    calendar_view,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_hold,
    meeting_list,
    meeting_minutes,
    meeting_photo,
    meeting_photos,
    meeting_qr,
    member_history,
    my_attendance,
    sign_in,
)

__all__ = ["calendar_view", "dues_declare", "dues_list", "dues_pay", "dues_table", "meeting_cancel", "meeting_create",
           "meeting_detail", "meeting_edit", "meeting_hold", "meeting_list", "meeting_minutes", "meeting_photo",
           "meeting_photos", "meeting_qr", "member_history", "my_attendance", "sign_in"]
