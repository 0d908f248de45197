"""The vocabulary of a Vietnamese letter, in one place for `ingest/` and `nlp/` alike.

- `text.normalize`: NFC, one tone placement (`hoà` = `hòa`), tidy white space.
- `text.fold`: diacritics folded away (`Đ` → `D`), for matching.
- `text.chars`: character classes (Vietnamese capitals and small letters) and Cyrillic look-alikes.
- `text.capitals`: the all-capitals test of a line or a cell.
- `text.letter_parts`: the fixed wording of a letter: the national and Party motto, the `Số:`
  number line, the signing prefixes (`KT.`, `TM.`, `TL.`, `TUQ.`).

Imports nothing of the project: the layers above it take their rules from here."""
