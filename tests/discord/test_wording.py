"""The systems' errors carry data and the Discord layer words them: each system's refusal with
a code (`chibot/features/<system>/errors.py`, named `<system>.<situation>`) has a phrase in
its `phrases.py`, no code is used twice, and a plain template holds no Markdown."""

from __future__ import annotations

import importlib
import importlib.util

from chibot.core.errors import UserError
from chibot.core.registry import default_registry
from chibot.discord.wording import PHRASES


def _own_errors(module_name: str) -> list[type[UserError]]:
    module = importlib.import_module(module_name)
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, UserError)
        and value.__module__ == module_name
    ]


def _all_user_errors() -> list[type[UserError]]:
    found, stack = [], [UserError]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def test_every_system_error_has_a_code_of_its_system_and_a_phrase() -> None:
    checked = 0
    for system in default_registry().ordered:
        name = f"chibot.features.{system.name}.errors"
        if importlib.util.find_spec(name) is None:
            continue
        assert system.phrases, f"{system.name} has errors.py but no phrases in its manifest"
        for cls in _own_errors(name):
            code = cls.worded_by_code()
            assert code is not None, f"{cls.__qualname__} has no code of its own"
            assert code.startswith(f"{system.name}."), code
            assert code in PHRASES, f"{code} has no phrase"
            checked += 1
    assert checked


def test_codes_are_unique_and_plain_templates_hold_no_markdown() -> None:
    for system in default_registry().ordered:
        name = f"chibot.features.{system.name}.errors"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    seen: dict[str, str] = {}
    for cls in _all_user_errors():
        code = cls.worded_by_code()
        if code is None:
            continue
        assert code not in seen, f"{code}: {cls.__qualname__} and {seen[code]}"
        seen[code] = cls.__qualname__
        assert "**" not in cls.plain and "`" not in cls.plain, cls.__qualname__
