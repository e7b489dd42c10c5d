from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("会议与会商")

    def ready(self):
        from liaison.signals import letter_issued

        from . import access_rules, flows  # noqa: F401  registers visibility, verbs and transitions

        letter_issued.connect(_letter_issued, dispatch_uid="meetings.letters")


def _letter_issued(sender, letter, by, **kwargs):
    # A meeting's notice issued (here or on the letter page) moves the meeting to 已通知.
    from .services import on_letter_issued

    on_letter_issued(letter=letter, by=by)
