"""Shared fixtures: the named cast is built once per session and rebuilt after a flushing test."""

import datetime
import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs inside an event loop.


def pytest_addoption(parser):
    parser.addoption("--at", metavar="MOMENT", default=os.environ.get("YUNTU_TEST_AT", ""),
                     help="run the suite as if the clock read MOMENT (ISO 8601 with its offset), still ticking: "
                          "a test that assumes the hour, the day or the month shows itself at a boundary")


def pytest_configure(config):
    moment = config.getoption("--at")
    if moment:
        import time_machine

        config.yuntu_clock = time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True)
        config.yuntu_clock.start()


def pytest_unconfigure(config):
    if getattr(config, "yuntu_clock", None):
        config.yuntu_clock.stop()


def pytest_report_header(config):
    moment = config.getoption("--at")
    return f"clock moved to {moment}" if moment else None


@dataclass
class Cast:
    users: dict
    orgs: dict
    members: dict

    def user(self, name: str):
        return self.users[name]


def _load_cast() -> Cast:
    from yuntu.accounts.models import User
    from yuntu.core.cast import build_cast
    from yuntu.orgs.models import Member, Org

    if not User.objects.filter(username="outsider").exists():
        built = build_cast()
        return Cast(**built)
    names = {"district": "中共厦门市海沧区委员会", "street": "中共海沧区新阳街道工作委员会",
             "community": "中共新阳街道兴旺社区委员会", "branch": "兴旺社区第一党支部",
             "agency": "海沧区城市管理局机关党支部", "other_street": "中共海沧区东孚街道工作委员会",
             "other_community": "中共东孚街道山边社区委员会", "other_branch": "山边社区第一党支部"}
    orgs = {key: Org.objects.get(name=name) for key, name in names.items()}
    users = {user.username: user for user in User.objects.exclude(username="system")}
    members = {"member": Member.objects.get(name="林晓红"), "other_member": Member.objects.get(name="邱文彬")}
    return Cast(users=users, orgs=orgs, members=members)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_cast()


@pytest.fixture
def cast(db) -> Cast:
    return _load_cast()


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
        return client

    return sign_in


@pytest.fixture(scope="session", autouse=True)
def _audit_guard_lets_test_flush_through():
    """Live-server tests flush every table between tests; the audit trail's triggers would refuse that."""
    from yuntu.security.audit_guard import let_test_flush_through

    let_test_flush_through()
