"""The municipality directory from a CSV file: parsing, the import service, the command and
the admin page, and the admin's view of which municipalities still lack an address."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from motverka.audit.models import AuditEvent
from motverka.reference.directory import parse_directory
from motverka.reference.models import Municipality
from motverka.reference.services import municipality_directory_import

KNOWN = {"0180", "1430", "1480"}

GOOD = (
    "kommunkod,socialtjänstens namn,postadress,registratorns e-post\n"
    '0180,"Socialförvaltningen, Stockholms stad","Box 44\n100 64 Stockholm",reg@stockholm.example\n'
    "1480,Social resursförvaltning,Box 1 | 404 21 Göteborg,\n"
)


# --- Parsing (pure) -----------------------------------------------------------------------------


def test_a_good_file_gives_one_row_per_municipality() -> None:
    parsed = parse_directory(GOOD, KNOWN)
    assert parsed.problems == []
    first, second = parsed.rows
    assert first.code == "0180"
    assert first.values == {
        "social_services_name": "Socialförvaltningen, Stockholms stad",
        "social_services_address": "Box 44\n100 64 Stockholm",
        "registrator_email": "reg@stockholm.example",
    }
    # " | " separates address lines; an empty cell is not a value.
    assert second.values == {
        "social_services_name": "Social resursförvaltning",
        "social_services_address": "Box 1\n404 21 Göteborg",
    }


def test_semicolons_any_column_order_and_a_byte_order_mark() -> None:
    text = "\ufeffE-post;Kommunkod;Postadress\nreg@munkedal.example;1430;Box 9\n"
    parsed = parse_directory(text, KNOWN)
    assert parsed.problems == []
    assert parsed.rows[0].code == "1430"
    assert parsed.rows[0].values == {
        "registrator_email": "reg@munkedal.example",
        "social_services_address": "Box 9",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Filen är tom."),
        ("namn,postadress\nX,Y\n", "Rubrikraden saknar kolumnen ”kommunkod”."),
        ("kommunkod,fax\n0180,1\n", "Okänd kolumn ”fax” i rubrikraden."),
        ("kommunkod,namn\n180,X\n", "Rad 2: kommunkoden ”180” ska vara fyra siffror"),
        ("kommunkod,namn\n9999,X\n", "Rad 2: kommunkoden 9999 finns inte i kommunregistret."),
        ("kommunkod,namn\n0180,X\n0180,Y\n", "Rad 3: kommunkoden 0180 står redan på rad 2."),
        ("kommunkod,e-post\n0180,inte-en-adress\n", "Rad 2: ”inte-en-adress” är ingen giltig"),
        ("kommunkod,namn\n", "Filen innehåller inga kommuner."),
    ],
)
def test_each_problem_is_named_in_swedish_with_its_line(text: str, problem: str) -> None:
    parsed = parse_directory(text, KNOWN)
    assert any(message.startswith(problem) for message in parsed.problems), parsed.problems


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_is_refused_without_crashing(text: str) -> None:
    parsed = parse_directory(text, KNOWN)
    assert parsed.rows or parsed.problems
    assert all(row.code in KNOWN for row in parsed.rows) or parsed.problems


# --- The service --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_updates_the_directory_and_writes_one_audit_row(world):
    result = municipality_directory_import(acting_user=world.admin, text=GOOD)
    assert (result.updated, result.unchanged, result.dry_run) == (2, 0, False)
    stockholm = Municipality.objects.get(code="0180")
    assert stockholm.social_services_address == "Box 44\n100 64 Stockholm"
    assert stockholm.registrator_email == "reg@stockholm.example"
    assert result.without_address == Municipality.objects.filter(social_services_address="").count()
    assert AuditEvent.objects.filter(object_type="municipality", actor=world.admin).count() == 1
    # The same file again changes nothing.
    again = municipality_directory_import(acting_user=world.admin, text=GOOD)
    assert (again.updated, again.unchanged) == (0, 2)


@pytest.mark.django_db
def test_an_empty_cell_keeps_the_value(world):
    municipality_directory_import(acting_user=world.admin, text=GOOD)
    municipality_directory_import(
        acting_user=world.admin, text="kommunkod,postadress,e-post\n0180,Box 45,\n"
    )
    stockholm = Municipality.objects.get(code="0180")
    assert stockholm.social_services_address == "Box 45"
    assert stockholm.registrator_email == "reg@stockholm.example"


@pytest.mark.django_db
def test_a_file_with_any_problem_writes_nothing(world):
    before = list(Municipality.objects.order_by("code").values())
    with pytest.raises(ValidationError) as error:
        municipality_directory_import(acting_user=world.admin, text=GOOD + "9999,X,Y,\n")
    # The line in the file: the quoted two-line address before it counts as two.
    assert error.value.message_dict["file"] == [
        "Rad 5: kommunkoden 9999 finns inte i kommunregistret."
    ]
    assert list(Municipality.objects.order_by("code").values()) == before
    assert not AuditEvent.objects.filter(object_type="municipality").exists()


@pytest.mark.django_db
def test_a_dry_run_counts_without_writing(world):
    result = municipality_directory_import(acting_user=world.admin, text=GOOD, dry_run=True)
    assert result.dry_run and result.updated == 2
    assert Municipality.objects.get(code="1480").social_services_address == ""


@pytest.mark.django_db
def test_only_administrators_import(world):
    for user in (world.worker_a, world.manager, world.analyst):
        with pytest.raises(PermissionDenied):
            municipality_directory_import(acting_user=user, text=GOOD)


# --- The command and the admin ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_a_file(tmp_path):
    path = tmp_path / "kommuner.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_directory", str(path), stdout=out)
    assert "2 kommuner ändrade" in out.getvalue()
    assert Municipality.objects.get(code="1480").social_services_name == "Social resursförvaltning"
    bad = tmp_path / "fel.csv"
    bad.write_text("kommunkod\n12\n", encoding="utf-8")
    with pytest.raises(CommandError, match="fyra siffror"):
        call_command("import_directory", str(bad))


@pytest.mark.django_db
def test_the_admin_imports_and_shows_which_municipalities_lack_an_address(client, world):
    client.force_login(world.admin)
    url = reverse("admin:reference_municipality_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("kommuner.csv", GOOD.encode("utf-8"), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Municipality.objects.get(code="1480").social_services_address == "Box 1\n404 21 Göteborg"

    bad = SimpleUploadedFile("fel.csv", b"kommunkod,namn\n9999,X\n", content_type="text/csv")
    refused = client.post(url, {"file": bad})
    assert refused.status_code == 400
    assert "kommunkoden 9999 finns inte" in refused.content.decode()

    changelist = reverse("admin:reference_municipality_changelist")
    page = client.get(changelist).content.decode()
    lacking = Municipality.objects.filter(social_services_address="").count()
    assert f"{lacking} kommuner saknar adress till socialtjänsten" in page
    assert url in page  # the import is linked from the list
    missing = client.get(changelist, {"adress": "saknas"}).context["cl"].queryset
    assert missing.count() == lacking
    assert not missing.filter(code__in=["0180", "1480"]).exists()
    present = client.get(changelist, {"adress": "finns"}).context["cl"].queryset
    assert set(present.values_list("code", flat=True)) == {"0180", "1480"}


@pytest.mark.django_db
def test_other_roles_cannot_open_the_import_page(client, world):
    for role in ("worker_a", "manager", "analyst"):
        client.force_login(getattr(world, role))
        assert client.get(reverse("admin:reference_municipality_import")).status_code == 302
