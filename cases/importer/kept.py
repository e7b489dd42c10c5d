"""Uploads kept between the preview and the confirm request, behind a random per-user token.

Files live in MEDIA_ROOT/imports/<token>.xlsx with <token>.json (user id, SHA-256, file
name); MEDIA_ROOT is never served by the web server (settings.MEDIA_URL points nowhere).
"""

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.http import Http404

from .layout import MAX_KEPT_PER_USER, PREVIEW_MAX_AGE

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(user, data: bytes, filename: str, sha256: str) -> str:
    """Keep the upload between the preview and the confirm request, under a random name.

    MEDIA_ROOT is never served by the web server (settings.MEDIA_URL points nowhere).
    """
    token = secrets.token_urlsafe(24)
    base = imports_dir()
    _make_room(user, base)
    meta = {"user_id": user.pk, "sha256": sha256, "filename": filename, "stored_at": time.time()}
    for suffix, payload in ((".xlsx", data), (".json", json.dumps(meta, ensure_ascii=False).encode())):
        fd = os.open(base / f"{token}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    return token


def _make_room(user, base: Path) -> None:
    """A user keeps at most MAX_KEPT_PER_USER uploads: storing one more discards their oldest."""
    mine = []
    for path in base.glob("*.json"):
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("user_id") == user.pk:
            mine.append((meta.get("stored_at", 0), path.stem))
    mine.sort()
    for _stored_at, token in mine[: max(0, len(mine) - MAX_KEPT_PER_USER + 1)]:
        for suffix in (".xlsx", ".json"):
            (base / f"{token}{suffix}").unlink(missing_ok=True)


def _meta(user, token: str) -> dict:
    if not isinstance(token, str) or not _TOKEN_RE.match(token):
        raise Http404
    try:
        meta = json.loads((imports_dir() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404 from None
    if meta.get("user_id") != user.pk or time.time() - meta.get("stored_at", 0) > PREVIEW_MAX_AGE.total_seconds():
        raise Http404
    return meta


def read(user, token: str) -> tuple[bytes, dict]:
    """The kept file and its metadata; Http404 for a malformed, unknown, expired or foreign token."""
    meta = _meta(user, token)
    try:
        data = (imports_dir() / f"{token}.xlsx").read_bytes()
    except OSError:
        raise Http404 from None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise Http404
    return data, meta


def discard_preview(*, user, token: str) -> None:
    """Delete a kept upload (after commit, or when the user cancels)."""
    try:
        _meta(user, token)
    except Http404:
        return
    for suffix in (".xlsx", ".json"):
        (imports_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale_previews(*, older_than: dt.timedelta = PREVIEW_MAX_AGE, now: float | None = None) -> int:
    """Delete kept uploads older than `older_than` (default one day); returns the number of files removed."""
    cutoff = (now if now is not None else time.time()) - older_than.total_seconds()
    removed = 0
    for path in kept_files():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def kept_files() -> Iterable[Path]:
    base = Path(settings.MEDIA_ROOT) / "imports"
    if not base.is_dir():
        return []
    return [p for p in base.iterdir() if p.suffix in (".xlsx", ".json") and p.is_file()]
