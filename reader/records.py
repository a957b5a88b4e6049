"""Records: dataclasses whose methods are not generated. No UI.

`dataclasses.dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`
and a frozen class's `__setattr__` and compiles it, class by class, as a module is
imported: about 1.5 M instructions a class, and fourteen of them were imported before the
app's first frame. A `record` is a dataclass (`fields` and `replace` work on it) that gets
those methods without compiling anything; tests/test_written_out_records.py checks each
one against a generated twin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"  # as a dataclass's `__init__` shows such a default


FROM_FACTORY: Any = _Factory()
"""The default of an `__init__` argument whose field has a `default_factory`: when it is not
given, a fresh value is made (None or any other value may be given on purpose)."""
_T = TypeVar("_T")


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _give_init(cls: type, names: tuple[str, ...]) -> None:
    """`cls.__init__(self, *names)`, every field required, for a record that writes none."""
    from inspect import Parameter, Signature  # only messages (the UI) have no __init__ of their own

    signature = Signature([Parameter(name, Parameter.POSITIONAL_OR_KEYWORD) for name in ("self", *names)])
    post_init = hasattr(cls, "__post_init__")

    def __init__(*args: Any, **kwargs: Any) -> None:
        given = signature.bind(*args, **kwargs).arguments  # a TypeError as the generated one's
        self = given.pop("self")
        for name, value in given.items():
            setattr(self, name, value)
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__signature__ = signature  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]


def record(*, frozen: bool = False) -> Callable[[type[_T]], type[_T]]:
    """A dataclass (`fields`, `replace` work on it) that behaves as a generated one without its
    code generation (about 1.5 M instructions a class at import, before the first frame). The
    class writes `__init__` (a message's is made here: every field, then `__post_init__`);
    `__repr__`, `__eq__`, `__hash__`, frozen-ness are made here unless written (hot ones are
    faster written out). tests/test_written_out_records.py checks them against dataclasses."""

    def make(cls: type[_T]) -> type[_T]:
        cls = dataclass(init=False, repr=False, eq=False)(cls)
        names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        if "__init__" not in cls.__dict__:
            _give_init(cls, names)
        # the fields' values as a tuple, as the generated methods compare and hash them
        values = attrgetter(*names) if len(names) > 1 else lambda obj, get=attrgetter(*names): (get(obj),)

        def __repr__(self: object) -> str:
            shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
            return f"{self.__class__.__qualname__}({shown})"

        def __eq__(self: object, other: object) -> bool:
            if other.__class__ is self.__class__:
                return values(self) == values(other)  # type: ignore[no-any-return]
            return NotImplemented

        def __hash__(self: object) -> int:
            return hash(values(self))

        for name, method in (("__repr__", __repr__), ("__eq__", __eq__), ("__hash__", __hash__)):
            if cls.__dict__.get(name) is None:  # not written out in the class
                method.__qualname__ = f"{cls.__qualname__}.{name}"
                made = recursive_repr()(method) if name == "__repr__" else method
                setattr(cls, name, made if frozen or name != "__hash__" else None)
        if frozen:
            setattr(cls, "__setattr__", _refuse_assignment)
            setattr(cls, "__delattr__", _refuse_deletion)
        return cls

    return make
