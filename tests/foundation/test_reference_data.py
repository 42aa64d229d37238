from motverka.reference.models import County, Municipality


def test_all_290_municipalities_and_21_counties_are_loaded(db):
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    munkedal = Municipality.objects.get(code="1430")
    assert munkedal.name == "Munkedal"
    assert munkedal.county.name == "Västra Götalands län"
    assert Municipality.objects.get(code="0114").name == "Upplands Väsby"
