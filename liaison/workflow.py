"""Transitions declared once per model: the one answer to "may this user do this now?".

A domain app declares, next to its model, every transition of that model's state
machine: the verb, the states it may start from, the state it enters, who may take it
(a guard over user and object: role and institution) and, where the state alone does
not say it, a condition over the object (e.g. "no reply drafted this round"):

    SUGGESTION_FLOW = workflow.Workflow(
        Suggestion,
        workflow.Transition("suggestion.submit", sources=[S.DRAFT], target=S.SUBMITTED,
                            who=issuer_acting, label=_("提交审批"), page="suggestions:submit"),
        ...
    )
    workflow.register(SUGGESTION_FLOW)

Everything else asks the declaration and never lists actions by hand:

- services call `access.require(by, "suggestion.submit", s)`: 403 (PermissionDenied) when
  the guard refuses, 409 (Conflict) when the state or condition refuses, in that order;
  then `hub.move(...)` records the move (audit in the same transaction);
- pages render `workflow.available(user, obj)` as the buttons (their `label`, `page` url
  name, `style`), and pre-check with `access.require` before showing a form;
- the API's `allowed_actions` is `[t.api for t in workflow.available(user, obj)]`.

Why a table of our own rather than django-fsm-2: our transitions are taken by services
that already lock the row, validate input and write the audit entry through `hub.move`;
what was missing is only one declaration that services, pages and the API can all read.
django-fsm's decorated model methods would move the business rule back into models,
its protected field fights `select_for_update` re-fetches, and its permission hook takes
a user but not the "condition over related rows" our flows need. The table is ~100 lines.

Transitions that do not change the state (a reply drafted on a received suggestion, a
hearing added to a case) have `target=None`; they are still declared so that they have
one rule and one button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from .errors import Conflict

Guard = Callable[..., bool]  # (user, obj) -> bool
Condition = Callable[..., bool]  # (obj) -> bool


def _any_state(_obj) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    verb: str  # the full action name, e.g. "suggestion.submit"
    sources: tuple | None = None  # states it may start from; None: any state
    target: str | None = None  # the state it enters; None: the state does not change
    who: Guard = field(default=lambda user, obj: False)  # role and institution (403)
    when: Condition | None = None  # a condition beyond the state (409)
    label: str = ""  # the button's words (lazy translation)
    # url name of the action's page, reversed with the object's uuid; or a callable(obj) -> url
    # for a page under its parent record or with a query ("suggestions:create?linked_from=…")
    page: str | Callable = ""
    api: str = ""  # the API action's name; defaults to the verb's last part, "_" -> "-"
    style: str = "primary"  # button style: primary, secondary, danger
    # the 409 message when `when` refuses (state refusals say the state); or a callable(obj) -> str
    # when `when` joins several conditions, each with its own reason
    refusal: str | Callable = ""
    post: bool = False  # the button posts to the page at once (nothing to fill in, e.g. 提交审批)
    todo: str = ""  # a pending action (待办): what the to-do list calls it, e.g. _("待签发")
    # (user, obj) -> bool: when the action is a duty of `user` (default: whenever they may take it).
    # Staff may edit a reply awaiting sign-off, but owe it only once the head returned it to them.
    todo_when: Guard | None = None
    page_of: Callable | None = None  # the record whose uuid the page route takes (default: the object)
    # the verb of the letter's (or its copy's) transition this one takes for its record's letter:
    # suggestion.receive signs for the 建议书 (delivery.sign), meeting.issue_notice issues the notice
    # (letter.issue). While it is pending, 待办 and 跟踪 show it and not the letter's own row.
    takes: str = ""

    def __post_init__(self):
        if self.sources is not None and not isinstance(self.sources, tuple):
            object.__setattr__(self, "sources", tuple(self.sources))
        if not self.api:
            object.__setattr__(self, "api", self.verb.rsplit(".", 1)[-1].replace("_", "-"))

    @property
    def name(self) -> str:
        return self.verb.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Track:
    """跟踪: the records an institution sent that someone still owes it something (receipt, reply,
    feedback) or that wait for its own evaluation. `sent(user)`: those records, a narrow indexed
    queryset within the user's visibility; `party(obj)`: the institution that must act now.
    The step awaited is the to-do wording of the duty the record's state allows (the same table
    as 待办), or `step(obj)` where no duty of this model names it (a reply drafted but not yet
    signed off still leaves the issuer waiting for the reply)."""

    sent: Callable
    party: Callable
    step: Callable | None = None


class Workflow:
    """The transitions of one model, in the order their buttons are shown."""

    def __init__(
        self,
        model,
        *transitions: Transition,
        state: str = "status",
        pending: Callable | None = None,
        due: Callable | None = None,
        part_of: Callable | None = None,
        track: Track | None = None,
    ):
        """`pending(user, states)`: the records in `states` where `user` may have something to do
        (a narrow, indexed queryset: the to-do list asks the transitions of each one); default
        `model.objects.visible_to(user)` in those states. `due(obj)`: the date the pending step is
        due (the to-do list's deadline), default none. `part_of(obj)`: the record this one serves, as
        (content type id, id) (a letter's source): when a duty of that record takes this one's step
        (`Transition.takes`), the to-do list and 跟踪 keep the record's row, in its own words.
        `track`: what the issuing institution follows (跟踪, see `Track`)."""
        self.model = model
        self.state = state
        self.pending = pending
        self.due = due
        self.part_of = part_of
        self.track = track
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.verb in self.transitions:
                raise ValueError(f"transition {t.verb} declared twice")
            self.transitions[t.verb] = t

    def __iter__(self):
        return iter(self.transitions.values())

    @cached_property
    def todo_transitions(self) -> list[Transition]:
        return [t for t in self if t.todo]

    @cached_property
    def todo_verbs(self) -> frozenset[str]:
        return frozenset(t.verb for t in self.todo_transitions)

    def todo_candidates(self, user):
        """The records where `user` may have a pending action of this workflow (see `pending`)."""
        states: set | None = set()
        for t in self.todo_transitions:
            if t.sources is None:
                states = None
                break
            states.update(t.sources)
        if self.pending is not None:
            return self.pending(user, states)
        qs = self.model.objects.visible_to(user)
        return qs if states is None else qs.filter(**{f"{self.state}__in": states})

    def is_duty(self, user, t: Transition, obj) -> bool:
        """Whether `t`, which `user` may take on `obj` now, is on their to-do list (`todo_verbs`:
        `bool(t.todo)` would translate the lazy wording for every row)."""
        return t.verb in self.todo_verbs and (t.todo_when is None or bool(t.todo_when(user, obj)))

    def awaiting(self, obj) -> Transition | None:
        """The duty `obj` waits for (跟踪): the first to-do transition its state allows."""
        return next((t for t in self.todo_transitions if self.state_allows(t, obj)), None)

    def awaited(self, obj) -> str:
        """What `obj` waits for, in the to-do words of `awaiting`, else the declaration's `step`."""
        t = self.awaiting(obj)
        if t is not None:
            return str(t.todo)
        if self.track is not None and self.track.step is not None:
            return str(self.track.step(obj))
        return str(getattr(obj, f"get_{self.state}_display", lambda: self.state_of(obj))())

    def state_of(self, obj):
        return getattr(obj, self.state)

    def in_source_state(self, t: Transition, obj) -> bool:
        """`obj` is in a state `t` leaves from (a transition without sources: any state)."""
        return t.sources is None or self.state_of(obj) in t.sources

    @staticmethod
    def condition_holds(t: Transition, obj) -> bool:
        """`t`'s extra condition on `obj`, if it has one (it may read related rows)."""
        return t.when is None or bool(t.when(obj))

    def state_allows(self, t: Transition, obj) -> bool:
        return self.in_source_state(t, obj) and self.condition_holds(t, obj)

    def refusal(self, t: Transition, obj) -> str:
        if not self.in_source_state(t, obj):
            display = getattr(obj, f"get_{self.state}_display", lambda: self.state_of(obj))()
            return _("%(what)s当前状态为“%(state)s”，不能执行此操作。") % {
                "what": self.model._meta.verbose_name,
                "state": display,
            }
        refusal = t.refusal(obj) if callable(t.refusal) else t.refusal
        return str(refusal) or _("当前不能执行此操作。")


# verb -> (workflow, transition); filled by `register`.
REGISTRY: dict[str, tuple[Workflow, Transition]] = {}
WORKFLOWS: dict[type, Workflow] = {}


def register(flow: Workflow) -> Workflow:
    """Make a model's transitions known to access.require/allowed, pages and the API."""
    WORKFLOWS[flow.model] = flow
    for t in flow:
        REGISTRY[t.verb] = (flow, t)
    return flow


def find(verb: str) -> tuple[Workflow, Transition] | None:
    return REGISTRY.get(verb)


def flow_for(model_or_obj) -> Workflow | None:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return WORKFLOWS.get(model)


def permitted(user, verb: str, obj) -> bool:
    """The guard alone (role and institution): False means 403."""
    found = find(verb)
    if found is None:
        raise LookupError(f"no transition {verb}")
    return bool(user.is_authenticated and found[1].who(user, obj))


def allowed(user, verb: str, obj) -> bool:
    """May `user` take `verb` on `obj` now: the guard and the state together."""
    found = find(verb)
    if found is None:
        raise LookupError(f"no transition {verb}")
    flow, t = found
    return bool(user.is_authenticated and t.who(user, obj) and flow.state_allows(t, obj))


def check(user, verb: str, obj) -> None:
    """Raise PermissionDenied (403) when the guard refuses, Conflict (409) when the state does."""
    found = find(verb)
    if found is None:
        raise LookupError(f"no transition {verb}")
    flow, t = found
    if not (user.is_authenticated and t.who(user, obj)):
        raise PermissionDenied(verb)
    if not flow.state_allows(t, obj):
        raise Conflict(flow.refusal(t, obj))


def actor(user):
    """The user object itself, not the request's lazy wrapper (`request.user`, a SimpleLazyObject that
    turns every attribute read into three calls): the guards read its role and institution for every
    candidate × transition of 待办 (the office's dashboard: 2,200 guard calls)."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def available(user, obj, verbs: Iterable[str] | None = None) -> list[Transition]:
    """The transitions `user` may take on `obj` now, in declaration order (buttons, allowed_actions).

    The same answer as `allowed` for each verb, asked in the cheapest order: the state (a tuple
    lookup), then the guard, then the condition (which may read related rows)."""
    flow = flow_for(obj)
    if flow is None or not user.is_authenticated:
        return []
    user = actor(user)
    wanted = verbs if verbs is None or isinstance(verbs, (set, frozenset)) else set(verbs)
    # state_allows split around the guard: the state is read only for a transition with source
    # states (a model may have no state field), the condition last
    return [
        t
        for t in flow
        if (wanted is None or t.verb in wanted)
        and flow.in_source_state(t, obj)
        and t.who(user, obj)
        and flow.condition_holds(t, obj)
    ]


def page_url(t: Transition, obj) -> str:
    """The URL of a transition's action page for `obj` (its `page` url name, reversed with the uuid)."""
    from django.urls import reverse

    if callable(t.page):
        return t.page(obj)
    target = t.page_of(obj) if t.page_of is not None else obj
    return reverse(t.page, kwargs={"uuid": target.uuid})


def api_actions(user, obj) -> list[str]:
    """The API's `allowed_actions` for `obj`: derived, never listed by hand."""
    return [t.api for t in available(user, obj)]
