from motverka.reference.models import County, Municipality


def test_all_290_municipalities_and_21_counties_are_loaded(db):
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    munkedal = Municipality.objects.get(code="1430")
    assert munkedal.name == "Munkedal"
    assert munkedal.county.name == "Västra Götalands län"
    assert Municipality.objects.get(code="0114").name == "Upplands Väsby"


def _reference_rows():
    from motverka.letters.models import LetterTemplate
    from motverka.reference.models import LegalReference

    def rows(model):
        # By content: ids, and foreign keys as ids, differ between two loads.
        fields = [
            f.name if not f.is_relation else f"{f.name}__name"
            for f in model._meta.concrete_fields
            if f.name != "id"
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]
        return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))

    return {
        model.__name__: rows(model)
        for model in (County, Municipality, LegalReference, LetterTemplate)
    }


def test_the_suite_restores_the_reference_data_exactly_as_the_migrations_left_it(db):
    """Transactional tests end with a flush that empties these tables; the suite puts them
    back through the data migrations (tests/conftest.py). What it puts back must be what the
    migrations made, or a test after a flush would see other templates than production."""
    from motverka.letters.models import LetterTemplate
    from motverka.reference.models import LegalReference
    from tests.conftest import _load_reference_data

    migrated = _reference_rows()
    for model in (LetterTemplate, LegalReference, Municipality, County):
        model.objects.all().delete()
    _load_reference_data()
    assert _reference_rows() == migrated
