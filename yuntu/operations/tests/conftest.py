import pytest

from .sites import make_templates


@pytest.fixture(scope="session")
def site_templates(tmp_path_factory):
    """(migrated empty database, the same with the test cast): copied by each site."""
    return make_templates(tmp_path_factory.mktemp("site-templates"))
