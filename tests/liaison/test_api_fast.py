"""liaison.api.fast: every API list (and the details whose serializers it reaches) answers byte for byte
what DRF's own `to_representation` answers for the same rows.

On city-scale data (seed_scale, small) every persona requests every list endpoint of the API router
(200 rows a page) and the detail of the first rows of each, once on the fast path and once inside
`fast.reference()` (DRF's ListSerializer, Serializer.to_representation and fresh reference
serializers): the bodies must be equal. Then the plan itself, field by field, on the cases DRF makes
awkward: None in a dotted source, time zones, choice labels in two languages, nested many=True,
defaults and skipped fields, method fields bound to their own serializer.
"""

import datetime as dt
import io
import types
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIClient

from liaison.api import fast
from liaison.api.serializers import InstitutionRefSerializer
from liaison.api_urls import router
from liaison.models import Delivery, Institution, Letter

pytestmark = pytest.mark.django_db

PERSONAS = [
    "office",
    "office_head",
    "auditor",
    "court_clerk",
    "court_head",
    "proc_staff",
    "proc_head",
    "gov_legal",
    "gov_head",
    "agency_staff",
    "agency_head",
    "env_staff",
    "county_clerk",
    "county_gov_legal",
]
DETAILS_PER_LIST = 2
# The lists the issue is about: each must have rows for some persona, or the comparison proves nothing.
MAIN = {"cases", "letters", "suggestions", "meetings"}


@pytest.fixture
def scale(world):
    call_command(
        "seed_scale",
        cases=300,
        suggestions=120,
        letters=120,
        meetings=40,
        today=dt.date(2026, 6, 30),
        stdout=io.StringIO(),
    )
    return world


def list_routes():
    """(prefix, lookup field) of every API viewset with a list, from the router itself."""
    return [
        (prefix, viewset.lookup_field) for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")
    ]


def both(client, url):
    fast_response = client.get(url)
    with fast.reference():
        reference_response = client.get(url)
    assert fast_response.status_code == reference_response.status_code, url
    return fast_response, reference_response


def test_every_list_and_detail_is_what_drf_gives(scale, monkeypatch):
    rows_seen = {}
    for name in PERSONAS:
        client = APIClient()
        client.force_authenticate(scale[name])
        for prefix, lookup in list_routes():
            fast_response, reference_response = both(client, f"/api/v1/{prefix}/?page_size=200")
            assert fast_response.status_code == 200, (name, prefix)
            assert fast_response.content == reference_response.content, (name, prefix)
            body = fast_response.json()
            rows = body["results"] if isinstance(body, dict) else body
            rows_seen[prefix] = rows_seen.get(prefix, 0) + len(rows)
            for row in rows[:DETAILS_PER_LIST]:
                if lookup not in row:
                    continue
                url = f"/api/v1/{prefix}/{row[lookup]}/"
                fast_detail, reference_detail = both(client, url)
                assert fast_detail.content == reference_detail.content, (name, url)
    assert all(rows_seen[prefix] > 0 for prefix in MAIN), rows_seen
    assert sum(rows_seen.values()) > 4000, rows_seen


def test_the_reference_really_is_drfs_own_path(scale, monkeypatch):
    """The comparison above compares two different computations: the plan runs on the fast path only."""
    client = APIClient()
    client.force_authenticate(scale["office"])
    calls = []
    row = fast.Plan.row
    monkeypatch.setattr(fast.Plan, "row", lambda self, instance: calls.append(1) or row(self, instance))
    with fast.reference():
        client.get("/api/v1/letters/")
    assert calls == []
    client.get("/api/v1/letters/")
    assert len(calls) >= 50


# ----------------------------------------------------------------------------- the plan, field by field


def drf(serializer, instance):
    return serializers.Serializer.to_representation(serializer, instance)


def assert_same(serializer, *instances):
    for instance in instances:
        assert fast.representation(serializer, instance) == drf(serializer, instance)
    assert fast.ListSerializer(child=serializer).to_representation(list(instances)) == [
        drf(serializer, i) for i in instances
    ]


class DottedSerializer(serializers.Serializer):
    nullable = serializers.CharField(source="letter.doc_number", allow_null=True, read_only=True)
    defaulted = serializers.CharField(source="letter.title", default="—", read_only=True)
    skipped = serializers.CharField(source="letter.body", read_only=True)
    deep = serializers.IntegerField(source="a.b.c", read_only=True, allow_null=True)
    from_mapping = serializers.CharField(source="data.key", read_only=True, allow_null=True)


