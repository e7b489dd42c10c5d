"""The personal iCalendar feed (RFC 5545, the `icalendar` package): visible meetings only."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from . import selectors
from .models import CalendarFeed, Meeting

STATUS = {
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.CONVENED: "TENTATIVE",
}


def feed_for(user) -> CalendarFeed:
    """The user's live feed, made on first use."""
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return feed or CalendarFeed.objects.create(user=user)


def revoke(user) -> int:
    """Revoke the user's feed: its URL answers 404 from now on (a new one may be made)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_feed(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("user__institution")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def calendar_bytes(user, *, base_url: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Liuzhou fylink//meetings//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "府院联动会议")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for m in selectors.feed_meetings(user):
        event = Event()
        event.add("uid", f"meeting-{m.uuid}@fylink")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(m.starts_at))
        event.add("dtend", timezone.localtime(m.ends_at or m.starts_at + dt.timedelta(hours=2)))
        event.add("summary", f"{m.kind.name}：{m.title}")
        if m.location:
            event.add("location", m.location)
        event.add("status", STATUS.get(m.status, "CONFIRMED"))
        if base_url:
            event.add("url", f"{base_url}/meetings/{m.uuid}/")
        event.add("description", f"召集单位：{m.convener.name}")
        cal.add_component(event)
    return cal.to_ical()
