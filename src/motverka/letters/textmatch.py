"""Finding an address, a name or an identity number in letter text, however it is written.

A protected person's address must not leave in a letter even when it is typed with a soft
hyphen, a zero-width space, in capitals or abbreviated ("Hemligv. 7"). So text is compared
in a canonical form, never as typed:

1. Unicode NFKC (full-width digits, ligatures and no-break spaces become their plain forms);
2. invisible characters removed: every format character (category Cf: soft hyphen U+00AD,
   zero-width space/joiners U+200B–U+200D, word joiner U+2060, BOM U+FEFF …), combining
   marks left over after NFKC, and the Hangul filler letters;
3. case-folded;
4. split into tokens — runs of letters (with one trailing full stop) and runs of digits — so
   whitespace, hyphens, commas and other punctuation only separate tokens and their kind and
   number do not matter;
5. street words equated: a word ending in a street word or its abbreviation with a full stop
   gets the canonical ending (``vägen``/``väg``/``v.`` → ``väg``, ``gatan``/``gata``/``g.``
   → ``gata``, ``gränden``/``gränd``/``gr.``, ``platsen``/``plats``/``planen``/``plan``/``pl.``,
   ``allén``/``allé``/``alle``/``all.``, ``torget``/``torg``). A full form wins over an
   abbreviation ("väg." is "väg"), so "Storg." is Storgatan.

A phrase is found when its tokens, joined, occur in the text's joined tokens starting at a
token boundary ("Hemlig vägen", "Hemlig-vägen" and "Hemligvägen" are one street); a phrase
ending in a digit must not run on into another digit (7 is not 71).

An address has several keys, any of which is a leak: its street and number ("Hemligvägen 7"),
its first line, every other line that contains a digit ("452 30 Strömstad"), and the postal
code together with the street number within a few tokens of each other ("7, 452 30").

Pure module: no database, no settings, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Default-ignorable letters that are not format characters but render as nothing.
_INVISIBLE_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0"})

_TOKEN = re.compile(r"\d+|[^\W\d_]+\.?")
_POSTAL_CODE = re.compile(r"(?<!\d)(\d{3}) ?(\d{2})(?!\d)")

#: Canonical street word, its full forms (longest first) and abbreviations (written with ".").
STREET_WORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("väg", ("vägen", "väg"), ("v",)),
    ("gata", ("gatan", "gata"), ("g",)),
    ("gränd", ("gränden", "gränd"), ("gr",)),
    ("plats", ("platsen", "plats", "planen", "plan"), ("pl",)),
    ("allé", ("allén", "allé", "allen", "alle"), ("all",)),
    # "torg" itself is already canonical; listing it would read "Storg." as "S-torg".
    ("torg", ("torget",), ()),
)

#: Municipality names that are also ordinary Swedish words ("kan vara", "på mark", "ett berg"):
#: typed all in lower case they are taken as the word, capitalised as the name.
ORDINARY_WORD_NAMES = frozenset({"vara", "mark", "kil", "lund", "berg", "boden"})

#: How many tokens may stand between a postal code and the street number.
POSTAL_WINDOW = 3


def normalise(text: str) -> str:
    """NFKC, invisible characters removed, case-folded (steps 1–3 above)."""
    composed = unicodedata.normalize("NFKC", text)
    visible = "".join(
        char
        for char in composed
        if unicodedata.category(char) not in ("Cf", "Mn") and char not in _INVISIBLE_LETTERS
    )
    # NFKC again: removing a mark between two characters can make a new composable pair.
    return unicodedata.normalize("NFKC", visible).casefold()


def _canonical_word(word: str) -> str:
    abbreviated = word.endswith(".")
    bare = word.rstrip(".")
    for canonical, full_forms, _abbreviations in STREET_WORDS:
        for form in full_forms:
            if bare.endswith(form):
                return bare[: -len(form)] + canonical
    if abbreviated:
        for canonical, _full, abbreviations in STREET_WORDS:
            for abbreviation in abbreviations:
                if bare.endswith(abbreviation):
                    return bare[: -len(abbreviation)] + canonical
    return bare


@dataclass(frozen=True)
class Token:
    text: str
    #: The token as typed was all lower case (used for names that are also ordinary words).
    lowercase: bool


def tokens(text: str) -> list[Token]:
    """The canonical tokens of ``text`` (steps 1–5 above)."""
    composed = unicodedata.normalize("NFKC", text)
    visible = "".join(
        char
        for char in composed
        if unicodedata.category(char) not in ("Cf", "Mn") and char not in _INVISIBLE_LETTERS
    )
    visible = unicodedata.normalize("NFKC", visible)
    found = []
    for match in _TOKEN.finditer(visible):
        raw = match.group(0)
        folded = raw.casefold()
        text_form = folded if folded[0].isdigit() else _canonical_word(folded)
        if text_form:
            found.append(Token(text=text_form, lowercase=raw == raw.lower()))
    return found


def canonical(text: str) -> str:
    """The tokens of ``text`` joined by single spaces: what the comparison sees."""
    return " ".join(token.text for token in tokens(text))


@dataclass(frozen=True)
class Haystack:
    """Text prepared for many searches: its tokens, joined, and where each token starts."""

    items: tuple[Token, ...]
    joined: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Haystack:
        items: list[Token] = []
        for text in texts:
            items.extend(tokens(text))
        starts, offset = [], 0
        for token in items:
            starts.append(offset)
            offset += len(token.text)
        return cls(items=tuple(items), joined="".join(t.text for t in items), starts=tuple(starts))

    def find(self, phrase: Sequence[str], *, genitive: bool = False) -> list[int]:
        """Indices of the tokens where ``phrase`` (canonical tokens) starts.

        With ``genitive`` the phrase must end at a token boundary, optionally after one "s"
        (a name: "Stockholm", "Stockholms", but not "Stockholmsvägen").
        """
        needle = "".join(phrase)
        if not needle:
            return []
        boundaries = {start: index for index, start in enumerate(self.starts)}
        end_boundaries = set(self.starts) | {len(self.joined)}
        hits = []
        position = self.joined.find(needle)
        while position != -1:
            end = position + len(needle)
            if position in boundaries and self._ends_well(needle, end, end_boundaries, genitive):
                hits.append(boundaries[position])
            position = self.joined.find(needle, position + 1)
        return hits

    def _ends_well(self, needle: str, end: int, boundaries: set[int], genitive: bool) -> bool:
        if genitive:
            return end in boundaries or (
                self.joined[end : end + 1] == "s" and end + 1 in boundaries
            )
        if needle[-1].isdigit():
            return end in boundaries or not self.joined[end : end + 1].isdigit()
        return True

    def token_at(self, index: int) -> Token:
        return self.items[index]


@dataclass(frozen=True)
class AddressKeys:
    """The ways an address can be recognised in text (see the module docstring)."""

    phrases: tuple[tuple[str, ...], ...]
    postal_code: str
    street_number: str

    def found_in(self, haystack: Haystack) -> bool:
        if any(haystack.find(phrase) for phrase in self.phrases):
            return True
        return bool(self.postal_code and self.street_number) and self._postal_near_number(haystack)

    def _postal_near_number(self, haystack: Haystack) -> bool:
        items = [token.text for token in haystack.items]
        first, second = self.postal_code[:3], self.postal_code[3:]
        for index, text in enumerate(items):
            if text == self.postal_code:
                span = (index, index)
            elif text == first and items[index + 1 : index + 2] == [second]:
                span = (index, index + 1)
            else:
                continue
            window = items[max(0, span[0] - POSTAL_WINDOW) : span[1] + POSTAL_WINDOW + 1]
            if self.street_number in window:
                return True
        return False


def address_keys(address: str) -> AddressKeys:
    lines = [line for line in re.split(r"[\n\r,;]+", address) if line.strip()]
    phrases: list[tuple[str, ...]] = []
    street_number = ""
    for position, line in enumerate(lines):
        line_tokens = tuple(token.text for token in tokens(line))
        has_digit = any(text[0].isdigit() for text in line_tokens)
        if line_tokens and (has_digit or position == 0) and len("".join(line_tokens)) >= 4:
            phrases.append(line_tokens)
        numbers = [index for index, text in enumerate(line_tokens) if text[0].isdigit()]
        if (
            not street_number
            and numbers
            and numbers[0] > 0
            and not _POSTAL_CODE.fullmatch(" ".join(line_tokens[numbers[0] : numbers[0] + 2]))
            and len(line_tokens[numbers[0]]) <= 4
        ):
            street_number = line_tokens[numbers[0]]
            phrases.append(line_tokens[: numbers[0] + 1])
    postal = _POSTAL_CODE.search(" ".join(token.text for token in tokens(address)))
    return AddressKeys(
        phrases=tuple(dict.fromkeys(phrases)),
        postal_code="".join(postal.groups()) if postal else "",
        street_number=street_number,
    )


def address_in(address: str, texts: Iterable[str]) -> bool:
    """Does any of ``texts`` contain ``address``, by any of its keys?"""
    return address_keys(address).found_in(Haystack.of(texts))


def phrase_tokens(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokens(text))


def name_in(name: str, haystack: Haystack, *, ordinary_word: bool = False) -> bool:
    """Does ``haystack`` contain the proper name ``name`` (or its genitive)?

    With ``ordinary_word`` (a name that is also a common word, like "Vara" or "Mark"), an
    occurrence typed all in lower case is taken to be the ordinary word.
    """
    phrase = phrase_tokens(name)
    if not phrase:
        return False
    for index in haystack.find(phrase, genitive=True):
        if not (ordinary_word and haystack.token_at(index).lowercase):
            return True
    return False


def digits_in(number: str, haystack: Haystack) -> bool:
    """Does ``haystack`` contain the digit string ``number`` however it is grouped?"""
    return bool(number) and bool(haystack.find(tuple(number)))
