"""One paginator for every list page and API list: exact counts and deep pages that stay fast.

A visibility rule written as an OR of indexable branches (`access.any_of`) is cheap to walk
in the list's order near the top (the planner stops at the page) but costly to count and to
walk deep: `count(*)` and `OFFSET 2500` evaluate the whole OR row by row over the table.
This paginator uses the branches the queryset remembers (`VisibleQuerySet.branches`):

- **the visible ids first** (one query): `SELECT id … UNION ALL …` of the branches alone,
  each an index lookup (a `pk IN (subquery)` branch is its subquery, the link table's index),
  stopped at SMALL_SET + 1 rows. A narrow viewer's few thousand ids come back; a wide viewer
  stops the stream early and takes the paths below.
- **count**: with no filter but visibility, the number of those ids (no count query); with
  filters, `count(*)` of the list narrowed to `id IN (those ids)`; for a wide viewer,
  `count(*)` of the UNION of `list AND branch` (the OR left out of each part: a part is the
  list narrowed by one of the OR's terms, so it never counts a row the list would not show).
  Always exact, not estimated: the page says 共 N 条 and links the last page.
- **the page**: near the top, the list narrowed to those ids, in its order (the planner
  walks the order index with the hashed id list); deeper, when the walk would read more rows
  than there are matches (`top × table size > count × visible ids`, from the planner's
  estimate of the table's size), the matching rows' order columns are sorted behind an
  `OFFSET 0` fence and sliced, then the page's rows read by primary key. For a wide viewer
  deep in the list, the same with the UNION of the branches; for a viewer with no branches
  (who sees everything), the order index walked for ids alone, from the end when the page
  is past the middle, so the last page costs what the first does.

Every row shown is read through the list's own queryset (its visibility OR included), so the
ids paths can only ever drop a row, never add one. Anything it cannot do this way (an
aggregate or DISTINCT list, an order by a related column or a NULLS clause, a combined
queryset) is paginated as Django does.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import OrderBy
from django.utils.functional import cached_property

from . import rowcount
from .querysets import without_visibility

# Visible sets up to this many ids are resolved to an id list; past this offset a list
# without the planner's table size (SQLite) is paged ids first.
SMALL_SET = 10_000
DEEP_OFFSET = 1_000


def _plain(qs) -> bool:
    """A queryset whose rows are its table's rows: no UNION, DISTINCT, slice or aggregate."""
    if not isinstance(qs, QuerySet):
        return False
    q = qs.query
    return not (
        q.combinator
        or q.distinct
        or q.is_sliced
        or any(getattr(a, "contains_aggregate", False) for a in q.annotations.values())
    )


def _branches(qs) -> tuple:
    return tuple(getattr(qs, "branches", ())) if _plain(qs) else ()


def _order_columns(qs) -> list[tuple[str, bool]] | None:
    """[(column, descending)] when the order is plain local columns or annotations, else None."""
    query = qs.query
    order = query.order_by or (query.default_ordering and qs.model._meta.ordering) or ()
    if not order:
        return None
    pk = qs.model._meta.pk.attname
    local = {f.attname for f in qs.model._meta.concrete_fields} | {f.name for f in qs.model._meta.concrete_fields}
    out = []
    for item in order:
        if isinstance(item, OrderBy) and hasattr(item.expression, "name"):
            if item.nulls_first or item.nulls_last:
                return None
            name, desc = item.expression.name, item.descending
        elif isinstance(item, str):
            name, desc = item.lstrip("-"), item.startswith("-")
        else:
            return None
        if name == "pk":
            name = pk
        field = qs.model._meta.get_field(name) if name in local else None
        if field is not None:
            name = field.attname
        elif name not in query.annotations:
            return None
        if not query.standard_ordering:
            desc = not desc
        out.append((name, desc))
    if pk not in {name for name, _ in out}:
        out.append((pk, out[-1][1]))  # a total order: pages never overlap
    return out


def _id_subquery(branch):
    """The id subquery of a branch that is only `pk IN (subquery)`, else None."""
    if branch.negated or len(branch.children) != 1 or not isinstance(branch.children[0], tuple):
        return None
    lookup, value = branch.children[0]
    if lookup in ("pk__in", "id__in") and isinstance(value, QuerySet) and value._fields and len(value._fields) == 1:
        return value
    return None


