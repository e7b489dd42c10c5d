from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("会议与会商")

    def ready(self):
        from liaison import plugins
        from liaison.signals import letter_issued

        from . import access_rules, flows  # noqa: F401  registers visibility, verbs and transitions

        letter_issued.connect(_letter_issued, dispatch_uid="meetings.letters")
        plugins.register(
            self,
            urls="meetings.urls",
            demo="meetings.demo.load",
            nav=[plugins.Nav(key="meetings", label=_("会议"), url_name="meetings:index", order=30)],
            api_routes=[
                ("meeting-kinds", "meetings.api.MeetingKindViewSet", "meeting-kind"),
                ("meetings", "meetings.api.MeetingViewSet", "meeting"),
                ("decisions", "meetings.api.DecisionViewSet", "decision"),
                ("legal-reviews", "meetings.api.reviews.LegalReviewViewSet", "legal-review"),
                ("review-invitations", "meetings.api.reviews.ReviewInvitationViewSet", "review-invitation"),
                ("review-opinions", "meetings.api.reviews.ReviewOpinionViewSet", "review-opinion"),
                ("research", "meetings.api.activities.ResearchViewSet", "research"),
                ("research-milestones", "meetings.api.activities.MilestoneViewSet", "research-milestone"),
                ("law-classes", "meetings.api.activities.LawClassViewSet", "law-class"),
            ],
            schedules=[
                (
                    "按计划提议召开年度“三长”会议和季度联席会议",
                    "meetings.tasks.propose_scheduled_meetings",
                    ("0", "8", "*", "1", "1,4,7,10,12"),
                    "每年12月1日提议年度“三长”联席会商会议，每季度首月1日提议常规联席会议（可重复执行，每次只提议一次）。",
                ),
                (
                    "会议前一工作日提醒参会单位",
                    "meetings.tasks.remind_meetings",
                    ("0", "9", "*", "*", "*"),
                    "每个工作日 09:00 提醒下一工作日召开的会议的参会单位（每个会议只提醒一次）。",
                ),
            ],
        )


def _letter_issued(sender, letter, by, **kwargs):
    # A meeting's notice issued (here or on the letter page) moves the meeting to 已通知.
    from . import research, reviews
    from .services import on_letter_issued

    on_letter_issued(letter=letter, by=by)
    # A legal review's invitation or answer letter issued: the review opens or is answered.
    reviews.on_letter_issued(letter=letter, by=by)
    research.on_letter_issued(letter=letter, by=by)
