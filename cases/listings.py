"""The cases module's lists, each declared once (liaison.lists): 行政案件, 重大案件协调, and the case-work lists
(裁执分离, 执行监督, 线索移送, 诉前化解, 庭审观摩, 判后评议).

A linked case is named only to a viewer who may see it: pages with `{% linked %}`, exports with
`links.label` (liaison.links)."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from liaison import links
from liaison.lists import Column, ListSpec, escaped, row_url, short_name
from liaison.models import Letter
from liaison.status import URGENT_ORDER
from liaison.templatetags.portal import status_badge

from .models import (
    AdministrativeCase,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Observation,
    Review,
    SupervisionApplication,
)


def _case_label(row, viewer):
    return links.label(viewer, row, "case")


def _name_or_blank(path):
    def value(row, viewer):
        target = getattr(row, path)
        return target.name if target is not None else ""

    return value


def _yes_no(field):
    return lambda row, viewer: {True: "是", False: "否"}.get(getattr(row, field), "")


def _issued_number(field):
    def value(row, viewer):
        letter = getattr(row, field)
        return letter.doc_number if letter is not None and letter.status == Letter.Status.ISSUED else ""

    return value


def _names(path):
    return lambda row, viewer: "、".join(i.name for i in getattr(row, path).all())


def _institution(key, label, field, **kwargs):
    """An institution: its short name on the page, its full name in the workbook."""
    return Column(key, label, f"{field}.name", html=short_name(field), **kwargs)


# The case list's cells, rendered in Python (liaison.lists: a third of the page's CPU went into
# rendering its rows through the template engine).


def _number_html(case, viewer):
    html = f'<a href="{escaped(row_url("cases:detail", case.uuid))}">{escaped(case.number)}</a>'
    if case.major_category:
        html += (
            f' <span class="badge major-badge" title="{escaped(gettext("重大案件"))}">'
            f"{escaped(case.get_major_category_display())}</span>"
        )
    return mark_safe(html)


def _plaintiffs_html(case, viewer):
    names = case.plaintiff_names
    html = escaped(names[0]) if names else ""
    if len(names) > 1:
        n = len(names)
        # The translation's own text is markup, as {% blocktranslate %} left it.
        html += f'<span class="text-body-secondary">{ngettext("等%(n)s人", "等%(n)s人", n) % {"n": n}}</span>'
    return mark_safe(html)


def _defendants_html(case, viewer):
    return mark_safe("、".join(escaped(d.short_name) for d in case.defendant_list))


def _status_html(row, viewer):
    return status_badge(row)


# The import template's columns first, headed exactly as the template (an export re-imports as it
# stands: these headings are never translated), then the rest.
CASES = ListSpec(
    title=_("行政案件"),
    model=AdministrativeCase,
    columns=[
        Column(
            "number",
            _("案号"),
            export_label="案号",
            html=_number_html,
            sort=("number_year", "number_length", "number"),  # （2026）桂02行初9号 before …10号
            nowrap=True,
        ),
        _institution("court", _("审理法院"), "court", sort=("court__name",), nowrap=True),
        Column("instance", _("审级"), "get_instance_display", export_label="审级", sort=("instance",), nowrap=True),
        Column("cause", _("案由"), "cause.label", export_label="案由", sort=("cause__position", "cause_id")),
        Column(
            "plaintiffs",
            _("原告"),
            lambda c, viewer: "、".join(c.plaintiff_names),
            export_label="原告",
            html=_plaintiffs_html,
        ),
        Column(
            "defendants",
            _("被告"),
            lambda c, viewer: "、".join(d.name for d in c.defendant_list),
            export_label="被告",
            html=_defendants_html,
        ),
        Column("filed", _("立案日期"), "filed_on", export_label="立案日期", sort=("filed_on",), nowrap=True),
        Column("outcome", _("结案方式"), _name_or_blank("outcome"), export_label="结案方式"),
        Column("concluded_on", _("结案日期"), export_label="结案日期"),
        Column("effective", _("生效日期"), "effective_on", export_label="生效日期", sort=("effective_on",)),
        Column("imposes_obligation", _("是否课以义务"), _yes_no("imposes_obligation"), export_label="是否课以义务"),
        Column(
            "performed_voluntarily", _("是否自动履行"), _yes_no("performed_voluntarily"), export_label="是否自动履行"
        ),
        Column(
            "major",
            _("重大案件类别"),
            lambda c, viewer: c.get_major_category_display() if c.major_category else "",
            export_label="重大案件类别",
            sort=("major_category",),
        ),
        Column("summary", _("案情摘要"), export_label="案情摘要"),
        Column("status", _("状态"), "get_status_display", html=_status_html, sort=("status",), nowrap=True),
    ],
    on_page=("number", "court", "instance", "cause", "plaintiffs", "defendants", "filed", "status"),
    in_export=(
        "number",
        "instance",
        "cause",
        "plaintiffs",
        "defendants",
        "filed",
        "outcome",
        "concluded_on",
        "effective",
        "imposes_obligation",
        "performed_voluntarily",
        "major",
        "summary",
        "court",
        "status",
    ),
    default_sort="-filed",
    export_route="cases:export",
    sheet="案件清单",
)

COORDINATIONS = ListSpec(
    title=_("重大案件协调"),
    model=Coordination,
    columns=[
        Column(
            "case",
            _("案号"),
            "case.number",
            cell="<a href=\"{% url 'cases:detail' row.case.uuid %}\">{{ row.case.number }}</a>",
            sort=("case__number",),
            nowrap=True,
        ),
        Column("subject", _("协调事项"), sort=("subject",), link="cases:coordination_detail"),
        Column("court", _("法院"), "court.name"),
        _institution("government", _("协调政府"), "government", sort=("government__name",)),
        Column(
            "procuratorate",
            _("邀请监督"),
            _name_or_blank("procuratorate"),
            export_label=_("邀请监督的检察院"),
            cell='{% if row.procuratorate %}{{ row.procuratorate.short_name }}{% else %}<span class="text-body-secondary">'
            "—</span>{% endif %}",
        ),
        Column("opened", _("启动日期"), "opened_on", sort=("opened_on",), nowrap=True),
        Column(
            "status",
            _("状态"),
            "get_status_display",
            cell='{% status_badge row %}{% if row.closed_on %} <span class="small text-body-secondary">'
            "{{ row.closed_on|ymd }}</span>{% endif %}",
            sort=("status",),
            nowrap=True,
        ),
        Column("closed_on", _("结束日期")),
        Column("outcome", _("协调结果")),
    ],
    on_page=("case", "subject", "government", "procuratorate", "opened", "status"),
    in_export=("case", "subject", "court", "government", "procuratorate", "opened", "status", "closed_on", "outcome"),
    default_sort="-opened",
    export_route="cases:coordination_export",
    sheet=_("协调"),
)

ENFORCEMENTS = ListSpec(
    title=_("裁执分离"),
    model=Enforcement,
    columns=[
        Column(
            "basis_reference",
            _("执行依据文号"),
            cell="<a href=\"{% url 'cases:enforcement_detail' row.uuid %}\">{{ row.basis_reference }}</a>"
            '{% if row.money_obligation %} <span class="badge text-bg-light border">{% translate "金钱给付" %}</span>'
            "{% endif %}",
            sort=("basis_reference",),
        ),
        Column("basis", _("执行依据类别"), "get_basis_display"),
        Column("respondent", _("被执行人"), sort=("respondent",)),
        _institution("applicant", _("申请机关"), "applicant", sort=("applicant__name",)),
        Column("court", _("审查法院"), "court.name"),
        Column("money_obligation", _("金钱给付义务")),
        Column("applied_on", _("申请日期"), sort=("applied_on",), nowrap=True),
        Column("status", _("状态"), "get_status_display", cell="{% status_badge row %}", sort=("status",), nowrap=True),
        Column("ruled_on", _("裁定日期")),
        Column(
            "assignee",
            _("组织实施机关"),
            _name_or_blank("assignee"),
            cell="{% if row.assignee %}{{ row.assignee.short_name }}{% else %}—{% endif %}",
            sort=("assignee__name",),
        ),
        Column("assignment_letter", _("组织实施函"), _issued_number("assignment_letter")),
        Column(
            "feedback_due",
            _("反馈期限"),
            cell="{% if row.feedback_due %}{{ row.feedback_due|ymd }} {% deadline_badge row.due %}{% else %}—{% endif %}",
            sort=("feedback_due",),
            nulls_last=True,
            nowrap=True,
        ),
        Column("due", _("期限情况"), "due.label"),
        Column("feedback_on", _("反馈日期")),
        Column("feedback_letter", _("反馈函"), _issued_number("feedback_letter")),
    ],
    on_page=("basis_reference", "respondent", "applicant", "applied_on", "status", "assignee", "feedback_due"),
    in_export=(
        "basis_reference",
        "basis",
        "respondent",
        "applicant",
        "court",
        "money_obligation",
        "applied_on",
        "status",
        "ruled_on",
        "assignee",
        "assignment_letter",
        "feedback_due",
        "due",
        "feedback_on",
        "feedback_letter",
    ),
    row_class="deadline-{{ row.due.kind }}",
    # Overdue first (liaison.status.URGENT_ORDER): feedback overdue, then due, then under review, then done.
    sorts={"urgent": (*URGENT_ORDER, "-applied_on", "-id")},
    default_sort="urgent",
    export_route="cases:enforcements_export",
    filename=_("裁执分离执行案件"),
)

SUPERVISIONS = ListSpec(
    title=_("执行监督"),
    model=SupervisionApplication,
    columns=[
        Column(
            "applicant",
            _("申请人"),
            cell="<a href=\"{% url 'cases:supervision_detail' row.uuid %}\">{{ row.applicant }}</a>"
            '<div class="small text-body-secondary">{{ row.procuratorate.short_name }}</div>',
            sort=("applicant",),
        ),
        Column("procuratorate", _("检察院"), "procuratorate.name"),
        _institution("court", _("作出裁定的法院"), "court", sort=("court__name",)),
        _institution(
            "enforcing_agency",
            _("实施机关"),
            "enforcing_agency",
            export_label=_("实施强制执行的机关"),
            sort=("enforcing_agency__name",),
        ),
        Column(
            "basis",
            _("执行依据文号"),
            lambda a, viewer: a.enforcement.basis_reference if a.enforcement_id else "",
        ),
        Column(
            "received_on",
            _("收到申请"),
            export_label=_("收到申请日期"),
            sort=("received_on",),
            nowrap=True,
        ),
        Column(
            "status",
            _("状态"),
            "get_status_display",
            cell="{% status_badge row row.status_text %}",
            sort=("status", "decision"),
            nowrap=True,
        ),
        Column(
            "decision_due",
            _("决定期限"),
            cell="{{ row.decision_due|ymd }} {% deadline_badge row.due %}",
            sort=("decision_due",),
            nowrap=True,
        ),
        Column("due", _("期限情况"), "due.label"),
        Column("decision", _("决定"), lambda a, viewer: a.get_decision_display() if a.decision else ""),
        Column("decided_on", _("决定日期")),
    ],
    on_page=("applicant", "court", "enforcing_agency", "received_on", "status", "decision_due"),
    in_export=(
        "applicant",
        "procuratorate",
        "court",
        "enforcing_agency",
        "basis",
        "received_on",
        "decision_due",
        "due",
        "status",
        "decision",
        "decided_on",
    ),
    row_class="deadline-{{ row.due.kind }}",
    # Overdue first (liaison.status.URGENT_ORDER): decisions overdue, then due, then the decided ones.
    sorts={"urgent": (*URGENT_ORDER, "-received_on", "-id")},
    default_sort="urgent",
    export_route="cases:supervisions_export",
    filename=_("执行监督申请"),
)

CLUES = ListSpec(
    title=_("违法线索移送"),
    model=ClueTransfer,
    columns=[
        Column("sent_on", _("移送日期"), sort=("sent_on",), link="cases:clue_detail", nowrap=True),
        _institution("sender", _("移送单位"), "sender", sort=("sender__name",)),
        _institution("recipient", _("接收单位"), "recipient", sort=("recipient__name",)),
        Column("case", _("关联案号"), _case_label),
        Column(
            "summary",
            _("线索内容"),
            cell="{{ row.summary|truncatechars:60 }}{% if row.case_visible %}"
            '<div class="small text-body-secondary">{% linked row "case" link=False %}</div>{% endif %}',
        ),
        Column("status", _("状态"), "get_status_display", cell="{% status_badge row %}", sort=("status",), nowrap=True),
        Column("received_on", _("接收日期")),
        Column("handled_on", _("办结日期"), sort=("handled_on",), nulls_last=True, nowrap=True, empty="—"),
        Column("handling_result", _("处理结果")),
    ],
    on_page=("sent_on", "sender", "recipient", "summary", "status", "handled_on"),
    in_export=(
        "sender",
        "recipient",
        "case",
        "summary",
        "sent_on",
        "status",
        "received_on",
        "handled_on",
        "handling_result",
    ),
    default_sort="-sent_on",
    export_route="cases:clues_export",
    sheet=_("线索移送"),
)

DISPUTES = ListSpec(
    title=_("行政争议诉前化解"),
    model=Dispute,
    columns=[
        Column("title", _("争议事项"), sort=("title",), link="cases:dispute_detail"),
        Column("applicant", _("申请人"), sort=("applicant",)),
        _institution("agency", _("涉事行政机关"), "agency", sort=("agency__name",)),
        Column("government", _("政府"), "government.name"),
        _institution("court", _("法院"), "court", sort=("court__name",)),
        Column("procuratorate", _("检察院"), _name_or_blank("procuratorate")),
        Column("received_on", _("受理日期"), sort=("received_on",), nowrap=True),
        Column(
            "status",
            _("状态"),
            "get_status_display",
            cell='{% status_badge row %}{% if row.case_visible %}<div class="small text-body-secondary">'
            '{% linked row "case" link=False %}</div>{% endif %}',
            sort=("status",),
            nowrap=True,
        ),
        Column("outcome_on", _("化解日期")),
        Column("case", _("立案案号"), _case_label),
        Column("outcome_notes", _("化解结果")),
    ],
    on_page=("title", "applicant", "agency", "court", "received_on", "status"),
    in_export=(
        "title",
        "applicant",
        "agency",
        "government",
        "court",
        "procuratorate",
        "received_on",
        "status",
        "outcome_on",
        "case",
        "outcome_notes",
    ),
    default_sort="-received_on",
    export_route="cases:disputes_export",
    sheet=_("诉前化解"),
)

OBSERVATIONS = ListSpec(
    title=_("庭审旁听观摩"),
    model=Observation,
    columns=[
        Column(
            "title",
            _("名称"),
            cell="<a href=\"{% url 'cases:observation_detail' row.uuid %}\">{{ row.title }}</a>{% if row.procuratorate %}"
            '<div class="small text-body-secondary">{% blocktranslate with p=row.procuratorate.short_name %}'
            "邀请{{ p }}监督{% endblocktranslate %}</div>{% endif %}",
            sort=("title",),
        ),
        Column("case", _("案号"), _case_label, cell='{% linked row "case" %}', sort=("case__number",), nowrap=True),
        Column(
            "held_on",
            _("日期"),
            cell='{{ row.held_on|ymd }} {% if row.held %}{% badge "green" _("已举行") %}{% else %}'
            '{% badge "blue" _("待举行") %}{% endif %}',
            sort=("held_on",),
            nowrap=True,
        ),
        _institution("court", _("法院"), "court", sort=("court__name",)),
        Column("procuratorate", _("邀请监督的检察院"), _name_or_blank("procuratorate")),
        Column(
            "institutions",
            _("参加单位"),
            lambda o, viewer: "、".join(a.institution.name for a in o.attendances.all()),
            cell="{% blocktranslate count n=row.n_institutions %}{{ n }} 个单位{% plural %}{{ n }} 个单位"
            "{% endblocktranslate %}",
        ),
        Column(
            "numbers",
            _("通知/实到"),
            cell="{{ row.n_invited }} / {% if row.held %}{{ row.n_attended }}{% else %}—{% endif %}",
            nowrap=True,
        ),
        Column("n_invited", _("通知人数")),
        Column("n_attended", _("实到人数")),
    ],
    on_page=("title", "case", "held_on", "court", "institutions", "numbers"),
    in_export=("title", "case", "held_on", "court", "procuratorate", "institutions", "n_invited", "n_attended"),
    default_sort="-held_on",
    export_route="cases:observations_export",
    sheet=_("庭审观摩"),
    filename=_("庭审观摩"),
)

REVIEWS = ListSpec(
    title=_("判后评议"),
    model=Review,
    columns=[
        Column(
            "case",
            _("案号"),
            _case_label,
            cell='{% linked row "case" link=False empty=_("判后评议") %}',
            sort=("case__number",),
            link="cases:review_detail",
            nowrap=True,
        ),
        Column("held_on", _("评议日期"), sort=("held_on",), nowrap=True),
        _institution("court", _("法院"), "court", sort=("court__name",)),
        Column(
            "participants",
            _("参加单位"),
            _names("participants"),
            cell="{% for i in row.participants.all %}{{ i.short_name }}{% if not forloop.last %}、{% endif %}{% endfor %}",
        ),
        Column(
            "topics",
            _("评议事项"),
            cell="{% blocktranslate with n=row.n_topics %}{{ n }} / 6 项{% endblocktranslate %}",
            nowrap=True,
        ),
        *[Column(name, Review._meta.get_field(name).verbose_name) for name in Review.TOPICS],
    ],
    on_page=("case", "held_on", "court", "participants", "topics"),
    in_export=("case", "held_on", "court", "participants", *Review.TOPICS),
    default_sort="-held_on",
    export_route="cases:reviews_export",
)
