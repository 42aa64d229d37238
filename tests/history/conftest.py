import pytest


@pytest.fixture(autouse=True)
def _no_history_left_by_earlier_flushes(db):
    """A transactional test's flush deletes rows with SQLite's DELETE, which the history
    triggers record like any other deletion; start each history test from none."""
    from motverka.history.models import Change

    Change.objects.all().delete()
