"""The canonical comparison of letter text: an address is found however it is disguised, and
text that does not contain it is left alone. Pure: no database."""

import sys
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from motverka.letters.textmatch import (
    STREET_WORDS,
    Haystack,
    address_in,
    canonical,
    digits_in,
    name_in,
    normalise,
)

ADDRESS = "Hemligvägen 7, 452 30 Strömstad"

#: Every format character (category Cf) Unicode has.
FORMAT_CHARACTERS = [
    chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
]


def found(text, address=ADDRESS):
    return address_in(address, [text])


@pytest.mark.parametrize(
    "text",
    [
        "Hemligvägen 7",
        "Hemligv. 7",
        "hemligv.7",
        "HEMLIGVÄGEN 7",
        "Hemligväg 7",
        "Hemlig vägen 7",
        "Hemlig-vägen 7",
        "Hemlig\u2011vägen\u00a07",  # non-breaking hyphen, no-break space
        "Hemlig\u00advägen 7",  # soft hyphen
        "Hem\u200bligvägen 7",  # zero-width space
        "Hemlig\u200dvä\u200cgen 7",  # joiners
        "\ufeffHemligvägen 7",  # BOM
        "Hemligva\u0308gen 7",  # ä as a + combining diaeresis
        "Ｈｅｍｌｉｇｖäｇｅｎ ７",  # full-width
        "Hemligvägen\t\n  7 B",
        "bor på Hemligvägen 7, lgh 1102",
        "nr 7, 452 30",  # postal code with the street number, street misspelt
        "452 30 Strömstad",  # the postal line
        "45230 STRÖMSTAD",
        "Hemlgvägn 7\n452-30 Strömstad",
    ],
)
def test_disguised_forms_of_the_address_are_found(text):
    assert found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hemligvägen 71",
        "Hemligvägen 17",
        "Ohemligvägen 7",
        "Hemliggatan 7",
        "vecka 7 och vecka 45",
        "Centrumvägen 7, 455 80 Munkedal",
        "Strömstads kommun",  # the town alone is not the address
        "Vi träffades 2026-07-04 kl. 452.",
    ],
)
def test_other_text_is_not_taken_for_the_address(text):
    assert not found(text)


@pytest.mark.parametrize(
    ("address", "text"),
    [
        ("Storgatan 12 B, 455 30 Munkedal", "Storg. 12"),
        ("Lilla gränden 3", "Lilla gr. 3"),
        ("Norra plan 4", "Norra pl. 4"),
        ("Stora torget 4", "STORA TORG 4"),
        ("Lindallén 9", "Lindall. 9"),
        ("Lindallé 9", "Lindalle 9"),
        ("Kungsplatsen 1", "Kungspl. 1"),
    ],
)
def test_street_word_abbreviations_are_equated(address, text):
    assert address_in(address, [text])


def test_normalise_removes_invisible_characters_and_case():
    assert normalise("A\u00adB\u200bC\u2060D\ufeffE") == "abcde"
    assert normalise("ＳＴＲÖＭ") == "ström"
    assert canonical("Hemlig-vägen,\u00a07") == "hemlig väg 7"


def test_an_address_split_over_several_texts_is_found_in_each_part():
    # Subject, body and recipient fields are one haystack: the street in one field is enough.
    assert address_in(ADDRESS, ["Rubrik", "Brödtext", "Hemligv. 7"])


def test_names_and_their_genitive_are_found_but_not_inside_other_words():
    haystack = Haystack.of(["Socialtjänsten i Stockholms stad och Göteborgsvägen 3"])
    assert name_in("Stockholm", haystack)
    assert not name_in("Göteborg", haystack)
    assert name_in("Upplands Väsby", Haystack.of(["upplands\u00ad-väsby kommun"]))
    assert not name_in("Vara", Haystack.of(["det kan vara så"]), ordinary_word=True)
    assert name_in("Vara", Haystack.of(["flyttade från Vara"]), ordinary_word=True)
    assert name_in("Vara", Haystack.of(["från VARA"]), ordinary_word=True)


