"""Lookalike letters: a word that could pass for another spelling.

A leaf of the fact-sheet stage: the loader uses it to say why a refused source id does not
match, and the text-hazard warnings use it for URLs and citation ids.
"""

from __future__ import annotations

import re
import unicodedata

#: Scripts whose letters are mistaken for Latin ones.
CONFUSABLE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN"})
#: Cyrillic, Greek and Armenian letters drawn like a Latin letter.
LATIN_LOOKALIKES = frozenset("аеорсухѕіјԁԛԝһүӏАВЕКМНОРСТХЅІЈԚԜҮαοιυνρκτχΑΒΕΖΗΙΚΜΝΟΡΤΥΧօսհոց")
#: A run of letters (no digits, no underscore).
WORD = re.compile(r"[^\W\d_]+")


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed character')})"


def lookalike(word: str) -> tuple[int, str] | None:
    """Where and why ``word`` could pass for another spelling, or None.

    Flags a letter standing for an ASCII one (fullwidth, mathematical), a word mixing
    Latin with Cyrillic, Greek or Armenian letters, and a word all of whose letters are
    drawn like Latin ones without being Latin.
    """
    for index, char in enumerate(word):
        folded = unicodedata.normalize("NFKC", char)
        if char.isalpha() and not char.isascii() and folded.isascii():
            return index, f"{describe(char)} stands for the ASCII letter '{folded}'"
    scripts = {script_of(c) for c in word if c.isalpha()}
    index = next((i for i, c in enumerate(word) if script_of(c) in CONFUSABLE_SCRIPTS), None)
    if index is None:
        return None
    if "LATIN" in scripts:
        return index, f"{describe(word[index])} among Latin letters"
    if all(c in LATIN_LOOKALIKES for c in word):
        return (
            index,
            f"'{word}' is all letters drawn like Latin ones, such as {describe(word[index])}",
        )
    return None


def explain_lookalike(text: str) -> str | None:
    """Why some word of ``text`` could pass for another spelling, or None."""
    for word in WORD.findall(text):
        found = lookalike(word)
        if found:
            return found[1]
    return None


def script_of(char: str) -> str:
    """The first word of a character's Unicode name: LATIN, CYRILLIC, CJK, ..."""
    return unicodedata.name(char, "UNKNOWN").split()[0]
