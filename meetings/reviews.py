"""Writes for legal reviews (参与论证, 工作方案三(二)): each transition checked by
`access.require` (flows.py), atomic, audited through the hub.

The invitation is the hub's numbered 函 with the draft attached (the hub's upload rules);
each invitee's return is a ledger entry whose source is its invitation (closed when it
returns its opinions, never on the ledger page); the answer is a second 函 carrying the
adoption table (论证意见采纳情况表) as a PDF attachment.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.i18n import Msg, in_site_language
from liaison.models import Institution, LedgerEntry, Letter, User
from liaison.pdf import PdfDocument, chinese_date

from .models import LegalReview, ReviewInvitation, ReviewOpinion

LR = LegalReview.Status
RI = ReviewInvitation.Status
AD = ReviewOpinion.Adoption

_text = hub.clean_text


def _users(institutions, roles=None) -> list[User]:
    qs = User.objects.filter(institution__in=list(institutions), is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return list(qs)


def _lock(r: LegalReview) -> LegalReview:
    return (
        LegalReview.objects.select_for_update(of=("self",))
        .select_related("government", "invitation_letter", "answer_letter")
        .get(pk=r.pk)
    )


def _lock_invitation(inv: ReviewInvitation) -> ReviewInvitation:
    return ReviewInvitation.objects.select_for_update().select_related("review", "institution").get(pk=inv.pk)


def _check_invitees(government: Institution, invitees) -> list[Institution]:
    invitees = list({i.pk: i for i in invitees}.values())
    if not invitees:
        raise ValidationError({"invitees": [_("请至少邀请一个单位（法院、检察院）。")]})
    wrong = [i for i in invitees if i.kind not in (Institution.Kind.COURT, Institution.Kind.PROCURATORATE)]
    if wrong:
        raise ValidationError(
            {
                "invitees": [
                    _("论证邀请法院、检察院参加：%(n)s 不是法院或检察院。") % {"n": "、".join(i.name for i in wrong)}
                ]
            }
        )
    if any(i.pk == government.pk for i in invitees):
        raise ValidationError({"invitees": [_("不能邀请起草单位自己。")]})
    return invitees


@in_site_language
def invitation_body(r: LegalReview, invitees) -> str:
    return "\n".join(
        [
            _(
                "按照《柳州市“一府两院”法治共建联动机制工作方案》三(二)，我单位在起草%(s)s《%(t)s》过程中，"
                "邀请贵院参与论证。现将草案送上，请研究提出意见（可逐条提出），并于收到本函之日起%(p)d个工作日内反馈。"
            )
            % {"s": r.get_subject_display(), "t": r.title, "p": r.period},
            "",
            _("起草说明："),
            r.summary,
            "",
            _("联系单位：%(g)s") % {"g": r.government.name},
        ]
    )


@transaction.atomic
def review_create(
    *, by: User, subject: str, title: str, summary: str, invitees, period: int = 10, draft=None
) -> LegalReview:
    """The drafting government side records the draft and whom it invites; the invitation letter
    is drafted at once (the draft file its attachment) and waits for the head's sign-off."""
    access.require(by, "legal_review.create")
    if subject not in LegalReview.Subject.values:
        raise ValidationError({"subject": [_("请选择论证事项类别。")]})
    if not 1 <= int(period or 0) <= 60:
        raise ValidationError({"period": [_("反馈期限应在 1 至 60 个工作日之间。")]})
    invitees = _check_invitees(by.institution, invitees)
    r = LegalReview.objects.create(
        government=by.institution,
        subject=subject,
        title=_text(title, "title", max_length=200),
        summary=_text(summary, "summary", max_length=20000),
        period=int(period),
        created_by=by,
    )
    letter = hub.letter_create(
        by=by,
        title=Msg(gettext_noop("关于征求《%(t)s》论证意见的函"), t=r.title).stored(),
        body=invitation_body(r, invitees),
        addressees=invitees,
        series=Letter.Series.HAN,
        source=r,
    )
    r.invitation_letter = letter
    r.save(update_fields=["invitation_letter"])
    for inst in invitees:
        ReviewInvitation.objects.create(review=r, institution=inst)
    hub.audit(actor=by, action="legal_review.create", target=r, after={"title": r.title, "letter": str(letter.uuid)})
    if draft is not None:
        review_attach(review=r, by=by, upload=draft)
    return r


