"""案由 (法发〔2020〕44号, second level) and outcomes with the default 败诉 mapping (RULES.md)."""

from django.db import migrations

CAUSES = [
    "行政处罚", "行政强制措施", "行政强制执行", "行政许可", "行政征收或者征用", "行政登记", "行政确认",
    "行政给付", "行政允诺", "行政征缴", "行政奖励", "行政收费", "政府信息公开", "行政批复", "行政处理",
    "行政复议", "行政裁决", "行政协议", "行政补偿", "行政赔偿", "不履行职责", "公益诉讼",
]

OUTCOMES = [
    # code, name, kind, counts_as_lost
    ("revoke", "判决撤销", "judgment", True),
    ("partly_revoke", "判决部分撤销", "judgment", True),
    ("alter", "判决变更", "judgment", True),
    ("confirm_illegal", "判决确认违法", "judgment", True),
    ("confirm_void", "判决确认无效", "judgment", True),
    ("order_perform", "判决责令履行", "judgment", True),
    ("order_pay", "判决给付", "judgment", True),
    ("dismiss_claims", "判决驳回诉讼请求", "judgment", False),
    ("dismiss_suit", "裁定驳回起诉", "ruling", False),
    ("other_ruling", "其他裁定", "ruling", False),
    ("withdrawal", "撤诉", "withdrawal", False),
    ("mediation", "调解", "mediation", False),
]


def forward(apps, schema_editor):
    Cause = apps.get_model("cases", "Cause")
    Outcome = apps.get_model("cases", "Outcome")
    for i, name in enumerate(CAUSES):
        Cause.objects.update_or_create(
            name=name, defaults={"position": i, "is_information_disclosure": name == "政府信息公开"}
        )
    for i, (code, name, kind, lost) in enumerate(OUTCOMES):
        Outcome.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "counts_as_lost": lost, "position": i}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
