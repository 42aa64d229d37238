"""The fault tests start servers and proxies on fixed ports: under pytest-xdist they all go
to one worker (``--dist loadgroup``), so two of them never bind the same port at once."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("fixed-ports"))
