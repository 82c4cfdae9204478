"""Meetings: list with figures, calendar, plan, detail (QR sign-in, roll call, minutes, photos), history."""

import datetime
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import selectors, services
from ..access import get_meeting_for_sign_in, get_meeting_for_user, get_member_for_user
from ..forms import CancelForm, MeetingFilterForm, MeetingForm, MinutesForm, PhotosForm, default_start
from ..workflow import ABSENCE_REASONS, AttendanceStatus, MeetingStatus
from .common import chosen_org, error_text, org_navigation, orglife_page, parse_month

PAGE_SIZE = 30


@orglife_page
def meeting_list(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    form = MeetingFilterForm(request.GET or None)
    filters = form.filters() if request.GET else MeetingFilterForm().filters()
    meetings = selectors.meeting_list(user, org=org, **filters)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    query = request.GET.copy()
    query.pop("page", None)
    start = filters["start"] or today.replace(month=1, day=1)
    end = filters["end"] or today
    context = {"form": form, "page": page, "figures": selectors.figures(user, org=org, start=start, end=end),
               "by_child": selectors.meetings_by_child(user, org=org, start=start, end=end),
               "start": start, "end": end, "can_plan": selectors.meeting_orgs_for(user).exists(),
               "query_string": query.urlencode(),
               **org_navigation(user, org)}
    return render(request, "orglife/meeting_list.html", context)


@orglife_page
def calendar_view(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    month = parse_month(request.GET.get("month"), clock.today())
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "orglife/calendar.html", {
        "weeks": selectors.month_calendar(user, org=org, month=month), "month": month, "previous": previous,
        "following": following, **org_navigation(user, org)})


@orglife_page
def meeting_create(request):
    orgs = selectors.meeting_orgs_for(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("无权安排会议。"))
    form = MeetingForm(request.POST or None, orgs=orgs,
                       initial={"starts_at": default_start(), "org": request.GET.get("org")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(actor=request.user, org=data["org"], kind=data["kind"], title=data["title"],
                                            starts_at=data["starts_at"], place=data["place"], topics=data["topics"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("会议已安排，并已通知党员。"))
            return redirect("orglife:meeting_detail", meeting.pk)
    return render(request, "orglife/meeting_form.html", {"form": form, "creating": True})


@orglife_page
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    if not can(request.user, Permission.ORGLIFE_EDIT, meeting):
        raise PermissionDenied(_("无权修改该会议。"))
    initial = {"kind": meeting.kind, "title": meeting.title, "starts_at": timezone.localtime(meeting.starts_at),
               "place": meeting.place, "topics": meeting.topics}
    form = MeetingForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("会议安排已修改。"))
            return redirect("orglife:meeting_detail", meeting.pk)
    return render(request, "orglife/meeting_form.html", {"form": form, "creating": False, "meeting": meeting})


def _roll(meeting):
    """Expected members with their attendance so far, for the roll-call form."""
    marked = {row.member_id: row for row in meeting.attendances.all()}
    rows = []
    for member in services.expected_members(meeting).order_by("name", "pk"):
        rows.append({"member": member, "attendance": marked.get(member.pk)})
    return rows


@orglife_page
def meeting_detail(request, pk):
    user = request.user
    meeting = get_meeting_for_user(user, pk)
    editable = can(user, Permission.ORGLIFE_EDIT, meeting)
    started = meeting.starts_at <= clock.now()
    context = {
        "meeting": meeting, "editable": editable, "started": started,
        "sign_in_url": request.build_absolute_uri(reverse("orglife:sign_in", args=[meeting.sign_in_token])),
        "sign_in_today": timezone.localtime(meeting.starts_at).date() == clock.today(),
        "attendance": selectors.attendance_of(meeting) if meeting.status == MeetingStatus.HELD else None,
        "roll": _roll(meeting) if editable and meeting.status == MeetingStatus.PLANNED else None,
        "signed": meeting.attendances.filter(status=AttendanceStatus.PRESENT).count(),
        "reasons": ABSENCE_REASONS, "photos": meeting.photos.all(), "timeline": meeting.events.select_related("actor"),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}), "photos_form": PhotosForm(),
        "cancel_form": CancelForm(),
    }
    return render(request, "orglife/meeting_detail.html", context)


def _act(request, pk, action):
    meeting = get_meeting_for_user(request.user, pk)
    try:
        note = action(meeting)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, note)
    return redirect("orglife:meeting_detail", meeting.pk)


