"""The meeting kinds of the work plan, with its defaults (administrators may edit them)."""

from django.db import migrations

G, C, P, A, O = "government", "court", "procuratorate", "agency", "office"

# code, name, category, cadence, basis, purpose, participants, invitee kinds, office only, period, unit
KINDS = [
    ("leading_group", "领导小组会议", "leading_group", "", "五(一)1",
     "听取工作进展情况汇报，研究解决有关重大事项。",
     "“一府两院”正职及主管相关工作副职领导（组长、副组长及成员）。", [G, C, P], True, 30, "days"),
    ("sanzhang_annual", "“三长”联席会商年度会议", "sanzhang", "annual", "四(一)、五(二)1",
     "总结全市“一府两院”联动工作，会商研究法治共建等。",
     "市政府、市中院、市检察院负责人及主要工作部门领导。", [G, C, P], True, 3, "months"),
    ("sanzhang_major", "“三长”重大事项会商会议", "sanzhang", "", "四(一)、五(二)1",
     "研判分析及决策重大案件及重大紧急工作事项的处理。",
     "市政府、市中院、市检察院负责人及主要工作部门领导。", [G, C, P], False, 15, "working_days"),
    ("work_regular", "联动工作常规联席会议", "work", "quarterly", "五(二)2",
     "通报本季度联动工作情况，研究推进联动机制各项任务。",
     "各单位相关工作人员。", [G, C, P], True, 30, "days"),
    ("work_adhoc", "联动工作临时议事会议", "work", "", "五(二)2",
     "根据具体工作情况研究议定相关事项。",
     "根据议事内容由相关单位具体工作负责人及工作人员参加。", [], False, 15, "working_days"),
    ("tongbao", "通报会", "consultation", "", "五(三)",
     "通报专项业务工作、重大案件处理或重大紧急事项情况。", "相关单位部门。", [], False, 15, "working_days"),
    ("xietiao", "协调会", "consultation", "", "五(三)",
     "协调解决专项业务工作、重大案件处理或重大紧急事项中的问题。", "相关单位部门。", [], False, 15, "working_days"),
    ("zuotan", "座谈会", "consultation", "", "五(三)",
     "共同会商工作，交流情况。", "相关单位部门。", [], False, 30, "days"),
    ("yanpan", "研判会", "consultation", "", "五(三)",
     "研判分析形势，研究应对措施。", "相关单位部门。", [], False, 15, "working_days"),
    ("legal_review", "行政规范性文件、重大行政决策论证会", "legal_review", "", "三(二)",
     "政府起草行政规范性文件、作出重大行政决策、进行重大利益调整时邀请法院、检察院参与论证。",
     "政府法制机构、起草部门，法院、检察院。", [C, P], False, 15, "working_days"),
    ("research", "共同调研", "research", "", "三(四)、四(八)",
     "对重大公共利益、社会高度关注或可能引发群体性事件的行政争议问题共同开展研究，形成调研报告。",
     "“一府两院”调研人员。", [G, C, P], False, 3, "months"),
    ("law_class", "“一府两院”联动法治课堂", "class", "", "四(七)",
     "由法院、检察院和政府法制部门从执法监督、司法审查和检察监督三个方面为行政执法人员授课。",
     "宣讲团队（法院、检察院、政府法制部门）及行政执法人员。", [A], False, 30, "days"),
]


def forward(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    for position, row in enumerate(KINDS):
        code, name, category, cadence, basis, purpose, participants, kinds, office_only, period, unit = row
        MeetingKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "cadence": cadence,
                "basis": basis,
                "purpose": purpose,
                "participants": participants,
                "default_invitee_kinds": kinds,
                "office_only": office_only,
                "decision_period": period,
                "decision_unit": unit,
                "position": position,
            },
        )


def backward(apps, schema_editor):
    apps.get_model("meetings", "MeetingKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
