"""Figures of compliance and assessment, declared once in the indicator registry."""

from yuntu.indicators.registry import Indicator, Unit, register


def _open_alerts():
    from .models import Alert
    from .workflow import ACTIVE_ALERT_STATUSES

    return Alert.objects.filter(status__in=ACTIVE_ALERT_STATUSES)


def _lapses():
    from .models import Alert
    from .workflow import Severity

    return Alert.objects.filter(severity=Severity.LAPSE)


def _red_flags():
    from .models import RedFlag

    return RedFlag.objects.all()


register(
    Indicator("assessment.alerts_open", "待整改合规预警", Unit.ITEM, "扫描发现、尚未消除或认可的合规预警（存量）",
              _open_alerts, phrases=("预警", "融e红预警")),
    Indicator("assessment.lapses_raised", "发现不规范问题", Unit.ITEM, "扫描发现的组织生活、党员管理等未落实问题（按发现时间）",
              _lapses, date_field="raised_at", phrases=("程序不规范", "管理不到位")),
    Indicator("assessment.red_flags", "获得流动红旗", Unit.ITEM, "获授流动红旗的次数", _red_flags,
              date_field="created_at", phrases=("流动红旗",)),
)
