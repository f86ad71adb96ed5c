"""The kinds of warning. Every warning names one; the summary a run prints groups warnings by
kind, each with its count, an example and what to do about it (`tsgen.report`).

A kind says what happened to the input, not where: the same kind comes from the parser, the
lowering and the readers of `.js` files alike."""

from __future__ import annotations

from tsgen.records import record


@record(frozen=True)
class Kind:
    code: str  # shown in the summary, in `--warnings-as-json` and on each line of `--warnings all`
    title: str  # what the warnings of this kind have in common
    hint: str  # what the user can do about them


UNRESOLVED = Kind(
    "unresolved",
    "names or modules tsgen cannot find; typed Any",
    "convert the package with its dependencies installed (node_modules beside it), or give a wider input or --root",
)
UNSUPPORTED_TYPE = Kind(
    "unsupported-type",
    "types Python cannot express, or tsgen cannot compute yet; typed with a safe fallback (Any, dict, str)",
    "nothing is required; to type a field exactly, give the type a name in TypeScript or override the template",
)
TYPE_ARGUMENTS = Kind(
    "type-arguments",
    "generic types used with missing, extra or erased type arguments",
    "nothing is required: the arguments are Any or ignored (see tsgen.lower.generics)",
)
NOT_CONVERTED = Kind(
    "not-converted",
    "values, functions and methods of data types: they have no Python binding",
    "nothing to do: tsgen converts types and resource classes",
)
FLATTENED_CLASS = Kind(
    "flattened-class",
    "classes that declare their inherited fields instead of subclassing their base",
    "nothing is required: the fields are complete; only isinstance() against the base is False",
)
UNREPRESENTABLE = Kind(
    "unrepresentable",
    "members and values a Python class or Literal cannot hold (index signatures, empty names, computed values)",
    "nothing is required: extra keys are accepted untyped, the member is left out, or the value is widened",
)
NO_ROUTE = Kind(
    "no-route",
    "resource methods whose HTTP route tsgen cannot read from the .js beside them",
    'add `"Class.method" = "VERB /path/{param}"` under [tool.tsgen.routes] and regenerate',
)
CLIENT = Kind(
    "client",
    "client defaults (base URL, API key, options) that are computed at run time or not found",
    "set base-url and api-key-env in [tool.tsgen]",
)
PAGES = Kind(
    "pages",
    "page classes whose next-page rule or fields tsgen cannot read",
    "nothing is required: such lists return their first page",
)
RUNTIME_TYPE = Kind(
    "runtime-type",
    "names of the SDK's runtime without a Python mapping",
    'map them under [tool.tsgen.runtime-types] (e.g. "Uploadable" = "builtins.bytes")',
)
SYNTAX = Kind(
    "syntax",
    "syntax errors and bytes that are not UTF-8 in files read for their names",
    "fix the file upstream; tsgen reads it as far as it parses",
)
UNSUPPORTED_SYNTAX = Kind(
    "unsupported-syntax",
    "statements and members tsgen skips (computed names, mapped members, some imports and exports)",
    "nothing is required; what they declare is missing from the output",
)
DUPLICATE = Kind(
    "duplicate",
    "names declared more than once in a way TypeScript does not merge; the first declaration is kept",
    "nothing is required; check that the declaration kept is the one you want",
)
RENAMED = Kind(
    "renamed",
    "modules and names renamed because their Python name is taken",
    "import them by the name the warning gives",
)

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        UNRESOLVED, UNSUPPORTED_TYPE, TYPE_ARGUMENTS, NOT_CONVERTED, FLATTENED_CLASS, UNREPRESENTABLE, NO_ROUTE,
        CLIENT, PAGES, RUNTIME_TYPE, SYNTAX, UNSUPPORTED_SYNTAX, DUPLICATE, RENAMED,
    )
}  # fmt: skip
