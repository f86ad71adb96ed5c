"""Pass: the SDK's page classes (`class CursorPage<Item> extends AbstractPage<Item>`) become a
sync and an async Python page class each, whose rule for the next request is read from the
SDK's own JavaScript (tsgen.js.pages); list methods return them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.lower.entities import Entity, Key
from tsgen.lower.models import doc_of, field_def
from tsgen.lower.naming import PAGE_ASYNC, PAGE_SYNC
from tsgen.lower.types import TypeEnv
from tsgen.js.pages import NextRule, PageSpec, read_pages
from tsgen.program import Found, Program, js_beside
from tsgen.pymodel import PageDef
from tsgen.records import record
from tsgen.kinds import PAGES

ITEMS_METHOD = "getPaginatedItems"


def _base(decl: m.Class, key: Key, program: Program) -> Found | None:
    if decl.extends is None:
        return None
    found = program.lookup(key.module, key.path[:-1], decl.extends.name)
    return found if isinstance(found, Found) else None


def _classes(found: Found) -> list[m.Class]:
    return [d for d in found.decls if isinstance(d, m.Class)]


def has_items_method(decl: m.Class, key: Key, program: Program, depth: int = 0) -> bool:
    """The class, or a class it extends, declares `getPaginatedItems()`: a page of items."""
    if any(isinstance(x, m.Method) and x.name == ITEMS_METHOD for x in decl.members):
        return True
    base = _base(decl, key, program)
    if base is None or depth > 20:
        return False
    return any(has_items_method(c, Key(base.module, base.path), program, depth + 1) for c in _classes(base))


def is_page_class(entity: Entity, program: Program) -> bool:
    decl = entity.decl
    return isinstance(decl, m.Class) and not decl.abstract and has_items_method(decl, entity.key, program)


def as_page_alias(entity: Entity) -> Entity:
    """`class FileObjectsPage extends CursorPage<FileObject> {}` is `CursorPage<FileObject>`: an alias."""
    decl = entity.decl
    if isinstance(decl, m.Class) and not decl.members and decl.extends is not None and not decl.type_params:
        return replace(entity, decl=m.TypeAlias(decl.name, decl.extends, (), decl.doc, decl.pos))
    return entity


def page_key(t: m.TypeExpr | None, module: str, scope: tuple[str, ...], program: Program, pages: set[Key], depth: int = 0) -> Key | None:
    """The page class a page type names, through aliases and empty subclasses."""
    if isinstance(t, m.ParenType):
        return page_key(t.inner, module, scope, program, pages, depth)
    if not isinstance(t, m.TypeRef) or depth > 20:
        return None
    found = program.lookup(module, scope, t.name)
    if not isinstance(found, Found):
        return None
    key = Key(found.module, found.path)
    if key in pages:
        return key
    for decl in found.decls:
        target = decl.type if isinstance(decl, m.TypeAlias) else decl.extends if isinstance(decl, m.Class) and not decl.members else None
        inner = page_key(target, found.module, found.path[:-1], program, pages, depth + 1)
        if inner is not None:
            return inner
    return None


@record(frozen=True)
class PageRules:
    """The next-page rules of every page class, by (JS file, class name), read once per file."""

    program: Program
    diagnostics: Diagnostics
    cache: dict[str, dict[str, PageSpec]]

    def spec(self, key: Key) -> PageSpec | None:
        js_rel = js_beside(key.module)
        if js_rel not in self.cache:
            path: Path = self.program.path(js_rel)
            specs, warnings = read_pages(path, self.program.js_read) if path.is_file() else ({}, [])
            for w in warnings:
                where = f"page class `{w.class_name}`: " if w.class_name else ""
                self.diagnostics.warn(Pos(js_rel, w.line, w.col), where + w.message, kind=PAGES)
            self.cache[js_rel] = specs
        return self.cache[js_rel].get(key.path[-1])


def lower_page(entity: Entity, env: TypeEnv, rules: PageRules, runtime_module: str) -> PageDef:
    decl = entity.decl
    assert isinstance(decl, m.Class)
    spec = rules.spec(entity.key)
    if spec is None:
        env.diagnostics.warn(decl.pos, f"no next-page rule found for page class `{entity.key.dotted}` in its `.js`; its lists have one page", kind=PAGES)
    own_env = env.at(entity.key.path[:-1])
    fields = [field_def(p, own_env) for p in decl.members if isinstance(p, m.Property)]
    for f in (f for f in fields if f.renamed):
        env.diagnostics.warn(decl.pos, f"field `{f.wire_name}` of page class `{entity.key.dotted}` is not a Python name; it is not an attribute of the page", kind=PAGES)
    fields = [f for f in fields if not f.renamed]
    type_params = tuple(t.render() for t in env.type_vars.values())
    return PageDef(
        env.naming.names[(entity.key, PAGE_SYNC)],
        env.naming.names[(entity.key, PAGE_ASYNC)],
        entity.key.dotted,
        tuple(fields),
        type_params,
        rule_expression(spec),
        doc_of(decl.doc),
        decl.pos,
        runtime_module,
    )


def rule_expression(spec: PageSpec | None) -> str:
    """`PageRule(...)` for a page spec of tsgen.js.pages; every value a literal (repr)."""
    if spec is None:
        return "PageRule()"
    rules = "".join(_next_rule(r) + ", " for r in spec.next)
    args = [f"items={tuple(spec.items)!r}", f"next=({rules})"]
    args += [f"has_more={tuple(spec.has_more)!r}"] if spec.has_more is not None else []
    args += ["stops_when_empty=False"] if not spec.stops_when_empty else []
    args += ["has_more_falsy_stops=False"] if not spec.has_more_falsy_stops else []
    return f"PageRule({', '.join(args)})"


def _next_rule(rule: NextRule) -> str:
    value = rule.value
    parts = [repr(value.kind)]
    parts += [f"path={tuple(value.path)!r}"] if value.path else []
    parts += [f"key={value.key!r}"] if value.key else []
    parts += [f"start={int(value.start)!r}"] if value.start else []
    parts += [f"step={int(value.step)!r}"] if value.step != 1 else []
    when = f", when_query={rule.when_query!r}" if rule.when_query is not None else ""
    return f"NextRule({rule.key!r}, NextValue({', '.join(parts)}){when})"
