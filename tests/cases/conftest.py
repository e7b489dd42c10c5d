"""Factories for case tests: each builds its record through the services, as a user would."""

import datetime as dt
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Cause, Outcome
from liaison.models import Notification, User

D = dt.date.fromisoformat
CITY_AGENCY = "柳州市城市管理行政执法局"  # agency_staff, agency_head
APPLICANT = "柳州市自然资源和规划局"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def today() -> dt.date:
    return timezone.localdate()


def pdf(name="书面说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def notified(kind: str, **filters) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind, **filters).values_list("user__username", flat=True))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cause(db):
    return Cause.objects.get(name="行政处罚")


@pytest.fixture
def outcome(db):
    return lambda code: Outcome.objects.get(code=code)


@pytest.fixture
def user_at(inst):
    """A user of any institution: user_at("柳州市城中区人民检察院", role="staff")."""

    def make(name, role=User.Role.STAFF):
        username = f"u{inst[name].pk}_{role}"
        user, _ = User.objects.get_or_create(username=username, defaults={"institution": inst[name], "role": role})
        return user

    return make


@pytest.fixture
def make_case(court_clerk, inst, cause):
    numbers = itertools.count(1)

    def make(by=None, *, defendants=(CITY_AGENCY,), number=None, **fields):
        fields.setdefault("instance", "first")
        fields.setdefault("cause", cause)
        fields.setdefault("plaintiffs", "张三\n李四")
        fields.setdefault("filed_on", D("2026-03-02"))
        return services.case_create(
            by=by or court_clerk,
            number=number or f"（2026）桂02行初{next(numbers)}号",
            defendants=[inst[d] for d in defendants],
            **fields,
        )

    return make


@pytest.fixture
def effective_case(make_case, court_clerk, outcome):
    def make(**fields):
        case = make_case(**fields)
        return services.case_conclude(
            case=case,
            by=court_clerk,
            outcome=outcome("revoke"),
            concluded_on=D("2026-05-06"),
            effective_on=D("2026-05-25"),
            imposes_obligation=True,
        )

    return make


@pytest.fixture
def make_enforcement(court_clerk, inst):
    def make(*, money=False, applicant=APPLICANT, **fields):
        fields.setdefault("basis", "decision")
        fields.setdefault("basis_reference", "柳自然资罚〔2026〕15号")
        fields.setdefault("respondent", "柳州某置业有限公司")
        fields.setdefault("obligation", "限期拆除违法建筑物。")
        fields.setdefault("applied_on", D("2026-02-10"))
        return services.enforcement_create(
            by=fields.pop("by", court_clerk), applicant=inst[applicant], money_obligation=money, **fields
        )

    return make
