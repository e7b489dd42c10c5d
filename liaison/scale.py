"""City-scale data for benchmarks (`manage.py seed_scale`): fast bulk writes, reproducible by seed.

Rows are written in bulk, not through the services: COPY on PostgreSQL (the only way to
write a million cases in minutes), large `bulk_create` batches elsewhere. Primary keys
are chosen here (the table's max id + 1 onwards), so related rows can point at each
other without reading anything back; sequences are moved past them at the end.

The same seed on an empty database gives the same rows: every random choice comes from
one `random.Random(seed)` and every uuid from it too (times are derived from dates).

Each domain app may ship `<app>/scale.py` with `seed(ctx)`; the hub imports none of them.
"""

import datetime as dt
import random
import time
import uuid
from collections import defaultdict

from django.db import connection, models
from django.utils import timezone

from .models import DocumentCounter, Institution, LedgerEntry, Letter, User

K = Institution.Kind


class BulkWriter:
    """Rows for one model as dicts of attnames; fields not given take their constant default."""

    def __init__(self, model, *, batch=50_000):
        self.model = model
        self.table = model._meta.db_table
        # Generated columns (the overdue-first order, liaison.status) are the database's to write.
        self.fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.columns = [f.column for f in self.fields]
        self.batch = batch
        self.rows: list[tuple] = []
        self.count = 0
        self._defaults = {}
        self._json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self._defaults[f.attname] = f.default
            elif f.has_default() and f.default in (list, dict):
                self._defaults[f.attname] = f.default()
            elif f.null:
                self._defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)) and f.blank:
                self._defaults[f.attname] = ""
            elif isinstance(f, models.FileField):
                self._defaults[f.attname] = ""
        self._missing_checked = False
        self.postgres = connection.vendor == "postgresql"

    def add(self, **values):
        if not self._missing_checked:
            missing = [f.attname for f in self.fields if f.attname not in values and f.attname not in self._defaults]
            if missing:
                raise ValueError(f"{self.model.__name__}: no value for {missing}")
            unknown = set(values) - {f.attname for f in self.fields}
            if unknown:
                raise ValueError(f"{self.model.__name__}: unknown fields {sorted(unknown)}")
            self._missing_checked = True
        d = self._defaults
        self.rows.append(tuple(values[a] if a in values else d[a] for a in (f.attname for f in self.fields)))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        if self._json:
            import json

            for i in range(len(rows)):
                r = list(rows[i])
                for j in self._json:
                    r[j] = json.dumps(r[j], ensure_ascii=False)
                rows[i] = tuple(r)
        if self.postgres:
            cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cur:
                raw = cur.cursor  # the psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {connection.ops.quote_name(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            objs = []
            attnames = [f.attname for f in self.fields]
            for row in rows:
                obj = self.model.__new__(self.model)
                obj.__dict__.update(zip(attnames, row, strict=True))
                obj._state = models.base.ModelState()
                objs.append(obj)
            # bulk_create would call pre_save (auto_now) and so override given times; insert as given.
            from django.db.models.sql import InsertQuery

            for start in range(0, len(objs), 5_000):
                q = InsertQuery(self.model)
                q.insert_values(self.fields, objs[start : start + 5_000], raw=True)
                q.get_compiler(connection=connection).execute_sql(returning_fields=None)
        self.count += len(rows)


class Ids:
    """The next free primary key per model (max + 1), handed out in order."""

    def __init__(self):
        self.next: dict[type, int] = {}

    def take(self, model) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next[model] = top + 1
        n = self.next[model]
        self.next[model] = n + 1
        return n


def reset_sequences(models_):
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)


