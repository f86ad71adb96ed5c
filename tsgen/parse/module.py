"""Statements and declarations of a file, and the entry point `parse_module`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from tsgen import tsmodel as m
from tsgen.diagnostics import Diagnostic, Diagnostics, Level, TsgenError
from tsgen.docs import is_doc_comment, parse_doc
from tsgen.parse.context import MAX_DEPTH, Context, import_namespace, string_value
from tsgen.parse.recover import first_import_types, parse_tree
from tsgen.parse.source import position, utf8_source
from tsgen.parse.types import parse_members, parse_params, parse_type, parse_type_params
from tsgen.kinds import SYNTAX, UNSUPPORTED_SYNTAX

Doc = m.DocComment | None


@dataclass
class _Body:
    decls: list[m.Declaration] = field(default_factory=list)
    imports: list[m.Import] = field(default_factory=list)
    exports: list[m.Export] = field(default_factory=list)
    aliases: list[m.ImportAlias] = field(default_factory=list)
    ambient: list[str] = field(default_factory=list)
    global_name: str = ""
    merges: list[m.Merge] = field(default_factory=list)
    own: set[str] = field(default_factory=set)  # names a script declares in its `declare module 'name'`s


def parse_module(path: str, source: bytes, diagnostics: Diagnostics, names_only: bool = False) -> m.Module:
    """Parse one `.d.ts` file. A syntax error raises TsgenError with its position, unless the
    file is read only for its names (`names_only`): then each broken statement is skipped,
    or its declaration read as Any, with a warning, and the rest of the file is kept."""
    source = utf8_source(path, source, diagnostics)
    ctx = Context(path, source, diagnostics)
    # tree-sitter reads a NUL byte as the end of input; the parser sees a space of the same
    # length instead, while the text of every node is still read from the original bytes.
    recovered = parse_tree(source.replace(b"\0", b" "))
    tree, ctx.import_types, ctx.global_blocks = recovered.tree, recovered.import_types, recovered.global_blocks
    if tree.root_node.has_error and not names_only:
        raise TsgenError([_syntax_error(ctx, tree.root_node)])
    ctx.script = not any(c.type in _MODULE_STATEMENTS for c in tree.root_node.children)
    body = _Body()
    _statements(ctx, tree.root_node, body)
    if ctx.script:  # a script's own declarations are the global scope's (not those of its `declare module`s)
        merged = {merge.name for merge in body.merges} | body.own
        body.merges += [m.Merge(d.name, "", False, d.pos) for d in body.decls if d.name not in merged]
    for start, specifier in first_import_types(ctx.import_types):
        body.imports.append(m.Import(specifier, namespace=import_namespace(specifier), pos=position(path, source, start)))
    merges = tuple({(x.name, x.into): x for x in body.merges}.values())
    return m.Module(path, tuple(body.imports), tuple(body.exports), tuple(body.decls), ctx.pos(tree.root_node), tuple(body.aliases), tuple(body.ambient), merges, ctx.script, body.global_name)


_MODULE_STATEMENTS = ("import_statement", "export_statement")  # what makes a file a module (else a script)


def _syntax_error(ctx: Context, root: Node) -> Diagnostic:
    node = _first_error(root) or root
    return Diagnostic(Level.ERROR, ctx.pos(node), f"syntax error: {_what(ctx, node)}")


def _what(ctx: Context, node: Node) -> str:
    return f"missing `{node.type}`" if node.is_missing else f"unexpected `{ctx.text(node)[:40].strip()}`"


def _first_error(node: Node) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        stack.extend(reversed([c for c in current.children if c.has_error or c.is_missing]))
    return None


def _statements(ctx: Context, container: Node, body: _Body) -> None:
    doc: Doc = None
    broken = False  # the statement before was broken: what tree-sitter left of it says no more
    for child in container.children:
        if child.type == "comment":
            text = ctx.text(child)
            if is_doc_comment(text):
                doc = parse_doc(text)
            elif text.startswith("///"):
                _reference(ctx, child, text, body)
            continue
        if (child.has_error or child.is_missing) and not _broken_inside_namespace(child):
            _broken(ctx, child, doc, body, warn=not broken)
            broken = True
        elif child.is_named:
            _statement(ctx, child, doc, body)
            broken = False
        doc = None


# ---------------------------------------------------------------- broken statements
# Reached only in files read for their names (a syntax error in an input file stops the run).

_WRAPPERS = ("ambient_declaration", "export_statement", "expression_statement")
_NAMESPACES = ("internal_module", "module")


def _broken_inside_namespace(node: Node) -> bool:
    """Whether every error in the statement is inside the body of a namespace it declares
    (the namespace is read, and its broken statements are handled one by one)."""
    if node.is_error or node.is_missing:
        return False
    if node.type in _NAMESPACES:
        block = node.child_by_field_name("body")
        return block is not None and not any(c.has_error or c.is_missing for c in node.children if c.id != block.id)
    if node.type in _WRAPPERS:
        broken = [c for c in node.children if c.has_error or c.is_missing]
        return len(broken) == 1 and _broken_inside_namespace(broken[0])
    return False


def _declared(node: Node) -> Node | None:
    """The declaration a statement makes, through `export` and `declare`."""
    while node.type in _WRAPPERS:
        inner = node.child_by_field_name("declaration") or next((c for c in node.named_children if c.type != "comment"), None)
        if inner is None:
            return None
        node = inner
    return node if node.type in _DECLARATIONS and node.type not in _NAMESPACES else None


def _broken(ctx: Context, node: Node, doc: Doc, body: _Body, warn: bool) -> None:
    """A statement tree-sitter could not read: a declaration whose name it read becomes an
    alias of Any (so that what names it still resolves), anything else is skipped.
    Statements it read whole inside the broken part are kept."""
    error = _first_error(node) or node
    declared = _declared(node)
    name_node = declared.child_by_field_name("name") if declared is not None else None
    if name_node is not None and not name_node.has_error and name_node.type in ("identifier", "type_identifier"):
        name = ctx.text(name_node)
        ctx.warn(error, f"syntax error: {_what(ctx, error)}; `{name}` is read as Any (the file is only read for its names)", kind=SYNTAX)
        unsupported = m.UnsupportedType("declaration tsgen cannot parse", ctx.text(node)[:200], ctx.pos(node))
        body.decls.append(m.TypeAlias(name, unsupported, (), doc, ctx.pos(declared or node)))
    elif warn:
        ctx.warn(error, f"syntax error: {_what(ctx, error)}; statement skipped (the file is only read for its names)", kind=SYNTAX)
    for child in node.named_children if node.is_error else ():
        if not child.has_error and (child.type in _DECLARATIONS or child.type in _WRAPPERS[:2] or child.type == "import_statement"):
            _statement(ctx, child, None, body)


def _statement(ctx: Context, node: Node, doc: Doc, body: _Body) -> None:
    kind = node.type
    if kind == "import_statement":
        body.imports.append(_import(ctx, node))
    elif kind == "import_alias":
        _import_alias(ctx, node, body, exported=False)
    elif kind == "export_statement":
        _export(ctx, node, doc, body)
    elif kind == "ambient_declaration" and any(c.type == "global" for c in node.children):
        block = next((c for c in node.named_children if c.type == "statement_block"), None)
        if block is not None:
            _merged_block(ctx, block, body, "")
    elif kind == "statement_block" and node.start_byte in ctx.global_blocks:
        _merged_block(ctx, node, body, "")
    elif kind in ("ambient_declaration", "expression_statement"):
        for inner in node.named_children:
            if inner.type != "comment":
                _statement(ctx, inner, doc, body)
    elif kind == "module" and _ambient_name(ctx, node) is not None:
        _ambient_module(ctx, node, body)
    elif kind in _DECLARATIONS:
        body.decls.extend(_DECLARATIONS[kind](ctx, node, doc))
    elif kind in ("empty_statement",):
        return
    else:
        ctx.warn(node, f"unsupported statement `{kind}` skipped", kind=UNSUPPORTED_SYNTAX)


# ---------------------------------------------------------------- imports and exports

_REFERENCE = re.compile(r"""^///\s*<reference\s+(path|types)\s*=\s*["']([^"']+)["']""")


