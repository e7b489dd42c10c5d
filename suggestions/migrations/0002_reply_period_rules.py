"""Default reply periods from RULES.md; administrators may change them later."""

from django.db import migrations

RULES = [
    # kind, subkind, urgent, period, unit, basis
    ("procuratorial", "general", False, 2, "months", "《人民检察院检察建议工作规定》：收到之日起两个月内书面回复"),
    ("procuratorial", "general", True, 15, "days", "紧急情形：检察建议可确定更短期限（默认 15 日，可调整）"),
    ("procuratorial", "public_interest", False, 2, "months", "两高公益诉讼解释：收到之日起两个月内依法履职并书面回复"),
    ("procuratorial", "public_interest", True, 15, "days", "公共利益损害继续扩大等紧急情形：15 日内书面回复"),
    ("judicial", "", False, 2, "months", "法释〔2023〕11号未规定期限：默认两个月（可配置），以建议书载明期限为准"),
    ("judicial", "", True, 15, "days", "紧急情形默认 15 日（可配置）"),
]


def forward(apps, schema_editor):
    Rule = apps.get_model("suggestions", "ReplyPeriodRule")
    for kind, subkind, urgent, period, unit, basis in RULES:
        Rule.objects.update_or_create(
            kind=kind, subkind=subkind, urgent=urgent, defaults={"period": period, "unit": unit, "basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
