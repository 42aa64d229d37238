"""Running the same request from several threads at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_concurrently(count: int, call: Callable[[int], Any]) -> list[Any]:
    """Run ``call(index)`` in ``count`` threads released together; return the results in
    index order. An exception in a thread is returned as the result."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def work(index: int) -> None:
        try:
            start.wait()
            results[index] = call(index)
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