def _reference(ctx: Context, node: Node, text: str, body: _Body) -> None:
    """A triple-slash reference: its file's declarations become visible, as global names are."""
    match = _REFERENCE.match(text)
    if match is None:
        if text.lstrip("/ ").startswith("<"):
            ctx.warn(node, f"triple-slash directive `{text[:60]}` is not supported; ignored", kind=UNSUPPORTED_SYNTAX)
        return
    kind, target = match.groups()
    specifier = target if kind == "types" or target.startswith(".") else "./" + target
    body.imports.append(m.Import(specifier, reference=True, pos=ctx.pos(node)))



def _import(ctx: Context, node: Node) -> m.Import:
    source = node.child_by_field_name("source")
    specifier = string_value(ctx.text(source)) if source else ""
    names: list[m.ImportSpec] = []
    namespace = default = None
    type_only = any(c.type == "type" for c in node.children)
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    for part in clause.named_children if clause else ():
        if part.type == "identifier":
            default = ctx.text(part)
        elif part.type == "namespace_import":
            namespace = ctx.text(part.named_children[-1])
        elif part.type == "named_imports":
            names.extend(_import_specs(ctx, part, type_only))
    if node.named_children and node.named_children[0].type == "import_require_clause":
        req = node.named_children[0]
        namespace = ctx.text(req.named_children[0])
        specifier = string_value(ctx.text(req.child_by_field_name("source") or req.named_children[-1]))
    return m.Import(specifier, tuple(names), namespace, default, pos=ctx.pos(node))


