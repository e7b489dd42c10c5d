"""Serializer output without DRF's per-field, per-row machinery: the same JSON, a fraction of the calls.

DRF's `Serializer.to_representation` asks every field of every row for `get_attribute` (a walk of
its source with an `is_simple_callable` per step — `inspect.signature` for each method source such
as `get_status_display`) and then `to_representation`; a nested serializer repeats that for each
related row. An API page of 50 cases read its fields ~1,400 times that way, and a page of letters
called `inspect.signature` 720 times.

`plan(serializer)` reads a bound serializer's fields once (the first time it represents anything:
once per list, per request) into a list of steps, one per readable field in the serializer's order:

- the source is read with `getattr` per dotted part (a mapping with `[]`), exactly as DRF's
  `get_attribute` does, with `is_simple_callable` remembered per function instead of asked per row;
  a field whose class reads its value its own way (a `RelatedField` with the pk-only shortcut, a
  `ManyRelatedField`, any override of `get_attribute`) keeps its own `get_attribute`;
- the value is converted by what the field's own `to_representation` would do, for the classes whose
  method is DRF's own (CharField, IntegerField, BooleanField, UUIDField, DateField, DateTimeField,
  ChoiceField, SlugRelatedField), a nested serializer by its own plan (and `many=True` by its child's),
  a SerializerMethodField by calling the serializer's method; anything else (a subclass that overrides
  `to_representation`, such as `ExplainedField`, or a serializer that overrides its own) by the
  field's own `to_representation`;
- a source that cannot be read (AttributeError/KeyError, or None in the middle of a dotted source)
  is decided as DRF decides it: a nullable field gives None, otherwise the field's own
  `get_attribute` is asked again and raises, skips or gives its default.

The serializers stay the single description of the output (and of the OpenAPI schema); this module only
runs them faster. `reference()` switches it off — every list, `representation()` and `ref()` then goes
through DRF's own code — which is what tests/liaison/test_api_fast.py compares it with, byte for byte,
for every list endpoint and persona.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import threading
import types
from collections.abc import Mapping
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db.models import Model
from django.db.models.manager import BaseManager
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import fields as f
from rest_framework import relations, serializers
from rest_framework.fields import BuiltinSignatureError, SkipField, empty, is_simple_callable
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from .. import status

_state = threading.local()


class _Env(threading.local):
    """What a representation reads once per call (per thread) instead of once per value: the current
    time zone, and each display label in the current language."""

    def __init__(self):
        self.depth = 0  # entry points under way: the outermost one starts afresh
        self.refresh()

    def refresh(self):
        self.zone = None
        self.labels = {}  # (model field, value) → its display label

    def current_zone(self):
        if self.zone is None:
            self.zone = timezone.get_current_timezone()
        return self.zone


_env = _Env()


@contextlib.contextmanager
def _represented():
    """One outermost representation (and those nested in it) reads the time zone and labels afresh."""
    env = _env
    if not env.depth:
        env.refresh()
    env.depth += 1
    try:
        yield
    finally:
        env.depth -= 1


def enabled() -> bool:
    return not getattr(_state, "reference", False)


@contextlib.contextmanager
def reference():
    """DRF's own representation everywhere this module is used (tests compare the two)."""
    before = getattr(_state, "reference", False)
    _state.reference = True
    try:
        yield
    finally:
        _state.reference = before


# ----------------------------------------------------------------------------- reading a source

_MISSING = (AttributeError, KeyError)
_simple: dict = {}  # function or type → is_simple_callable's answer (it depends on nothing else)


def _call_if_simple(value, attr):
    """What DRF's `get_attribute` does with a callable: call it when it takes no arguments."""
    kind = type(value)
    if kind is types.MethodType:
        key = value.__func__
    elif kind is types.FunctionType:
        key = value
    elif kind is functools.partial:
        # Django's get_FOO_display: partial(bound _get_FIELD_display, field=…). Its signature is
        # the function's, less the bound arguments: the same for every object.
        func, bound = value.func, type(value.func) is types.MethodType
        func = func.__func__ if bound else func
        key = (func, bound, len(value.args), frozenset(value.keywords)) if type(func) is types.FunctionType else None
    elif kind is types.BuiltinFunctionType or kind is types.BuiltinMethodType:
        key = None  # DRF raises each time
    else:
        key = kind  # neither function, method nor partial: never called, whatever the object
    simple = _simple.get(key) if key is not None else None
    if simple is None:
        simple = is_simple_callable(value)
        if key is not None:
            _simple[key] = simple
    if not simple:
        return value
    try:
        return value()
    except (AttributeError, KeyError) as exc:
        raise ValueError(f'Exception raised in callable attribute "{attr}"; original exception was: {exc}') from exc


