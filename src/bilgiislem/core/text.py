"""Turkish text helpers: one place that folds case correctly (İ→i, I→ı).

Python's own ``lower()`` turns "İ" into "i̇" (two code points) and "I" into "i",
which is wrong in Turkish. Everything that searches or sorts goes through here.
"""

import unicodedata

_LOWER_MAP = str.maketrans({"İ": "i", "I": "ı"})
_UPPER_MAP = str.maketrans({"i": "İ", "ı": "I"})
# Search keys: people type ASCII as often as Turkish letters.
_ASCII_MAP = str.maketrans(
    {"ç": "c", "ğ": "g", "ı": "i", "ş": "s", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u"}
)
# Sort order of the Turkish alphabet. Spaces, digits and punctuation sort before every letter
# (so "Ali Çelik" comes before "Alican"); other letters sort after it, by code point.
_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"  # with q, w, x in their Latin places
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def tr_lower(text: str) -> str:
    """Lower-case by Turkish rules: 'KARASU BELEDİYE BAŞKANLIĞI' → 'karasu belediye başkanlığı'."""
    return unicodedata.normalize("NFC", text or "").translate(_LOWER_MAP).lower()


def tr_upper(text: str) -> str:
    """Upper-case by Turkish rules: 'istanbul ışık' → 'İSTANBUL IŞIK'."""
    return unicodedata.normalize("NFC", text or "").translate(_UPPER_MAP).upper()


def fold(text: str) -> str:
    """Search key: Turkish lower case, then letters folded to ASCII, spaces collapsed.

    'BAŞKANLIĞI', 'başkanlığı' and 'baskanligi' share one key. Other accents are dropped too
    ('é' → 'e').
    """
    folded = unicodedata.normalize("NFKD", tr_lower(text).translate(_ASCII_MAP))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(folded.split())


def sort_key(text: str) -> tuple:
    """Key for sorting by the Turkish alphabet (c < ç < d, ı < i, s < ş)."""
    return tuple(
        (1, _RANK[ch]) if ch in _RANK else (2, ord(ch)) if ch.isalpha() else (0, ord(ch))
        for ch in tr_lower(text)
    )
