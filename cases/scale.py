"""City-scale cases for `manage.py seed_scale --cases N` (see liaison/scale.py).

Every court hears cases over the three years: county courts mostly against their county
government and its bureau, the railway court against city departments, the intermediate
court first instance against governments and appeals against anyone. Cases age into
concluded and effective with outcomes in court-statistics proportions, hearings record
each defendant's appearance, and a small share carries the work around cases
(coordination, supervision, observation, disputes, 裁执分离, clues, reviews).
"""

import datetime as dt

from liaison.models import Institution

from .models import (
    AdministrativeCase,
    Appearance,
    CaseSupervision,
    Cause,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Hearing,
    HearingDefendant,
    Observation,
    ObservationAttendance,
    Outcome,
    Review,
    SupervisionApplication,
)

K = Institution.Kind
Case = AdministrativeCase
Defendants = AdministrativeCase.defendants.through
Participants = Review.participants.through

INSTANCE_WEIGHTS = [("first", 75), ("second", 18), ("retrial", 2), ("non_litigation", 5)]
INSTANCE_MARK = {"first": "行初", "second": "行终", "retrial": "行再", "non_litigation": "行审"}
OUTCOME_WEIGHTS = {
    "dismiss_claims": 33,
    "revoke": 10,
    "partly_revoke": 2,
    "alter": 1,
    "confirm_illegal": 5,
    "confirm_void": 1,
    "order_perform": 3,
    "order_pay": 1,
    "dismiss_suit": 15,
    "other_ruling": 3,
    "withdrawal": 22,
    "mediation": 4,
}
CAUSE_WEIGHTS = {
    "行政处罚": 22,
    "行政强制措施": 6,
    "行政强制执行": 8,
    "行政许可": 5,
    "行政征收或者征用": 10,
    "行政登记": 5,
    "行政确认": 6,
    "政府信息公开": 9,
    "行政协议": 5,
    "行政补偿": 5,
    "行政赔偿": 3,
    "不履行职责": 8,
    "行政复议": 4,
    "行政处理": 4,
}
SURNAMES = "韦覃黄梁莫蓝潘廖陆罗周吴杨李王张刘陈"
COMPANIES = ["柳州市某建材有限公司", "广西某物流有限公司", "柳州某房地产开发有限公司", "某村民委员会"]
MAJOR = ["land_expropriation", "demolition", "environment", "group_interest", "major_project"]
SUMMON = ["must_public_interest", "must_public_concern", "must_mass_incident", "may_other"]


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    cum, acc = [], 0
    for value, w in pairs:
        acc += w
        cum.append((acc / total, value))

    def pick():
        r = rng.random()
        for edge, value in cum:
            if r < edge:
                return value
        return cum[-1][1]

    return pick


def _court_code(court: Institution, index: int) -> str:
    if court.level == Institution.Level.CITY:
        return "桂71" if court.parent_id else "桂02"
    return f"桂02{index + 2:02d}"


