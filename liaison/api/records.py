"""The API base every app builds its record endpoints on (/api/v1/<records>/).

`RecordViewSet` gives a record type its uuid lookup, its rows from `visible_to(user)`
(another institution's record answers 404 like a missing one), filters on lists only
(a query string never turns a detail into a 404), and `detail_response`, the record as the
user now sees it, re-read through the viewset's own queryset.

`record_action` declares one action on a record. It documents itself in the OpenAPI schema
(summary, request serializer, responses 200 and 400/403/404/409) and answers in one order:
404 (not visible) → 403 (the transition's guard refuses) → 409 (its state refuses) → 400
(the body), and only then calls the service; the answer is the record's detail re-fetched
after the change. A record's `allowed_actions` is `liaison.workflow.api_actions(user, obj)`:
the same table decides the buttons, the API and the service.

    from liaison.api.records import RecordViewSet, record_action

    class SuggestionViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
        model = Suggestion  # rows: access.visible(Suggestion.objects.all(), user)
        schema_tag = "suggestions"
        list_serializer = SuggestionListSerializer
        detail_serializer = SuggestionDetailSerializer  # also every action's documented answer
        filterset_class = SuggestionFilter

        @record_action("suggestion.submit", summary=_("提交审批"))
        def submit(self, request, suggestion, data):
            services.suggestion_submit(suggestion=suggestion, by=request.user)

        @record_action("suggestion.return", request=ReasonSerializer, summary=_("退回修改"))
        def return_(self, request, suggestion, data):  # routed at "return" (trailing "_" dropped)
            services.suggestion_return(suggestion=suggestion, by=request.user, reason=data["reason"])

The function gets the checked object and the validated body; it returns nothing (the
record is re-read), a record of this viewset (that one is shown), or a Response of its own.
When the verb is checked on another object than the record (the user's own delivery of a
letter, a meeting's minutes), `subject="method_name"` names a viewset method
`(record, verb) -> object`; it may itself raise 403/409.
"""

from __future__ import annotations

import functools

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend, SearchFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import access
from ..pagination import FastPaginator
from . import fast
from . import serializers as s
from .idempotency import IdempotentMixin


class Pagination(PageNumberPagination):
    """DRF's standard page format; `?page_size=` a positive integer, capped at 200 (`null`, `0` or
    `abc` are a 400, not silently the default)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = FastPaginator

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("每页条数应为正整数（最多 %(n)d）。") % {"n": self.max_page_size}]}
            )
        return super().get_page_size(request)


class BoundedSearchFilter(SearchFilter):
    """`?search=` up to MAX_LENGTH characters: a longer one is a 400 (SQLite refuses a LIKE pattern
    that long with an error, and no title or number is longer)."""

    MAX_LENGTH = 100

    def get_search_terms(self, request):
        raw = request.query_params.get(self.search_param, "")
        if len(raw) > self.MAX_LENGTH:
            raise exceptions.ValidationError(
                {self.search_param: [_("搜索词最多 %(n)d 个字符。") % {"n": self.MAX_LENGTH}]}
            )
        return super().get_search_terms(request)


class ListOrdering(BaseFilterBackend):
    """`?ordering=`: one of the sort keys the list's page declares (its ListSpec, the view's `listing`),
    `-` before it for the reverse; by default the page's default order (overdue first for the lists
    with a deadline). A key the list does not declare is a 400, never an order by an arbitrary field."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        spec = getattr(view, "listing", None)
        if spec is None:
            return queryset
        raw = request.query_params.get(self.param, "").strip()
        if raw and raw.lstrip("-") not in spec.sort_fields:
            raise exceptions.ValidationError(
                {
                    self.param: [
                        _("不能按“%(k)s”排序，可选：%(keys)s。") % {"k": raw[:40], "keys": "、".join(spec.sort_fields)}
                    ]
                }
            )
        ordered, _key = spec.order(queryset, raw)
        return ordered

    def get_schema_operation_parameters(self, view):
        spec = getattr(view, "listing", None)
        if spec is None:
            return []
        keys = list(spec.sort_fields)
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": str(_("排序（前加 - 为倒序）；默认：%(d)s") % {"d": spec.default_sort}),
                "schema": {"type": "string", "enum": [*keys, *("-" + k for k in keys)]},
            }
        ]


ERRORS = {
    400: OpenApiResponse(description=_("输入有误（字段错误）")),
    403: OpenApiResponse(s.ErrorSerializer, description=_("无权执行此操作")),
    404: OpenApiResponse(s.ErrorSerializer, description=_("不存在或无权访问")),
    409: OpenApiResponse(s.ErrorSerializer, description=_("当前状态不允许此操作")),
}


def errors(*codes):
    return {code: ERRORS[code] for code in codes}


