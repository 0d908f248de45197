"""The page "Việc đến hạn" (`/viec-den-han`) and its calendar download (`/viec-den-han.ics`):
what the archive's letters ask for by a date, grouped by week (this week first, then the
weeks ahead, then the weeks gone by), with what is past its date and still unanswered in red.
Handlers read what they need from `request.app.state` (`archives`, `templates`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from index.archive import Deadlines, QueryError
from web import auth, service

MAX_FIELD = 60  # characters of a date or an issuer typed in the filters
SHOWN = 300     # obligations on one page (by week, this week first); the filters narrow the rest


@dataclass
class Week:
    monday: dt.date
    title: str
    items: list = field(default_factory=list)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def _vn(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def weeks(items: list, today: dt.date) -> list[Week]:
    """The obligations by week: this week first, then the weeks ahead in order, then the weeks
    gone by, the latest first (what was missed most recently is nearest the top)."""
    this = today - dt.timedelta(days=today.weekday())
    by: dict[dt.date, Week] = {}
    for o in items:
        try:
            day = dt.date.fromisoformat(o.date)
        except ValueError:  # a date no calendar has: not listed by week
            continue
        monday = day - dt.timedelta(days=day.weekday())
        if monday not in by:
            span = f"Tuần {_vn(monday)} – {_vn(monday + dt.timedelta(days=6))}"
            label = ("Tuần này" if monday == this else "Tuần sau" if monday == this + dt.timedelta(days=7)
                     else "Đã qua" if monday < this else "")
            by[monday] = Week(monday, f"{label}: {span}" if label else span)
        by[monday].items.append(o)
    ahead = sorted(m for m in by if m >= this)
    past = sorted((m for m in by if m < this), reverse=True)
    return [by[m] for m in ahead + past]


def first(groups: list[Week], n: int) -> tuple[list[Week], int]:
    """The first `n` obligations of `groups`, and how many were left out."""
    out, left, hidden = [], n, 0
    for w in groups:
        if left <= 0:
            hidden += len(w.items)
            continue
        shown = Week(w.monday, w.title, w.items[:left])
        hidden += len(w.items) - len(shown.items)
        left -= len(shown.items)
        out.append(shown)
    return out, hidden


def _filters(request: Request) -> dict:
    q = request.query_params
    return {"since": (q.get("tu") or "").strip()[:MAX_FIELD] or None,
            "until": (q.get("den") or "").strip()[:MAX_FIELD] or None,
            "issuer": (q.get("co_quan") or "").strip()[:MAX_FIELD] or None,
            "open_only": q.get("chua_tra_loi") in ("1", "on"),
            "overdue": q.get("qua_han") in ("1", "on")}


def _today(request: Request) -> dt.date:
    return getattr(request.app.state, "today", None) or dt.date.today()


def _find(request: Request, filters: dict) -> Deadlines:
    return service.archive_for(request).deadlines(today=_today(request), **filters)


async def deadlines_page(request: Request) -> Response:
    filters = _filters(request)
    today = _today(request)
    error = None
    try:
        result = await run_in_threadpool(_find, request, filters)
    except QueryError as exc:
        error, result = str(exc), Deadlines([])
    typed = {"tu": filters["since"], "den": filters["until"], "co_quan": filters["issuer"],
             "chua_tra_loi": "1" if filters["open_only"] else None, "qua_han": "1" if filters["overdue"] else None}
    query = urlencode({k: v for k, v in typed.items() if v})
    shown, hidden = first(weeks(result.items, today), SHOWN)
    context = {"active": "deadlines", "weeks": shown, "hidden": hidden, "total": len(result.items),
               "overdue": sum(1 for o in result.items if o.overdue), "filters": filters, "error": error,
               "today": today, "ics_url": "/viec-den-han.ics" + (f"?{query}" if query else "")}
    return request.app.state.templates.TemplateResponse(request, "deadlines.html", context,
                                                       status_code=400 if error else 200)


async def deadlines_ics(request: Request) -> Response:
    filters = _filters(request)
    try:
        result = await run_in_threadpool(_find, request, filters)
    except QueryError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
    await run_in_threadpool(auth.note, request, "download", "viec-den-han.ics")
    # the events link back to this page's own address (the guard has checked the Host it names)
    body = await run_in_threadpool(result.to_ics, str(request.base_url))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="viec-den-han.ics"'})


ROUTES = [Route("/viec-den-han", deadlines_page), Route("/viec-den-han.ics", deadlines_ics)]
