"""EventEmitter against a plain model: random on/once/off/emit/remove_all sequences.

Listeners may act on the emitter while they run (register, unregister, remove all, emit
again), so the sequences also cover mutation during an emit and re-entrant emits. The
model states the contract in the simplest terms:

- an event's registrations are kept in order; registering a callback already registered
  for that event (with ``on`` or ``once``) does nothing;
- an emit runs the registrations present when it starts, in order, whatever happens to
  them meanwhile, except that a ``once`` registration runs at most once in all (a nested
  emit may run it first) and is unregistered as it runs;
- each listener gets as many leading arguments as it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from agentutils_events import EventEmitter

EVENTS = ("a", "b")
N_CALLBACKS = 4
ARITY = (0, 1, None, 2)  # callback i accepts ARITY[i] positional arguments (None: *args)
MAX_DEPTH = 2  # a listener's nested emit happens only this deep

# What a callback does when it runs, besides being recorded: a list of up to two steps,
# each ("on"|"once"|"off", event, callback index), ("remove_all", event or None) or
# ("emit", event).
steps = st.one_of(
    st.tuples(
        st.sampled_from(["on", "once", "off"]), st.sampled_from(EVENTS), st.integers(0, N_CALLBACKS - 1)
    ),
    st.tuples(st.just("remove_all"), st.sampled_from((*EVENTS, None))),
    st.tuples(st.just("emit"), st.sampled_from(EVENTS)),
)
actions = st.lists(steps, max_size=2)


@dataclass(eq=False)
class _Registration:
    callback: int
    once: bool
    fired: bool = False


@dataclass
class Model:
    events: dict[str, list[_Registration]] = field(default_factory=dict)
    log: list[tuple[int, str, tuple[Any, ...]]] = field(default_factory=list)
    actions: dict[int, Any] = field(default_factory=dict)
    depth: int = 0

    def add(self, event: str, callback: int, once: bool) -> None:
        regs = self.events.setdefault(event, [])
        if all(r.callback != callback for r in regs):
            regs.append(_Registration(callback, once))

    def off(self, event: str, callback: int) -> None:
        self.events[event] = [r for r in self.events.get(event, []) if r.callback != callback]

    def remove_all(self, event: str | None) -> None:
        if event is None:
            self.events.clear()
        else:
            self.events.pop(event, None)

    def emit(self, event: str, *args: Any) -> None:
        self.depth += 1
        try:
            for reg in list(self.events.get(event, [])):
                if reg.once:
                    if reg.fired:
                        continue
                    reg.fired = True
                    regs = self.events.get(event, [])
                    if reg in regs:
                        regs.remove(reg)
                arity = ARITY[reg.callback]
                self.log.append((reg.callback, event, args if arity is None else args[:arity]))
                act(self, self.actions.get(reg.callback))
        finally:
            self.depth -= 1

    def listeners(self, event: str) -> list[int]:
        return [r.callback for r in self.events.get(event, [])]


def act(target: Any, action: list[Any] | None) -> None:
    """Apply a callback's action to the emitter or to the model (same method names)."""
    for step in action or ():
        kind = step[0]
        if kind == "emit":
            if target.depth < MAX_DEPTH:
                target.emit(step[1], "nested", target.depth)
        elif kind == "remove_all":
            target.remove_all(step[1])
        elif kind == "off":
            target.off(step[1], step[2])
        else:
            target.add(step[1], step[2], kind == "once")


class Real:
    """The EventEmitter under test, driven through callback indices like the model."""

    def __init__(self) -> None:
        self.emitter = EventEmitter[str]()
        self.log: list[tuple[int, str, tuple[Any, ...]]] = []
        self.actions: dict[int, Any] = {}
        self.depth = 0
        self.callbacks = [self._make(i) for i in range(N_CALLBACKS)]

    def _make(self, i: int) -> Any:
        def record(event: str, args: tuple[Any, ...]) -> None:
            self.log.append((i, event, args))
            act(self, self.actions.get(i))

        # One callable per index, shared by every event (so dedup and off() are exercised
        # across events); the emitter passes no event name, so the one being emitted is
        # read from self.current, set around every emit, nested ones included.
        arity = ARITY[i]
        if arity == 0:

            def cb0() -> None:
                record(self.current, ())

            return cb0
        if arity == 1:

            def cb1(x: Any) -> None:
                record(self.current, (x,))

            return cb1
        if arity == 2:

            def cb2(x: Any, y: Any) -> None:
                record(self.current, (x, y))

            return cb2

        def cbv(*args: Any) -> None:
            record(self.current, args)

        return cbv

    current = ""

    def add(self, event: str, callback: int, once: bool) -> None:
        (self.emitter.once if once else self.emitter.on)(event, self.callbacks[callback])

    def off(self, event: str, callback: int) -> None:
        self.emitter.off(event, self.callbacks[callback])

    def remove_all(self, event: str | None) -> None:
        self.emitter.remove_all_listeners(event)

    def emit(self, event: str, *args: Any) -> None:
        outer, self.current = self.current, event
        self.depth += 1
        try:
            self.emitter.emit(event, *args)
        finally:
            self.depth -= 1
            self.current = outer

    def listeners(self, event: str) -> list[int]:
        return [self.callbacks.index(cb) for cb in self.emitter.listeners(event)]


class EmitterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.model = Model()
        self.real = Real()

    @initialize(initial=st.lists(actions, min_size=N_CALLBACKS, max_size=N_CALLBACKS))
    def give_every_callback_an_action(self, initial: list[Any]) -> None:
        # Most runs then mutate the emitter or re-emit from inside listeners.
        for callback, action in enumerate(initial):
            self.set_action(callback, action)

    @rule(event=st.sampled_from(EVENTS), callback=st.integers(0, N_CALLBACKS - 1), once=st.booleans())
    def register(self, event: str, callback: int, once: bool) -> None:
        self.model.add(event, callback, once)
        self.real.add(event, callback, once)

    @rule(event=st.sampled_from(EVENTS), callback=st.integers(0, N_CALLBACKS - 1))
    def off(self, event: str, callback: int) -> None:
        self.model.off(event, callback)
        self.real.off(event, callback)

    @rule(event=st.sampled_from((*EVENTS, None)))
    def remove_all(self, event: str | None) -> None:
        self.model.remove_all(event)
        self.real.remove_all(event)

    @rule(callback=st.integers(0, N_CALLBACKS - 1), action=actions)
    def set_action(self, callback: int, action: Any) -> None:
        self.model.actions[callback] = action
        self.real.actions[callback] = action

    @rule(event=st.sampled_from(EVENTS), x=st.integers(), y=st.integers())
    def emit(self, event: str, x: int, y: int) -> None:
        self.model.emit(event, x, y)
        self.real.emit(event, x, y)
        assert self.real.log == self.model.log

    @invariant()
    def same_listeners(self) -> None:
        for event in EVENTS:
            expected = self.model.listeners(event)
            assert self.real.listeners(event) == expected
            assert self.real.emitter.listener_count(event) == len(expected)


EmitterMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
test_emitter_matches_model = EmitterMachine.TestCase