def validated(serializer_class, request, partial=False, **context):
    """The request body checked by `serializer_class` (400 with field errors otherwise)."""
    serializer = serializer_class(data=request.data, context={"request": request, **context}, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApiMixin(IdempotentMixin):  # and `Idempotency-Key` on writes (liaison.api.idempotency)
    """What every hub viewset shares: JSON only (the docs page is the browsable view)."""

    renderer_classes = [JSONRenderer]
    pagination_class = Pagination

    def get_serializer(self, *args, **kwargs):
        # A list's rows are represented by liaison.api.fast: DRF's output, its fields read once per list.
        if kwargs.pop("many", False):
            kwargs.setdefault("context", self.get_serializer_context())
            return fast.many(self.get_serializer_class(), *args, **kwargs)
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["institution_id"] = getattr(self.request.user, "institution_id", None)
        return context


class RecordViewSet(ApiMixin, viewsets.GenericViewSet):
    """What every hub viewset shares: JSON only (the docs page is the browsable view)."""

    # (The docstring is the schema's description of a viewset that has none: keep it the mixin's.)
    # One record type's endpoints: uuid lookup, visible rows, filters on lists, detail re-read.
    # Set `model` (rows are `access.visible(model, user)`) or override `base_queryset()`;
    # `decorate(qs)` adds what the serializers need (annotations, prefetches) after the list's
    # filters; `list_actions` names the actions that are lists (filtered and paged).

    model = None
    schema_tag = ""  # the OpenAPI tag of every `record_action` that names none
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend, ListOrdering]
    listing = None  # the page's ListSpec: the list's `?ordering=` keys and default order (ListOrdering)
    http_method_names = ["get", "post", "patch", "head", "options"]
    list_actions: tuple[str, ...] = ("list",)
    list_serializer = None  # the serializer of list actions (default: the detail serializer)
    detail_serializer = None  # the serializer of a record's detail and of every action's answer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Each record_action is documented once its viewset is known: its tag and detail serializer.
        for fn in list(vars(cls).values()):
            spec = getattr(fn, "record_schema", None)
            if spec is None or spec.get("applied"):
                continue
            spec["applied"] = True
            response = spec["response"] or cls.detail_serializer
            if response is None:
                raise TypeError(f"{cls.__name__}.{fn.__name__}: name a response or set detail_serializer")
            tag = spec["tag"] or cls.schema_tag
            extend_schema(
                summary=spec["summary"],
                description=spec["description"],
                request=spec["request"],
                responses={spec["code"]: response, **errors(*spec["codes"])},
                **({"tags": [tag]} if tag else {}),
            )(fn)

    # ---------------------------------------------------------------- rows

    def base_queryset(self):
        if self.model is None:
            raise NotImplementedError(f"{type(self).__name__}: set `model` or override base_queryset()")
        return access.visible(self.model._default_manager.all(), self.request.user)

    def decorate(self, qs):
        """Annotations the serializers need; `self.action` tells a list from a detail."""
        return qs

    @property
    def is_list(self) -> bool:
        return self.action in self.list_actions

    def get_queryset(self):
        qs = self.base_queryset()
        # A list is filtered first (filter_queryset), then decorated.
        return qs if self.is_list else self.decorate(qs)

    def filter_queryset(self, queryset):
        if not self.is_list:
            return queryset
        return self.decorate(super().filter_queryset(queryset))

    def get_serializer_class(self):
        if self.detail_serializer is None:
            return super().get_serializer_class()
        return (self.list_serializer or self.detail_serializer) if self.is_list else self.detail_serializer

    # ---------------------------------------------------------------- actions

    def object_for(self, verb: str):
        """The visible record (404), on which the user may take `verb` now (403, then 409)."""
        obj = self.get_object()
        access.require(self.request.user, verb, obj)
        return obj

    def validated(self, serializer_class, partial=False, **context):
        return validated(serializer_class, self.request, partial=partial, **context)

    def detail_response(self, obj, code=status.HTTP_200_OK, serializer_class=None):
        """The record as the user now sees it (re-read through the viewset's queryset)."""
        action, self.action = self.action, "retrieve"
        try:
            fresh = self.get_queryset().get(pk=obj.pk)
            serializer_class = serializer_class or self.get_serializer_class()
        finally:
            self.action = action
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=code)


def record_action(
    verb: str | None = None,
    *,
    summary="",
    request=None,
    response=None,
    code: int = status.HTTP_200_OK,
    detail: bool = True,
    subject: str | None = None,
    name: str | None = None,
    tag: str | None = None,
    description: str | None = None,
    **action_kwargs,
):
    """A POST action on a record (see the module docstring).

    verb: the transition or action checked with `access.require` (None: visibility only);
    request: the body's serializer (validated after 404/403/409); response: the serializer
    documented for `code` (default: the viewset's detail serializer, as `detail_response` renders it);
    detail=False: an action on the collection (the verb is checked without an object);
    name: the URL segment (default: the function's name, "_" → "-", a trailing "_" dropped).
    """

    def wrap(fn):
        url = name or fn.__name__.rstrip("_").replace("_", "-")

        @functools.wraps(fn)
        def view(self, http_request, *args, **kwargs):
            user = http_request.user
            if detail:
                record = self.get_object()
                target = getattr(self, subject)(record, verb) if subject else record
                if verb:
                    access.require(user, verb, target)
            else:
                record = target = None
                if verb:
                    access.require(user, verb)
            data = self.validated(request) if request is not None else {}
            result = fn(self, http_request, target, data)
            if isinstance(result, HttpResponseBase):
                return result
            shown = result if result is not None and (record is None or isinstance(result, type(record))) else record
            if shown is None:
                raise TypeError(f"{fn.__name__} must return the record it made or a Response")
            return self.detail_response(shown, code)

        view = action(detail=detail, methods=["post"], url_path=url, url_name=url, **action_kwargs)(view)
        view.record_schema = {
            "summary": summary,
            "description": description,
            "request": request,
            "response": response,
            "code": code,
            "codes": [c for c in (400, 403, 404, 409) if (c != 400 or request is not None) and (c != 404 or detail)],
            "tag": tag,
        }
        return view

    return wrap
