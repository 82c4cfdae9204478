"""调研课题: topics, field visits with the problems solved on the spot, the report and its proposals."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission

from .. import selectors, services
from ..access import get_topic_for_user
from ..forms import FieldVisitForm, ProposalAdoptForm, ReportForm, TopicForm
from ..models import Proposal
from ..workflow import ProposalStatus, TopicStatus
from .common import PAGE_SIZE, form_page, grassroots_page, record_form_view, run_service, staff_only


@grassroots_page
@require_GET
def topic_list(request):
    staff_only(request)
    topics = selectors.topics_visible_to(request.user).order_by("-starts_on", "-id")
    page = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "grassroots/topic_list.html", {"page": page})


@grassroots_page
def topic_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.topic_create(actor=user, org=data["org"], title=data["title"], field=data["field"],
                                     starts_on=data["starts_on"], ends_on=data["ends_on"],
                                     lead=None if data["lead_team"] else user, lead_team=data["lead_team"])

    return form_page(request, TopicForm, _("确定调研课题"), action, _("调研课题已确定。"), topic_url)


def topic_url(topic) -> str:
    from django.urls import reverse

    return reverse("grassroots:topic_detail", args=[topic.pk])


def topic_context(request, topic, **forms) -> dict:
    user = request.user
    may_edit = can(user, Permission.GRASSROOTS_EDIT, path=topic.org_path)
    proposals = list(topic.proposals.select_related("measure").order_by("id"))
    context = {
        "topic": topic, "may_edit": may_edit,
        "visits": topic.visits.select_related("visitor", "org").prefetch_related("problems").order_by("-visited_on", "-id"),
        "proposals": proposals, "events": services.timeline(topic),
        "visit_form": FieldVisitForm(user=user, initial={"org": topic.org_id}) if may_edit else None,
        "report_form": ReportForm() if may_edit and topic.status == TopicStatus.RESEARCHING else None,
        "adopt_form": (ProposalAdoptForm(user=user) if may_edit and any(p.status == ProposalStatus.PROPOSED for p in proposals)
                       else None),
    }
    context.update(forms)
    return context


@grassroots_page
@require_GET
def topic_detail(request, pk):
    staff_only(request)
    topic = get_topic_for_user(request.user, pk)
    return render(request, "grassroots/topic_detail.html", topic_context(request, topic))


topic_visit = record_form_view(
    lookup=get_topic_for_user, form_class=FieldVisitForm, form_key="visit_form", open_form="visit", form_takes_user=True,
    call=lambda user, topic, data, form: services.field_visit_log(
        actor=user, topic=topic, org=data["org"], visited_on=data["visited_on"], place=data["place"],
        notes=data["notes"], hours=data["hours"], problems=form.problems()),
    success=gettext_lazy("实地调研已登记。"), detail="grassroots:topic_detail", template="grassroots/topic_detail.html",
    context=topic_context)

topic_report = record_form_view(
    lookup=get_topic_for_user, form_class=ReportForm, form_key="report_form", open_form="report",
    call=lambda user, topic, data, _form: services.topic_report(actor=user, topic=topic, report=data["report"],
                                                                 proposals=data["proposals"].splitlines()),
    success=gettext_lazy("调研报告已提交。"), detail="grassroots:topic_detail", template="grassroots/topic_detail.html",
    context=topic_context)


@grassroots_page
@require_POST
def proposal_adopt(request, pk):
    staff_only(request, edit=True)
    user = request.user
    proposal = get_object_or_404(Proposal.objects.filter(topic__in=selectors.topics_visible_to(user)), pk=pk)
    topic = get_topic_for_user(user, proposal.topic_id)
    form = ProposalAdoptForm(request.POST, user=user)

    def action(data):
        return services.proposal_adopt(actor=user, proposal=proposal, problem=data["problem"],
                                       measure_text=data["measure_text"], responsible_person=data["responsible_person"],
                                       deadline=data["deadline"])

    return run_service(request, form, action, success=_("对策建议已采纳，并已纳入整改台账。"),
                       done=lambda _p: topic_url(topic), template="grassroots/topic_detail.html",
                       context=topic_context(request, topic, adopt_form=form, open_form=f"adopt-{proposal.pk}"))
