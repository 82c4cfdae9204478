"""Run inside a dataset's environment: a signed-in session for the benchmark and the ids to ask for.

`python -m bench.prepare <scale>` prints JSON: the session cookie of the scale's district
officer (a role on the root: the widest data scope a staff member has) and the pks used in URLs.
"""

import json
import os
import sys
from importlib import import_module

import django


def main(scale: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from yuntu.accounts.models import RoleGrant, User
    from yuntu.demo import generator
    from yuntu.demo.plan import SCALES
    from yuntu.orgs.models import Member, Org

    root = generator.find_root(scale)
    if root is None:
        raise SystemExit(f"no {scale} demo data in this database")
    prefix = SCALES[scale].username_prefix
    officer = User.objects.get(username=f"{prefix}district_officer")
    street = RoleGrant.objects.get(user__username=f"{prefix}street_secretary").org
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "yuntu.accounts.backends.MobileOrUsernameBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.set_expiry(6 * 3600)
    session.save()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "root": root.pk, "root_name": root.name, "street": street.pk, "street_name": street.name,
        "orgs": Org.objects.filter(path__under=root.path).count(),
        "members": Member.objects.filter(org_path__under=root.path).count(),
        "user": officer.username,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
