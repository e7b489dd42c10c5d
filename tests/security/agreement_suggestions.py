"""Agreement subjects for suggestions/ (see test_agreement.py): a suggestion in every state and
in the conditions its transitions read (a reply drafted this round, an extension pending), a
reply pending and sent, an extension request pending, approved and refused."""

from suggestions import services as sg
from suggestions.models import Extension, Reply, Suggestion


def subjects(world):
    court = ("court_clerk", "court_head")
    proc = ("proc_staff", "proc_head")

    def draft(author, recipient, **extra):
        return sg.suggestion_create(
            by=world[author],
            recipient=world[recipient].institution,
            title="协调一致测试建议",
            problem="问题",
            recommendations="建议",
            **extra,
        )

    def issued(people=court, recipient="agency_staff", **extra):
        clerk, head = people
        s = draft(clerk, recipient, **extra)
        sg.suggestion_submit(suggestion=s, by=world[clerk])
        sg.suggestion_approve(suggestion=s, by=world[head])
        return sg.suggestion_issue(suggestion=s, by=world[head])

    def received(**extra):
        return sg.suggestion_receive(suggestion=issued(touches_procuratorial=True, **extra), by=world["agency_staff"])

    def replied():
        s = received()
        sg.suggestion_reply(suggestion=s, by=world["agency_head"], measures="已整改")
        return Suggestion.objects.get(pk=s.pk)

    def extension(approve=None):
        s = received()
        ext = sg.extension_request(suggestion=s, by=world["agency_staff"], days=10, reasons="需协调")
        if approve is not None:
            sg.extension_decide(extension=ext, by=world["court_head"], approve=approve, reason="期限充足")
        return s, Extension.objects.get(pk=ext.pk)

    out = []
    out.append(("draft", draft("court_clerk", "agency_staff", touches_procuratorial=True)))
    submitted = draft("court_clerk", "agency_staff")
    out.append(("submitted", sg.suggestion_submit(suggestion=submitted, by=world["court_clerk"])))
    approved = draft("court_clerk", "agency_staff")
    sg.suggestion_submit(suggestion=approved, by=world["court_clerk"])
    out.append(("approved", sg.suggestion_approve(suggestion=approved, by=world["court_head"])))
    out.append(("issued, cc the procuratorate", issued(touches_procuratorial=True)))
    out.append(("received", received()))

    asked, pending_ext = extension()
    out.append(("received, extension pending", Suggestion.objects.get(pk=asked.pk)))
    out.append(("extension pending", pending_ext))
    out.append(("extension approved", extension(approve=True)[1]))
    out.append(("extension refused", extension(approve=False)[1]))

    # A staff member's reply waits for the head: no second reply, no extension this round.
    drafted = received()
    reply = sg.suggestion_reply(suggestion=drafted, by=world["agency_staff"], measures="拟回复")
    out.append(("received, reply drafted", Suggestion.objects.get(pk=drafted.pk)))
    out.append(("reply pending", Reply.objects.get(pk=reply.pk)))
    returned = received()
    back = sg.suggestion_reply(suggestion=returned, by=world["agency_staff"], measures="拟回复")
    sg.reply_return(reply=back, by=world["agency_head"], reason="请补充整改时限")
    out.append(("reply returned", Reply.objects.get(pk=back.pk)))
    gone = received()
    withdrawn_reply = sg.reply_withdraw(
        reply=sg.suggestion_reply(suggestion=gone, by=world["agency_staff"], measures="拟回复"),
        by=world["agency_staff"],
    )
    out.append(("received, reply withdrawn", Suggestion.objects.get(pk=gone.pk)))
    out.append(("reply withdrawn", Reply.objects.get(pk=withdrawn_reply.pk)))

    done = replied()
    out.append(("replied", done))
    out.append(("reply sent", done.replies.get()))
    evaluated = sg.suggestion_evaluate(suggestion=replied(), by=world["court_clerk"], evaluation="adopted")
    out.append(("evaluated", evaluated))
    rectifying = sg.suggestion_evaluate(
        suggestion=replied(),
        by=world["court_clerk"],
        evaluation="partly",
        reasons="部分未落实",
        rectify=True,
        rectify_days=30,
    )
    out.append(("rectifying", rectifying))

    withdrawn = issued(touches_procuratorial=True)
    out.append(
        ("withdrawn after issue", sg.suggestion_withdraw(suggestion=withdrawn, by=world["court_head"], reason="撤回"))
    )
    # The procuratorate's own: a draft, an issued one (备案), one withdrawn before issue.
    out.append(("procuratorial draft", draft("proc_staff", "env_staff", subkind="general")))
    out.append(("procuratorial issued", issued(proc, "env_staff", subkind="general")))
    unsent = draft("proc_staff", "env_staff", subkind="general")
    out.append(
        (
            "procuratorial withdrawn draft",
            sg.suggestion_withdraw(suggestion=unsent, by=world["proc_head"], reason="撤回"),
        )
    )
    return out


def _link(user, s):
    sg.suggestion_create(
        by=user,
        recipient=s.recipient,
        title="关联检察建议",
        problem="问题",
        recommendations="建议",
        subkind="general",
        linked_from=s,
    )


ATTEMPT = {
    "suggestion.edit": lambda u, s: sg.suggestion_update(suggestion=s, by=u, title="改后的标题"),
    "suggestion.submit": lambda u, s: sg.suggestion_submit(suggestion=s, by=u),
    "suggestion.approve": lambda u, s: sg.suggestion_approve(suggestion=s, by=u),
    "suggestion.issue": lambda u, s: sg.suggestion_issue(suggestion=s, by=u),
    "suggestion.return": lambda u, s: sg.suggestion_return(suggestion=s, by=u, reason="请修改"),
    "suggestion.receive": lambda u, s: sg.suggestion_receive(suggestion=s, by=u),
    "suggestion.reply": lambda u, s: sg.suggestion_reply(suggestion=s, by=u, measures="措施"),
    "suggestion.request_extension": lambda u, s: sg.extension_request(suggestion=s, by=u, days=5, reasons="理由"),
    "suggestion.evaluate": lambda u, s: sg.suggestion_evaluate(suggestion=s, by=u, evaluation="adopted"),
    "suggestion.link": _link,
    "suggestion.file": lambda u, s: sg.filing_create(
        by=u, kind="suggestion", title="备案", summary="概况", suggestion=s
    ),
    "suggestion.withdraw": lambda u, s: sg.suggestion_withdraw(suggestion=s, by=u, reason="撤回"),
    "reply.approve": lambda u, r: sg.reply_approve(reply=r, by=u),
    "reply.return": lambda u, r: sg.reply_return(reply=r, by=u, reason="请修改"),
    "reply.edit": lambda u, r: sg.reply_edit(reply=r, by=u, measures="改后的措施"),
    "reply.withdraw": lambda u, r: sg.reply_withdraw(reply=r, by=u),
    "extension.decide": lambda u, e: sg.extension_decide(extension=e, by=u, approve=True),
}


def _suggestion(obj) -> Suggestion:
    return obj if isinstance(obj, Suggestion) else obj.suggestion


def page_url(obj):
    """A reply's and an extension request's buttons are on their suggestion's page."""
    return f"/suggestions/{_suggestion(obj).uuid}/"


def api_url(obj):
    """…and in their suggestion's `allowed_actions` (approve-reply, decide-extension)."""
    return f"/api/v1/suggestions/{_suggestion(obj).uuid}/"