@require_POST
@orglife_page
def meeting_hold(request, pk):
    present, leave, absent = [], {}, {}
    for key, value in request.POST.items():
        if not key.startswith("status_") or not key[7:].isdigit():
            continue
        member_id = int(key[7:])
        reason = request.POST.get(f"reason_{member_id}", "")
        if value == AttendanceStatus.PRESENT:
            present.append(member_id)
        elif value == AttendanceStatus.LEAVE:
            leave[member_id] = reason
        else:
            absent[member_id] = reason

    def hold(meeting):
        services.meeting_hold(actor=request.user, meeting=meeting, present=present, leave=leave, absent_reasons=absent)
        return _("已记录会议召开和出席情况。")

    return _act(request, pk, hold)


@require_POST
@orglife_page
def meeting_minutes(request, pk):
    def record(meeting):
        services.meeting_record_minutes(actor=request.user, meeting=meeting, minutes=request.POST.get("minutes", ""))
        return _("会议记录已保存。")

    return _act(request, pk, record)


@require_POST
@orglife_page
def meeting_photos(request, pk):
    def upload(meeting):
        saved = services.meeting_add_photos(actor=request.user, meeting=meeting, photos=request.FILES.getlist("photos"))
        return _("已上传%(count)s张照片。") % {"count": len(saved)}

    return _act(request, pk, upload)


@require_POST
@orglife_page
def meeting_cancel(request, pk):
    def cancel(meeting):
        services.meeting_cancel(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
        return _("会议已取消。")

    return _act(request, pk, cancel)


@orglife_page
def meeting_qr(request, pk):
    """The meeting's sign-in QR code as SVG, shown on the screen at the meeting."""
    meeting = get_meeting_for_user(request.user, pk)
    url = request.build_absolute_uri(reverse("orglife:sign_in", args=[meeting.sign_in_token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@orglife_page
def meeting_photo(request, pk, photo_pk):
    meeting = get_meeting_for_user(request.user, pk)
    photo = get_object_or_404(meeting.photos, pk=photo_pk)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("照片文件不存在。")) from None
    return FileResponse(handle, filename=photo.file_name)


@login_required
def sign_in(request, sign_in_token):
    """The page a member's phone opens from the QR code: confirm, and be signed in once."""
    meeting = get_meeting_for_sign_in(request.user, sign_in_token)
    attendance = meeting.attendances.filter(member__user=request.user).first()
    error = None
    if request.method == "POST":
        try:
            attendance = services.meeting_sign_in(actor=request.user, meeting=meeting)
        except (ValidationError, PermissionDenied) as problem:
            error = error_text(problem)
        else:
            messages.success(request, _("签到成功。"))
            return redirect("orglife:sign_in", sign_in_token)
    return render(request, "orglife/sign_in.html", {"meeting": meeting, "attendance": attendance, "error": error},
                  status=400 if error else 200)


@orglife_page
def member_history(request, member_pk):
    member = get_member_for_user(request.user, member_pk)
    year = request.GET.get("year")
    history = selectors.member_history(request.user, member, year=int(year) if year and year.isdigit() else None)
    return render(request, "orglife/member_history.html", {"member": member, "history": history, "year": year})


@login_required
def my_attendance(request):
    """党员本人的组织生活记录 (a member needs no staff permission to see their own)."""
    member = services.member_of(request.user)
    if member is None:
        raise Http404(_("您的账号没有关联党员信息。"))
    history = selectors.member_history(request.user, member)
    theme_days = selectors.theme_days_attended(request.user, year=clock.today().year, member_ids=[member.pk])
    return render(request, "orglife/member_history.html", {
        "member": member, "history": history, "own": True, "theme_days": theme_days.get(member.pk, 0)})