def test_none_in_a_dotted_source_is_none_default_or_skipped_as_in_drf(world):
    letter = Letter.objects.filter(doc_number__gt="").first() or Letter(doc_number="桂府联〔2026〕1号", title="题")
    serializer = DottedSerializer()
    empty = types.SimpleNamespace(letter=None, a=types.SimpleNamespace(b=None), data={})
    full = types.SimpleNamespace(
        letter=letter, a=types.SimpleNamespace(b=types.SimpleNamespace(c=7)), data={"key": "值"}
    )
    out = fast.representation(serializer, empty)
    assert out == {"nullable": None, "defaulted": "—", "deep": None, "from_mapping": None}  # `skipped` left out
    assert out == drf(serializer, empty)
    assert_same(serializer, empty, full)


def test_a_missing_required_source_raises_drfs_error():
    class Strict(serializers.Serializer):
        name = serializers.CharField(source="nothing.here")

    serializer = Strict()
    with pytest.raises(AttributeError) as fast_error:
        fast.representation(serializer, types.SimpleNamespace(nothing=types.SimpleNamespace()))
    with pytest.raises(AttributeError) as drf_error:
        drf(serializer, types.SimpleNamespace(nothing=types.SimpleNamespace()))
    assert str(fast_error.value) == str(drf_error.value)


class TimesSerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    on = serializers.DateField(read_only=True)
    utc = serializers.DateTimeField(read_only=True, default_timezone=dt.UTC)
    formatted = serializers.DateTimeField(read_only=True, format="%Y/%m/%d %H:%M")


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_datetimes_in_the_current_time_zone(zone):
    serializer = TimesSerializer()
    aware = dt.datetime(2026, 3, 8, 6, 30, 15, 123456, tzinfo=dt.UTC)
    rows = [
        types.SimpleNamespace(at=aware, on=dt.date(2026, 3, 8), utc=aware, formatted=aware),
        types.SimpleNamespace(at=aware.replace(microsecond=0), on="2026-03-08", utc=aware, formatted=aware),
        types.SimpleNamespace(at=dt.datetime(2026, 3, 8, 6, 30), on=None, utc=None, formatted=None),  # naive
        types.SimpleNamespace(at="2026-03-08T06:30:00Z", on=dt.date(2026, 12, 31), utc=aware, formatted=aware),
    ]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert_same(serializer, *rows)
        text = fast.representation(serializer, rows[0])["at"]
    assert text.endswith("Z") if zone == "UTC" else not text.endswith("Z")


def test_the_zone_is_read_per_representation_not_kept_in_the_plan():
    serializer = TimesSerializer()
    row = types.SimpleNamespace(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), on=None, utc=None, formatted=None)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert fast.representation(serializer, row)["at"] == "2026-01-01T00:00:00Z"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert fast.representation(serializer, row)["at"] == "2026-01-01T08:00:00+08:00"


class LetterChoicesSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    series_display = serializers.CharField(source="get_series_display", read_only=True)
    kind = serializers.ChoiceField(choices=[(1, "一"), (2, "二")], source="ordinal", read_only=True)

    class Meta:
        model = Letter
        fields = ["uuid", "status", "series", "urgency", "status_display", "urgency_display", "series_display", "kind"]
        read_only_fields = fields


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_in_the_readers_language(world, language):
    letters = [
        Letter(status=status, series=Letter.Series.HAN, urgency=urgency, title="t")
        for status in Letter.Status
        for urgency in ("", "加急", "特急", "unknown")
    ]
    for index, letter in enumerate(letters):
        letter.ordinal = [1, 2, "2", None, 3][index % 5]
    serializer = LetterChoicesSerializer()
    with translation.override(language):
        assert_same(serializer, *letters)


def test_labels_of_one_language_are_not_served_in_another(world):
    letter = Letter(status=Letter.Status.ISSUED, series=Letter.Series.HAN, title="t")
    serializer = LetterChoicesSerializer()
    with translation.override("zh-hans"):
        chinese = fast.representation(serializer, letter)["status_display"]
    with translation.override("en"):
        english = fast.representation(serializer, letter)["status_display"]
        assert english == drf(serializer, letter)["status_display"]
    assert chinese == "已发出" and english != chinese


