"""A small, hand-countable world for the five indicators (2026Q3 unless said otherwise).

Rows are written with the ORM, not the services: these tests are about counting, and the
dates (some in the past quarters) are what the case-work services already validate.
Every expected value in the tests is computed by hand from the table below.

    case  defendants   instance cause  outcome          concluded   effective   obligation/performed
    c1    A            first    处罚   判决撤销 (lost)   2026-07-10  2026-07-25  yes / yes
    c2    A            first    处罚   驳回诉讼请求      2026-08-01  2026-08-20
    c3    A            first    处罚   撤诉              2026-08-05  2026-08-05
    c4    A            first    处罚   调解              2026-09-01  2026-09-01
    c5    A            first    处罚   判决撤销 (lost)   2026-09-25  2026-10-15  (concluded Q3, effective Q4)
    c6    A + E        first    信息公开 确认违法 (lost) 2026-08-10  2026-08-30  yes / no
    c7    E            first    信息公开 驳回诉讼请求    2026-07-15  2026-07-20
    c8    A            second   处罚   判决撤销          2026-08-01  2026-08-15  yes / no
    c9    CJ           first    处罚   判决撤销 (lost)   2026-07-01  2026-07-05  yes / yes
    c10   CG + CJ      first    处罚   驳回诉讼请求      2026-09-05  2026-09-10
    c11   A            first    处罚   (pending)
    c12   A            first    处罚   判决撤销 (lost)   2026-05-01  2026-05-10  (Q2)
    c14   A            first    处罚   驳回诉讼请求      2026-05-20  2026-06-01  (Q2)
    c13   A            first    处罚   驳回诉讼请求      2025-07-20  2025-08-01  (2025Q3)

    hearing case  held_on     appearances
    h1      c1    2026-07-05  A head
    h2      c2    2026-07-20  A delegated with a written explanation
    h3      c2    2026-07-28  A none
    h4      c3    2026-08-20  (after the withdrawal on 08-05: did not take place)
    h5      c6    2026-08-01  A head, E delegated with a written explanation
    h6      c7    2026-07-10  (nothing recorded for E)
    h7      c10   2026-08-15  CG head, CJ none
    h8      c11   2026-09-05  A head
    h9      c11   2026-12-20  A — (Q4, after "today" 2026-12-01: not yet held)
    h10     c12   2026-04-15  A none (Q2)

    suggestion kind      recipient reply_due   replied_on  status
    s1      judicial      A         2026-08-31  2026-08-20  replied (on time)
    s2      judicial      A         2026-09-15  2026-10-10  replied (late, in Q4)
    s3      judicial      A         2026-09-30  —           received
    s4      judicial      E         2026-07-31  2026-06-20  replied (early, in Q2)
    s5      procuratorial A         2026-08-31  2026-08-25  replied (counted only if the rules say so)
    s6      judicial      A         2026-08-31  —           withdrawn
    s7      judicial      CJ        2026-08-10  2026-08-09  replied

A = 市城管局, E = 市生态环境局 (city); CG = 城中区政府, CJ = 城中区司法局 (城中区);
T = 市交通运输局 has nothing at all (empty denominators).
"""

import datetime as dt
import itertools

import pytest

from cases.models import AdministrativeCase, Appearance, Cause, Hearing, Outcome
from liaison.models import Letter
from suggestions.models import Suggestion

D = dt.date.fromisoformat
TODAY = D("2026-12-01")

A = "柳州市城市管理行政执法局"
E = "柳州市生态环境局"
T = "柳州市交通运输局"
CG = "柳州市城中区人民政府"
CJ = "柳州市城中区司法局"

_numbers = itertools.count(1)


