"""A base for small immutable value classes on the start-up path, built without ``dataclasses``.

``@dataclass`` generates each class's methods with ``exec`` at import: about 0.35 ms a
class here, measured, which a fresh ``pentas score`` pays for every class it imports.
A subclass of :class:`Record` lists its fields in ``__slots__`` (in constructor order),
writes its own ``__init__`` (typed, with defaults) that calls :meth:`Record._fill`, and inherits field-wise
equality and hashing (equal records hash equal), a dataclass-style ``repr``,
immutability (assignment raises ``FrozenInstanceError``, as a frozen dataclass does)
and pickling by constructor arguments.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

__all__ = ["Record", "field_names", "replace"]

_R = TypeVar("_R", bound="Record")


class Record:
    """Field-wise value semantics for a subclass whose ``__slots__`` are its constructor's arguments."""

    __slots__: tuple[str, ...] = ()
    # The constructor's arguments, in order: what is compared, hashed, shown and pickled. The
    # ``__slots__`` by default; a class with slots derived after construction (a cache, a
    # rendering) names its fields here, and its ``__init__`` sets the rest.
    _fields: ClassVar[tuple[str, ...]] = ()

    # Each field's slot writer (its member descriptor's ``__set__``), in ``_fields`` order: calling
    # it skips the frozen ``__setattr__`` and the attribute lookup ``object.__setattr__`` makes,
    # a quarter of a record's construction (the cached ruleset builds about 1,900 of them).
    _setters: ClassVar[tuple[Any, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if "_fields" not in cls.__dict__:
            # A subclass that adds no slots of its own (a variant of its parent) keeps the parent's fields.
            cls._fields = cls.__dict__.get("__slots__", ()) or cls._fields
        cls._setters = tuple(getattr(cls, name).__set__ for name in cls._fields)

    def _fill(self, *values: Any) -> None:
        """Set the fields, in ``_fields`` order: the one write a frozen record allows, from ``__init__``."""
        for setter, value in zip(self._setters, values, strict=True):
            setter(self, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise _frozen(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise _frozen(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through __init__, since the frozen __setattr__ refuses pickle's default slot restore.
        return (self.__class__, self._values())


def _frozen(text: str) -> Exception:
    """The error a frozen dataclass raises, so callers catch one class for both kinds of record."""
    # deferred: dataclasses is about 0.5 ms of every start, for a mistake in the code only
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(text)


def replace(record: _R, **changes: Any) -> _R:
    """A copy of ``record`` with some fields changed, as ``dataclasses.replace`` makes one.

    Slots outside ``_fields`` (what is derived after construction) start afresh in the copy.
    """
    unknown = changes.keys() - set(record._fields)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    return type(record)(**{name: changes[name] if name in changes else getattr(record, name) for name in record._fields})


def field_names(record: Record) -> tuple[str, ...]:
    """The fields of ``record``, in constructor order (what ``dataclasses.fields`` names for a dataclass)."""
    return record._fields
