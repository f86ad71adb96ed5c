"""What `api.md` lists of one generated module, taken while the module is rendered from the
declarations `tsgen-api.json` records (tsgen.api.snapshot): its types, its resources with their
methods, routes and sub-resources, the root client's resources. Small records, sent back from
the rendering child with the module's text; the modules themselves are gone once rendered.

Names of the package are keys (`"resources.files:FileObject"`, tsgen.api.snapshot.key), so that
the document links each to the file that defines it."""

from __future__ import annotations

from tsgen.api.snapshot import Decl, Method, Where, declarations, line
from tsgen.pymodel import ClientDef, MethodDef, ModuleFile, PageDef, ResourceDef, SubresourceDef
from tsgen.records import record

TYPE_KINDS = frozenset({"typeddict", "dataclass", "alias", "enum", "page", "protocol"})


@record(frozen=True, slots=True)
class Ref:
    """Text of a signature, and the declaration it names when it is one of the package's."""

    text: str
    targets: tuple[str, ...] = ()  # keys: linked when they are in one file


@record(frozen=True, slots=True)
class MethodEntry:
    name: str
    verb: str | None  # None: no route known
    path: str | None
    params: tuple[Ref, ...]  # `file_id`, `*`, `**params` (linked to its TypedDict)
    returns: tuple[Ref, ...]  # the annotation in pieces, the package's names linked


@record(frozen=True, slots=True)
class ResourceEntry:
    key: str
    name: str
    async_name: str
    methods: tuple[MethodEntry, ...]
    subresources: tuple[tuple[str, str], ...]  # attribute -> the resource's key


@record(frozen=True, slots=True)
class ModuleEntry:
    module: str  # dotted inside the package, as users import it
    file: str  # relative to the output directory
    types: tuple[str, ...]  # Python names of the types it defines
    resources: tuple[ResourceEntry, ...] = ()
    client: ResourceEntry | None = None  # the root client: its resources as sub-resources


def module_entry(rel: str, mod: ModuleFile, file: str, where: Where) -> tuple[ModuleEntry, list[bytes]]:
    """The module's entry for `api.md`, and its lines of `tsgen-api.json` (one walk for both)."""
    types: list[str] = []
    resources: list[ResourceEntry] = []
    client: ResourceEntry | None = None
    recorded: list[bytes] = []
    for k, d, decl in declarations(rel, mod, where):
        recorded.append(line(k, decl))
        if decl.kind in TYPE_KINDS:
            types += [d.name, d.async_name] if isinstance(d, PageDef) else [d.name]
        elif isinstance(d, ResourceDef):
            resources.append(_resource(k, d, decl, where))
        elif isinstance(d, ClientDef):
            client = ResourceEntry(k, d.name, d.async_name, (), _subresources(d.subresources, where))
    return ModuleEntry(where.module, file, tuple(types), tuple(resources), client), recorded


def _resource(k: str, d: ResourceDef, decl: Decl, where: Where) -> ResourceEntry:
    methods = tuple(_method(m, decl.methods[m.name], where) for m in d.methods)
    return ResourceEntry(k, d.name, d.async_name, methods, _subresources(d.subresources, where))


def _subresources(subresources: tuple[SubresourceDef, ...], where: Where) -> tuple[tuple[str, str], ...]:
    found = []
    for s in subresources:
        targets = sorted(where.text_refs(s.sync_class))
        found += [(s.name, targets[0])] if targets else []
    return tuple(found)


def _method(d: MethodDef, m: Method, where: Where) -> MethodEntry:
    """`(thread_id, *, stream, **params)`, openai-python's way: the names, `*` before the keywords."""
    params: list[Ref] = []
    for name, p in m.params.items():
        if p.kind == "keyword" and Ref("*") not in params:
            params.append(Ref("*"))
        if p.kind == "params":
            params.append(Ref("**" + name, _params_types(d, name, where)))
        else:
            params.append(Ref(name))
    return MethodEntry(d.name, m.verb, m.path, tuple(params), _pieces(m.returns.text, where.refs(d.returns.sync)))


def _params_types(d: MethodDef, name: str, where: Where) -> tuple[str, ...]:
    """The TypedDicts `**name` takes (an overloaded method's: each signature's)."""
    signatures = [d.params] + [o.params for o in d.overloads]
    return tuple(sorted(set().union(*(where.text_refs(p.annotation) for params in signatures for p in params if p.name == name))))


def _pieces(text: str, targets: set[str]) -> tuple[Ref, ...]:
    """The annotation cut at the package's names it holds (`SyncCursorPage[FileObject]`: the
    page and the item linked)."""
    by_name = {t.rpartition(":")[2]: (t,) for t in sorted(targets, reverse=True)}  # two of one name: the first key's
    pieces: list[Ref] = []
    word, quote, escaped = "", "", False
    for ch in text + "\0":
        if not quote and (ch.isalnum() or ch == "_"):
            word += ch
            continue
        if word:
            pieces.append(Ref(word, by_name.get(word, ())))
            word = ""
        if ch != "\0":
            pieces.append(Ref(ch))
        quote, escaped = _quoted(quote, escaped, ch)
    return _joined(pieces)


def _quoted(quote: str, escaped: bool, ch: str) -> tuple[str, bool]:
    """Inside a string literal after `ch` (its quote, or ""), and whether the next is escaped."""
    if quote:
        if escaped:
            return quote, False
        return ("" if ch == quote else quote), ch == "\\"
    return (ch if ch in "'\"" else ""), False


def _joined(pieces: list[Ref]) -> tuple[Ref, ...]:
    """Neighbouring pieces that link nowhere as one."""
    out: list[Ref] = []
    for p in pieces:
        if out and not p.targets and not out[-1].targets:
            out[-1] = Ref(out[-1].text + p.text)
        else:
            out.append(p)
    return tuple(out)


def definitions_of(entry: ModuleEntry) -> dict[str, str]:
    """Each name the module defines (key) -> its file."""
    names = list(entry.types) + [r.name for r in entry.resources] + ([entry.client.name] if entry.client else [])
    return {f"{entry.module}:{n}": entry.file for n in names}