def seed(ctx):
    n = ctx.options["cases"]
    if not n:
        return
    rng = ctx.rng
    courts = ctx.by_kind[K.COURT]
    county_courts = [c for c in courts if c.level == Institution.Level.COUNTY]
    city_court = next(c for c in courts if c.level == Institution.Level.CITY and not c.parent_id)
    rail_court = next((c for c in courts if c.level == Institution.Level.CITY and c.parent_id), city_court)
    codes = {c.pk: _court_code(c, i) for i, c in enumerate(county_courts)}
    codes[city_court.pk] = "桂02"
    codes[rail_court.pk] = "桂71"
    govs = ctx.by_kind[K.GOVERNMENT]
    city_gov = next(g for g in govs if g.level == Institution.Level.CITY)
    city_agencies = [a for a in ctx.by_kind[K.AGENCY] if a.level == Institution.Level.CITY]
    county = {}  # region -> (government, agencies, procuratorate)
    for inst in ctx.institutions:
        if inst.level == Institution.Level.COUNTY:
            county.setdefault(inst.region_id, {}).setdefault(inst.kind, []).append(inst)
    procs = {p.region_id: p for p in ctx.by_kind[K.PROCURATORATE]}
    every_defendant = govs + ctx.by_kind[K.AGENCY]
    causes = {c.name: c.pk for c in Cause.objects.all()}
    cause = _weighted(rng, [(causes[name], w) for name, w in CAUSE_WEIGHTS.items() if name in causes])
    outcomes = {o.code: o for o in Outcome.objects.all()}
    outcome = _weighted(rng, [(outcomes[c], w) for c, w in OUTCOME_WEIGHTS.items() if c in outcomes])
    instance = _weighted(rng, INSTANCE_WEIGHTS)
    court_pick = _weighted(
        rng, [(city_court, 20), (rail_court, 15)] + [(c, 65 / len(county_courts)) for c in county_courts]
    )

    def defendants_for(court, inst_kind):
        k = 1 if rng.random() < 0.8 else (2 if rng.random() < 0.85 else 3)
        if court is rail_court:
            pool = city_agencies
        elif court is city_court:
            pool = every_defendant if inst_kind != "first" else [city_gov] + [g for g in govs if g is not city_gov]
        else:
            c = county.get(court.region_id, {})
            local = c.get(K.GOVERNMENT, []) + c.get(K.AGENCY, [])
            pool = local if rng.random() < 0.6 else local + city_agencies
        return rng.sample(pool, min(k, len(pool)))

    numbers: dict[tuple, int] = {}
    w_case, w_def = ctx.writer(Case), ctx.writer(Defendants)
    w_hearing, w_app = ctx.writer(Hearing), ctx.writer(Appearance)
    w_place = ctx.writer(HearingDefendant)  # the indicators' dated copies (cases.indexing), written with the rows
    extras = []  # (case id, court, defendants, filed, status, effective_on, major)
    today = ctx.today
    canary_at = {rng.randrange(n): None for _ in range(min(n, 3 * len(courts)))}
    for k in range(n):
        court = court_pick()
        inst_kind = instance()
        filed = ctx.date()
        key = (court.pk, filed.year, inst_kind)
        numbers[key] = numbers.get(key, 0) + 1
        number = f"（{filed.year}）{codes[court.pk]}{INSTANCE_MARK[inst_kind]}{numbers[key]}号"
        defendants = defendants_for(court, inst_kind)
        age = (today - filed).days
        status, out, concluded, effective, obligation, performed = Case.Status.PENDING, None, None, None, None, None
        if age > 45 and rng.random() < min(1.0, age / 200):
            concluded = filed + dt.timedelta(days=rng.randrange(30, min(age, 180) + 1))
            out = outcome()
            status = Case.Status.CONCLUDED
            effective_candidate = concluded + dt.timedelta(days=rng.randrange(15, 45))
            if effective_candidate < today:
                status, effective = Case.Status.EFFECTIVE, effective_candidate
                if out.kind == Outcome.Kind.JUDGMENT and out.counts_as_lost:
                    obligation = rng.random() < 0.8
                    performed = rng.random() < 0.85 if obligation else None
                elif out.kind == Outcome.Kind.JUDGMENT:
                    obligation = False
        major = MAJOR[rng.randrange(len(MAJOR))] if rng.random() < 0.02 else ""
        cid = ctx.ids.take(Case)
        plaintiff = (
            COMPANIES[rng.randrange(len(COMPANIES))] if rng.random() < 0.2 else f"{SURNAMES[rng.randrange(18)]}某"
        )
        summary = "原告不服被告作出的行政行为，诉至本院。"
        if k in canary_at:
            mark = ctx.canary(court)
            summary = f"{summary}{mark}"
            plaintiff = f"{plaintiff}\n{mark}"
        cause_id = cause()
        w_case.add(
            id=cid,
            uuid=ctx.uuid(),
            number=number,
            court_id=court.pk,
            instance=inst_kind,
            cause_id=cause_id,
            plaintiffs=plaintiff,
            filed_on=filed,
            status=status,
            major_category=major,
            outcome_id=out.pk if out else None,
            concluded_on=concluded,
            effective_on=effective,
            imposes_obligation=obligation,
            performed_voluntarily=performed,
            summary=summary,
            created_by_id=ctx.user(court).pk,
            created_at=ctx.at(filed),
            updated_at=ctx.at(effective or concluded or filed),
        )
        for d in defendants:
            w_def.add(
                id=ctx.ids.take(Defendants),
                administrativecase_id=cid,
                institution_id=d.pk,
                instance=inst_kind,
                cause_id=cause_id,
                outcome_id=out.pk if out else None,
                concluded_on=concluded,
                effective_on=effective,
                imposes_obligation=obligation,
                performed_voluntarily=performed,
            )
        if age > 20:
            r = rng.random()
            hearings = 0 if r < 0.64 else (1 if r < 0.97 else 2)
            for h in range(hearings):
                held = filed + dt.timedelta(days=rng.randrange(15, min(age, 120) + 1))
                hid = ctx.ids.take(Hearing)
                w_hearing.add(id=hid, uuid=ctx.uuid(), case_id=cid, held_on=held, court_room=f"第{h % 4 + 1}法庭")
                for d in defendants:
                    r2 = rng.random()
                    kind = "head" if r2 < 0.5 else ("delegated" if r2 < 0.92 else "none")
                    summoned = rng.random() < 0.3
                    w_app.add(
                        id=ctx.ids.take(Appearance),
                        hearing_id=hid,
                        defendant_id=d.pk,
                        kind=kind,
                        person_name=f"{SURNAMES[rng.randrange(18)]}某" if kind != "none" else "",
                        person_post="副局长" if kind == "head" else ("法规科科员" if kind == "delegated" else ""),
                        head_summoned=summoned,
                        summon_basis=SUMMON[rng.randrange(len(SUMMON))] if summoned else "",
                    )
                    w_place.add(
                        id=ctx.ids.take(HearingDefendant),
                        hearing_id=hid,
                        institution_id=d.pk,
                        case_id=cid,
                        held_on=held,
                        concluded_on=concluded,
                        appearance=kind,
                        explained=False,  # no written explanation is uploaded here
                    )
        if major or rng.random() < 0.03:
            extras.append((cid, court, defendants, filed, status, effective, major))
    ctx.flush()
    ctx.say(f"行政案件 {w_case.count}，被告 {w_def.count}，庭审 {w_hearing.count}，出庭情况 {w_app.count}")
    _seed_case_work(ctx, extras, procs, county, city_gov, city_agencies)


