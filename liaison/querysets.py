"""Querysets whose `visible_to(user)` delegates to the one access module."""

from django.db import models


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user):
        from . import access

        return access.visible(self, user)


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
