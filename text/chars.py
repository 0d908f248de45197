"""Character classes for Vietnamese capitals.

`[A-ZĐÀ-Ỹ]` looks like "a capital letter" but is not: `À-Ỹ` (U+00C0…U+1EF8) spans the lower
case of Latin-1 and every lower-case letter of Latin Extended Additional (`ộ`, `ữ`), so it
matched `bộ`, `được`. These classes list the capitals one by one."""
from __future__ import annotations

import unicodedata

# Every upper-case letter of the Vietnamese alphabet with its tone marks, as NFC code points.
_VOWELS = "AĂÂEÊIOÔƠUƯY"
_TONED = (
    "ÀÁẢÃẠ" "ẰẮẲẴẶ" "ẦẤẨẪẬ" "ÈÉẺẼẸ" "ỀẾỂỄỆ" "ÌÍỈĨỊ" "ÒÓỎÕỌ" "ỒỐỔỖỘ" "ỜỚỞỠỢ" "ÙÚỦŨỤ" "ỪỨỬỮỰ" "ỲÝỶỸỴ"
)
UPPER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ" + "ĂÂÊÔƠƯ" + _TONED
# for use inside a regex character class: `[{UPPER}]`
UPPER = "A-ZĐ" + "ĂÂÊÔƠƯ" + _TONED

# Cyrillic letters drawn like Latin ones: a text layer may carry them inside a code
# (`06/2022/TT-BТС` with Cyrillic Т and С). Vietnamese text has no Cyrillic, so they map back
# one for one, which keeps every offset.
HOMOGLYPHS = str.maketrans("АВСЕНІКМОРТХасеоріхуѕј", "ABCEHIKMOPTXaceopixysj")

# Every lower-case letter of the Vietnamese alphabet, for a regex character class: `[{LOWER}]`.
# (`à-ỹ` would also take the capitals that alternate with them in Latin Extended Additional: `Ấ`, `Ộ`.)
LOWER = "a-zđ" + "".join(
    chr(c) for c in range(0xE0, 0x1EFA)
    if chr(c).islower() and unicodedata.normalize("NFD", chr(c))[0] in "abcdefghijklmnopqrstuvwxyz"
)