def _seed_case_work(ctx, extras, procs, county, city_gov, city_agencies):
    """Coordination on major cases, supervision, observation, reviews; disputes, 裁执分离, clues."""
    rng = ctx.rng
    today = ctx.today
    counts = dict.fromkeys(
        ("coordination", "supervision", "observation", "review", "dispute", "enforcement", "clue"), 0
    )
    for cid, court, defendants, filed, _status, effective, major in extras:
        proc = procs.get(court.region_id)
        gov = next((d for d in defendants if d.kind == K.GOVERNMENT), None) or (
            defendants[0].parent if defendants[0].parent_id else city_gov
        )
        if major:
            opened = min(filed + dt.timedelta(days=rng.randrange(3, 30)), today)
            closed = opened + dt.timedelta(days=rng.randrange(20, 90))
            invited = proc is not None and rng.random() < 0.5
            ctx.writer(Coordination).add(
                id=ctx.ids.take(Coordination),
                uuid=ctx.uuid(),
                case_id=cid,
                court_id=court.pk,
                government_id=gov.pk,
                procuratorate_id=proc.pk if invited else None,
                invited_on=opened if invited else None,
                subject="重大案件协调：依法妥善处理涉案争议",
                status="closed" if closed < today else "open",
                opened_on=opened,
                closed_on=closed if closed < today else None,
                outcome="各方就实质化解达成一致意见。" if closed < today else "",
                created_by_id=ctx.user(court).pk,
            )
            counts["coordination"] += 1
            continue
        roll = rng.random()
        if roll < 0.25 and proc is not None:
            ctx.writer(CaseSupervision).add(
                id=ctx.ids.take(CaseSupervision),
                uuid=ctx.uuid(),
                procuratorate_id=proc.pk,
                case_id=cid,
                opened_on=min(filed + dt.timedelta(days=rng.randrange(10, 60)), today),
                notes="依法对本案审判活动进行监督。",
                created_by_id=ctx.user(proc).pk,
            )
            counts["supervision"] += 1
        elif roll < 0.45:
            oid = ctx.ids.take(Observation)
            held = min(filed + dt.timedelta(days=rng.randrange(20, 90)), today)
            invited = proc is not None and rng.random() < 0.5
            ctx.writer(Observation).add(
                id=oid,
                uuid=ctx.uuid(),
                case_id=cid,
                court_id=court.pk,
                held_on=held,
                title="行政案件庭审观摩",
                procuratorate_id=proc.pk if invited else None,
                created_by_id=ctx.user(court).pk,
            )
            for inst in {d.pk: d for d in defendants}.values():
                ctx.writer(ObservationAttendance).add(
                    id=ctx.ids.take(ObservationAttendance),
                    observation_id=oid,
                    institution_id=inst.pk,
                    invited=10,
                    attended=rng.randrange(5, 11),
                    names="执法人员若干",
                )
            counts["observation"] += 1
        elif roll < 0.55 and effective:
            rid = ctx.ids.take(Review)
            ctx.writer(Review).add(
                id=rid,
                uuid=ctx.uuid(),
                case_id=cid,
                court_id=court.pk,
                held_on=min(effective + dt.timedelta(days=rng.randrange(5, 40)), today),
                act_problems="程序瑕疵。",
                litigation_work="负责人出庭应诉。",
                created_by_id=ctx.user(court).pk,
            )
            for inst in {d.pk: d for d in defendants}.values():
                ctx.writer(Participants).add(id=ctx.ids.take(Participants), review_id=rid, institution_id=inst.pk)
            counts["review"] += 1
        elif roll < 0.75:
            agency = defendants[0]
            received = max(filed - dt.timedelta(days=rng.randrange(10, 60)), ctx.start)
            resolved = rng.random() < 0.6
            ctx.writer(Dispute).add(
                id=ctx.ids.take(Dispute),
                uuid=ctx.uuid(),
                title="行政争议诉前化解",
                applicant=f"{SURNAMES[rng.randrange(18)]}某",
                agency_id=agency.pk,
                government_id=gov.pk,
                court_id=court.pk,
                procuratorate_id=proc.pk if proc and rng.random() < 0.3 else None,
                summary="申请人对行政行为有异议，申请诉前化解。",
                received_on=received,
                status="resolved" if resolved else "filed",
                outcome_on=received + dt.timedelta(days=rng.randrange(5, 30)) if resolved else None,
                case_id=None if resolved else cid,
                created_by_id=ctx.user(court).pk,
                created_at=ctx.at(received),
            )
            counts["dispute"] += 1
        elif roll < 0.9:
            eid = ctx.ids.take(Enforcement)
            applicant = defendants[0]
            applied = min(filed + dt.timedelta(days=rng.randrange(30, 200)), today)
            ruled = applied + dt.timedelta(days=rng.randrange(7, 30))
            granted = ruled < today and rng.random() < 0.8
            assignee = gov if granted and rng.random() < 0.6 else None
            ctx.writer(Enforcement).add(
                id=eid,
                uuid=ctx.uuid(),
                court_id=court.pk,
                applicant_id=applicant.pk,
                basis="decision",
                basis_reference=f"{applicant.code}罚决字〔{applied.year}〕{rng.randrange(1, 999)}号",
                respondent=f"{SURNAMES[rng.randrange(18)]}某",
                obligation="限期拆除违法建筑物。",
                money_obligation=rng.random() < 0.4,
                applied_on=applied,
                status=("assigned" if assignee else "court")
                if granted
                else ("applied" if ruled >= today else "refused"),
                ruling=("granted" if granted else ("" if ruled >= today else "refused")),
                ruled_on=ruled if ruled < today else None,
                assignee_id=assignee.pk if assignee else None,
                feedback_due=ruled + dt.timedelta(days=30) if assignee else None,
                created_by_id=ctx.user(court).pk,
                created_at=ctx.at(applied),
            )
            counts["enforcement"] += 1
            if proc is not None and rng.random() < 0.1:
                received = min(applied + dt.timedelta(days=rng.randrange(10, 60)), today)
                ctx.writer(SupervisionApplication).add(
                    id=ctx.ids.take(SupervisionApplication),
                    uuid=ctx.uuid(),
                    procuratorate_id=proc.pk,
                    applicant=f"{SURNAMES[rng.randrange(18)]}某",
                    enforcement_id=eid,
                    court_id=court.pk,
                    enforcing_agency_id=(assignee or applicant).pk,
                    request="申请对强制执行活动进行监督。",
                    received_on=received,
                    decision_due=received + dt.timedelta(days=90),
                    created_by_id=ctx.user(proc).pk,
                )
        else:
            recipient = proc or court
            sent = min(filed + dt.timedelta(days=rng.randrange(10, 100)), today)
            ctx.writer(ClueTransfer).add(
                id=ctx.ids.take(ClueTransfer),
                uuid=ctx.uuid(),
                sender_id=court.pk,
                recipient_id=recipient.pk,
                case_id=cid,
                summary="审理中发现的行政违法线索。",
                sent_on=sent,
                status="sent",
                created_by_id=ctx.user(court).pk,
            )
            counts["clue"] += 1
    ctx.flush()
    ctx.say("案件相关工作：" + "，".join(f"{k} {v}" for k, v in counts.items()))
