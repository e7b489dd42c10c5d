"""The expected answers of the cross-tenant matrix, written for the test from the SPEC,
not derived from the application's access code.

VISIBLE[record]      personas whose institution may see the record
ALLOWED[verb][record] personas who may perform the verb on a record they can see
"""

PERSONAS = [
    "court_clerk",
    "court_head",
    "proc_staff",
    "proc_head",
    "gov_legal",
    "gov_head",
    "justice_legal",
    "agency_staff",
    "agency_head",
    "env_staff",
    "county_clerk",
    "county_head",
    "county_gov_legal",
    "office",
    "auditor",
    "admin",
]

ACTING = {p for p in PERSONAS if p not in ("auditor", "admin")}

COURT = {"court_clerk", "court_head"}
AGENCY = {"agency_staff", "agency_head"}
GOV = {"gov_legal", "gov_head"}
OFFICE = {"office", "auditor"}  # the city office and its auditor oversee the whole city

PROC = {"proc_staff", "proc_head"}
COUNTY_COURT = {"county_clerk", "county_head"}

VISIBLE = {
    # 市中院 → 市城管局, cc 市政府
    "letter_issued": COURT | AGENCY | GOV | OFFICE,
    "letter_signed": COURT | AGENCY | OFFICE,
    # 市检察院 → 市生态环境局
    "letter_proc": {"proc_staff", "proc_head", "env_staff"} | OFFICE,
    # 城中区法院 → 城中区政府
    "letter_county": {"county_clerk", "county_head", "county_gov_legal"} | OFFICE,
    # drafts and letters awaiting sign-off stay inside the issuer
    "letter_draft": COURT,
    "letter_pending": COURT,
    # ledger: the owner, its superior (the city government), the office
    "entry_agency": AGENCY | GOV | OFFICE,
    "entry_env": {"env_staff"} | GOV | OFFICE,
    "inspection_office": OFFICE,
    # suggestions: internal until issued; then the recipient, cc's and the office
    "sugg_draft": COURT,
    "sugg_issued": COURT | AGENCY | GOV | OFFICE,
    "sugg_received": COURT | AGENCY | OFFICE,
    "sugg_proc": {"proc_staff", "proc_head", "env_staff"} | OFFICE,
    "filing_proc": {"proc_staff", "proc_head"} | OFFICE,
    # cases: the court, the defendants and their superior government, a supervising
    # procuratorate (coordination invitation, observation), the office
    "case_plain": COURT | AGENCY | GOV | OFFICE,
    "case_major": COURT | AGENCY | GOV | PROC | OFFICE,
    # a county government's superior is the city government
    "case_county": COUNTY_COURT | {"county_gov_legal"} | GOV | OFFICE,
    # its 案号, named by the clue, dispute, enforcement and review linked to it (scenario.py)
    "case_county_number": COUNTY_COURT | {"county_gov_legal"} | GOV | OFFICE,
    "coordination": COURT | AGENCY | GOV | PROC | OFFICE,
    "enforcement": COURT | AGENCY | GOV | OFFICE,
    "supervision": PROC | COURT | AGENCY | OFFICE,
    "clue": PROC | GOV | OFFICE,
    "dispute": COURT | AGENCY | GOV | OFFICE,
    "observation": COURT | AGENCY | PROC | OFFICE,
    "review": COURT | AGENCY | OFFICE,
    "notification_agency": {"agency_staff"},
    # meetings: the proposer and the office; once the notice is issued, the invitees
    "meeting_proposed": {"env_staff"} | OFFICE,
    "meeting_notified": AGENCY | COURT | PROC | OFFICE,
    "invitation_court": AGENCY | COURT | PROC | OFFICE,
    "meeting_minuted": COURT | GOV | OFFICE,
    "minutes_circulated": COURT | GOV | OFFICE,
    "meeting_closed": COURT | GOV | OFFICE,
    # a decision: whoever sees its meeting, and its owner (an agency not invited) and the owner's superior
    "decision_env": COURT | GOV | OFFICE | {"env_staff"},
    "kind_zuotan": set(PERSONAS),  # the kinds are reference data every signed-in user reads
}

# Whose letters they are: the issuing institution's acting users.
AUTHORS = {
    "letter_issued": COURT,
    "letter_signed": COURT,
    "letter_draft": COURT,
    "letter_pending": COURT,
    "letter_proc": PROC,
    "letter_county": COUNTY_COURT,
}
HEADS = {name: {p for p in people if p.endswith("_head")} for name, people in AUTHORS.items()}
# Each recipient signs for its own copy (主送 and 抄送).
RECIPIENTS = {
    "letter_issued": AGENCY | GOV,
    "letter_signed": AGENCY,
    "letter_proc": {"env_staff"},
    "letter_county": {"county_gov_legal"},
}

SUGG_ISSUER = {"sugg_draft": COURT, "sugg_issued": COURT, "sugg_received": COURT, "sugg_proc": PROC}
SUGG_HEAD = {name: {p for p in people if p.endswith("_head")} for name, people in SUGG_ISSUER.items()}
SUGG_RECIPIENT = {"sugg_draft": AGENCY, "sugg_issued": AGENCY, "sugg_received": AGENCY, "sugg_proc": {"env_staff"}}

