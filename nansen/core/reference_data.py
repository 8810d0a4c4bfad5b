"""Where the shipped public reference data lives (nansen/data/reference, see its README)."""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "reference"


def reference_data_dir() -> Path:
    """The reference data directory: ``NANSEN_REFERENCE_DATA`` if set, else the copy
    shipped with Nansen."""
    configured = os.environ.get("NANSEN_REFERENCE_DATA")
    return Path(configured) if configured else SHIPPED
