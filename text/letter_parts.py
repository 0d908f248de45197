"""The fixed wording of a Vietnamese letter: the national or Party motto, the `Số:` number
line and the signing prefixes (`KT.` ký thay, `TM.` thay mặt, `TL.` thừa lệnh, `TUQ.` thừa ủy
quyền), recognised through OCR's slips.

OCR often gets one mark wrong in a line it otherwise reads (`XÃ HỢI` for `XÃ HỘI`, `HOÀ` for
`HÒA`); matched with the diacritics folded away, the motto still tells a header from a table
and where a forwarded document starts. Where a reader needs a looser or a stricter form of a
part, the form is spelled here beside the others, under a name that says which."""
from __future__ import annotations

import re
import unicodedata

from text.capitals import is_upper
from text.fold import strip_marks

_MOTTO_START = re.compile(r"^\W*(CONG\s*HOA\s+XA\s*HOI|DANG\s+CONG\s+SAN)", re.I)
_MOTTO = re.compile(r"^\W*(CONG\s*HOA\s+XA\s*HOI\s+CHU\s*NGHIA\s+VIET\s+NAM|DANG\s+CONG\s+SAN\s+VIET\s+NAM)\W*$",
                    re.I)
# The motto as a header cell inside a line: the national or Party motto in capitals, or the
# second line of the national motto (`Độc lập - Tự do - Hạnh phúc`, case as printed).
_CELL = re.compile(r"(?P<caps>CONG\s*HOA\s+XA\s*HOI\s+CHU\s*NGHIA\s+VIET\s+NAM|DANG\s+CONG\s+SAN\s+VIET\s+NAM)"
                   r"|(?P<second>Doc\s+lap\s*[-–]\s*Tu\s+do\s*[-–]\s*Hanh\s+phuc)", re.I)
# What stands between the issuer's cell and the motto's in a flattened two-column header: a
# wide run of spaces or a tab, a rule (`-----`, `***`) or a table's bar.
_COLUMN_GAP = re.compile(r"(?:[ \t]{3,}|\t|[*_=~\-–—.]{3,}\s*|\|\s*)$")
# Words that make the motto part of a name or a sentence (`NƯỚC CỘNG HÒA …`, `CỦA …`), not a cell.
_GOVERNED = re.compile(r"(?:\bNUOC|\bCUA|\bTAI|[\"“”'‘’(:,;])\s*$", re.I)


def starts_with_motto(text: str) -> bool:
    """The line opens with the national or the Party motto."""
    return bool(_MOTTO_START.match(strip_marks(text)))


def is_motto(text: str) -> bool:
    """The line is the national or the Party motto, and nothing else."""
    return bool(_MOTTO.match(strip_marks(text.strip())))


def motto_cell(text: str) -> int | None:
    """Where a motto stands as a header cell in the line (a two-column header flattened into
    text: `UBND TỈNH X      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`), else None. The motto must
    open the line, or follow a column gap, a rule or an issuer in capitals (OCR may join the
    columns with one space), and nothing but rules, the second motto line or another column
    may follow it; a motto quoted or governed in a sentence (`nước Cộng hòa …`, `“CỘNG HÒA …”`)
    is not a cell."""
    text = unicodedata.normalize("NFC", text)
    folded = strip_marks(text)  # as long as `text` once NFC: one letter per folded letter
    for m in _CELL.finditer(folded):
        if m.group("caps") and not is_upper(text[m.start():m.end()]):
            continue
        before, after = text[:m.start()], text[m.end():]
        if before.strip(" \t*_-–|") and not (_COLUMN_GAP.search(before) or (
                is_upper(before) and not _GOVERNED.search(strip_marks(before)))):
            continue
        if _GOVERNED.search(strip_marks(before)) and not _COLUMN_GAP.search(before):
            continue
        rest = after.strip()
        if not rest or re.fullmatch(r"[\W_]+", rest) or re.match(r"[ \t]{3,}|\s*[*_=~\-–—|]{3,}|\s*\|", after) \
                or _CELL.match(strip_marks(rest)):
            return m.start()
    return None


# --- the motto, spelled with its marks and OCR's likely slips -------------------------------
# The national motto, the Party's, or the national motto's second line, anywhere in a cell.
MOTTO = re.compile(
    r"C[ỘO]NG\s*H[ÒOÓ]À?A?\s+X[ÃA]\s*H[ỘO]I\s+CH[ỦU]\s*NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|[ĐD][ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM|[ĐD][ộo]c\s+l[ậa]p\s*-\s*T[ựu]\s+do\s*-\s*H[ạa]nh\s+ph[úu]c",
    re.I,
)
# The Đoàn prints its own name where the state prints the motto (top right, beside the issuer)
YOUTH_MOTTO = re.compile(r"Đ[OÒ]ÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH", re.I)
# The first words of either motto as a PDF cell's first line opens them (a header's block).
MOTTO_OPENING_MARKED = r"C[ỘO]NG\s*H[ÒOÓ]A\s+X[ÃA]\s*H[ỘO]I|Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N"
# A motto run on after a place on the date line (`Long An ĐẢNG CỘNG SẢN VIỆT NAM`): it and what follows.
MOTTO_TAIL = re.compile(r"(?:cộng\s+hòa|đảng\s+cộng\s+sản|độc\s+lập)\b.*$", re.I)

