"""Turkish case rules, search folding and alphabetical order (DESIGN.md, issue 2 point 8)."""

import pytest

from bilgiislem.core.text import fold, sort_key, tr_lower, tr_upper


@pytest.mark.parametrize(
    ("text", "lower"),
    [
        ("İ", "i"),
        ("I", "ı"),
        ("İSTANBUL", "istanbul"),
        ("ISPARTA", "ısparta"),
        ("KARASU BELEDİYE BAŞKANLIĞI", "karasu belediye başkanlığı"),
        ("ÇĞÖŞÜ", "çğöşü"),
        ("I\u0307", "i"),  # dotted capital I written as I + combining dot
        ("", ""),
        (None, ""),
    ],
)
def test_tr_lower(text, lower):
    assert tr_lower(text) == lower


def test_tr_lower_gives_one_code_point_for_dotted_capital_i():
    # Python's own lower() gives "i̇" (two code points): the bug this helper exists for.
    assert len("İ".lower()) == 2
    assert len(tr_lower("İ")) == 1


@pytest.mark.parametrize(
    ("text", "upper"),
    [
        ("i", "İ"),
        ("ı", "I"),
        ("istanbul ışık", "İSTANBUL IŞIK"),
        ("bilgi işlem müdürlüğü", "BİLGİ İŞLEM MÜDÜRLÜĞÜ"),
        ("çğöşü", "ÇĞÖŞÜ"),
    ],
)
def test_tr_upper(text, upper):
    assert tr_upper(text) == upper


@pytest.mark.parametrize("word", ["istanbul", "ışık", "Bilgi İşlem", "KARASU BELEDİYE BAŞKANLIĞI"])
def test_upper_and_lower_round_trip(word):
    assert tr_lower(tr_upper(word)) == tr_lower(word)


def test_fold_gives_one_key_for_every_spelling():
    assert fold("BAŞKANLIĞI") == fold("başkanlığı") == fold("baskanligi") == "baskanligi"
    assert fold("İŞLEM") == fold("işlem") == fold("islem") == "islem"
    assert fold("IŞIK") == fold("ışık") == fold("isik")


def test_fold_collapses_spaces_and_drops_other_accents():
    assert fold("  Bilgi   İşlem\tMüdürlüğü ") == "bilgi islem mudurlugu"
    assert fold("Kâtip") == fold("katip")
    assert fold("Café") == "cafe"


def test_fold_matches_substrings_typed_in_ascii():
    assert fold("gun") in fold("Gün Işığı")
    assert fold("MUDUR") in fold("Bilgi İşlem Müdürü")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("c", "ç"),
        ("ç", "d"),
        ("ı", "i"),
        ("s", "ş"),
        ("ş", "t"),
        ("o", "ö"),
        ("u", "ü"),
        ("g", "ğ"),
        ("ğ", "h"),
        ("Cem", "Çağla"),
        ("Çağla", "Deniz"),
        ("Irmak", "İpek"),
        ("Selin", "Şule"),
        ("Ali Çelik", "Alican"),  # a space sorts before every letter
    ],
)
def test_sort_key_follows_the_turkish_alphabet(before, after):
    assert sort_key(before) < sort_key(after)


def test_sort_key_ignores_case_by_turkish_rules():
    assert sort_key("IŞIK") == sort_key("ışık")
    assert sort_key("İpek") == sort_key("ipek")


def test_sorting_a_list_of_names():
    names = ["Zeynep", "Şule", "Çağla", "İpek", "Irmak", "Cem", "Deniz", "Selin", "Öykü", "Ozan"]
    assert sorted(names, key=sort_key) == [
        "Cem",
        "Çağla",
        "Deniz",
        "Irmak",
        "İpek",
        "Ozan",
        "Öykü",
        "Selin",
        "Şule",
        "Zeynep",
    ]


def test_sort_key_places_foreign_letters_and_digits():
    assert sort_key("p") < sort_key("q") < sort_key("r")
    assert sort_key("v") < sort_key("w") < sort_key("x") < sort_key("y")
    assert sort_key("z") < sort_key("ß")
    assert sort_key("1") < sort_key("a")
