"""Sentences the portal stores and shows later (notification and ledger titles), in the reader's
language.

A stored sentence is written once, when its event happens, but read by people who chose different
languages. So it is kept as its msgid and parameters (`Msg.as_json`, a JSON field next to the
Chinese text kept for search, exports and rows written before) and rendered through gettext when
shown. A parameter is data (a title, a document number, a date) and stays as it is, unless it is
itself a translatable word — a choice label (`label(obj, "status")`) or another `Msg` — which is
stored as its own msgid and translated when shown too.

    notify(..., title=Msg(gettext_noop("待审批：%(t)s"), t=s.title))
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise


class Msg:
    """A sentence as its msgid (optionally with a pgettext context) and its parameters."""

    def __init__(self, msgid: str, /, *, context: str = "", **params):
        self.msgid = str(msgid)
        self.context = context
        self.params = {name: _param(value) for name, value in params.items()}

    def as_json(self) -> dict:
        data = {"msgid": self.msgid, "params": self.params}
        if self.context:
            data["context"] = self.context
        return data

    def __str__(self) -> str:
        return render(self.as_json())

    def stored(self) -> str:
        """The text in the site's language (what the row's plain text column keeps)."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self)


def label(obj, field: str):
    """The choice label of `obj.field` as the lazy string its model declares (not yet translated),
    so a Msg stores it as a msgid: `get_FOO_display()` would store today's language's words."""
    value = getattr(obj, field)
    return dict(obj._meta.get_field(field).flatchoices).get(value, value)


def _param(value):
    if isinstance(value, Msg):
        return value.as_json()
    if isinstance(value, Promise):
        # gettext_lazy(msgid) or pgettext_lazy(context, msgid): the arguments the proxy keeps.
        args = getattr(value, "_args", ())
        if len(args) == 1:
            return {"msgid": str(args[0]), "params": {}}
        if len(args) == 2:
            return {"msgid": str(args[1]), "context": str(args[0]), "params": {}}
        return str(value)
    if isinstance(value, dt.datetime):
        return {"datetime": timezone.localtime(value).isoformat()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return "" if value is None else str(value)


def _format_datetime(value: dt.datetime) -> str:
    if translation.get_language() and translation.get_language().startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value:%Y-%m-%d %H:%M}"


def _value(param):
    if isinstance(param, dict):
        if "datetime" in param:
            return _format_datetime(dt.datetime.fromisoformat(param["datetime"]))
        if "msgid" in param:
            return render(param)
    return param


def render(message: dict, fallback: str = "") -> str:
    """A stored sentence in the active language; `fallback` (the stored text) for a row without a
    msgid or one whose translation does not fit its parameters."""
    if not message or not message.get("msgid"):
        return fallback
    msgid, context = message["msgid"], message.get("context", "")
    text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    params = {name: _value(value) for name, value in (message.get("params") or {}).items()}
    if not params:
        return text
    for template in (text, msgid):
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            continue
    return fallback or msgid


def stored_text(title, *, limit: int) -> tuple[str, dict]:
    """(plain text in the site's language, message JSON) for a title given as a Msg or as fixed
    text; a title built from user text may pass the column's length: shortened, never refused."""
    text, message = (title.stored(), title.as_json()) if isinstance(title, Msg) else (str(title), {})
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text, message


def of(obj) -> Msg | str:
    """A stored row's title as a parameter of another sentence (its msgid when it has one)."""
    message = getattr(obj, "message", None) or {}
    if message.get("msgid"):
        msg = Msg(message["msgid"], context=message.get("context", ""))
        msg.params = message.get("params") or {}
        return msg
    return obj.title


def shown_title(row) -> str:
    """The title of a stored row (a model or an inspection's frozen dict) in the reader's language."""
    if isinstance(row, dict):
        return render(row.get("message") or {}, row.get("title", ""))
    return render(getattr(row, "message", None) or {}, getattr(row, "title", ""))


def ledger_status(row: dict) -> str:
    """An inspection's frozen status in the reader's language (the label stored then is a fallback)."""
    from .models import LedgerEntry

    try:
        return str(LedgerEntry.Status(row.get("status")).label)
    except ValueError:
        return row.get("status_display", "")


def in_site_language(func):
    """For a function that writes a document's words (a letter's body, from its templates of
    sentences): the words of an official document are the site's language, whoever drafts it (an
    English reader's session would otherwise write an English letter)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper
