"""A declared list's rows rendered in Python (liaison.lists: `Column.html`, `row_url`) are byte for byte
the rows the template engine rendered before, for every list page of the loaded demo, several
personas and both languages.

The reference is the old rendering itself: each list with the cells as they were template snippets
before they became Python functions (REFERENCE_CELLS, copied from the code before the change), through
`ListSpec.render_rows_template`, on the very rows and request the page rendered."""

import dataclasses
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

import cases.listings as case_lists
import meetings.listings as meeting_lists
import suggestions.listings as suggestion_lists
from cases.models import AdministrativeCase
from cases.services.observation import observation_create
from liaison import listings as hub_lists
from liaison import lists
from liaison.models import Institution, Letter, User
from liaison.services import inspection_create
from meetings.models import Meeting
from suggestions.models import Suggestion

# The cells (and row classes) as template snippets, before they were ported to Python.
REFERENCE_CELLS = {
    hub_lists.OUTBOX: {
        "status": "{% status_badge row %}",
        "signed": "{% if row.is_issued %}{{ row.n_signed }} / {{ row.n_recipients }}{% else %}—{% endif %}",
    },
    hub_lists.INBOX: {
        "title": "<a href=\"{% url 'letter_detail' row.letter.uuid %}\">{{ row.letter.title }}</a>"
        '{% if row.letter.urgency %} <span class="badge urgency-badge">{{ row.letter.get_urgency_display }}</span>'
        "{% endif %}",
        "issuer": "{{ row.letter.issuer.name }}",
        "state": "{% delivery_badge row %}",
    },
    case_lists.CASES: {
        "number": "<a href=\"{% url 'cases:detail' row.uuid %}\">{{ row.number }}</a>{% if row.major_category %} "
        '<span class="badge major-badge" title="{% translate \'重大案件\' %}">{{ row.get_major_category_display }}'
        "</span>{% endif %}",
        "court": "{{ row.court.short_name }}",
        "plaintiffs": '{{ row.plaintiff_names.0 }}{% if row.plaintiff_names|length > 1 %}<span class="text-body-secondary">'
        "{% blocktranslate count n=row.plaintiff_names|length %}等{{ n }}人{% plural %}等{{ n }}人"
        "{% endblocktranslate %}</span>{% endif %}",
        "defendants": "{% for d in row.defendant_list %}{{ d.short_name }}{% if not forloop.last %}、{% endif %}{% endfor %}",
        "status": "{% status_badge row %}",
    },
    case_lists.COORDINATIONS: {"government": "{{ row.government.short_name }}"},
    case_lists.ENFORCEMENTS: {"applicant": "{{ row.applicant.short_name }}"},
    case_lists.SUPERVISIONS: {
        "court": "{{ row.court.short_name }}",
        "enforcing_agency": "{{ row.enforcing_agency.short_name }}",
    },
    case_lists.CLUES: {"sender": "{{ row.sender.short_name }}", "recipient": "{{ row.recipient.short_name }}"},
    case_lists.DISPUTES: {"agency": "{{ row.agency.short_name }}", "court": "{{ row.court.short_name }}"},
    case_lists.OBSERVATIONS: {"court": "{{ row.court.short_name }}"},
    case_lists.REVIEWS: {"court": "{{ row.court.short_name }}"},
    suggestion_lists.SUGGESTIONS: {
        "doc_number": '{% if row.letter %}{{ row.letter.doc_number }}{% else %}<span class="text-body-secondary">'
        '{% translate "未编号" %}</span>{% endif %}',
        "title": "<a href=\"{% url 'suggestions:detail' row.uuid %}\">{{ row.title }}</a>{% if row.urgent %} "
        '<span class="badge urgency-badge">{% translate "紧急" %}</span>{% endif %}',
        "issuer": "{{ row.issuer.short_name }}",
        "recipient": "{{ row.recipient.short_name }}",
        "status": "{% status_badge row row.status_label %}",
        "reply_due": "{% if row.reply_due %}{{ row.reply_due|ymd }} {% endif %}{% deadline_badge row.due %}",
        "<row_class>": "deadline-{{ row.due.kind }}",
    },
    meeting_lists.MEETINGS: {
        "proposer": "{{ row.proposer.short_name }}",
        "status": '{% badge "secondary" row.get_status_display %}',
        "starts_at": '{{ row.starts_at|ymd_hm|default:"—" }}',
    },
}

# The lists the Python renderer must serve (the issue-12 lists, and those that never had a snippet).
PYTHON_RENDERED = {
    hub_lists.OUTBOX,
    hub_lists.INBOX,
    hub_lists.INSPECTIONS,
    hub_lists.INSPECTION_ROWS,
    case_lists.CASES,
    suggestion_lists.SUGGESTIONS,
    meeting_lists.MEETINGS,
}

# Lists no page renders (their rows only go to a workbook).
EXPORT_ONLY = {hub_lists.INSPECTION_ROWS}

PAGES = [
    "letter_inbox",
    "letter_outbox",
    "letter_region",
    "ledger",
    "inspections",
    "cases:index",
    "cases:coordinations",
    "cases:enforcements",
    "cases:supervisions",
    "cases:clues",
    "cases:disputes",
    "cases:observations",
    "cases:reviews",
    "suggestions:index",
    "suggestions:filings",
    "suggestions:statistics",
    "meetings:index",
    "meetings:decisions",
    "meetings:reviews",
    "meetings:research",
    "meetings:classes",
]
PERSONAS = ["office", "auditor", "court_clerk", "proc_staff", "gov_legal", "agency_staff", "county_clerk"]
QUERIES = ["", "?tab=all"]


_references: dict = {}


def reference(spec: lists.ListSpec) -> lists.ListSpec:
    """`spec` as it was declared before its cells were ported: the snippets in place of the functions."""
    if spec in _references:
        return _references[spec]
    cells = REFERENCE_CELLS.get(spec, {})
    columns = [dataclasses.replace(c, cell=cells[c.key], html=None) if c.key in cells else c for c in spec.columns]
    old = dataclasses.replace(spec, columns=columns, row_class=cells.get("<row_class>", spec.row_class))
    lists.REGISTRY.remove(old)
    _references[spec] = old
    return old


MARKUP = """<i>&"'{{ x }}"""


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demo, with a 庭审观摩 and a 专项检查 (it has none), and markup in names and titles: the
    two renderings must escape alike."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", "--quiet", stdout=StringIO())
        clerk = User.objects.get(username="court_clerk")
        agency = User.objects.get(username="agency_staff").institution
        case = AdministrativeCase.objects.filter(court=clerk.institution).order_by("filed_on").first()
        observation_create(
            case=case, by=clerk, held_on=case.filed_on, title="行政处罚案件庭审观摩", attendees=[(agency, 3)]
        )
        inspection_create(by=User.objects.get(username="auditor"), title="台账专项检查")
    Institution.objects.filter(pk=agency.pk).update(short_name="城管" + MARKUP)
    AdministrativeCase.objects.filter(pk=case.pk).update(plaintiffs=f"{MARKUP}\n张三")
    for model in (Suggestion, Letter, Meeting):
        model.objects.filter(pk=model.objects.order_by("pk").values("pk")[:1]).update(title="标题" + MARKUP)


def test_the_ported_lists_render_in_python():
    for spec in PYTHON_RENDERED:
        assert spec.python_cells() is not None, spec.title
    assert set(REFERENCE_CELLS) <= set(lists.REGISTRY)


def test_python_rows_equal_the_template_rows_for_every_list_persona_and_language(demo, monkeypatch):
    rendered = []
    original = lists.ListSpec.render_rows

    def recording(spec, rows, request, hidden=frozenset()):
        out = original(spec, rows, request, hidden)
        rendered.append((spec, list(rows), request, hidden, out))
        return out

    monkeypatch.setattr(lists.ListSpec, "render_rows", recording)
    seen = {}  # spec -> rows compared
    escaped_markup = 0
    for username in PERSONAS:
        user = User.objects.get(username=username)
        for language in ("zh-hans", "en"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(user)
            client.cookies["django_language"] = language
            for name in PAGES:
                for query in QUERIES:
                    response = client.get(reverse(name) + query)
                    assert response.status_code in (200, 403, 404), (name, username, response.status_code)
                    if response.status_code != 200:
                        break
                    for spec, rows, request, hidden, out in rendered:
                        expected = reference(spec).render_rows_template(rows, request, hidden)
                        assert out == expected, (spec.title, username, language, name + query)
                        seen[spec] = seen.get(spec, 0) + len(rows)
                    html = response.content.decode()
                    for _spec, _rows, _request, _hidden, out in rendered:
                        assert out in html
                        assert MARKUP not in out
                        escaped_markup += out.count(str(escape(MARKUP)))
                    rendered.clear()
    print({str(spec.title): n for spec, n in seen.items()})
    assert escaped_markup, "no list showed the markup"
    missing = [str(s.title) for s in lists.REGISTRY if not seen.get(s) and s not in EXPORT_ONLY]
    assert not missing, f"lists the demo shows no rows of: {missing}"
    assert all(seen[s] >= 5 for s in PYTHON_RENDERED - EXPORT_ONLY), seen