CASE_COURT = {
    "case_plain": COURT,
    "case_major": COURT,
    "case_county": COUNTY_COURT,
    "coordination": COURT,
    "enforcement": COURT,
    "observation": COURT,
    "review": COURT,
}
ALL_COURTS = COURT | COUNTY_COURT
GOVERNMENTS = GOV | {"county_gov_legal"}

# Verbs are about who may act, whatever the record's state: a state that forbids the
# action answers a message or 409, not 403.
ALLOWED = {
    "letter.create": {"*": ACTING},
    "letter.edit": AUTHORS,
    "letter.submit": AUTHORS,
    "letter.share": AUTHORS,
    "letter.issue": HEADS,
    "letter.return": HEADS,
    "delivery.sign": RECIPIENTS,
    "delivery.read": RECIPIENTS,
    "ledger.complete": {"entry_agency": AGENCY, "entry_env": {"env_staff"}},
    "ledger.waive": {"entry_agency": {"office"}, "entry_env": {"office"}},
    "inspection.create": {"*": {"office", "auditor"}},
    "suggestion.create": {"*": COURT | PROC | COUNTY_COURT},
    "suggestion.edit": SUGG_ISSUER,
    "suggestion.submit": SUGG_ISSUER,
    "suggestion.evaluate": SUGG_ISSUER,
    "suggestion.approve": SUGG_HEAD,
    "suggestion.issue": SUGG_HEAD,
    "suggestion.withdraw": SUGG_HEAD,
    "suggestion.decide_extension": SUGG_HEAD,
    "suggestion.receive": SUGG_RECIPIENT,
    "suggestion.reply": SUGG_RECIPIENT,
    "suggestion.request_extension": SUGG_RECIPIENT,
    "suggestion.approve_reply": {
        "sugg_issued": {"agency_head"},
        "sugg_received": {"agency_head"},
        "sugg_draft": {"agency_head"},
    },
    "filing.create": {"*": PROC},
    "case.create": {"*": ALL_COURTS},
    "case.import": {"*": ALL_COURTS},
    "case.edit": CASE_COURT,
    "case.hearing": CASE_COURT,
    # the court records every appearance; a defendant its own
    "case.appearance": {
        "case_plain": COURT | AGENCY,
        "case_major": COURT | AGENCY,
        "case_county": COUNTY_COURT | {"county_gov_legal"},
    },
    "coordination.open": CASE_COURT,
    "coordination.invite": CASE_COURT,
    "coordination.close": CASE_COURT,
    "coordination.communicate": {"coordination": COURT | GOV | PROC},
    "dispute.create": {"*": ALL_COURTS | GOVERNMENTS},
    "dispute.session": {"dispute": COURT | GOV | AGENCY},
    "dispute.conclude": {"dispute": COURT | GOV},
    "enforcement.create": {"*": ALL_COURTS},
    "enforcement.rule": CASE_COURT,
    "enforcement.feedback": {"enforcement": AGENCY},
    "supervision.create": {"*": PROC},
    # the head signs 个案监督 off (issue 11): it widens what the procuratorate sees
    "case_supervision.create": {"*": {"proc_head"}},
    "supervision.decide": {"supervision": PROC},
    "clue.create": {"*": ALL_COURTS | PROC | GOVERNMENTS},
    "clue.receive": {"clue": GOV},
    "clue.handle": {"clue": GOV},
    "observation.create": CASE_COURT,
    "observation.attendance": CASE_COURT,
    "review.create": CASE_COURT,
    # Indicator figures city-wide: the office, the city government and its legal-affairs staff,
    # the intermediate court (which sends them) and the procuratorate (copied); not agencies,
    # not county institutions (their county only), not administrators.
    "indicators.city": {"*": OFFICE | GOV | {"justice_legal"} | COURT | PROC},
    # meetings: anyone acting proposes; the city office convenes and keeps the minutes; the
    # convener's head (the office head, not a matrix persona) signs notices and minutes off
    "meeting.propose": {"*": ACTING},
    "meeting.office": {"*": {"office"}},
    "meeting.head": {"*": set()},
    "invitation.respond": {
        "invitation_court": COURT,
        "meeting_notified": AGENCY | COURT | PROC,
        "meeting_minuted": GOV,
        "meeting_closed": GOV,
    },
    # the API's minutes actions on a meeting without minutes: the office gets 409, others 403
    "minutes.office": {"*": {"office"}},
    "minutes.comment": {
        "minutes_circulated": COURT | GOV,
        "meeting_minuted": COURT | GOV,
        "meeting_closed": COURT | GOV,
        "meeting_notified": AGENCY | COURT | PROC,  # participants: 409 (no minutes yet)
    },
    "decision.office": {"*": {"office"}},
    "decision.progress": {"decision_env": {"env_staff", "office"}},
    "decision.report": {"decision_env": {"env_staff"}},
}


def visible(persona: str, record: str | None) -> bool:
    return record is None or persona in VISIBLE[record]


def allowed(persona: str, verb: str | None, record: str | None) -> bool:
    if verb is None:
        return True
    table = ALLOWED[verb]
    return persona in table.get(record, table.get("*", set()))
