"""Pass: give every emitted definition a stable, collision-free Python name in its module.

A declaration nested in namespaces takes its innermost name where that is unique in the
module, else it is prefixed by its parents (`SessionCreateParams.ClientSecret.ExpiresAt`
-> `ExpiresAt`, or `ClientSecretExpiresAt` when another `ExpiresAt` exists).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tsgen import names
from tsgen.lower.entities import Key
from tsgen.pytypes import ImportName, PyName
from tsgen.records import record

MODEL = "model"
PARAM = "param"
SYNC = "sync"
ASYNC = "async"
PAGE_SYNC = "page_sync"  # a page class: `SyncCursorPage`, `AsyncCursorPage` (as openai-python names them)
PAGE_ASYNC = "page_async"
PROTOCOL = "protocol"  # an interface of data and methods where protocols use it (tsgen.lower.mixed): `EventProtocol`
_SUFFIX = {MODEL: "", PARAM: "Param", SYNC: "", ASYNC: "", PAGE_SYNC: "", PAGE_ASYNC: "", PROTOCOL: "Protocol"}
_PREFIX = {ASYNC: "Async", PAGE_SYNC: "Sync", PAGE_ASYNC: "Async"}


@record(frozen=True)
class NameRequest:
    key: Key
    form: str
    dual: bool  # the entity has both a model and a param form: the param form gets a suffix
    both: bool = False  # a resource that is also a data type: the resource forms get a suffix


def _candidate(request: NameRequest, depth: int) -> str:
    segments = request.key.path[-depth:]
    suffix = _SUFFIX[request.form] if request.dual or request.form == PROTOCOL else ""
    suffix = "Resource" if request.both and request.form in (SYNC, ASYNC) else suffix
    return _PREFIX.get(request.form, "") + "".join(names.class_name(s) for s in segments) + suffix


def assign_names(requests: list[NameRequest], reserved: set[str]) -> dict[tuple[Key, str], str]:
    """Names for the requests of one module, deterministic in request order."""
    ordered = sorted(requests, key=lambda r: (r.form == PROTOCOL, len(r.key.path)))  # a declared name before a derived protocol form's
    deepest = max((len(r.key.path) for r in requests), default=1)
    counts = [Counter(_candidate(r, min(k, len(r.key.path))) for r in requests) for k in range(1, deepest + 1)]
    taken = set(reserved)
    result: dict[tuple[Key, str], str] = {}
    for request in ordered:
        name = _pick(request, counts, taken)
        taken.add(name)
        result[(request.key, request.form)] = name
    return result


def _pick(request: NameRequest, counts: list[Counter[str]], taken: set[str]) -> str:
    for depth in range(1, len(request.key.path) + 1):
        candidate = _candidate(request, depth)
        if counts[depth - 1][candidate] == 1 and candidate not in taken:
            return candidate
    base = _candidate(request, len(request.key.path))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def relative_module(source: tuple[str, ...], target: tuple[str, ...]) -> str:
    """The relative import path from module `source` to module `target`."""
    package, target = source[:-1], names.imported_path(target)
    common = 0
    while common < min(len(package), len(target) - 1) and package[common] == target[common]:
        common += 1
    return "." * (1 + len(package) - common) + ".".join(target[common:])


def module_import(source: tuple[str, ...], target: tuple[str, ...]) -> ImportName:
    """`from .. import shared as _resources_shared`: how `source` imports the module `target`."""
    target = names.imported_path(target)
    parent = relative_module(source, target[:-1] + ("_",))[:-1]
    return ImportName(parent.rstrip(".") if parent.strip(".") else parent, target[-1], names.module_alias(target))


@dataclass
class Naming:
    """Where each definition lives in the generated package and what it is called."""

    py_modules: dict[str, tuple[str, ...]]  # TS module path -> Python module path (in the package)
    names: dict[tuple[Key, str], str] = field(default_factory=dict)
    forms: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    erased: set[Key] = field(default_factory=set)  # generic declarations emitted without parameters
    parts: dict[Key, str] = field(default_factory=dict)  # a declaration in a part of its module (tsgen.lower.parts) -> the part

    def home(self, key: Key) -> str:
        """The output module of a declaration: its file's, or a part of it."""
        return self.parts.get(key, key.module)

    def form_for(self, key: Key, role: str) -> str:
        """The form a reference in `role` names: its own form where the entity has it; in a
        protocol (PROTOCOL) a data form where the entity has no protocol form."""
        forms = self.forms.get(key, (MODEL,))
        if role == PROTOCOL:
            role = PROTOCOL if PROTOCOL in forms else MODEL
        data = [f for f in forms if f in (MODEL, PARAM)] if role in (MODEL, PARAM) else []
        return role if role in forms else (data or list(forms))[0]

    def ref(self, key: Key, role: str, from_module: str) -> PyName:
        form = self.form_for(key, role)
        name = self.names[(key, form)]
        home = self.home(key)
        if home == from_module:
            return PyName(name)
        return PyName(name, via=module_import(self.py_modules[from_module], self.py_modules[home]))
