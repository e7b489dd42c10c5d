"""City-scale meetings for `manage.py seed_scale --meetings N` (see liaison/scale.py).

Meetings of the four kinds an office convenes (领导小组, “三长”, 联动工作, 定向会商) over the
seeded years, in the states the services leave them: a proposal (some declined), a convened
meeting with invitations and a pending notice, a notified one (issued 通知 to the invitees,
replies coming in), a held one (decisions drafted) and a minuted one (issued 纪要, every
decision on its owner's ledger: open, reported or done), some cancelled. Future meetings are
not yet held; past ones mostly are.
"""

import datetime as dt

from liaison.models import Institution, LedgerEntry, Letter, User

from .models import Decision, Invitation, Meeting, MeetingKind, Minutes

K = Institution.Kind
MS = Meeting.Status
DS = Decision.Status
CATEGORIES = ["leading_group", "sanzhang", "work", "consultation"]
TOPICS = [
    "行政机关负责人出庭应诉",
    "行政争议诉前化解",
    "违法建设查处",
    "政府信息公开答复",
    "征地拆迁补偿",
    "非诉执行案件办理",
    "行政执法案卷评查",
    "柳江水环境保护",
]
TASKS = [
    "牵头制定{t}工作方案，报领导小组办公室备案。",
    "梳理{t}存在的问题，形成整改清单。",
    "组织{t}专题培训，提交培训总结。",
    "会同有关单位开展{t}联合检查，报送检查情况。",
]


def _day_after(day: dt.date, lo: int, hi: int, ctx) -> dt.date:
    return day + dt.timedelta(days=ctx.rng.randint(lo, hi))