# --- the number line: `Số: 12/UBND-VP` ------------------------------------------------------
# `Số` and OCR's readings of it: `S ố`, `Sô`, `Sổ`; bare `So`/`Só` only with their colon.
NUMBER_WORD = r"S\s?[ốỐôÔổỔỗớ]\s*:?|S[oóòOÓ]\s*:"
# A number line with the start of a code after it (`Số: 12/UBND-VP`, `Số 47-CV/HU`): a line of a
# header block, as the splitter of a file into documents sees it.
NUMBER_LINE = re.compile(rf"^(?:{NUMBER_WORD})\s*\d+\s*[a-z]?\s*[-/]\s*[\w/-]*[A-ZĐ]")
# The header reader's prefix: also `số:` in small letters, `S6:` (OCR), `So` right before the
# digits, and the type word that may name the document first (`Luật số: 51/2024/QH15`).
NUMBER_PREFIX = re.compile(
    r"(?:(?P<tw>Luật|Bộ luật|Nghị quyết|Pháp lệnh|Lệnh|Nghị định|Quyết định|Thông tư|Chỉ thị)\s+)?"
    r"(?<![\wÀ-ỹ])(?:[Ss]\s?[ốỐôÔổỔỗớ]\s*:?|S[oóòOÓ6]\s*:|S[oO]\s+(?=\d))\s*",
)
# `Số:` with its marks and its colon, where a number is looked for outside the header (the
# certification block of a consolidated text, a gazette page).
NUMBER_COLON = r"S\s?ố\s*:"
# `Số` and the start of a code, any case, as a PDF cell's first line opens it.
NUMBER_OPENING = r"S[ốo]\s*:?\s*\d*\s*[-/]"
# The number line the duplicate signature leaves out of a body (index/dedup/body.py). Its MinHashes
# are stored in archives, so this keeps the reach it had when those were computed.
NUMBER_LINE_FROZEN = re.compile(r"^\W*S\s*[ốôo]\s*:?\s*\d*\s*[-/]", re.I)

# --- the subject line (trích yếu): `V/v báo cáo …`, `Về việc …` ---------------------------
# The header reader's opener, with OCR's readings (`Viv`, `V.v`, `V⁄v` with the fraction or division
# slash: ingest repairs it in OCR output, text pasted from an OCR keeps it) and `Về việc` spelled out.
SUBJECT_OPENER = re.compile(r"^(?:[VvW][/.⁄∕|]?[vVW]|V[il1]v|Về\s+việc|VỀ\s+VIỆC)(?![\w])\s*:?\s*")
# `V/v` under the number, as a line of a header block for the splitter.
SUBJECT_LINE = re.compile(r"^\W*V\s*[/⁄]\s*v\b", re.I)
# `Số: 778/TCHQ-GSQL V/v xử lý …`: a web copy flattens the header's left column into one line.
SUBJECT_AFTER_CODE = re.compile(r"\s(?:V[/⁄∕][vV]|Về\s+việc)\s*:?\s+(?=\S)")
# The subject line the duplicate signature leaves out of a body: frozen as NUMBER_LINE_FROZEN.
SUBJECT_LINE_FROZEN = re.compile(r"^\W*V\s*/\s*v\b", re.I)

# --- the signing block: `KT. BỘ TRƯỞNG`, `TM. ỦY BAN NHÂN DÂN`, `TL. CHÁNH VĂN PHÒNG` -------
# ký thay, thay mặt, thừa lệnh, thừa ủy quyền: with their dot, or slashed (`K/T`, `T/M`, `T/L`).
SIGNED_FOR = r"T/M|TM\."  # thay mặt: the body the signer signs for
DEPUTISING = r"K/T|KT\.|T/L|TL\.|TUQ\."  # ký thay, thừa lệnh, thừa ủy quyền
SIGNING_MARK = rf"(?:{SIGNED_FOR}|{DEPUTISING})"
# The same with the dot lost (OCR, a web copy): `KT BỘ TRƯỞNG`.
SIGNING_MARK_LOOSE = r"(?:K/T|KT\.?|T/M|TM\.?|T/L|TL\.?|TUQ\.?)"
# A signing mark opening a line: without its dot only `KT`, and then a space after it.
SIGNING_OPENER = r"(?:K/?T\.?\s|TM\.|T/M|TL\.|T/L|TUQ\.)"
# A signing mark opening a PDF cell, any mark with or without its dot or slash, then a space.
SIGNING_OPENER_SPACED = r"(?:K/?T|T/?M|T/?L|TUQ)\.?\s"
# The distribution list under the signature (`Nơi nhận:`), its `ơ` and `ậ` possibly lost.
RECIPIENTS_LIST = r"N[ơo]i\s+nh[ậa]n"
# The motto's second line as the duplicate signature leaves it out of a body: frozen as above.
MOTTO_SECOND_LINE_FROZEN = re.compile(r"độc\s+lập\s*-\s*tự\s+do", re.I)
