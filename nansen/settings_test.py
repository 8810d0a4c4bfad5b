"""Settings for the test suite: Nansen's settings with NANSEN_ENV=test."""

import os

os.environ["NANSEN_ENV"] = "test"

from nansen.settings import *  # noqa: F403