class LetterWithCopies(serializers.ModelSerializer):
    issuer = InstitutionRefSerializer(read_only=True, allow_null=True)
    recipients = serializers.SerializerMethodField()
    copies = serializers.SerializerMethodField()
    deliveries_raw = serializers.PrimaryKeyRelatedField(source="deliveries", many=True, read_only=True)
    flagged = serializers.BooleanField(source="pdf_sha256", read_only=True)

    class Meta:
        model = Letter
        fields = ["uuid", "issuer", "recipients", "copies", "deliveries_raw", "flagged", "created_at"]
        read_only_fields = fields

    def get_recipients(self, letter):
        return [d.recipient.name for d in letter.deliveries.all()]

    def get_copies(self, letter):
        return self.context.get("who", "nobody")


class Copies(serializers.Serializer):
    """A nested many=True (a reverse foreign key's manager, and a plain list)."""

    recipient = InstitutionRefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=Delivery.Kind.choices, read_only=True)


class LetterCopies(serializers.ModelSerializer):
    deliveries = Copies(many=True, read_only=True)
    listed = InstitutionRefSerializer(many=True, read_only=True, source="recipients_list")

    class Meta:
        model = Letter
        fields = ["uuid", "deliveries", "listed"]
        read_only_fields = fields


def test_nested_many_and_method_fields(scale):
    letters = list(
        Letter.objects.filter(deliveries__isnull=False)
        .select_related("issuer")
        .prefetch_related("deliveries__recipient")
        .distinct()[:20]
    )
    assert letters
    for letter in letters:
        letter.recipients_list = [d.recipient for d in letter.deliveries.all()]
    assert_same(LetterCopies(), *letters)
    assert_same(LetterWithCopies(context={"who": "甲"}), *letters)
    # without the prefetch: the managers are asked
    assert_same(LetterCopies(), *Letter.objects.filter(pk__in=[x.pk for x in letters]))


def test_one_class_plan_serves_each_instance_with_its_own_context(scale):
    letter = Letter.objects.filter(deliveries__isnull=False).first()
    first, second = LetterWithCopies(context={"who": "甲"}), LetterWithCopies(context={"who": "乙"})
    assert fast.representation(first, letter)["copies"] == "甲"
    assert fast.representation(second, letter)["copies"] == "乙"
    assert "fields" not in second.__dict__  # the class's plan was re-bound: the fields never built


def test_a_serializer_that_builds_its_own_fields_gets_its_own_plan(world):
    class Chosen(InstitutionRefSerializer):
        def get_fields(self):
            fields = super().get_fields()
            if self.context.get("short"):
                fields.pop("name")
            return fields

    institution = Institution.objects.first()
    assert fast.representation(Chosen(context={"short": True}), institution) == drf(
        Chosen(context={"short": True}), institution
    )
    assert "name" not in fast.representation(Chosen(context={"short": True}), institution)
    assert "name" in fast.representation(Chosen(), institution)


class Odd(serializers.Serializer):
    flag = serializers.BooleanField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    big = serializers.CharField(source="method", read_only=True)
    shouted = serializers.SerializerMethodField()
    upper = type("Upper", (serializers.CharField,), {"to_representation": lambda self, value: str(value).upper()})(
        read_only=True, source="text"
    )
    ident = serializers.UUIDField(read_only=True, format="hex")

    def get_shouted(self, obj):
        return f"{obj.text}!"


def test_values_drf_converts_its_own_way():
    import uuid

    rows = [
        types.SimpleNamespace(flag=flag, number=number, method=method, text="abc", ident=uuid.uuid4())
        for flag, number, method in [
            (True, 1, lambda: "called"),
            (1, "2", "plain"),
            ("false", 3.0, lambda x=1: x),
            (0, 4, lambda needed: needed),  # takes an argument: not called
        ]
    ]
    serializer = Odd()
    for row in rows:
        assert fast.representation(serializer, row) == drf(serializer, row)
    builtin = types.SimpleNamespace(flag=True, number=1, method=len, text="abc", ident=uuid.uuid4())
    with pytest.raises(Exception) as fast_error:
        fast.representation(serializer, builtin)
    with pytest.raises(Exception) as drf_error:
        drf(serializer, builtin)
    assert (type(fast_error.value), str(fast_error.value)) == (type(drf_error.value), str(drf_error.value))


def test_a_list_with_its_own_list_class_keeps_it():
    class Special(serializers.ListSerializer):
        pass

    class WithList(serializers.Serializer):
        name = serializers.CharField()

        class Meta:
            list_serializer_class = Special

    assert type(fast.many(WithList, [])) is Special
    assert type(fast.many(InstitutionRefSerializer, [])) is fast.ListSerializer
