"""The due dates as an iCalendar file (RFC 5545) that Outlook, Thunderbird and phones import:
one all-day event per obligation, written with the `icalendar` library.

An event's UID is stable per (letter, date): importing the file again next week updates the
events already there instead of adding twins. The letter is named by its canonical key when
it has one (the same for every copy of it), else by its id.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from urllib.parse import quote

from icalendar import Calendar, Event

from index.office._deadlines import Obligation

DEFAULT_URL_BASE = "http://127.0.0.1:8000"


def event_uid(letter: str, date: str) -> str:
    return hashlib.sha1(f"{letter}\n{date}".encode()).hexdigest()[:24] + "@congvan"


def letter_url(url_base: str, doc_id: str) -> str:
    return f"{url_base.rstrip('/')}/van-ban/{quote(doc_id, safe='')}"


def _summary(o: Obligation) -> str:
    doc = o.document
    head = f"Hạn: {doc.get('code') or doc.get('doc_type') or 'văn bản không số'}"
    return f"{head} – {doc['subject']}" if doc.get("subject") else head


def _description(o: Obligation, url: str) -> str:
    doc = o.document
    lines = [o.text, ""]
    lines.append(" · ".join(x for x in (doc.get("doc_type"), doc.get("code"), doc.get("issuer"),
                                       doc.get("issued_date")) if x))
    if doc.get("subject"):
        lines.append(f"V/v {doc['subject']}")
    if o.answered_by:
        lines.append("Đã có văn bản trả lời: " + ", ".join(a.get("code") or a["id"] for a in o.answered_by))
    lines.append(url)
    return "\n".join(lines)


def calendar(items: Iterable[Obligation], url_base: str = DEFAULT_URL_BASE,
             stamp: dt.datetime | None = None) -> bytes:
    """The iCalendar bytes of `items` (UTF-8, CRLF lines, as RFC 5545 writes them)."""
    cal = Calendar()
    cal.add("prodid", "-//congvan//Viec den han//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Việc đến hạn")
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for o in items:
        try:
            day = dt.date.fromisoformat(o.date)
        except ValueError:  # a date no calendar has (`31/4`): listed, not exported
            continue
        url = letter_url(url_base, o.document["id"])
        ev = Event()
        ev.add("uid", event_uid(o.document.get("key") or o.document["id"], o.date))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("summary", _summary(o))
        ev.add("description", _description(o, url))
        ev.add("url", url)
        ev.add("transp", "TRANSPARENT")  # a due date does not make the day busy
        cal.add_component(ev)
    return cal.to_ical()