class Context:
    """What every app's seeder shares: options, the random source, institutions, users, writers."""

    def __init__(self, options, stdout):
        self.options = options
        self.stdout = stdout
        self.rng = random.Random(options["seed"])
        self.ids = Ids()
        self.writers: dict[type, BulkWriter] = {}
        self.today = options.get("today") or timezone.localdate()
        years = options.get("years", 3)
        self.start = dt.date(self.today.year - years + 1, 1, 1)
        self.days = (self.today - self.start).days
        self.institutions = list(Institution.objects.filter(is_active=True).order_by("pk"))
        self.by_kind = defaultdict(list)
        for inst in self.institutions:
            self.by_kind[inst.kind].append(inst)
        self.by_name = {i.name: i for i in self.institutions}
        self.users: dict[tuple[int, str], User] = {}
        self.counters: dict[tuple[int, str, int], int] = {}
        self._counters_loaded = False
        self.canaries: list[str] = []
        self.tz = timezone.get_current_timezone()
        self.t0 = time.monotonic()

    # ------------------------------------------------------------------ helpers

    def writer(self, model) -> BulkWriter:
        if model not in self.writers:
            self.writers[model] = BulkWriter(model, batch=self.options.get("batch", 50_000))
        return self.writers[model]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def date(self, lo: dt.date | None = None, hi: dt.date | None = None) -> dt.date:
        lo = lo or self.start
        hi = hi or self.today
        span = (hi - lo).days
        return lo + dt.timedelta(days=self.rng.randrange(span + 1)) if span > 0 else lo

    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        hour = self.rng.randrange(8, 18) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=self.tz)

    def user(self, inst: Institution, role: str = User.Role.STAFF) -> User:
        return self.users[(inst.pk, role)]

    def canary(self, inst: Institution) -> str:
        mark = f"CANARY-{inst.code}-{self.uuid().hex[:12]}"
        self.canaries.append(mark)
        return mark

    def say(self, message: str):
        self.stdout.write(f"[{time.monotonic() - self.t0:6.1f}s] {message}")

    def flush(self):
        for w in self.writers.values():
            w.flush()

    # ------------------------------------------------------------------ letters (shared by every app)

    def next_number(self, issuer: Institution, series: str, year: int) -> int:
        if not self._counters_loaded:
            for c in DocumentCounter.objects.all():
                self.counters[(c.issuer_id, c.series, c.year)] = c.last
            self._counters_loaded = True
        key = (issuer.pk, series, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def letter(
        self,
        *,
        issuer: Institution,
        title: str,
        body: str,
        to: list[Institution],
        cc: list[Institution] = (),
        series: str = Letter.Series.HAN,
        status: str = Letter.Status.ISSUED,
        issued_on: dt.date | None = None,
        signed_after: int | None = 2,
        read: bool = False,
        source=None,
    ) -> tuple[int, list[tuple[int, Institution, dt.date | None]]]:
        """Write a letter and its deliveries; returns (letter id, [(delivery id, recipient, signed_on)])."""
        from django.contrib.contenttypes.models import ContentType

        lid = self.ids.take(Letter)
        created_on = issued_on - dt.timedelta(days=self.rng.randrange(0, 4)) if issued_on else self.date()
        created_on = max(created_on, self.start)
        staff = self.user(issuer)
        row = {
            "id": lid,
            "uuid": self.uuid(),
            "issuer_id": issuer.pk,
            "series": series,
            "title": title,
            "body": body,
            "status": status,
            "created_by_id": staff.pk,
            "created_at": self.at(created_on, 9),
        }
        if status != Letter.Status.DRAFT:
            row["submitted_at"] = self.at(created_on, 10)
        if status == Letter.Status.ISSUED:
            year = issued_on.year
            number = self.next_number(issuer, series, year)
            row.update(
                year=year,
                number=number,
                doc_number=f"{issuer.code}{Letter.SERIES_MARK[series]}〔{year}〕{number}号",
                signed_off_by_id=self.user(issuer, User.Role.HEAD).pk,
                issued_on=issued_on,
                issued_at=self.at(issued_on, 15),
            )
        if source is not None:
            model, pk = source
            row.update(source_type_id=ContentType.objects.get_for_model(model).pk, source_id=pk)
        self.writer(Letter).add(**row)
        deliveries = []
        from .models import Delivery

        for position, (kind, recipient) in enumerate([("to", r) for r in to] + [("cc", r) for r in cc]):
            did = self.ids.take(Delivery)
            d = {
                "id": did,
                "uuid": self.uuid(),
                "letter_id": lid,
                "recipient_id": recipient.pk,
                "kind": kind,
                "position": position,
            }
            signed_on = None
            if status == Letter.Status.ISSUED:
                d["delivered_at"] = self.at(issued_on, 16)
                if signed_after is not None:
                    signed_on = min(issued_on + dt.timedelta(days=signed_after + self.rng.randrange(3)), self.today)
                    signer = self.user(recipient)
                    d.update(signed_on=signed_on, signed_at=self.at(signed_on, 10), signed_by_id=signer.pk)
                    if read:
                        d.update(read_at=self.at(signed_on, 11), read_by_id=signer.pk)
            self.writer(Delivery).add(**d)
            deliveries.append((did, recipient, signed_on))
        return lid, deliveries

    def ledger(self, *, owner, title, start_date, period, unit, source, done_on=None):
        from django.contrib.contenttypes.models import ContentType

        model, pk = source
        if unit == "months":
            m = start_date.month - 1 + period
            y, m = start_date.year + m // 12, m % 12 + 1
            import calendar

            due = dt.date(y, m, min(start_date.day, calendar.monthrange(y, m)[1]))
        else:
            due = start_date + dt.timedelta(days=period)
        status = (
            LedgerEntry.Status.DONE
            if done_on
            else (LedgerEntry.Status.OVERDUE if due < self.today else LedgerEntry.Status.OPEN)
        )
        self.writer(LedgerEntry).add(
            id=self.ids.take(LedgerEntry),
            uuid=self.uuid(),
            owner_id=owner.pk,
            title=title,
            start_date=start_date,
            period=period,
            unit=unit,
            due_date=due,
            status=status,
            done_on=done_on,
            evidence="已书面回复。" if done_on else "",
            created_at=self.at(start_date, 11),
            source_type_id=ContentType.objects.get_for_model(model).pk,
            source_id=pk,
        )
        return due

    def save_counters(self):
        """Real letters issued after the seed go on numbering where the seed stopped."""
        DocumentCounter.objects.bulk_create(
            [DocumentCounter(issuer_id=i, series=s, year=y, last=last) for (i, s, y), last in self.counters.items()],
            update_conflicts=True,
            unique_fields=["issuer", "series", "year"],
            update_fields=["last"],
            batch_size=1000,
        )


# ----------------------------------------------------------------------------- the hub's own rows

SEED_ROLES = {
    K.OFFICE: [User.Role.OFFICE, User.Role.AUDITOR],
    K.GOVERNMENT: [User.Role.LEGAL, User.Role.STAFF, User.Role.HEAD],
}


def ensure_users(ctx: Context):
    """Two or three accounts per institution (no usable password: benchmarks log them in directly)."""
    for inst in ctx.institutions:
        for role in SEED_ROLES.get(inst.kind, [User.Role.STAFF, User.Role.HEAD]):
            user, created = User.objects.get_or_create(
                username=f"seed{inst.pk}-{role}",
                defaults={"institution": inst, "role": role, "display_name": f"{inst.short_name}{role}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            ctx.users[(inst.pk, role)] = user
        if inst.kind == K.OFFICE:
            # The office writes and signs its own letters with its office-role account.
            ctx.users[(inst.pk, User.Role.STAFF)] = ctx.users[(inst.pk, User.Role.OFFICE)]
            ctx.users[(inst.pk, User.Role.HEAD)] = ctx.users[(inst.pk, User.Role.OFFICE)]


LETTER_SUBJECTS = [
    ("han", "关于商请提供{x}执法案卷材料的函"),
    ("han", "关于协助核查{x}有关情况的函"),
    ("han", "关于征求{x}工作意见的函"),
    ("fu", "关于{x}有关问题的复函"),
    ("tongbao", "关于{x}工作情况的通报"),
    ("tongzhi", "关于做好{x}工作的通知"),
    ("jiyao", "{x}联席会议纪要"),
]
TOPICS = [
    "行政机关负责人出庭应诉",
    "行政争议诉前化解",
    "占道经营整治",
    "违法建设查处",
    "政府信息公开",
    "行政执法案卷评查",
    "征地拆迁补偿",
    "柳江水环境保护",
    "食品药品安全监管",
    "非诉执行案件",
    "行政复议与应诉衔接",
    "法治政府建设督察",
]


def seed_letters(ctx: Context):
    """`--letters N` letters between every kind of institution; most issued, some awaiting sign-off or drafts."""
    n = ctx.options["letters"]
    rng = ctx.rng
    senders = [i for i in ctx.institutions]
    for k in range(n):
        issuer = senders[rng.randrange(len(senders))]
        others = [i for i in senders if i.pk != issuer.pk]
        to = rng.sample(others, 1 if rng.random() < 0.7 else 2)
        cc = rng.sample([i for i in others if i not in to], rng.choice((0, 0, 1, 2)))
        series, pattern = LETTER_SUBJECTS[rng.randrange(len(LETTER_SUBJECTS))]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        title = pattern.format(x=topic)
        roll = rng.random()
        status = (
            Letter.Status.ISSUED if roll < 0.92 else (Letter.Status.PENDING if roll < 0.96 else Letter.Status.DRAFT)
        )
        issued_on = ctx.date() if status == Letter.Status.ISSUED else None
        body = f"{to[0].name}：\n现就{topic}有关事项函达如下，请研究办理。第{k + 1}号。"
        age = (ctx.today - issued_on).days if issued_on else 0
        signed_after = None if (issued_on and age < 10 and rng.random() < 0.5) else 1
        lid, deliveries = ctx.letter(
            issuer=issuer,
            title=title,
            body=body,
            to=to,
            cc=cc,
            series=series,
            status=status,
            issued_on=issued_on,
            signed_after=signed_after,
            read=rng.random() < 0.6,
        )
        # A reply owed on a third of the letters: on the ledger of the first addressee.
        if status == Letter.Status.ISSUED and series == "han" and deliveries[0][2] and rng.random() < 0.33:
            start = deliveries[0][2]
            due_done = start + dt.timedelta(days=rng.randrange(10, 70))
            done_on = due_done if due_done < ctx.today and rng.random() < 0.7 else None
            ctx.ledger(
                owner=deliveries[0][1],
                title=f"函复：{title}",
                start_date=start,
                period=2,
                unit="months",
                source=(Letter, lid),
                done_on=done_on,
            )
    # Canaries: drafts only their issuer sees.
    for inst in ctx.institutions:
        others = [i for i in ctx.institutions if i.pk != inst.pk]
        for _ in range(2):
            mark = ctx.canary(inst)
            ctx.letter(
                issuer=inst,
                title=f"草稿 {mark}",
                body=f"内部草稿 {mark}",
                to=[others[ctx.rng.randrange(len(others))]],
                status=Letter.Status.DRAFT,
            )
    ctx.flush()
    ctx.say(f"公文 {n} 件（另有 {2 * len(ctx.institutions)} 件带 canary 的草稿）")
