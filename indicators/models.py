"""Indicator rules (计算口径) an administrator may change, and later the bulletins.

The 败诉 mapping itself is `cases.Outcome.counts_as_lost` (one source of truth, edited in
the admin as 结案方式（败诉口径）); the period rules live here. Every computed figure
carries a snapshot of both (`rules_snapshot`) and its short digest, so a figure says
which mapping it was computed under.
"""

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountingRules(models.Model):
    """The one row of period rules (计算口径); `current()` creates it with the RULES.md defaults."""

    class CaseDate(models.TextChoices):
        EFFECTIVE = "effective_on", _("生效日期（默认）")
        CONCLUDED = "concluded_on", _("结案日期")

    case_date = models.CharField(
        _("败诉率计入期间的依据"),
        max_length=15,
        choices=CaseDate.choices,
        default=CaseDate.EFFECTIVE,
        help_text=_("已结案件按哪个日期计入季度：默认按裁判生效日期（RULES.md）。"),
    )
    first_instance_only = models.BooleanField(
        _("败诉率只统计一审案件"), default=True, help_text=_("默认只统计一审结案；取消后二审、再审结案也计入。")
    )
    include_procuratorial = models.BooleanField(
        _("回复率同时统计检察建议"), default=False, help_text=_("默认“司法建议回复率”只统计人民法院的司法建议。")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("指标计算口径")
        verbose_name_plural = _("指标计算口径")

    def __str__(self):
        return str(_("指标计算口径"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the portal has one set of rules at a time
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CountingRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


def rules_snapshot(rules: CountingRules, lost_codes: list[str]) -> dict:
    """What a figure was computed under; `digest` names it in a few characters."""
    body = {
        "case_date": rules.case_date,
        "first_instance_only": rules.first_instance_only,
        "include_procuratorial": rules.include_procuratorial,
        "lost_outcomes": sorted(lost_codes),
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:10]
    return {**body, "digest": digest}
