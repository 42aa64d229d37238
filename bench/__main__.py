"""`make bench`: runs every bench/bench_*.py module's run() and prints its figures.

Benchmarks measure; they never assert timings inside the test suite. Each module gets a
fresh database (the test database machinery), so the figures do not depend on local data.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motverka.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    selected = set(sys.argv[1:])
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name.startswith("bench_") and (not selected or module.name in selected)
    )
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"# Motverka benchmarks on {vendor}")
    for name in names:
        old_config = runner.setup_databases()
        try:
            module = importlib.import_module(f"bench.{name}")
            for line in module.run():
                print(f"{name}: {line}", flush=True)
        finally:
            runner.teardown_databases(old_config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