def union_of(qs, branches, fields) -> QuerySet:
    """`SELECT fields FROM (qs AND branch₁) UNION …`; the visibility OR itself is left out of
    each part (each branch is one of its terms, so every part stays inside it). Counting a
    list with no other filter, a `pk IN (subquery)` branch is its subquery alone: the ids
    come from the link table's index without a lookup of each row."""
    base = without_visibility(qs)
    if base is None:
        base = qs
    bare = fields == ["pk"] and not base.query.where.children
    parts = []
    for b in branches:
        sub = _id_subquery(b) if bare else None
        if sub is not None:
            parts.append(sub.order_by())
        else:
            parts.append(base.filter(b).order_by().prefetch_related(None).values(*fields))
    return parts[0].union(*parts[1:])


def sorted_ids(qs, order, bottom: int, top: int) -> list | None:
    """The page's ids by sorting all of `qs`'s rows (behind an OFFSET 0 fence, so PostgreSQL
    finds the rows by their ids instead of walking the order index); None if the order's
    columns cannot be placed."""
    columns = [name for name, _ in order]
    inner = qs.order_by().prefetch_related(None).values(*columns)
    compiler = inner.query.get_compiler(using=inner.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    names = [alias or getattr(getattr(expr, "target", None), "attname", None) for expr, _, alias in compiler.select]
    position = {name: i + 1 for i, name in enumerate(names)}
    if any(name not in position for name in columns):
        return None
    pk = position[qs.model._meta.pk.attname]
    by = ", ".join(f"{position[name]} {'DESC' if desc else 'ASC'}" for name, desc in order)
    fence = " OFFSET 0" if compiler.connection.vendor == "postgresql" else ""
    with compiler.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}{fence}) AS u ORDER BY {by} LIMIT %s OFFSET %s", (*params, top - bottom, bottom)
        )
        return [row[pk - 1] for row in cursor.fetchall()]


def bare_union(qs, branches, *, all: bool = False) -> QuerySet:
    """The ids the branches make visible, nothing else filtering them: one index lookup each
    (a `pk IN (subquery)` branch is its subquery alone)."""
    parts = []
    for b in branches:
        sub = _id_subquery(b)
        if sub is not None:
            parts.append(sub.order_by().values_list(sub._fields[0], flat=True))
        else:
            parts.append(qs.model._base_manager.filter(b).order_by().values_list("pk", flat=True))
    return parts[0].union(*parts[1:], all=all)