_objects: set = set()  # types known not to be mappings (DRF asks isinstance(…, Mapping) per read)


def _is_mapping(instance) -> bool:
    if isinstance(instance, Mapping):
        return True
    _objects.add(type(instance))
    return False


_UNKNOWN = object()
_GENERIC_DISPLAYS = (Model._get_FIELD_display, status._display)


def _display_field(kind, attr):
    """The model field whose `get_FOO_display` `attr` is on `kind`, when it is Django's own (or
    `status.fast_displays`'): its answer then depends on nothing but the field's value and the language."""
    if not (isinstance(kind, type) and issubclass(kind, Model)):
        return None
    method = next((k.__dict__[attr] for k in kind.__mro__ if attr in k.__dict__), None)
    if not isinstance(method, functools.partialmethod) or method.func not in _GENERIC_DISPLAYS or method.args:
        return None
    field = method.keywords.get("field")
    return field if set(method.keywords) == {"field"} and field.model is not None else None


def _display_reader(attr, plain):
    """A `get_FOO_display` source: each label translated once per representation, not once per row
    (a lazy label's translation is ~40 calls)."""
    fields = {}  # type → its model field, or None (read it as any other attribute)

    def read(instance):
        kind = type(instance)
        field = fields.get(kind, _UNKNOWN)
        if field is _UNKNOWN:
            field = fields[kind] = _display_field(kind, attr)
        if field is None:
            return plain(instance)
        key = (field, getattr(instance, field.attname))
        labels = _env.labels
        try:
            return labels[key]
        except KeyError:
            label = labels[key] = plain(instance)
            return label
        except TypeError:  # an unhashable value
            return plain(instance)

    return read


def _reader(attrs):
    """`rest_framework.fields.get_attribute(instance, attrs)`, for one field's source."""
    if len(attrs) == 1 and attrs[0].startswith("get_") and attrs[0].endswith("_display"):
        return _display_reader(attrs[0], _plain_reader(attrs))
    return _plain_reader(attrs)


def _plain_reader(attrs):
    if len(attrs) == 1:
        (attr,) = attrs

        def read(instance):
            try:
                if type(instance) in _objects or not _is_mapping(instance):
                    value = getattr(instance, attr)
                else:
                    value = instance[attr]
            except ObjectDoesNotExist:
                return None
            return _call_if_simple(value, attr) if callable(value) else value

        return read

    def read(instance):
        for attr in attrs:
            try:
                if type(instance) in _objects or not _is_mapping(instance):
                    instance = getattr(instance, attr)
                else:
                    instance = instance[attr]
            except ObjectDoesNotExist:
                return None
            if callable(instance):
                instance = _call_if_simple(instance, attr)
        return instance

    return read


def _plain_get_attribute(field) -> bool:
    method = type(field).get_attribute
    if method is f.Field.get_attribute:
        return True
    return method is relations.RelatedField.get_attribute and not field.use_pk_only_optimization()


# ----------------------------------------------------------------------------- converting a value


def _own(field, cls) -> bool:
    """The field's `to_representation` is `cls`'s own (not overridden by a subclass)."""
    return type(field).to_representation is cls.to_representation


def _date(field):
    output = getattr(field, "format", api_settings.DATE_FORMAT)
    if output is None or output.lower() != f.ISO_8601:
        return field.to_representation
    fallback = field.to_representation

    def convert(value):
        return value.isoformat() if type(value) is datetime.date else fallback(value)

    return convert


def _datetime(field):
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if output is None or output.lower() != f.ISO_8601 or hasattr(field, "timezone") or not settings.USE_TZ:
        return field.to_representation
    fallback = field.to_representation

    def convert(value):
        # DRF: enforce_timezone (an aware value moves to the current zone), isoformat, +00:00 → Z.
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return fallback(value)
        try:
            text = value.astimezone(_env.current_zone()).isoformat()
        except OverflowError:
            return fallback(value)  # DRF's validation error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _boolean(field):
    fallback = field.to_representation

    def convert(value):
        return value if value is True or value is False else fallback(value)

    return convert


