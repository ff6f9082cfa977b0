"""The calendar's pages: the private feed URL (no log-in: the token is the key)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Response
from sqlalchemy.orm import Session

from needling.clinic import calendar_feed as CF
from needling.clinic.deps import get_db

router = APIRouter(include_in_schema=False)


@router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(token: str, db: Session = Depends(get_db)) -> Response:
    """A clinician's appointments as an iCalendar feed, for a calendar program to subscribe to."""
    owner = CF.feed_owner(db, token[:200])
    if owner is None:
        raise HTTPException(status_code=404, detail="no such calendar feed")
    body = CF.feed_ics(db, owner)
    db.commit()
    return Response(body, media_type="text/calendar", headers={"cache-control": "private, no-store"})