def test_identity_numbers_are_found_however_they_are_grouped():
    for text in ("19900101-1234", "199001011234", "900101-1234", "19900101 1234"):
        haystack = Haystack.of([text])
        assert digits_in("199001011234", haystack) or digits_in("9001011234", haystack), text
    assert not digits_in("199001011234", Haystack.of(["1990010112345"]))


# --- Properties -------------------------------------------------------------------------------

_STEM_LETTERS = "abdefhijklmnoprstuyäö"
stems = st.text(alphabet=_STEM_LETTERS, min_size=3, max_size=10).filter(
    lambda stem: canonical(stem) == stem
)
street_numbers = st.integers(min_value=1, max_value=199).map(str)
postal_codes = st.integers(min_value=10000, max_value=99999).map(str)
families = st.sampled_from(STREET_WORDS)
filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ,.\n", max_size=40)


def _written(stem, family, number, style):
    """One way of writing the street: joined, as a separate word, or abbreviated."""
    _canonical, full_forms, abbreviations = family
    forms = [f"{stem}{full}" for full in full_forms]
    forms += [f"{stem} {full}" for full in full_forms]
    forms += [f"{stem}{abbreviation}." for abbreviation in abbreviations]
    forms += [f"{stem} {abbreviation}." for abbreviation in abbreviations]
    return f"{forms[style % len(forms)]} {number}"


@settings(max_examples=300, deadline=None)
@given(
    stem=stems,
    family=families,
    number=street_numbers,
    postal=postal_codes,
    known_style=st.integers(min_value=0, max_value=20),
    typed_style=st.integers(min_value=0, max_value=20),
    before=filler,
    after=filler,
)
def test_any_abbreviation_of_a_known_address_is_found(
    stem, family, number, postal, known_style, typed_style, before, after
):
    known = f"{_written(stem, family, number, known_style)}, {postal[:3]} {postal[3:]} Ort"
    typed = _written(stem, family, number, typed_style)
    assert address_in(known, [f"{before} {typed} {after}"])


@settings(max_examples=300, deadline=None)
@given(
    insertions=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40), st.sampled_from(FORMAT_CHARACTERS)),
        min_size=1,
        max_size=8,
    ),
    before=filler,
    after=filler,
)
@example(insertions=[(6, "\u00ad")], before="", after="")
@example(insertions=[(3, "\u200b"), (9, "\u200b")], before="", after="")
def test_format_characters_anywhere_do_not_hide_the_address(insertions, before, after):
    text = "Hemligvägen 7"
    for position, character in sorted(insertions, reverse=True):
        position = min(position, len(text))
        text = text[:position] + character + text[position:]
    assert found(f"{before} {text} {after}")


@settings(max_examples=300, deadline=None)
@given(flips=st.lists(st.booleans(), min_size=13, max_size=13), style=st.integers(0, 5))
def test_any_change_of_case_does_not_hide_the_address(flips, style):
    written = ["Hemligvägen 7", "Hemligv. 7", "Hemlig vägen 7", "Hemligväg 7", "hemlig v. 7"]
    text = written[style % len(written)]
    text = (
        "".join(
            char.upper() if flip else char.lower() for char, flip in zip(text, flips, strict=False)
        )
        + text[len(flips) :]
    )
    assert found(text)


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=200))
def test_unrelated_text_is_not_taken_for_the_address(text):
    joined = canonical(text).replace(" ", "")
    assume("hemlig" not in joined and "45230" not in joined)
    assume("452 30" not in canonical(text))
    assert not found(text)


@settings(max_examples=300, deadline=None)
@given(stem=stems, family=families, number=street_numbers, other=stems, text=filler)
def test_another_street_is_not_taken_for_the_known_one(stem, family, number, other, text):
    assume(other != stem and not other.endswith(stem) and not stem.endswith(other))
    assume(stem not in canonical(f"{text} {other}").replace(" ", ""))
    known = _written(stem, family, number, 0)
    assert not address_in(known, [f"{text} {_written(other, family, number, 1)}"])