@pytest.fixture
def counted(world, inst):
    court = inst["柳州市中级人民法院"]
    clerk = world["court_clerk"]
    punish = Cause.objects.get(name="行政处罚")
    disclosure = Cause.objects.get(name="政府信息公开")
    out = {o.code: o for o in Outcome.objects.all()}

    def case(
        key, defendants, cause, outcome, concluded, effective, *, instance="first", obligation=None, performed=None
    ):
        year = (D(concluded) if concluded else TODAY).year
        c = AdministrativeCase.objects.create(
            number=f"（{year}）桂02行{'初' if instance == 'first' else '终'}{next(_numbers)}号",
            court=court,
            instance=instance,
            cause=cause,
            plaintiffs=f"原告{key}",
            filed_on=D("2025-01-02"),
            status="effective" if effective else ("concluded" if concluded else "pending"),
            outcome=out[outcome] if outcome else None,
            concluded_on=D(concluded) if concluded else None,
            effective_on=D(effective) if effective else None,
            imposes_obligation=obligation,
            performed_voluntarily=performed,
            summary=key,
            created_by=clerk,
        )
        c.defendants.set([inst[d] for d in defendants])
        return c

    cases = {
        "c1": case("c1", [A], punish, "revoke", "2026-07-10", "2026-07-25", obligation=True, performed=True),
        "c2": case("c2", [A], punish, "dismiss_claims", "2026-08-01", "2026-08-20"),
        "c3": case("c3", [A], punish, "withdrawal", "2026-08-05", "2026-08-05"),
        "c4": case("c4", [A], punish, "mediation", "2026-09-01", "2026-09-01"),
        "c5": case("c5", [A], punish, "revoke", "2026-09-25", "2026-10-15"),
        "c6": case(
            "c6", [A, E], disclosure, "confirm_illegal", "2026-08-10", "2026-08-30", obligation=True, performed=False
        ),
        "c7": case("c7", [E], disclosure, "dismiss_claims", "2026-07-15", "2026-07-20"),
        "c8": case(
            "c8", [A], punish, "revoke", "2026-08-01", "2026-08-15", instance="second", obligation=True, performed=False
        ),
        "c9": case("c9", [CJ], punish, "revoke", "2026-07-01", "2026-07-05", obligation=True, performed=True),
        "c10": case("c10", [CG, CJ], punish, "dismiss_claims", "2026-09-05", "2026-09-10"),
        "c11": case("c11", [A], punish, None, None, None),
        "c12": case("c12", [A], punish, "revoke", "2026-05-01", "2026-05-10"),
        "c14": case("c14", [A], punish, "dismiss_claims", "2026-05-20", "2026-06-01"),
        "c13": case("c13", [A], punish, "dismiss_claims", "2025-07-20", "2025-08-01"),
    }

    hearings = {}

    def hearing(key, case_key, held_on, *appearances):
        h = Hearing.objects.create(case=cases[case_key], held_on=D(held_on))
        for defendant, kind in appearances:
            Appearance.objects.create(
                hearing=h,
                defendant=inst[defendant],
                kind=kind,
                person_name="出庭人" if kind != "none" else "",
                person_post="局长" if kind == "head" else "",
                explanation="appearances/2026/说明.pdf" if kind == "delegated" else "",
            )
        hearings[key] = h

    hearing("h1", "c1", "2026-07-05", (A, "head"))
    hearing("h2", "c2", "2026-07-20", (A, "delegated"))
    hearing("h3", "c2", "2026-07-28", (A, "none"))
    hearing("h4", "c3", "2026-08-20")
    hearing("h5", "c6", "2026-08-01", (A, "head"), (E, "delegated"))
    hearing("h6", "c7", "2026-07-10")
    hearing("h7", "c10", "2026-08-15", (CG, "head"), (CJ, "none"))
    hearing("h8", "c11", "2026-09-05", (A, "head"))
    hearing("h9", "c11", "2026-12-20")
    hearing("h10", "c12", "2026-04-15", (A, "none"))

    def suggestion(key, recipient, reply_due, replied_on, status, kind="judicial"):
        issuer = court if kind == "judicial" else inst["柳州市人民检察院"]
        letter = Letter.objects.create(
            issuer=issuer, series="jian", title=f"建议{key}", body="正文", status="issued", created_by=clerk
        )
        return Suggestion.objects.create(
            kind=kind,
            letter=letter,
            issuer=issuer,
            recipient=inst[recipient],
            title=f"建议{key}",
            problem="问题",
            recommendations="建议",
            reply_period=2,
            reply_unit="months",
            status=status,
            issued_on=D("2026-06-01"),
            received_on=D("2026-06-05"),
            reply_due=D(reply_due),
            replied_on=D(replied_on) if replied_on else None,
            created_by=clerk,
        )

    suggestions = {
        "s1": suggestion("s1", A, "2026-08-31", "2026-08-20", "replied"),
        "s2": suggestion("s2", A, "2026-09-15", "2026-10-10", "replied"),
        "s3": suggestion("s3", A, "2026-09-30", None, "received"),
        "s4": suggestion("s4", E, "2026-07-31", "2026-06-20", "replied"),
        "s5": suggestion("s5", A, "2026-08-31", "2026-08-25", "replied", kind="procuratorial"),
        "s6": suggestion("s6", A, "2026-08-31", None, "withdrawn"),
        "s7": suggestion("s7", CJ, "2026-08-10", "2026-08-09", "replied"),
    }
    return {"cases": cases, "hearings": hearings, "suggestions": suggestions, "inst": inst}
