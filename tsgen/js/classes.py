"""Classes of compiled JavaScript modules: find a class by name, follow `extends` (in the same
file, or through `require(...)`/`import` to another one, relative to the file), the methods of
a class chain, static members (`C.DEFAULT_TIMEOUT = 600000`, `static X = 1`, through an alias
`_a = C`) and module-level functions (to follow a helper a value goes through)."""

from __future__ import annotations

import functools
from pathlib import Path

from tree_sitter import Node

from tsgen.js.syntax import FUNCTIONS, callee_name, key_name, named, parser, string_value, text, unparen, walk
from tsgen.records import record

_CLASSES = ("class_declaration", "class")
_BINDINGS = ("function_declaration", "generator_function_declaration", "variable_declarator", "assignment_expression")
_INDEXED = frozenset(_CLASSES + _BINDINGS)
_LITERALS = frozenset({"object", "array", "string", "template_string", "number"})
MAX_CHAIN = 12


class Module:
    """One parsed `.js` file."""

    def __init__(self, path: Path, root: Node) -> None:
        self.path = path
        self.root = root

    @functools.cached_property
    def _indexed(self) -> list[Node]:
        """The nodes the indexes below are made of, in source order (the tree walked once)."""
        return [node for node in walk(self.root) if node.type in _INDEXED]

    @functools.cached_property
    def classes(self) -> dict[str, list[Node]]:
        found: dict[str, list[Node]] = {}
        for node in self._indexed:
            if node.type in _CLASSES and node.child_by_field_name("name") is not None:
                found.setdefault(text(node.child_by_field_name("name")), []).append(node)
        return found

    @functools.cached_property
    def functions(self) -> dict[str, list[Node]]:
        """Functions bound to a name anywhere in the file: `function f`, `const f = () =>`, `f = function`."""
        found: dict[str, list[Node]] = {}
        for node in self._indexed:
            name, value = _binding(node)
            if name and value is not None and value.type in FUNCTIONS:
                found.setdefault(name, []).append(value)
        return found

    @functools.cached_property
    def assignments(self) -> list[tuple[Node, Node]]:
        """(left, right) of every `a = b` in the file."""
        pairs = []
        for node in self._indexed:
            if node.type == "assignment_expression":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    pairs.append((left, right))
        return pairs

    @functools.cached_property
    def imports(self) -> dict[str, tuple[str, str | None]]:
        """Local name -> (module specifier, imported name; None for the whole module)."""
        found: dict[str, tuple[str, str | None]] = {}
        for statement in named(self.root):
            if statement.type == "import_statement":
                _esm_import(statement, found)
                continue
            if statement.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in (d for d in named(statement) if d.type == "variable_declarator"):
                spec = _required(declarator.child_by_field_name("value"))
                pattern = declarator.child_by_field_name("name")
                if spec is None or pattern is None:
                    continue
                if pattern.type == "identifier":
                    found[text(pattern)] = (spec, None)
                elif pattern.type == "object_pattern":
                    for member in named(pattern):
                        key, local = _pattern_names(member)
                        if key and local:
                            found[local] = (spec, key)
        return found

    @functools.cached_property
    def renames(self) -> dict[str, set[str]]:
        """Name -> the names assigned to it (`_a = OpenAI` gives '_a' -> {'OpenAI'})."""
        found: dict[str, set[str]] = {}
        for left, right in self.assignments:
            if left.type == "identifier" and right.type == "identifier":
                found.setdefault(text(left), set()).add(text(right))
        return found

    @functools.cached_property
    def constants(self) -> dict[str, list[Node]]:
        """Top-level names bound to a literal (object, array, string, number): data tables."""
        found: dict[str, list[Node]] = {}
        for statement in named(self.root):
            if statement.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in (d for d in named(statement) if d.type == "variable_declarator"):
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is not None and name.type == "identifier" and value is not None and value.type in _LITERALS:
                    found.setdefault(text(name), []).append(value)
        return found

    def constant(self, name: str) -> Node | None:
        candidates = self.constants.get(name, [])
        return candidates[0] if len(candidates) == 1 and name not in self.renames else None

    def function(self, name: str) -> Node | None:
        candidates = self.functions.get(name, [])
        return candidates[0] if len(candidates) == 1 else None


