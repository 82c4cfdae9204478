from django.core.management import call_command

from yuntu.campaigns import demo, selectors
from yuntu.campaigns.models import Campaign, Project, Task


def test_the_nine_special_actions_with_the_seed_roadmap_some_late_and_rerun_reuses(cast):
    root = cast.orgs["district"]
    result = demo.generate_campaigns(root)
    assert result.created == 9
    roadmap = Campaign.objects.get(org=root, name=demo.CAMPAIGNS[0][0])
    assert (Project.objects.filter(campaign=roadmap).count(), Task.objects.filter(campaign=roadmap).count()) == (23, 78)
    board = selectors.board_data(cast.user("district_officer"), roadmap)
    assert board["totals"]["overdue"] > 0 and board["totals"]["done"] > 0
    assert Project.objects.filter(campaign=roadmap, hq_branch__temporary=True).count() == 3
    assert not Task.objects.filter(post__isnull=True).exists()
    again = demo.generate_campaigns(root)
    assert (again.created, again.existing) == (0, 9) and Campaign.objects.count() == 9
    call_command("demo_campaigns", root=root.pk)
    assert Campaign.objects.count() == 9