@transaction.atomic
def review_attach(*, review: LegalReview, by: User, upload) -> object:
    """The draft text (or its explanation) as an attachment of the invitation letter."""
    r = _lock(review)
    access.require(by, "legal_review.attach", r)
    att = hub.attachment_add(letter=r.invitation_letter, by=by, upload=upload)
    hub.audit(actor=by, action="legal_review.attach", target=r, after={"name": att.name})
    return att


@transaction.atomic
def review_invite(*, review: LegalReview, by: User) -> LegalReview:
    """The head signs the invitation letter: it is numbered and delivered, and each invitee's
    return is on its ledger (the period in working days from the letter's date)."""
    r = _lock(review)
    access.require(by, "legal_review.invite", r)
    letter = r.invitation_letter
    if letter.status == Letter.Status.DRAFT:
        letter = hub.letter_submit(letter=letter, by=by)
    hub.letter_issue(letter=letter, by=by)  # the letter_issued signal opens the review (on_letter_issued)
    r.refresh_from_db()
    return r


def _open(r: LegalReview, letter: Letter, by) -> None:
    hub.move(r, by=by, action="legal_review.invite", target=LR.INVITED, after={"letter": letter.doc_number})
    for inv in r.invitations.select_related("institution"):
        entry = hub.ledger_open(
            owner=inv.institution,
            title=Msg(gettext_noop("反馈论证意见：《%(t)s》（%(n)s）"), t=r.title, n=letter.doc_number),
            start_date=letter.issued_on,
            period=r.period,
            unit=LedgerEntry.Unit.WORKING_DAYS,
            source=inv,
            start_label="收函",
            by=by,
        )
        inv.ledger_entry = entry
        inv.save(update_fields=["ledger_entry"])
        r.due_date = entry.due_date
    r.save(update_fields=["due_date"])
    for inv in r.invitations.select_related("institution"):
        hub.notify(
            users=_users([inv.institution]),
            kind="legal_review.invited",
            title=Msg(gettext_noop("论证邀请：《%(t)s》（%(d)s前反馈）"), t=r.title, d=r.due_date.isoformat()),
            key=f"legal_review.invited:{inv.uuid}",
            url=r.get_absolute_url(),
            about=inv,
            awaits="review_invitation.return",
        )


def on_letter_issued(*, letter: Letter, by) -> None:
    """The invitation letter issued on the hub's letter page opens the review the same way."""
    r = LegalReview.objects.select_for_update().filter(invitation_letter=letter).first()
    if r is not None and r.status == LR.DRAFT:
        _open(r, letter, by)
        return
    r = LegalReview.objects.select_for_update().filter(answer_letter=letter).first()
    if r is not None and r.status == LR.CONCLUDED:
        _issued(r, letter, by)


@transaction.atomic
def opinion_add(*, invitation: ReviewInvitation, by: User, text: str, clause: str = "") -> ReviewOpinion:
    inv = _lock_invitation(invitation)
    access.require(by, "review_invitation.opine", inv)
    position = (inv.opinions.aggregate(n=Max("position"))["n"] or 0) + 1
    opinion = ReviewOpinion.objects.create(
        invitation=inv,
        position=position,
        clause=_text(clause, "clause", max_length=60, required=False),
        text=_text(text, "text", max_length=5000),
        by=by,
    )
    hub.audit(
        actor=by,
        action="review_invitation.opine",
        target=inv.review,
        after={"clause": opinion.clause, "text": opinion.text[:200]},
    )
    return opinion