def _binding(node: Node) -> tuple[str, Node | None]:
    if node.type in ("function_declaration", "generator_function_declaration"):
        return text(node.child_by_field_name("name")), node
    if node.type == "variable_declarator":
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is not None and name.type == "identifier" and value is not None:
            return text(name), unparen(value)
    if node.type == "assignment_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is not None and left.type == "identifier" and right is not None:
            return text(left), unparen(right)
    return "", None


def _required(value: Node | None) -> str | None:
    """The specifier of the `require('...')` a declaration's value wraps (`__importStar(require(x))`)."""
    if value is None:
        return None
    for node in walk(value, lambda n: n.type in FUNCTIONS):
        if node.type == "call_expression" and callee_name(node) == "require":
            args = named(node.child_by_field_name("arguments"))
            return string_value(args[0]) if args else None
    return None


def _pattern_names(member: Node) -> tuple[str, str]:
    if member.type == "shorthand_property_identifier_pattern":
        return text(member), text(member)
    if member.type == "pair_pattern":
        value = member.child_by_field_name("value")
        return key_name(member) or "", text(value) if value is not None and value.type == "identifier" else ""
    return "", ""


def _esm_import(statement: Node, found: dict[str, tuple[str, str | None]]) -> None:
    spec = string_value(statement.child_by_field_name("source"))
    if spec is None:
        return
    for node in walk(statement):
        if node.type == "namespace_import":
            inner = [c for c in named(node) if c.type == "identifier"]
            if inner:
                found[text(inner[0])] = (spec, None)
        elif node.type == "import_specifier":
            name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
            if name is not None:
                found[text(alias or name)] = (spec, text(name))
        elif node.type == "identifier" and node.parent is not None and node.parent.type == "import_clause":
            found[text(node)] = (spec, "default")


class Modules:
    """Parsed files, each read once; a file that cannot be read is None. The files read are
    added to `reads` (the run's manifest lists them: they decide the output)."""

    def __init__(self, reads: set[Path] | None = None) -> None:
        self._cache: dict[Path, Module | None] = {}
        self.reads = reads

    def load(self, path: Path) -> Module | None:
        path = path.resolve()
        if path not in self._cache:
            try:
                self._cache[path] = Module(path, parser().parse(path.read_bytes()).root_node)
                if self.reads is not None:
                    self.reads.add(path)
            except (OSError, ValueError):
                self._cache[path] = None
        return self._cache[path]

    def resolve(self, module: Module, spec: str) -> Module | None:
        """The module a relative specifier names (`./core.js`, `./core`, `./dir` -> index.js)."""
        if not spec.startswith("."):
            return None
        base = module.path.parent / spec
        for candidate in (base, base.with_name(base.name + ".js"), base / "index.js"):
            if candidate.is_file():
                return self.load(candidate)
        return None


@record(frozen=True)
class ClassRef:
    module: Module
    node: Node

    @property
    def name(self) -> str:
        return text(self.node.child_by_field_name("name"))

    @property
    def heritage(self) -> Node | None:
        clause = next((c for c in self.node.children if c.type == "class_heritage"), None)
        inner = named(clause) if clause is not None else []
        return unparen(inner[0]) if inner else None

    def members(self) -> list[Node]:
        return named(self.node.child_by_field_name("body"))

    def method(self, name: str) -> Node | None:
        """An instance method (not a getter, setter or static)."""
        for member in self.members():
            if member.type != "method_definition" or _is_static(member):
                continue
            if any(c.type in ("get", "set") for c in member.children):
                continue
            key = member.child_by_field_name("name")
            if key is not None and (string_value(key) or text(key)) == name:
                return member
        return None

    def constructor(self) -> Node | None:
        return self.method("constructor")

    def fields(self, static: bool) -> list[tuple[str, Node]]:
        """`x = value` (or `static x = value`) declared in the class body."""
        found = []
        for member in self.members():
            if member.type == "field_definition" and _is_static(member) == static:
                key = member.child_by_field_name("property")
                value = member.child_by_field_name("value")
                if key is not None and value is not None:
                    found.append((string_value(key) or text(key), value))
        return found


def _is_static(member: Node) -> bool:
    return any(c.type == "static" for c in member.children)


