"""City-scale suggestions for `manage.py seed_scale --suggestions N` (see liaison/scale.py).

Courts and procuratorates send suggestions to agencies and governments over three years;
an issued one has its 建议书 letter (deliveries to the recipient and cc's), a received one
a reply deadline on the recipient's ledger, a replied one its reply letter. Judicial
suggestions touching procuratorial duties cc the procuratorate of the court's region, and
some of those are followed by a linked procuratorial suggestion.
"""

import datetime as dt

from liaison.models import Institution, Letter

from .models import Reply, Suggestion

K = Institution.Kind
S = Suggestion.Status
CC = Suggestion.cc.through

PROBLEMS = [
    ("enforcement", "关于规范行政执法程序的建议", "执法程序不规范，未依法告知陈述申辩权利。"),
    ("management", "关于加强行政管理的建议", "日常监管存在薄弱环节，台账记录不完整。"),
    ("litigation", "关于做好行政应诉工作的建议", "负责人出庭应诉率偏低，答辩材料提交不及时。"),
    ("disclosure", "关于规范政府信息公开答复的建议", "信息公开答复超期，答复内容不完整。"),
    ("public_interest", "关于督促依法履行监管职责的建议", "辖区内存在损害公共利益的情形，监管不到位。"),
    ("other", "关于完善工作机制的建议", "部门之间衔接不畅，信息共享不及时。"),
]


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def seed(ctx):
    n = ctx.options["suggestions"]
    if not n:
        return
    rng = ctx.rng
    today = ctx.today
    issuers = ctx.by_kind[K.COURT] + ctx.by_kind[K.PROCURATORATE]
    recipients = ctx.by_kind[K.AGENCY] + ctx.by_kind[K.GOVERNMENT]
    procs = {p.region_id: p for p in ctx.by_kind[K.PROCURATORATE]}
    local = {}
    for r in recipients:
        local.setdefault(r.region_id, []).append(r)
    w, w_cc, w_reply = ctx.writer(Suggestion), ctx.writer(CC), ctx.writer(Reply)
    followable = []  # (suggestion id, court region, recipient) of judicial ones cc'd to a procuratorate
    for _ in range(n):
        linked = None
        if followable and rng.random() < 0.05:
            linked = followable[rng.randrange(len(followable))]
            issuer = procs[linked[1]]
            recipient = linked[2]
        else:
            issuer = issuers[rng.randrange(len(issuers))]
            pool = local.get(issuer.region_id, []) if rng.random() < 0.6 else recipients
            recipient = (pool or recipients)[rng.randrange(len(pool or recipients))]
        kind = Suggestion.Kind.JUDICIAL if issuer.kind == K.COURT else Suggestion.Kind.PROCURATORIAL
        subkind = "" if kind == Suggestion.Kind.JUDICIAL else ("public_interest" if rng.random() < 0.4 else "general")
        category, title, problem = PROBLEMS[rng.randrange(len(PROBLEMS))]
        urgent = rng.random() < 0.05
        period, unit = (15, "days") if urgent else (2, "months")
        created = ctx.date()
        age = (today - created).days
        touches = kind == Suggestion.Kind.JUDICIAL and rng.random() < 0.3
        cc = []
        if touches and issuer.region_id in procs:
            cc.append(procs[issuer.region_id])
        if rng.random() < 0.2:
            sup = recipient.parent or next(g for g in ctx.by_kind[K.GOVERNMENT] if g.level == Institution.Level.CITY)
            if sup.pk != recipient.pk and sup not in cc:
                cc.append(sup)
        # Stage reached, by age.
        r = rng.random()
        if age < 7:
            status = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.ISSUED][min(3, int(r * 4))]
        elif age < 30:
            status = S.ISSUED if r < 0.3 else S.RECEIVED
        elif age < 75:
            status = S.RECEIVED if r < 0.5 else (S.REPLIED if r < 0.9 else S.EVALUATED)
        else:
            status = S.EVALUATED if r < 0.8 else (S.RECTIFYING if r < 0.9 else (S.REPLIED if r < 0.97 else S.WITHDRAWN))
        sid = ctx.ids.take(Suggestion)
        row = {
            "id": sid,
            "uuid": ctx.uuid(),
            "kind": kind,
            "subkind": subkind,
            "issuer_id": issuer.pk,
            "recipient_id": recipient.pk,
            "touches_procuratorial": touches,
            "category": category,
            "title": title,
            "problem": problem,
            "recommendations": "建议依法整改，并于期限内书面回复。",
            "urgent": urgent,
            "reply_period": period,
            "reply_unit": unit,
            "status": status,
            "created_by_id": ctx.user(issuer).pk,
            "created_at": ctx.at(created),
            "linked_from_id": linked[0] if linked else None,
        }
        if status not in (S.DRAFT, S.SUBMITTED):
            row["approved_by_id"] = ctx.user(issuer, "head").pk
        if status in (S.DRAFT, S.SUBMITTED, S.APPROVED):
            w.add(**row)
            for c in cc:
                w_cc.add(id=ctx.ids.take(CC), suggestion_id=sid, institution_id=c.pk)
            continue
        if status == S.WITHDRAWN:
            row["withdrawn_reason"] = "情况已发生变化。"
        issued = min(created + dt.timedelta(days=rng.randrange(1, 6)), today)
        signed_after = None if status == S.ISSUED else rng.randrange(1, 5)
        label = "检察建议书" if kind == Suggestion.Kind.PROCURATORIAL else "司法建议书"
        lid, deliveries = ctx.letter(
            issuer=issuer,
            title=f"{label}：{title}",
            body=f"{recipient.name}：\n{problem}\n建议：依法整改，并于期限内书面回复。",
            to=[recipient],
            cc=cc,
            series=Letter.Series.JIAN,
            issued_on=issued,
            signed_after=signed_after,
            read=status not in (S.ISSUED, S.RECEIVED),
            source=(Suggestion, sid),
        )
        row.update(letter_id=lid, issued_on=issued)
        received = deliveries[0][2]
        if received:
            due = _add_months(received, period) if unit == "months" else received + dt.timedelta(days=period)
            row.update(
                received_on=received,
                reply_due=due,
                reply_due_explained=f"自签收之日起{period}{'个月' if unit == 'months' else '日'}",
            )
            replied = None
            if status in (S.REPLIED, S.EVALUATED, S.RECTIFYING):
                latest = min(today, due + dt.timedelta(days=10))
                replied = received + dt.timedelta(days=rng.randrange(5, max(6, (latest - received).days + 1)))
                replied = min(replied, today)
                rlid, _ = ctx.letter(
                    issuer=recipient,
                    title=f"关于{label}办理情况的回复",
                    body=f"{issuer.name}：\n收悉后我单位高度重视，已逐项整改。",
                    to=[issuer],
                    series=Letter.Series.FU,
                    issued_on=replied,
                    signed_after=1,
                    read=True,
                )
                w_reply.add(
                    id=ctx.ids.take(Reply),
                    uuid=ctx.uuid(),
                    suggestion_id=sid,
                    round=1,
                    measures="已逐项整改，建立长效机制。",
                    status=Reply.Status.SENT,
                    letter_id=rlid,
                    created_by_id=ctx.user(recipient).pk,
                    created_at=ctx.at(replied, 9),
                    sent_on=replied,
                )
                row["replied_on"] = replied
                if status in (S.EVALUATED, S.RECTIFYING):
                    ev = ["adopted", "adopted", "adopted", "partly", "not_adopted"][rng.randrange(5)]
                    row.update(
                        evaluation=ev, evaluated_on=min(replied + dt.timedelta(days=rng.randrange(3, 20)), today)
                    )
            if status != S.WITHDRAWN:
                ctx.ledger(
                    owner=recipient,
                    title=f"书面回复：{title}",
                    start_date=received,
                    period=period,
                    unit=unit,
                    source=(Suggestion, sid),
                    done_on=replied,
                )
        w.add(**row)
        for c in cc:
            w_cc.add(id=ctx.ids.take(CC), suggestion_id=sid, institution_id=c.pk)
        if touches and cc and not linked:
            followable.append((sid, issuer.region_id, recipient))
    # Canaries: drafts only their issuer sees.
    for issuer in issuers:
        mark = ctx.canary(issuer)
        recipient = recipients[rng.randrange(len(recipients))]
        w.add(
            id=ctx.ids.take(Suggestion),
            uuid=ctx.uuid(),
            kind=Suggestion.Kind.JUDICIAL if issuer.kind == K.COURT else Suggestion.Kind.PROCURATORIAL,
            subkind="" if issuer.kind == K.COURT else "general",
            issuer_id=issuer.pk,
            recipient_id=recipient.pk,
            title=f"内部草稿 {mark}",
            problem=mark,
            recommendations=mark,
            reply_period=2,
            reply_unit="months",
            status=S.DRAFT,
            created_by_id=ctx.user(issuer).pk,
            created_at=ctx.at(today, 8),
        )
    ctx.flush()
    ctx.say(f"建议 {w.count} 件（抄送 {w_cc.count}，回复 {w_reply.count}）")