def _import_specs(ctx: Context, node: Node, type_only: bool) -> Iterator[m.ImportSpec]:
    for spec in node.named_children:
        if spec.type != "import_specifier":
            continue
        name = spec.child_by_field_name("name")
        alias = spec.child_by_field_name("alias")
        is_type = type_only or any(c.type == "type" for c in spec.children)
        text = ctx.text(name) if name else ctx.text(spec)
        yield m.ImportSpec(text, ctx.text(alias) if alias else text, is_type)


def _import_alias(ctx: Context, node: Node, body: _Body, exported: bool) -> None:
    """`import X = Y.Z`; `import X = require('m')` is an import statement."""
    parts = [c for c in node.named_children if c.type != "comment"]
    if len(parts) != 2 or parts[0].type != "identifier" or parts[1].type not in ("identifier", "nested_identifier"):
        ctx.warn(node, f"unsupported import alias `{ctx.text(node)[:60]}` skipped", kind=UNSUPPORTED_SYNTAX)
        return
    body.aliases.append(m.ImportAlias(ctx.text(parts[0]), ctx.qualified(parts[1]), exported, ctx.pos(node)))


def _export(ctx: Context, node: Node, doc: Doc, body: _Body) -> None:
    declaration = node.child_by_field_name("declaration")
    if declaration is not None and declaration.type == "import_alias":
        _import_alias(ctx, declaration, body, exported=True)
        return
    if declaration is not None:
        _statement(ctx, declaration, doc, body)
        return
    source = node.child_by_field_name("source")
    specifier = string_value(ctx.text(source)) if source else None
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is not None:
        body.exports.append(m.Export(tuple(_export_specs(ctx, clause)), specifier, pos=ctx.pos(node)))
    elif specifier is not None:
        alias_node = next((c for c in node.named_children if c.type == "namespace_export"), None)
        alias = ctx.text(alias_node.named_children[-1]) if alias_node else None
        body.exports.append(m.Export((), specifier, True, alias, ctx.pos(node)))
    elif [c.type for c in node.children[:3]] == ["export", "as", "namespace"] and node.named_children:
        body.global_name = ctx.text(node.named_children[-1])  # `export as namespace X`: a UMD module's global name
    elif any(c.type == "=" for c in node.children) and node.named_children:
        target = ctx.text(node.named_children[-1])  # `export = Foo`: Foo is the module's export
        body.exports.append(m.Export((m.ExportSpec(target, "default"),), None, pos=ctx.pos(node), assigned=True))
    else:
        ctx.warn(node, f"unsupported export `{ctx.text(node)[:60]}` skipped", kind=UNSUPPORTED_SYNTAX)


def _export_specs(ctx: Context, clause: Node) -> Iterator[m.ExportSpec]:
    for spec in clause.named_children:
        if spec.type != "export_specifier":
            continue
        name = spec.child_by_field_name("name")
        alias = spec.child_by_field_name("alias")
        text = ctx.text(name) if name else ctx.text(spec)
        is_type = any(c.type == "type" for c in spec.children)
        yield m.ExportSpec(text, ctx.text(alias) if alias else text, is_type)


# ---------------------------------------------------------------- declarations


def _name(ctx: Context, node: Node) -> str:
    name = node.child_by_field_name("name")
    return ctx.text(name) if name else "<anonymous>"


