"""The frontline record as an Excel workbook for an appraisal (一线考核): a summary sheet and one sheet per kind."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SUMMARY = [
    ("topics", "牵头调研课题"), ("proposals", "提出对策建议"), ("proposals_adopted", "建议被采纳"),
    ("field_visits", "实地调研"), ("problems_found", "发现问题"), ("problems_solved_on_site", "现场解决问题"),
    ("contacts", "接访走访"), ("household_visits", "入户走访"), ("requests_from_contacts", "转为群众诉求"),
    ("pairing_visits", "挂钩走访"), ("enterprises_visited", "走访企业（家）"), ("demands_raised", "收集诉求"),
    ("demands_resolved", "诉求办结"), ("mediations", "主持调解"), ("frontline_hours", "在一线时长（小时）"),
    ("assignment_days", "下派基层（天）"),
]


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    return sheet


def frontline_workbook(record: dict) -> bytes:
    cadre = record["cadre"]
    workbook = Workbook()
    summary = workbook.active
    summary.title = "一线纪实"
    period = f"{record['start'] or '—'} 至 {record['end'] or '—'}"
    summary.append([f"干部一线工作纪实：{cadre}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["统计时段", period])
    member = record["member"]
    summary.append(["所在组织", member.org.name if member else "、".join(unit.name for unit in record["units"])])
    summary.append([])
    for key, label in SUMMARY:
        summary.append([label, float(record["totals"][key]) if key == "frontline_hours" else record["totals"][key]])
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 40
    _sheet(workbook, "调研课题", ["课题", "单位", "开始", "结束", "状态"],
           [(t.title, t.org.name, t.starts_on, t.ends_on, t.get_status_display()) for t in record["topics"]])
    _sheet(workbook, "实地调研", ["日期", "课题", "地点", "时长", "调研记录"],
           [(v.visited_on, v.topic.title, v.place, float(v.hours), v.notes) for v in record["field_visits"]])
    _sheet(workbook, "发现问题", ["日期", "问题", "现场解决", "解决情况"],
           [(p.found_on, p.description, "是" if p.solved_on_site else "否", p.solution) for p in record["site_problems"]])
    _sheet(workbook, "接访走访", ["日期", "方式", "对象", "反映事项", "办理结果", "后续跟进", "诉求编号"],
           [(c.contacted_on, c.get_kind_display(), c.person_name, c.matter, c.outcome, c.follow_up,
             c.request.number if c.request_id else "") for c in record["contacts"]])
    _sheet(workbook, "挂钩走访", ["日期", "挂钩对象", "走访情况", "时长"],
           [(v.visited_on, v.pairing.target_label, v.notes, float(v.hours)) for v in record["pairing_visits"]])
    _sheet(workbook, "诉求办理", ["提出日期", "挂钩对象", "诉求", "诉求编号", "办理部门", "状态", "答复"],
           [(d.raised_on, d.pairing.target_label, d.text, d.request.number,
             "、".join(x.org.name for x in d.request.dispatches.all()), d.request.get_status_display(), d.request.reply)
            for d in record["demands"]])
    _sheet(workbook, "下派基层", ["类型", "村（社区）", "开始", "结束", "岗位职责"],
           [(a.get_kind_display(), a.org.name, a.starts_on, a.ends_on, a.duties) for a in record["assignments"]])
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