@transaction.atomic
def opinion_remove(*, opinion: ReviewOpinion, by: User) -> None:
    inv = _lock_invitation(opinion.invitation)
    access.require(by, "review_invitation.opine", inv)
    hub.audit(actor=by, action="review_invitation.unopine", target=inv.review, after={"text": opinion.text[:200]})
    opinion.delete()


@transaction.atomic
def invitation_return(*, invitation: ReviewInvitation, by: User, general: str = "") -> ReviewInvitation:
    """The invitee returns its opinions (at least one, or a general opinion): its ledger entry closes."""
    inv = _lock_invitation(invitation)
    general = _text(general, "general", max_length=5000, required=False)
    if general:
        inv.general = general
    access.require(by, "review_invitation.return", inv)
    inv.returned_by, inv.returned_at = by, timezone.now()
    hub.move(
        inv, by=by, action="review_invitation.return", target=RI.RETURNED, after={"opinions": inv.opinions.count()}
    )
    if inv.general and not inv.opinions.exists():
        # a general opinion alone is still one opinion the government answers
        ReviewOpinion.objects.create(invitation=inv, position=1, text=inv.general, by=by)
    hub.ledger_close_for_source(
        source=inv,
        owner=inv.institution,
        evidence=_("已反馈论证意见 %(n)d 条。") % {"n": inv.opinions.count()},
        done_on=timezone.localdate(),
        by=by,
    )
    r = inv.review
    hub.notify(
        users=_users([r.government]),
        kind="legal_review.returned",
        title=Msg(gettext_noop("论证意见已反馈：%(i)s 对《%(t)s》"), i=inv.institution.short_name, t=r.title),
        key=f"legal_review.returned:{inv.uuid}",
        url=r.get_absolute_url(),
    )
    return inv


@transaction.atomic
def opinion_decide(*, opinion: ReviewOpinion, by: User, adoption: str, reason: str = "") -> ReviewOpinion:
    """采纳 / 部分采纳 / 不采纳; a reason is required unless the opinion is adopted in full."""
    o = ReviewOpinion.objects.select_for_update().select_related("invitation__review").get(pk=opinion.pk)
    access.require(by, "review_opinion.decide", o)
    if adoption not in (AD.ADOPTED, AD.PARTLY, AD.REJECTED):
        raise ValidationError({"adoption": [_("请选择采纳、部分采纳或不采纳。")]})
    reason = _text(reason, "reason", max_length=5000, required=adoption != AD.ADOPTED)
    before = o.adoption
    o.adoption, o.reason, o.decided_by, o.decided_at = adoption, reason, by, timezone.now()
    o.save(update_fields=["adoption", "reason", "decided_by", "decided_at"])
    hub.audit(
        actor=by,
        action="review_opinion.decide",
        target=o.invitation.review,
        before={"adoption": before},
        after={"opinion": str(o.uuid), "adoption": adoption, "reason": reason[:200]},
    )
    return o


def adoption_rows(r: LegalReview) -> list[dict]:
    rows = []
    for inv in r.invitations.select_related("institution").prefetch_related("opinions"):
        for o in inv.opinions.all():
            rows.append({"institution": inv.institution, "opinion": o})
    return rows


def adoption_counts(r: LegalReview) -> dict:
    counts = {AD.ADOPTED: 0, AD.PARTLY: 0, AD.REJECTED: 0, AD.PENDING: 0}
    for row in adoption_rows(r):
        counts[row["opinion"].adoption] += 1
    return counts


class AdoptionTablePdf(PdfDocument):
    """论证意见采纳情况表: every opinion, by whom, on which clause, the answer and its reason."""

    template_name = "meetings/pdf/adoption_table.html"

    def __init__(self, review: LegalReview):
        self.review = review

    def get_context(self) -> dict:
        r = self.review
        return {
            "r": r,
            "rows": adoption_rows(r),
            "counts": adoption_counts(r),
            "date": chinese_date(timezone.localdate()),
        }