def syntax_error(module: Module) -> Node | None:
    """The first node tree-sitter could not parse (an ERROR or a missing token), if any."""
    if not module.root.has_error:
        return None
    innermost = (n for n in walk(module.root) if (n.type == "ERROR" or n.is_missing) and not any(c.has_error for c in n.children))
    return next(innermost, module.root)


def find_class(modules: Modules, module: Module, name: str, depth: int = 0) -> ClassRef | None:
    """A class named `name` in the module, or exported by it under that name (`exports.N = C`,
    a star re-export of another module)."""
    nodes = module.classes.get(name)
    if nodes:
        return ClassRef(module, nodes[0])
    if depth > 4:
        return None
    for left, right in module.assignments:
        if _is_export(left, name) and right.type == "identifier" and right.text != name.encode():
            return find_class(modules, module, text(right), depth + 1)
    for spec in star_exports(module):
        other = modules.resolve(module, spec)
        found = find_class(modules, other, name, depth + 1) if other is not None else None
        if found is not None:
            return found
    return None


def star_exports(module: Module) -> list[str]:
    """Specifiers re-exported whole: `__exportStar(require('./x'), exports)`, `export * from './x'`."""
    specs = []
    for node in walk(module.root):
        if node.type == "call_expression" and callee_name(node) == "__exportStar":
            spec = _required(node.child_by_field_name("arguments"))
            if spec is not None:
                specs.append(spec)
        elif node.type == "export_statement" and any(c.type == "*" for c in node.children):
            spec = string_value(node.child_by_field_name("source"))
            if spec is not None:
                specs.append(spec)
    return specs


def _is_export(left: Node, name: str) -> bool:
    if left.type != "member_expression":
        return False
    obj = left.child_by_field_name("object")
    return obj is not None and text(obj) in ("exports", "module.exports") and text(left.child_by_field_name("property")) == name


def base_class(modules: Modules, ref: ClassRef) -> tuple[ClassRef | None, str]:
    """The class `ref` extends and the text naming it; (None, text) when it cannot be found."""
    expr = ref.heritage
    if expr is None:
        return None, ""
    label = text(expr, compact=True)
    if expr.type == "identifier":
        local = ref.module.classes.get(label, [])
        candidates = [n for n in local if n != ref.node]
        if candidates:
            return ClassRef(ref.module, candidates[0]), label
        return _imported(modules, ref.module, label, None), label
    if expr.type == "member_expression":
        obj = unparen(expr.child_by_field_name("object") or expr)
        prop = text(expr.child_by_field_name("property"))
        if obj.type == "identifier":
            return _imported(modules, ref.module, text(obj), prop), label
    return None, label


def _imported(modules: Modules, module: Module, local: str, member: str | None) -> ClassRef | None:
    spec, name = module.imports.get(local, ("", None))
    other = modules.resolve(module, spec) if spec else None
    if other is None:
        return None
    wanted = member if name is None else name
    return find_class(modules, other, wanted) if wanted else None


def chain(modules: Modules, ref: ClassRef) -> tuple[list[ClassRef], str]:
    """The class and its bases, most derived first; and the text of the first base not found."""
    found = [ref]
    while len(found) < MAX_CHAIN:
        base, label = base_class(modules, found[-1])
        if base is None:
            return found, label
        if any(b.node == base.node for b in found):
            return found, ""
        found.append(base)
    return found, ""


def aliases(module: Module, name: str) -> set[str]:
    """The class name and every name assigned only that class (`_a = OpenAI`)."""
    return {name} | {alias for alias, targets in module.renames.items() if targets == {name}}


def static_value(modules: Modules, ref: ClassRef, prop: str) -> Node | None:
    """The expression a static member of the class (or a base) is set to."""
    classes, _ = chain(modules, ref)
    for cls in classes:
        for key, value in cls.fields(static=True):
            if key == prop:
                return value
        names = aliases(cls.module, cls.name)
        for left, right in cls.module.assignments:
            if left.type != "member_expression" or text(left.child_by_field_name("property")) != prop:
                continue
            obj = left.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text(obj) in names:
                return right
    return None


def class_named(modules: Modules, module: Module, name: str) -> ClassRef | None:
    """A class of this module by its name or by an alias of it (`_a`)."""
    targets = module.renames.get(name, set()) if name not in module.classes else {name}
    target = next(iter(targets)) if len(targets) == 1 else ""
    return ClassRef(module, module.classes[target][0]) if target in module.classes else None