def seed(ctx):
    n = ctx.options.get("meetings") or 0
    if not n:
        return
    rng, today = ctx.rng, ctx.today
    kinds = list(MeetingKind.objects.filter(category__in=CATEGORIES, is_active=True).order_by("position", "pk"))
    offices = {o.region_id: o for o in ctx.by_kind[K.OFFICE]}
    city_office = next((o for o in ctx.by_kind[K.OFFICE] if o.level == Institution.Level.CITY), None)
    if not kinds or city_office is None:
        ctx.say("会议：没有会议类别或领导小组办公室，跳过。")
        return
    members = [i for i in ctx.institutions if i.kind != K.OFFICE]
    by_kind = {k: ctx.by_kind[k] for k in (K.GOVERNMENT, K.COURT, K.PROCURATORATE, K.AGENCY)}
    w_meeting, w_invite, w_decision, w_minutes = (
        ctx.writer(Meeting),
        ctx.writer(Invitation),
        ctx.writer(Decision),
        ctx.writer(Minutes),
    )
    counts = dict.fromkeys(MS.values, 0)
    for _ in range(n):
        kind = kinds[rng.randrange(len(kinds))]
        proposer = members[rng.randrange(len(members))]
        convener = offices.get(proposer.region_id, city_office)
        if kind.office_only:
            proposer = convener
        # Some proposals are recent, so that there are meetings still to come.
        proposed_on = ctx.date(today - dt.timedelta(days=30)) if rng.random() < 0.15 else ctx.date()
        starts_on = _day_after(proposed_on, 7, 30, ctx)
        if starts_on > today:
            status = rng.choices([MS.PROPOSED, MS.CONVENED, MS.NOTIFIED, MS.CANCELLED], [3, 2, 5, 0.3])[0]
        else:
            status = rng.choices([MS.DECLINED, MS.CANCELLED, MS.HELD, MS.MINUTED], [0.5, 0.5, 1.5, 7.5])[0]
        held_on = starts_on if status in (MS.HELD, MS.MINUTED) else None
        minutes_on = _day_after(starts_on, 3, 10, ctx) if status == MS.MINUTED else None
        if minutes_on and minutes_on > today:
            status, minutes_on = MS.HELD, None
        accepted = status not in (MS.PROPOSED, MS.DECLINED)
        mid = ctx.ids.take(Meeting)
        topic = TOPICS[rng.randrange(len(TOPICS))]
        row = {
            "id": mid,
            "uuid": ctx.uuid(),
            "kind_id": kind.pk,
            "title": f"{kind.name}：研究{topic}工作",
            "reasons": f"{topic}工作中存在需要共同研究解决的问题，提请召开会议会商。",
            "proposer_id": proposer.pk,
            "proposed_by_id": ctx.user(proposer).pk,
            "proposed_date": starts_on,
            "convener_id": convener.pk,
            "status": status,
            "created_at": ctx.at(proposed_on, 9),
        }
        if status == MS.DECLINED:
            row["decline_reason"] = "相关事项已在其他会议中研究，不再另行召集。"
        if accepted:
            row.update(
                starts_at=ctx.at(starts_on, rng.choice([9, 10, 15])),
                location=f"{convener.short_name}会议室",
            )
        invitees = []
        if accepted:
            wanted = [i for k in (kind.default_invitee_kinds or []) for i in by_kind.get(k, [])]
            pool = [i for i in (wanted or members) if i.pk != convener.pk]
            invitees = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
            if proposer.pk != convener.pk and proposer not in invitees:
                invitees.append(proposer)
        notice_on = None
        if status == MS.CONVENED:
            row["notice_letter_id"], _ = ctx.letter(
                issuer=convener,
                title=f"关于召开{kind.name}的通知",
                body=f"定于{starts_on.isoformat()}召开{kind.name}，研究{topic}工作。",
                to=invitees,
                series=Letter.Series.TONGZHI,
                status=Letter.Status.PENDING,
                issued_on=proposed_on,  # dates the draft only: a pending letter is not issued
                source=(Meeting, mid),
            )
        elif accepted:
            notice_on = max(proposed_on, min(starts_on - dt.timedelta(days=rng.randint(3, 7)), today))
            row["notice_letter_id"], _ = ctx.letter(
                issuer=convener,
                title=f"关于召开{kind.name}的通知",
                body=f"定于{starts_on.isoformat()}召开{kind.name}，研究{topic}工作。",
                to=invitees,
                series=Letter.Series.TONGZHI,
                issued_on=notice_on,
                signed_after=1,
                source=(Meeting, mid),
            )
        if status == MS.CANCELLED:
            row["cancel_reason"] = "因工作安排调整，会议取消。"
        if held_on:
            row["held_on"] = held_on
        w_meeting.add(**row)
        counts[status] += 1
        attending = []
        for inst in invitees:
            inv = {"id": ctx.ids.take(Invitation), "uuid": ctx.uuid(), "meeting_id": mid, "institution_id": inst.pk}
            replied = notice_on is not None and (starts_on <= today or rng.random() < 0.6)
            if replied:
                reply_on = min(_day_after(notice_on, 0, 3, ctx), today)
                inv.update(responded_by_id=ctx.user(inst).pk, responded_at=ctx.at(reply_on))
                if rng.random() < 0.88:
                    inv.update(status=Invitation.Status.ATTENDING, attendees=f"{inst.short_name}分管负责人")
                    attending.append(inst)
                else:
                    inv.update(status=Invitation.Status.APOLOGY, apology_reason="与其他公务冲突。")
            w_invite.add(**inv)
        if not held_on:
            continue
        decisions = []
        owners = attending or invitees
        for position in range(rng.randint(1, 4)):
            owner = owners[rng.randrange(len(owners))]
            decisions.append(
                (ctx.ids.take(Decision), position, owner, TASKS[rng.randrange(len(TASKS))].format(t=topic))
            )
        if minutes_on:
            minutes_letter, _ = ctx.letter(
                issuer=convener,
                title=f"{kind.name}纪要",
                body=f"{held_on.isoformat()}召开{kind.name}，研究{topic}工作。会议议定事项如下。",
                to=attending or invitees,
                cc=list({o.pk: o for _, _, o, _ in decisions if o not in (attending or invitees)}.values()),
                series=Letter.Series.JIYAO,
                issued_on=minutes_on,
                signed_after=1,
                source=(Meeting, mid),
            )
            w_minutes.add(
                id=ctx.ids.take(Minutes),
                uuid=ctx.uuid(),
                meeting_id=mid,
                title=f"{kind.name}纪要",
                body=f"会议研究了{topic}工作。",
                status=Minutes.Status.ISSUED,
                letter_id=minutes_letter,
                drafted_by_id=ctx.user(convener).pk,
                approved_by_id=ctx.user(convener, User.Role.HEAD).pk,
                created_at=ctx.at(held_on, 17),
            )
        for did, position, owner, text in decisions:
            d = {
                "id": did,
                "uuid": ctx.uuid(),
                "meeting_id": mid,
                "position": position,
                "text": text,
                "owner_id": owner.pk,
                "period": kind.decision_period,
                "unit": kind.decision_unit,
                "created_at": ctx.at(held_on, 17),
            }
            if not minutes_on:
                days = kind.decision_period * (30 if kind.decision_unit == "months" else 1)
                w_decision.add(**d, due_date=held_on + dt.timedelta(days=days), status=DS.DRAFT)
                continue
            done_on = reported_on = None
            roll = rng.random()
            if roll < 0.6:
                reported_on = min(_day_after(minutes_on, 5, 60, ctx), today)
                done_on = reported_on if roll < 0.45 else None
            due = ctx.ledger(
                owner=owner,
                title=f"落实议定事项：{text[:40]}",
                start_date=held_on,
                period=kind.decision_period,
                unit=kind.decision_unit,
                source=(Decision, did),
                done_on=done_on,
            )
            ledger_id = ctx.ids.next[LedgerEntry] - 1  # the entry ctx.ledger just wrote
            d.update(due_date=due, ledger_entry_id=ledger_id)
            if done_on:
                d.update(
                    status=DS.DONE,
                    evidence="已按期落实，材料已报送。",
                    reported_on=reported_on,
                    done_on=done_on,
                    confirmed_by_id=ctx.user(convener).pk,
                )
            elif reported_on:
                d.update(status=DS.REPORTED, evidence="已落实，请审核。", reported_on=reported_on)
            else:
                d.update(status=DS.OPEN)
            w_decision.add(**d)
    ctx.say(
        f"会议 {n} 个（" + "，".join(f"{MS(s).label} {c}" for s, c in counts.items() if c) + "），"
        f"邀请 {len(w_invite.rows) + w_invite.count}，议定事项 {len(w_decision.rows) + w_decision.count}"
    )