def _choice(field):
    strings = field.choice_strings_to_values
    fallback = field.to_representation

    def convert(value):
        return strings.get(value, value) if type(value) is str else fallback(value)

    return convert


def _many(row):
    def convert(value):
        rows = value.all() if isinstance(value, BaseManager) else value
        return [row(item) for item in rows]

    return convert


def _converter(field):
    """(convert, portable): what becomes of a read value; portable when it does not depend on the
    serializer instance (no method, no field of an unknown kind, no nested plan that has them)."""
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        if type(field).to_representation is serializers.ListSerializer.to_representation and _compilable(child):
            nested = Plan(child)
            return _many(nested.row), nested.portable
        return field.to_representation, False
    if isinstance(field, serializers.BaseSerializer):
        if _compilable(field):
            nested = Plan(field)
            return nested.row, nested.portable
        return field.to_representation, False
    if isinstance(field, f.SerializerMethodField) and _own(field, f.SerializerMethodField):
        return getattr(field.parent, field.method_name), False
    if _own(field, f.CharField):
        return str, True
    if _own(field, f.IntegerField):
        return int, True
    if _own(field, f.UUIDField) and field.uuid_format == "hex_verbose":
        return str, True
    if _own(field, f.BooleanField):
        return _boolean(field), True
    if _own(field, f.DateField):
        return _date(field), True
    if _own(field, f.DateTimeField):
        return _datetime(field), True
    if _own(field, f.ChoiceField):
        return _choice(field), True
    if _own(field, relations.SlugRelatedField):
        return attrgetter(field.slug_field.replace("__", ".")), True
    return field.to_representation, False


# ----------------------------------------------------------------------------- the plan


def _compilable(serializer) -> bool:
    """A serializer whose output is DRF's `Serializer.to_representation` (no override of its own)."""
    return type(serializer).to_representation is serializers.Serializer.to_representation


def _step(field):
    """(name, read, convert, field, nullable), portable."""
    own_reader = not _plain_get_attribute(field)
    if own_reader:
        read = field.get_attribute
    elif field.source == "*":
        read = None  # the instance itself
    else:
        read = _reader(field.source_attrs)
    convert, portable = _converter(field)
    nullable = field.default is empty and field.allow_null
    return (field.field_name, read, convert, field, nullable), portable and not own_reader


class Plan:
    """One bound serializer's fields as steps; `row(instance)` is `Serializer.to_representation`.

    `portable`: no step depends on the serializer instance, except the methods of its
    SerializerMethodFields (`bound` lists them with its declared fields of other kinds): the plan of
    one instance serves another of the same class, those steps re-bound (`Plan.for_instance`)."""

    def __init__(self, serializer, steps=None):
        if steps is not None:
            self.steps, self.portable, self.bound = steps, False, ()
            return
        self.steps, self.bound, self.portable = [], [], True
        for index, field in enumerate(serializer._readable_fields):
            step, portable = _step(field)
            self.steps.append(step)
            if portable:
                continue
            method = isinstance(field, f.SerializerMethodField) and _own(field, f.SerializerMethodField)
            if (
                method
                or field.field_name in type(serializer)._declared_fields
                and not isinstance(field, serializers.BaseSerializer)
            ):
                self.bound.append((index, method))
            else:
                self.portable = False

    def for_instance(self, serializer):
        """This plan for another instance of the same serializer class (whose fields are never built)."""
        steps = list(self.steps)
        for index, method in self.bound:
            name, read, convert, field, nullable = steps[index]
            if method:
                steps[index] = (name, read, getattr(serializer, field.method_name), field, nullable)
            else:  # as DRF binds a declared field: a deep copy bound to the serializer
                own = copy.deepcopy(type(serializer)._declared_fields[name])
                own.bind(name, serializer)
                steps[index] = _step(own)[0]
        return Plan(serializer, steps)

    def row(self, instance):
        out = {}
        for name, read, convert, field, nullable in self.steps:
            if read is None:
                value = instance
            else:
                try:
                    value = read(instance)
                except _MISSING:
                    # DRF's Field.get_attribute: the default, None, skip, or its own error.
                    if nullable:
                        out[name] = None
                        continue
                    try:
                        value = field.get_attribute(instance)
                    except SkipField:
                        continue
                except SkipField:
                    continue
                except BuiltinSignatureError:
                    field.get_attribute(instance)  # raises DRF's own message
                    raise
            if value is None or (type(value) is PKOnlyObject and value.pk is None):
                out[name] = None
            else:
                out[name] = convert(value)
        return out

    def rows(self, instances):
        row = self.row
        return [row(instance) for instance in instances]