def _interface(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    extends: list[m.TypeRef] = []
    for clause in (c for c in node.named_children if c.type == "extends_type_clause"):
        for base in clause.named_children:
            parsed = parse_type(ctx, base)
            if isinstance(parsed, m.TypeRef):
                extends.append(parsed)
            else:
                ctx.warn(base, f"unsupported base type `{ctx.text(base)}` ignored", kind=UNSUPPORTED_SYNTAX)
    body = node.child_by_field_name("body")
    yield m.Interface(
        _name(ctx, node),
        tuple(parse_members(ctx, body)) if body else (),
        parse_type_params(ctx, node.child_by_field_name("type_parameters")),
        tuple(extends),
        doc,
        ctx.pos(node),
    )


def _type_alias(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    value = node.child_by_field_name("value")
    yield m.TypeAlias(
        _name(ctx, node),
        parse_type(ctx, value) if value else m.KeywordType("unknown"),
        parse_type_params(ctx, node.child_by_field_name("type_parameters")),
        doc,
        ctx.pos(node),
    )


def _enum(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    from tsgen.parse.enums import enum_members

    body = node.child_by_field_name("body")
    members = tuple(enum_members(ctx, body)) if body else ()
    const = any(c.type == "const" for c in node.children)
    yield m.Enum(_name(ctx, node), members, const, doc, ctx.pos(node))


def _class(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    extends: m.TypeRef | None = None
    implements: list[m.TypeRef] = []
    heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
    for clause in heritage.named_children if heritage else ():
        types = [parse_type(ctx, c) for c in clause.named_children if c.type not in ("comment", "type_arguments")]
        refs = [t for t in types if isinstance(t, m.TypeRef)]
        args = next((c for c in clause.named_children if c.type == "type_arguments"), None)
        if clause.type == "extends_clause" and refs:
            extra = tuple(parse_type(ctx, a) for a in args.named_children) if args else ()
            extends = m.TypeRef(refs[0].name, refs[0].args or extra, refs[0].pos)
        elif clause.type == "implements_clause":
            implements.extend(refs)
    body = node.child_by_field_name("body")
    members = tuple(_public(ctx, body)) if body else ()
    yield m.Class(
        _name(ctx, node),
        members,
        parse_type_params(ctx, node.child_by_field_name("type_parameters")),
        extends,
        tuple(implements),
        node.type == "abstract_class_declaration",
        doc,
        ctx.pos(node),
    )


def _is_hidden(ctx: Context, node: Node) -> bool:
    """Private and protected members are not part of the API; static ones not of an instance."""
    name = node.child_by_field_name("name")
    if name is not None and name.type == "private_property_identifier":
        return True
    if any(c.type == "static" for c in node.children):
        return True
    return any(c.type == "accessibility_modifier" and ctx.text(c) in ("private", "protected") for c in node.named_children)


def _public(ctx: Context, body: Node) -> Iterator[m.Member]:
    """Class members of an instance's API: not private, protected or static ones."""
    hidden = {ctx.pos(c.child_by_field_name("name") or c) for c in body.named_children if _is_hidden(ctx, c)}
    for member in parse_members(ctx, body):
        if member.pos not in hidden:
            yield member


def _function(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    ret = node.child_by_field_name("return_type")
    yield m.Function(
        _name(ctx, node),
        parse_params(ctx, node.child_by_field_name("parameters")),
        parse_type(ctx, ret) if ret else None,
        parse_type_params(ctx, node.child_by_field_name("type_parameters")),
        doc,
        ctx.pos(node),
    )


def _variables(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    const = any(c.type == "const" for c in node.children)
    for declarator in (c for c in node.named_children if c.type == "variable_declarator"):
        type_node = declarator.child_by_field_name("type")
        name = declarator.child_by_field_name("name")
        yield m.Variable(
            ctx.text(name) if name else "<anonymous>",
            parse_type(ctx, type_node) if type_node else None,
            const,
            doc,
            ctx.pos(declarator),
        )


def _ambient_name(ctx: Context, node: Node) -> str | None:
    """The name of a module declared by name (`declare module 'vscode'`), not a namespace."""
    name_node = node.child_by_field_name("name")
    return string_value(ctx.text(name_node)) if name_node is not None and name_node.type == "string" else None


def _ambient_module(ctx: Context, node: Node, body: _Body) -> None:
    """`declare module 'name' { ... }`. In a script it declares that module (this is how @types
    packages declare a package): its statements are read as the file's own, and importing 'name'
    finds this file. In a module it augments the module 'name' resolves to: its declarations merge
    into that module's (tsgen.program). `declare module 'x';` declares nothing to convert."""
    name = _ambient_name(ctx, node) or ""
    block = node.child_by_field_name("body")
    if block is None:
        return
    if not ctx.script:
        _merged_block(ctx, block, body, name)
    elif name.startswith("."):
        ctx.warn(node, f"a script declares the module `{name}` by a relative path, which TypeScript rejects; skipped", kind=UNSUPPORTED_SYNTAX)
    else:
        body.ambient.append(name)
        inner = _Body()
        _statements(ctx, block, inner)
        body.own.update(d.name for d in inner.decls)
        # another file's `declare module` of the same name is the same module: its declarations
        # merge there (the file that declares the module first is its home, tsgen.merging)
        where, in_global = ctx.pos(node), {x.name for x in inner.merges if not x.into}  # `global { }` inside: the global scope's
        inner.merges += [m.Merge(d.name, name, True, where) for d in inner.decls if d.name not in in_global]
        _add(body, inner)


def _merged_block(ctx: Context, block: Node, body: _Body, into: str) -> None:
    """`declare global { ... }` (`into` "") or an augmentation of the module `into`: its
    declarations are the file's, marked as merging there. Exports and imports inside mean
    nothing more to tsgen (warned)."""
    inner = _Body()
    _statements(ctx, block, inner)
    for pos in [i.pos for i in inner.imports] + [e.pos for e in inner.exports]:
        ctx.diagnostics.warn(pos, "an import or export inside `declare global` or a module augmentation is not supported; ignored", kind=UNSUPPORTED_SYNTAX)
    declared = {(x.name, x.into) for x in inner.merges}
    where = ctx.pos(block.parent) if block.parent is not None else ctx.pos(block)  # the `declare module` / `global`
    inner.merges += [m.Merge(d.name, into, True, where) for d in inner.decls if (d.name, into) not in declared and (d.name, "") not in declared]
    inner.imports, inner.exports = [], []
    _add(body, inner)


def _add(body: _Body, inner: _Body) -> None:
    body.decls += inner.decls
    body.imports += inner.imports
    body.exports += inner.exports
    body.aliases += inner.aliases
    body.ambient += inner.ambient
    body.merges += inner.merges
    body.own |= inner.own


def _namespace(ctx: Context, node: Node, doc: Doc) -> Iterator[m.Declaration]:
    name_node = node.child_by_field_name("name")
    block = node.child_by_field_name("body")
    if name_node is not None and name_node.type == "string":
        ctx.warn(node, f"ambient module declaration `{ctx.text(name_node)}` is not converted; skipped", kind=UNSUPPORTED_SYNTAX)
        return
    body = _Body()
    names = ctx.text(name_node).split(".") if name_node else ["global"]
    if ctx.depth + len(names) > MAX_DEPTH:
        ctx.warn(node, f"namespace `{names[-1].strip()[:60]}` is nested more than {MAX_DEPTH} levels deep; it is skipped", kind=UNSUPPORTED_SYNTAX)
        return
    if block is not None:
        ctx.depth += len(names)
        try:
            _statements(ctx, block, body)
        finally:
            ctx.depth -= len(names)
    for imp in body.imports:
        ctx.diagnostics.warn(imp.pos, "import inside a namespace is not supported; ignored", kind=UNSUPPORTED_SYNTAX)
    result: m.Namespace = m.Namespace(names[-1].strip(), tuple(body.decls), tuple(body.exports), doc, ctx.pos(node), tuple(body.aliases))
    for outer in reversed(names[:-1]):
        result = m.Namespace(outer.strip(), (result,), (), None, ctx.pos(node))
    yield result


_DECLARATIONS: dict[str, Callable[[Context, Node, Doc], Iterator[m.Declaration]]] = {
    "interface_declaration": _interface,
    "type_alias_declaration": _type_alias,
    "enum_declaration": _enum,
    "class_declaration": _class,
    "abstract_class_declaration": _class,
    "function_signature": _function,
    "function_declaration": _function,
    "lexical_declaration": _variables,
    "variable_declaration": _variables,
    "internal_module": _namespace,
    "module": _namespace,
}