def table_filename(r: LegalReview) -> str:
    return f"《{r.title[:60]}》论证意见采纳情况表.pdf"


@in_site_language
def answer_body(r: LegalReview) -> str:
    c = adoption_counts(r)
    lines = [
        _(
            "我单位起草的%(s)s《%(t)s》已于%(d)s送贵院征求论证意见（%(n)s）。感谢贵院提出的意见，"
            "经认真研究，现将采纳情况函告如下："
        )
        % {
            "s": r.get_subject_display(),
            "t": r.title,
            "d": chinese_date(r.invitation_letter.issued_on) if r.invitation_letter.issued_on else "",
            "n": r.invitation_letter.doc_number,
        },
        "",
    ]
    for n, inv in enumerate(r.invitations.select_related("institution").prefetch_related("opinions"), 1):
        ops = list(inv.opinions.all())
        lines.append(
            _("%(n)d. %(i)s提出意见%(k)d条：采纳%(a)d条，部分采纳%(p)d条，不采纳%(r)d条。")
            % {
                "n": n,
                "i": inv.institution.name,
                "k": len(ops),
                "a": sum(o.adoption == AD.ADOPTED for o in ops),
                "p": sum(o.adoption == AD.PARTLY for o in ops),
                "r": sum(o.adoption == AD.REJECTED for o in ops),
            }
        )
    lines += [
        "",
        _("共计意见%(k)d条，采纳%(a)d条，部分采纳%(p)d条，不采纳%(r)d条。逐条采纳情况及理由见附件。")
        % {
            "k": sum(c.values()),
            "a": c[AD.ADOPTED],
            "p": c[AD.PARTLY],
            "r": c[AD.REJECTED],
        },
    ]
    return "\n".join(lines)


@transaction.atomic
def review_conclude(*, review: LegalReview, by: User) -> LegalReview:
    """Every opinion answered: the answer letter is drafted with the adoption table attached and
    goes to the head for sign-off."""
    r = _lock(review)
    access.require(by, "legal_review.conclude", r)
    invitees = [i.institution for i in r.invitations.select_related("institution")]
    letter = hub.letter_create(
        by=by,
        title=Msg(gettext_noop("关于《%(t)s》论证意见采纳情况的函"), t=r.title).stored(),
        body=answer_body(r),
        addressees=invitees,
        series=Letter.Series.HAN,
        source=r,
    )
    pdf = AdoptionTablePdf(r).render()
    hub.attachment_add(letter=letter, by=by, upload=SimpleUploadedFile(table_filename(r), pdf, "application/pdf"))
    r.answer_letter = hub.letter_submit(letter=letter, by=by)
    hub.move(r, by=by, action="legal_review.conclude", target=LR.CONCLUDED, after={"letter": str(letter.uuid)})
    hub.notify(
        users=_users([r.government], roles=[User.Role.HEAD]),
        kind="legal_review.concluded",
        title=Msg(gettext_noop("论证意见采纳情况待签发：《%(t)s》"), t=r.title),
        key=f"legal_review.concluded:{r.uuid}",
        url=r.get_absolute_url(),
        about=r,
        awaits="legal_review.issue",
    )
    return r


@transaction.atomic
def review_issue(*, review: LegalReview, by: User) -> LegalReview:
    r = _lock(review)
    access.require(by, "legal_review.issue", r)
    hub.letter_issue(letter=r.answer_letter, by=by)  # the letter_issued signal moves the review
    r.refresh_from_db()
    return r


def _issued(r: LegalReview, letter: Letter, by) -> None:
    hub.move(r, by=by, action="legal_review.issue", target=LR.ISSUED, after={"letter": letter.doc_number})
    hub.notify(
        users=_users([i.institution for i in r.invitations.select_related("institution")]),
        kind="legal_review.answered",
        title=Msg(gettext_noop("论证意见采纳情况：《%(t)s》"), t=r.title),
        key=f"legal_review.answered:{r.uuid}",
        url=r.get_absolute_url(),
    )
