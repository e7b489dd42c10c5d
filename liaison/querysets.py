"""Querysets whose `visible_to(user)` delegates to the one access module."""

from django.db import models
from django.db.models.sql.where import AND, WhereNode


class VisibilityWhere(WhereNode):
    """The OR of a visibility rule's branches in a query's WHERE (see `access.any_of`): marked
    so the paginator can count each branch without it; it compiles like any WhereNode."""


def without_visibility(qs):
    """`qs` without its visibility OR (and otherwise the same), or None when that is not one
    top-level AND term. Only `liaison.pagination` uses it, always with a narrower branch."""
    c = qs._chain()
    where = c.query.where
    marked = [n for n in where.children if isinstance(n, VisibilityWhere)]
    if len(marked) != 1 or where.connector != AND or where.negated:
        return None
    where.children = [n for n in where.children if n is not marked[0]]
    return c


class VisibleQuerySet(models.QuerySet):
    # The indexable branches whose OR a visibility rule filtered by (`access.any_of`): kept
    # through filter/order/annotate so `liaison.pagination` can count and page their UNION.
    branches: tuple = ()

    def visible_to(self, user):
        from . import access

        return access.visible(self, user)

    def _clone(self):
        c = super()._clone()
        c.branches = self.branches
        return c

    def __or__(self, other):
        return self._widened(super().__or__(other), other)

    def __xor__(self, other):
        return self._widened(super().__xor__(other), other)

    def _widened(self, combined, other):
        # Wider than either side's branches: forget them (one side returned as it is keeps its own).
        if combined is not self and combined is not other:
            combined.branches = ()
        return combined


class InstitutionQuerySet(VisibleQuerySet):
    pass


class LetterQuerySet(VisibleQuerySet):
    pass


class LedgerEntryQuerySet(VisibleQuerySet):
    pass


class InspectionQuerySet(VisibleQuerySet):
    pass


class NotificationQuerySet(VisibleQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)
