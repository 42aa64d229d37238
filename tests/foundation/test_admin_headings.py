"""The administration's headings are Swedish: no app is shown under its English name."""

from __future__ import annotations

import re

from django.urls import reverse

ENGLISH = {"Letters", "Tasks Database Backend", "Task Results", "Workflow", "Reporting"}


def test_the_admin_index_has_swedish_app_and_model_headings(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("admin:index")).content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", html)
    models = re.findall(r'<th scope="row"[^>]*><a[^>]*>([^<]+)</a>', html)
    assert "Skrivelser" in captions and "Bakgrundsjobb" in captions, captions
    assert not ENGLISH & {name.strip() for name in captions + models}, (captions, models)
