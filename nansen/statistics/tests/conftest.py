import pytest

from nansen.statistics.tests.caseload import build_caseload
from nansen.statistics.tests.unhcr_data import UNHCR_DIR, write_excerpt
from nansen.testing import skip_or_fail


@pytest.fixture
def caseload(personas, assessments_drafted):
    return build_caseload(personas)


@pytest.fixture(scope="session")
def unhcr_excerpt(tmp_path_factory):
    if not UNHCR_DIR.is_dir():
        skip_or_fail(f"UNHCR data not found at {UNHCR_DIR}")
    return write_excerpt(tmp_path_factory.mktemp("unhcr"))