def visible_ids(qs, branches, limit: int) -> tuple[list | None, int | None]:
    """The visible ids when the branches give at most `limit` rows (else None), and on
    PostgreSQL the planner's estimate of the table's size, in one query. UNION ALL with a
    LIMIT streams: a large set stops at `limit` rows instead of being collected and deduplicated."""
    union = bare_union(qs, branches, all=True)
    compiler = union.query.get_compiler(using=union.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return [], None
    if compiler.connection.vendor == "postgresql":
        size = "(SELECT reltuples FROM pg_class WHERE oid = %s::regclass)"
        params = (qs.model._meta.db_table, *params, limit + 1)
    else:
        size, params = "NULL", (*params, limit + 1)
    with compiler.connection.cursor() as cursor:
        cursor.execute(f"SELECT u.*, {size} FROM ({sql}) AS u LIMIT %s", params)
        rows = cursor.fetchall()
    estimate = int(rows[0][1]) if rows and rows[0][1] and rows[0][1] > 0 else None
    if len(rows) > limit:
        return None, estimate
    return list(dict.fromkeys(row[0] for row in rows)), estimate


def _in_ids(qs, ids: list) -> QuerySet:
    """`qs` narrowed to these ids. On PostgreSQL one array parameter (`id = ANY('{…}')`, which
    the planner hashes) instead of `IN (%s, %s, …)` with thousands of placeholders to build,
    send, parse and plan."""
    if connections[qs.db].vendor != "postgresql":
        return qs.filter(pk__in=ids)
    column = f'"{qs.model._meta.db_table}"."{qs.model._meta.pk.column}"'
    if all(type(i) is int for i in ids):
        # The array as one text literal: psycopg's list dumper checks every element (6,198
        # regex searches and ~2 ms of Python for an agency's ids); str.join is ~0.3 ms.
        literal = "{" + ",".join(map(str, ids)) + "}"
        return qs.extra(where=[f"{column} = ANY(%s::bigint[])"], params=[literal])
    return qs.extra(where=[f"{column} = ANY(%s)"], params=[ids])


class FastPaginator(Paginator):
    table_size: int | None = None

    @cached_property
    def _plan(self):
        """(branches, narrowed, count): `narrowed` is the list with its visible ids resolved
        (`pk IN (…)` added, the OR kept) when there are at most SMALL_SET of them; `count` the
        list's length when it is already known (no filter but visibility)."""
        qs = self.object_list
        branches = _branches(qs)
        if not branches:
            return (), None, None
        base = without_visibility(qs)
        unfiltered = base is not None and not base.query.where.children
        ids, self.table_size = visible_ids(qs, branches, SMALL_SET)
        if ids is None:
            return branches, None, None
        narrowed = _in_ids(qs, ids)
        narrowed._visible_count = len(ids)
        # With no other filter the visible ids are the list: counted without a query.
        return branches, narrowed, len(ids) if unfiltered else None

    @cached_property
    def count(self):
        branches, narrowed, count = self._plan
        if count is not None:
            return count
        if narrowed is not None:
            return narrowed.order_by().prefetch_related(None).count()
        if branches:
            return union_of(self.object_list, branches, ["pk"]).count()
        qs = self.object_list
        if _plain(qs) and not qs.query.where.children:
            # The whole table (the office's unfiltered list): its trigger-kept count, if it has one.
            n = rowcount.exact(qs.model, qs.db)
            if n is not None:
                return n
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def _sorting_wins(self, top: int) -> bool:
        """Sort the visible set (ids first) rather than walk the order index to row `top`?
        The walk reads about top × size / count rows, the sort about count rows."""
        count = self.count
        if self.table_size:
            return top * self.table_size > count * count
        return top > DEEP_OFFSET

    def rows(self, bottom: int, top: int):
        qs = self.object_list
        if not _plain(qs) or top <= bottom:
            return qs[bottom:top]
        branches, narrowed, _ = self._plan
        order = _order_columns(qs)
        if narrowed is not None:
            # At most SMALL_SET visible rows: near the top, walk the order index with the list's own
            # condition (the visibility OR of hashed subplans: 2,248 buffers for the 城管局's page 1);
            # with the id list added the planner costs `id = ANY(6,198 ids)` per row as a linear
            # search and probes the primary key for every id instead (22,528 buffers). Deeper, sort
            # the matching rows and take the page.
            visible = narrowed._visible_count
            size = self.table_size
            if order is not None and (top * size > self.count * visible if size else top > DEEP_OFFSET):
                ids = sorted_ids(narrowed, order, bottom, top)
                if ids is not None:
                    found = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
                    return [found[i] for i in ids if i in found]
            return list(qs[bottom:top])
        if order is None:
            return qs[bottom:top]
        if branches and self._sorting_wins(top):
            ids_qs = union_of(qs, branches, [name for name, _ in order])
        elif bottom >= DEEP_OFFSET:
            # Deep in a list without branches: the ids alone (an index-only walk of the order
            # index), from the end when that is shorter, then the rows.
            ids_qs = qs.order_by().prefetch_related(None).values(*[name for name, _ in order])
        else:
            return qs[bottom:top]
        return self._ids_first(qs, ids_qs, order, bottom, top)

    def _ids_first(self, qs, ids_qs, order, bottom, top):
        pk = qs.model._meta.pk.attname
        reverse = bottom > self.count // 2
        if reverse:
            bottom, top = self.count - top, self.count - bottom
        ordered = ids_qs.order_by(*[("-" if desc != reverse else "") + n for n, desc in order])
        ids = [row[pk] for row in ordered[bottom:top]]
        if reverse:
            ids.reverse()
        found = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
        return [found[i] for i in ids if i in found]