# How DRF builds a serializer's fields (per instance, per request: most of a small list's cost). A
# class that changes none of it has the same fields in every instance, so one plan serves them all.
_FIELD_BUILDERS = (
    "__init__",
    "fields",
    "_readable_fields",
    "get_fields",
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_field_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
)
_by_class: dict = {}  # serializer class → the plan of a context-free instance, or False


def _shareable(cls) -> bool:
    base = serializers.ModelSerializer if issubclass(cls, serializers.ModelSerializer) else serializers.Serializer
    return all(getattr(cls, name, None) is getattr(base, name, None) for name in _FIELD_BUILDERS)


def plan(serializer) -> Plan:
    """The serializer's plan, kept on it: re-bound from its class's when the class builds its fields
    as DRF does (then `serializer.fields` is never built), else read from its fields."""
    existing = serializer.__dict__.get("_fast_plan")
    if existing is not None:
        return existing
    cls = type(serializer)
    shared = _by_class.get(cls)
    if shared is None:
        shared = _by_class[cls] = Plan(cls()) if _shareable(cls) else False
    if shared and shared.portable:
        made = shared.for_instance(serializer)
    else:
        made = Plan(serializer)
    serializer.__dict__["_fast_plan"] = made
    return made


@receiver(setting_changed)
def _forget_plans(**kwargs):
    # Plans read DATE_FORMAT, DATETIME_FORMAT and USE_TZ when they are made (tests change settings).
    _by_class.clear()


# ----------------------------------------------------------------------------- entry points


def representation(serializer, instance) -> dict:
    """`serializers.Serializer.to_representation(serializer, instance)`, fast: for a serializer that
    overrides `to_representation` and would call `super()`."""
    if not enabled():
        return serializers.Serializer.to_representation(serializer, instance)
    with _represented():
        return plan(serializer).row(instance)


def many(serializer_class, *args, **kwargs):
    """`serializer_class(*args, many=True, **kwargs)` with this module's ListSerializer (DRF's
    `many_init`, unless the serializer names its own list class)."""
    if getattr(getattr(serializer_class, "Meta", None), "list_serializer_class", None) is not None:
        return serializer_class(*args, many=True, **kwargs)
    list_kwargs = {}
    for key in serializers.LIST_SERIALIZER_KWARGS_REMOVE:
        value = kwargs.pop(key, None)
        if value is not None:
            list_kwargs[key] = value
    list_kwargs["child"] = serializer_class(*args, **kwargs)
    list_kwargs.update({key: value for key, value in kwargs.items() if key in serializers.LIST_SERIALIZER_KWARGS})
    return ListSerializer(*args, **list_kwargs)


class ListSerializer(serializers.ListSerializer):
    """DRF's ListSerializer whose rows are represented by the child's plan (the API lists' serializer:
    liaison.api.records.ApiMixin.get_serializer)."""

    def to_representation(self, data):
        if not enabled():
            return super().to_representation(data)
        child = self.child
        rows = data.all() if isinstance(data, BaseManager) else data
        if not _compilable(child):
            return [child.to_representation(item) for item in rows]
        with _represented():
            return plan(child).rows(rows)


def ref(serializer_class, instance, many=False):
    """`serializer_class(instance, many=many).data` for a context-free reference serializer (a linked
    case, letter or meeting in a row), without building a serializer and its fields per row."""
    if not enabled():
        return serializer_class(instance, many=many).data
    refs = getattr(_state, "refs", None)  # one instance per class and thread
    if refs is None:
        refs = _state.refs = {}
    serializer = refs.get(serializer_class)
    if serializer is None:
        serializer = refs[serializer_class] = serializer_class()
    with _represented():
        p = plan(serializer)
        if many:
            return p.rows(instance.all() if isinstance(instance, BaseManager) else instance)
        return p.row(instance)
