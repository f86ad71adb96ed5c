"""Pass: the SDK's page classes (`class CursorPage<Item> extends AbstractPage<Item>`) become a
sync and an async Python page class each, whose rule for the next request is read from the
SDK's own JavaScript (tsgen.js.pages); list methods return them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostics, Pos
from tsgen.lower.entities import Entity, Key
from tsgen.lower.models import doc_of, field_def
from tsgen.lower.naming import PAGE_ASYNC, PAGE_SYNC
from tsgen.lower.types import TypeEnv
from tsgen.program import Found, Program
from tsgen.pymodel import PageDef

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


@dataclass(frozen=True)
class PageRules:
    """The next-page rules of every page class, by (JS file, class name), read once per file."""

    program: Program
    diagnostics: Diagnostics
    cache: dict[str, dict[str, object]]

    def spec(self, key: Key) -> object | None:
        from tsgen.js.pages import read_pages

        js_rel = key.module.removesuffix(".d.ts") + ".js"
        if js_rel not in self.cache:
            path: Path = self.program.path(js_rel)
            specs, warnings = read_pages(path) if path.is_file() else ({}, [])
            for w in warnings:
                self.diagnostics.warn(Pos(js_rel, w.line, w.col), f"page class `{w.class_name}`: {w.message}")
            self.cache[js_rel] = dict(specs)
        return self.cache[js_rel].get(key.path[-1])


def lower_page(entity: Entity, env: TypeEnv, rules: PageRules, runtime_module: str) -> PageDef:
    decl = entity.decl
    assert isinstance(decl, m.Class)
    spec = rules.spec(entity.key)
    if spec is None:
        env.diagnostics.warn(decl.pos, f"no next-page rule found for page class `{entity.key.dotted}` in its `.js`; its pages do not continue")
    own_env = env.at(entity.key.path[:-1])
    fields = [field_def(p, own_env) for p in decl.members if isinstance(p, m.Property)]
    for f in (f for f in fields if f.renamed):
        env.diagnostics.warn(decl.pos, f"field `{f.wire_name}` of page class `{entity.key.dotted}` is not a Python name; read it from the page's `body`")
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


def rule_expression(spec: object | None) -> str:
    """`PageRule(...)` for a page spec of tsgen.js.pages; literals by repr(), never code."""
    if spec is None:
        return "PageRule()"
    items = getattr(spec, "items")
    rules = ", ".join(_next_rule(r) for r in getattr(spec, "next"))
    has_more = getattr(spec, "has_more")
    args = [f"items={tuple(items)!r}", f"next=({rules}{',' if len(getattr(spec, 'next')) == 1 else ''})"]
    args += [f"has_more={tuple(has_more)!r}"] if has_more is not None else []
    return f"PageRule({', '.join(args)})"


def _next_rule(rule: object) -> str:
    value = getattr(rule, "value")
    parts = [repr(value.kind)]
    parts += [f"path={tuple(value.path)!r}"] if value.path else []
    parts += [f"key={value.key!r}"] if value.key else []
    parts += [f"start={int(value.start)!r}"] if value.start else []
    parts += [f"step={int(value.step)!r}"] if value.step != 1 else []
    when = getattr(rule, "when_query")
    extra = f", when_query={when!r}" if when is not None else ""
    return f"NextRule({getattr(rule, 'key')!r}, NextValue({', '.join(parts)}){extra})"
