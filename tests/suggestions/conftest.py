import datetime as dt

import pytest

from suggestions import services


@pytest.fixture
def make_suggestion(inst):
    """Draft → submitted → approved → issued (on `issued_on`), optionally received."""

    def make(
        author, head, *, recipient="柳州市城市管理行政执法局", issued_on=None, received_on=None, receiver=None, **fields
    ):
        fields.setdefault("title", "关于规范行政执法程序的建议")
        fields.setdefault("problem", "执法文书送达程序不规范。")
        fields.setdefault("recommendations", "完善送达程序，加强执法人员培训。")
        if author.institution.kind == "procuratorate":
            fields.setdefault("subkind", "general")
        s = services.suggestion_create(by=author, recipient=inst[recipient], **fields)
        services.suggestion_submit(suggestion=s, by=author)
        services.suggestion_approve(suggestion=s, by=head)
        s = services.suggestion_issue(suggestion=s, by=head, issued_on=issued_on)
        if received_on is not None:
            s = services.suggestion_receive(suggestion=s, by=receiver, received_on=received_on)
        return s

    return make


D = dt.date.fromisoformat
