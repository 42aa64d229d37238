"""A password validator for Swedish weak passwords (beside Django's own validators).

Refused: a common Swedish word, a season, month or weekday, or the name of any of the
290 municipalities, also with digits, punctuation or letter swaps around or inside it —
"Sommar2026", "munkedal", "Munkedal2026!", "L0s3nord". Only the word list itself is
checked, not every password containing such a word: "Sommarängens-blå-cykel-77" passes.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = Path(__file__).resolve().parent.parent / "reference" / "data" / "kommuner.csv"
LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s",
                      "$": "s", "7": "t"})  # fmt: skip
FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def _letters(text: str) -> str:
    return re.sub(r"[^a-zåäöéü]", "", text.lower())


def _variants(password: str) -> set[str]:
    """The password reduced to its letters: as typed, with digits read as letters, and
    each of these without Swedish letters."""
    lowered = password.lower()
    # Digits and signs around the word are a year or a "!"; inside it they stand for letters.
    core = re.sub(r"^[^a-zåäöéü]+|[^a-zåäöéü]+$", "", lowered)
    found = {_letters(lowered), _letters(core.translate(LEET))}
    return {variant for word in found for variant in (word, word.translate(FOLD)) if variant}


@functools.cache
def weak_words() -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA_DIR / "swedish_passwords.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(_letters(line))
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words.add(_letters(row["kommun"]))
    return frozenset(words | {word.translate(FOLD) for word in words})


class SwedishPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        variants = _variants(password)
        weak = weak_words()
        for variant in variants:
            if variant in weak or _repeats_a_weak_word(variant, weak):
                raise ValidationError(
                    _(
                        "Lösenordet är ett vanligt ord, ett kommunnamn eller en årstid eller "
                        "månad med siffror. Välj en lösenfras av flera ord som inte hör ihop."
                    ),
                    code="password_swedish_common",
                )

    def get_help_text(self) -> str:
        return _(
            "Lösenordet får inte vara ett vanligt ord, ett kommunnamn eller en årstid eller "
            "månad med årtal."
        )


def _repeats_a_weak_word(word: str, weak: frozenset[str]) -> bool:
    """ "sommarsommar" or "hejhejhej": one weak word (or any short piece) said again."""
    for size in range(1, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size] in weak or size <= 3
    return False
