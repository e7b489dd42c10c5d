"""Naming a linked record: its number, title and link only for those who may see it.

A record often points at another one (a clue transfer at its case, a review at the case it
discusses). Being party to the first does not make the second visible: whoever may not see
the linked record gets "—", never its number, on every page, export, PDF and notification.
The answer comes from `access.visible`, like every other visibility decision.

Lists and exports annotate their queryset once (`annotate(qs, user, "case")`, an EXISTS per
row in the same query); a detail page asks per object and the answer is cached on it.
"""

from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, QuerySet

from . import access

HIDDEN = "—"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def _flag(field: str) -> str:
    return f"{field}_visible"


def annotate(qs: QuerySet, user, *fields: str) -> QuerySet:
    """Annotate `<field>_visible` on each row: may this user see the record `field` points at."""
    annotations = {}
    for field in fields:
        related = qs.model._meta.get_field(field).related_model
        visible = access.visible(related._default_manager.all(), user).filter(pk=OuterRef(f"{field}_id"))
        annotations[_flag(field)] = Exists(visible)
    return qs.annotate(**annotations)


def _user_cache(user) -> dict:
    cache = getattr(user, "_link_visibility", None)
    if cache is None:
        cache = {}
        try:
            user._link_visibility = cache
        except AttributeError:  # AnonymousUser is a plain object too, but be safe
            pass
    return cache


def is_visible(user, obj: Model | None) -> bool:
    """May this user see `obj` (cached per user and object for the request)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    key = (type(obj), obj.pk)
    cache = _user_cache(user)
    if key not in cache:
        cache[key] = access.visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
    return cache[key]


def linked(user, owner: Model, field: str) -> Model | None:
    """The record `owner.<field>` points at, or None when there is none or the user may not see it."""
    if getattr(owner, f"{field}_id", None) is None:
        return None
    flag = getattr(owner, _flag(field), None)
    target = getattr(owner, field)
    if flag is None:
        flag = is_visible(user, target)
    return target if flag else None


def _url(obj) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url else ""


def ref(user, obj: Model | None) -> Link | None:
    """Label and link of `obj` for this user, or None."""
    if obj is None or not is_visible(user, obj):
        return None
    return Link(str(obj), _url(obj))


def ref_of(user, owner: Model, field: str) -> Link | None:
    target = linked(user, owner, field)
    return Link(str(target), _url(target)) if target is not None else None


def label(user, owner: Model, field: str, default: str = "") -> str:
    """The linked record's number for exports and notifications ('' or `default` when hidden)."""
    target = linked(user, owner, field)
    return str(target) if target is not None else default


def url(user, obj: Model | None) -> str:
    """A link to `obj` only for those who may open it."""
    link = ref(user, obj)
    return link.url if link else ""


def split_viewers(users, obj: Model) -> tuple[list, list]:
    """(users who may see `obj`, users who may not): a notification names `obj` only to the first."""
    seeing, blind = [], []
    for user in users:
        (seeing if is_visible(user, obj) else blind).append(user)
    return seeing, blind
