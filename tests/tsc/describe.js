#!/usr/bin/env node
// The reference view of declaration files, from the TypeScript compiler itself.
// Usage: node describe.js ROOT FILE.d.ts [FILE.d.ts ...]   (FILE relative to ROOT)
// Prints JSON: every declaration of each file (qualified through namespaces, with its kind) and,
// for every interface, and every type alias of an object type spelled as an object literal, an
// intersection or a utility type (`type X = Omit<Y, 'a'>`), every property (own and inherited)
// with its optionality, the literal values of its type (through aliases, unions and arrays, not
// into object types), its docs (text, and each link with the declaration tsc resolves it to: see
// docParts; its `@see` tags likewise: see seeTags), and whether its type is exact: no `any`, `unknown`, conditional
// or mapped type in it (the standard library's mapped utility types, like `Partial<Y>` or
// `Record<string, number>`, are exact when their arguments are; object types are exact as
// names, their own properties are judged on their own).
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const [root, ...files] = process.argv.slice(2);
const absolute = files.map((f) => path.resolve(root, f));
// TypeScript's own lib files (lib.dom.d.ts, lib.webworker.d.ts) say `no-default-lib`: where one is
// described, lib.es5.d.ts, which they all build on, is read beside it (not the default lib, whose
// later ES versions add to lib.es5's interfaces, and whose DOM globals the worker's redeclare).
const libDir = fs.realpathSync(path.dirname(require.resolve("typescript/lib/lib.d.ts")));
const describesLib = absolute.some((f) => fs.existsSync(f) && fs.realpathSync(path.dirname(f)) === libDir);
const program = ts.createProgram(describesLib ? [...new Set([...absolute, path.join(libDir, "lib.es5.d.ts")])] : absolute, {
  noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], noResolve: false,
});
const checker = program.getTypeChecker();

const KINDS = [
  [ts.isInterfaceDeclaration, "interface"], [ts.isTypeAliasDeclaration, "type_alias"],
  [ts.isEnumDeclaration, "enum"], [ts.isClassDeclaration, "class"],
  [ts.isFunctionDeclaration, "function"], [ts.isVariableDeclaration, "variable"],
  [ts.isModuleDeclaration, "namespace"],
];

function kindOf(node) {
  for (const [test, kind] of KINDS) if (test(node)) return kind;
  return null;
}

function literalValues(type, seen = new Set()) {
  if (seen.has(type)) return [];
  seen.add(type);
  if (type.isStringLiteral() || type.isNumberLiteral()) return [type.value];
  if (type.flags & ts.TypeFlags.BooleanLiteral) return [checker.typeToString(type) === "true"];
  if (type.isUnion()) {
    const members = type.types;
    const bools = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    const rest = members.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral));
    const values = rest.flatMap((t) => literalValues(t, seen));
    if (bools.length === 1) values.push(...literalValues(bools[0], seen)); // `true` alone, not `boolean`
    return values;
  }
  if (checker.isArrayType(type)) return literalValues(checker.getTypeArguments(type)[0], seen);
  // tsgen writes `Promise<T>` as `T`, the value once awaited (tsgen.lower.types)
  if (type.symbol && type.symbol.name === "Promise" && fromLibrary(type.symbol)) return literalValues(checker.getTypeArguments(type)[0], seen);
  return [];
}

const described = new Set(absolute.map((f) => path.resolve(f)));

function fromOtherLibrary(sourceFile) {
  return program.isSourceFileDefaultLibrary(sourceFile) && !described.has(path.resolve(sourceFile.fileName));
}

function hasOwnDoc(symbol) {
  return (symbol.declarations || []).some((d) => ts.getJSDocCommentsAndTags(d).some((c) => ts.isJSDoc(c) && !!c.comment));
}

function documentedInBases(type, name, seen) {
  if (seen.has(type)) return false;
  seen.add(type);
  const bases = type.flags & ts.TypeFlags.Object && type.objectFlags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface) ? checker.getBaseTypes(type) : [];
  for (const base of bases) {
    const member = base.getProperty(name);
    if (member && !(member.declarations || []).every((d) => fromOtherLibrary(d.getSourceFile())) && hasOwnDoc(member)) return true;
    if (documentedInBases(base.target || base, name, seen)) return true;
  }
  return false;
}

function fromLibrary(symbol) {
  return !!symbol && (symbol.declarations || []).some((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

function exact(type, seen = new Set()) {
  if (seen.has(type)) return true;
  seen.add(type);
  const all = (types) => (types || []).every((t) => exact(t, seen));
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) return false;
  if (type.flags & ts.TypeFlags.UnionOrIntersection) return all(type.types);
  if (!(type.flags & ts.TypeFlags.Object)) return true;
  if (type.objectFlags & ts.ObjectFlags.Mapped) return fromLibrary(type.aliasSymbol) && all(type.aliasTypeArguments);
  if (type.aliasTypeArguments && !all(type.aliasTypeArguments)) return false;
  if (type.objectFlags & ts.ObjectFlags.Reference && !all(checker.getTypeArguments(type))) return false;
  return checker.getSignaturesOfType(type, ts.SignatureKind.Call).every(
    (sig) => exact(sig.getReturnType(), seen) && sig.getParameters().every((p) => exact(checker.getTypeOfSymbol(p), seen)),
  );
}

function writtenInexact(node) {
  // a conditional or mapped type written in the declaration, even where tsc resolves it
  if (ts.isConditionalTypeNode(node) || ts.isMappedTypeNode(node)) return true;
  return !!ts.forEachChild(node, (child) => writtenInexact(child) || undefined);
}

function containsTypeQuery(node) {
  return ts.isTypeQueryNode(node) || !!ts.forEachChild(node, (child) => containsTypeQuery(child) || undefined);
}

const UTILITIES = new Set(["Omit", "Pick", "Partial", "Required", "Readonly", "NonNullable", "Record"]);

function objectAlias(node) {
  // `type X = { ... }`, `A & B`, `Omit<Y, 'a'>`: aliases of object types that tsgen emits as classes.
  if (node.typeParameters) return false;
  const t = node.type;
  const utility = ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && UTILITIES.has(t.typeName.text)
    && fromLibrary(checker.getSymbolAtLocation(t.typeName));
  if (!(ts.isTypeLiteralNode(t) || ts.isIntersectionTypeNode(t) || utility)) return false;
  const type = checker.getTypeFromTypeNode(t);
  return !!(type.flags & ts.TypeFlags.Object) && !checker.isArrayType(type) && !checker.isTupleType(type)
    && checker.getSignaturesOfType(type, ts.SignatureKind.Call).length === 0 && !checker.getIndexInfosOfType(type).length;
}

// Members of a class merged with the interface are the class's (a resource's sub-resources and
// methods; private, protected and static ones are no instance API at all): the interface's
// data type is compared, not them.
function hidden(prop) {
  const flags = ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static;
  const decls = prop.declarations || [];
  return decls.some((d) => ts.getCombinedModifierFlags(d) & flags) || (decls.length > 0 && decls.every((d) => d.parent && ts.isClassDeclaration(d.parent)));
}

function describeInterface(node, qualified) {
  const symbol = checker.getSymbolAtLocation(node.name);
  const declared = checker.getDeclaredTypeOfSymbol(symbol);
  return {
    name: qualified,
    kind: ts.isInterfaceDeclaration(node) ? "interface" : "type_alias",
    properties: checker.getPropertiesOfType(declared).filter((prop) => !hidden(prop)).map((prop) => {
      const decl = (prop.declarations || [])[0];
      const type = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
      const typeNode = decl && decl.type;
      const owner = decl && decl.parent && ts.isInterfaceDeclaration(decl.parent) ? decl.parent : null;
      return {
        name: prop.getName(),
        method: !!decl && (ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl)),
        optional: (prop.flags & ts.SymbolFlags.Optional) !== 0,
        literals: [...new Set(literalValues(type))].sort((a, b) => String(a).localeCompare(String(b))),
        nullable: !!typeNode && /\bnull\b/.test(typeNode.getText()),
        exact: exact(type) && !(typeNode && writtenInexact(typeNode)),
        type_query: !!typeNode && containsTypeQuery(typeNode),
        doc: docParts(prop.getDocumentationComment(checker)),
        see: seeTags(prop),
        inherited_from: owner && owner !== node ? qualifiedName(owner) : null,
        // every declaration of it is in TypeScript's own lib, not among the files described (a global
        // interface the package augments)
        library: (prop.declarations || []).length > 0 && prop.declarations.every((d) => fromOtherLibrary(d.getSourceFile())),
        // written without a doc comment, tsc documents it with that of a member of TypeScript's own
        // lib (lib.dom's `Range.toString()` takes `Object.toString`'s)
        doc_from_library: !hasOwnDoc(prop) && !documentedInBases(declared, prop.getName(), new Set()),
      };
    }),
  };
}

// A doc comment as tsc resolves it: its text, and for each `{@link}` (`linkcode`, `linkplain`)
// the name as written, the link's text, and the declaration tsc resolved the name to (null when
// it did not): the file (relative to ROOT; `..` for one outside it) and the names of it and of
// every named declaration around it (`["Shapes", "Corner"]`; `["Line", "start"]`, 1 member).
function docParts(parts) {
  const out = [];
  let link = null;
  for (const part of parts) {
    if (part.kind === "link" && part.text.startsWith("{@")) link = { name: "", text: "", target: null };
    else if (part.kind === "link") { out.push(link.target ? link : unresolved(link.text)); link = null; }
    else if (link && part.kind === "linkName") { link.name = part.text; link.target = locate(part.target); }
    else if (link) link.text += part.text;
    else if (typeof out[out.length - 1] === "string") out[out.length - 1] += part.text;
    else out.push(part.text);
  }
  return out;
}

// tsc writes a link it could not resolve (or a URL) as one text, `name text` or `name|text`:
// the name is up to the first space or `|`, as it is written.
function unresolved(text) {
  const m = /^([^\s|]*)\s*\|?\s*([\s\S]*)$/.exec(text);
  return { name: m[1], text: m[2].trim(), target: null };
}

function locate(target) {
  const sf = program.getSourceFile(target.fileName);
  const node = sf && nodeAt(sf, target.textSpan.start, target.textSpan.start + target.textSpan.length);
  if (!node) return null;
  return { file: relative(sf), ...namePath(node) };
}

function nodeAt(sf, start, end) {
  let found = null;
  const visit = (n) => {
    if (n.pos > start || n.end < end) return;
    if (n.name && n.getStart(sf) === start && n.end === end) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

// The names of a declaration and of the named declarations around it (namespaces, interfaces,
// classes, type aliases, enums), as describe.js names declarations (`declare module 'm'` and
// `declare global` add none), and how many of the last are members (of an interface, class,
// object type or enum) rather than declarations (of a file or namespace).
function namePath(node) {
  const names = [];
  let members = 0;
  for (let n = node; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isModuleDeclaration(n) && (!ts.isIdentifier(n.name) || (n.flags & ts.NodeFlags.GlobalAugmentation) !== 0)) continue;
    if (!n.name || !(ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isNumericLiteral(n.name) || ts.isPrivateIdentifier(n.name))) continue;
    if (names.length === members && (ts.isClassElement(n) || ts.isTypeElement(n) || ts.isEnumMember(n))) members += 1;
    names.unshift(n.name.text);
  }
  return { names, members };
}

// `@see` tags of a property's own declarations: the name after `@see` (none for `@see {@link X}`)
// and the declaration tsc resolves it to (null for none, or a URL: `@see https://...`), and the
// rest of the tag as docParts, its links resolved as tsc resolves them.
function seeTags(prop) {
  const out = [];
  for (const decl of prop.declarations || []) {
    for (const tag of ts.getJSDocTags(decl)) {
      if (!ts.isJSDocSeeTag(tag)) continue;
      const comment = docParts(commentParts(tag.comment));
      if (!tag.name) { out.push({ name: "", target: null, comment }); continue; }
      const entity = tag.name.name;
      const name = entity.getText();
      if (/^https?$/.test(name) && typeof comment[0] === "string" && comment[0].startsWith("://")) {
        const [, rest, after] = /^(\S*)([\s\S]*)$/.exec(comment[0]);
        out.push({ name: name + rest, target: null, comment: [after.trimStart(), ...comment.slice(1)].filter((c) => c !== "") });
        continue;
      }
      let symbol = checker.getSymbolAtLocation(entity);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const target = symbol && (symbol.valueDeclaration || (symbol.declarations || [])[0]);
      out.push({ name, target: target ? { file: relative(target.getSourceFile()), ...namePath(target) } : null, comment });
    }
  }
  return out;
}

// A JSDoc comment (text, or text and links) as display parts, as tsc's own getDocumentationComment
// makes them.
function commentParts(comment) {
  if (!comment) return [];
  if (typeof comment === "string") return [{ kind: "text", text: comment }];
  return comment.flatMap((node) => (ts.isJSDocLink(node) || ts.isJSDocLinkCode(node) || ts.isJSDocLinkPlain(node)
    ? ts.buildLinkParts(node, checker) : [{ kind: "text", text: node.text }]));
}

function relative(sf) {
  return path.relative(root, sf.fileName).split(path.sep).join("/");
}

function qualifiedName(node) {
  const names = [];
  for (let n = node; n; n = n.parent) {
    if ((ts.isModuleDeclaration(n) || ts.isInterfaceDeclaration(n)) && n.name && ts.isIdentifier(n.name)) names.unshift(n.name.text);
  }
  return names.join(".");
}

function walk(statements, prefix, out) {
  for (const stmt of statements) {
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) out.declarations.push(entry(d, prefix + d.name.text, "variable"));
      continue;
    }
    if (ts.isModuleDeclaration(stmt) && stmt.body && ts.isModuleBlock(stmt.body) && (ts.isStringLiteral(stmt.name) || (stmt.flags & ts.NodeFlags.GlobalAugmentation) !== 0)) {
      // `declare module 'm' { }` and `declare global { }`: their declarations are the file's to
      // tsgen (converted in its module; merged where TypeScript merges them), named without prefix
      walk(stmt.body.statements, prefix, out);
      continue;
    }
    const kind = kindOf(stmt);
    if (!kind || !stmt.name || !ts.isIdentifier(stmt.name)) continue;
    const name = prefix + stmt.name.text;
    out.declarations.push(entry(stmt, name, kind));
    if (kind === "interface" || (kind === "type_alias" && objectAlias(stmt))) out.interfaces.push(describeInterface(stmt, name));
    if (kind === "namespace") {
      let body = stmt.body;
      let inner = name;
      while (body && ts.isModuleDeclaration(body)) { inner += "." + body.name.text; out.declarations.push(entry(body, inner, "namespace")); body = body.body; }
      if (body && ts.isModuleBlock(body)) walk(body.statements, inner + ".", out);
    }
  }
}

function entry(node, name, kind) {
  const sf = node.getSourceFile();
  const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { name, kind, line: pos.line + 1, col: pos.character + 1 };
}

const result = { typescript: ts.version, files: [] };
for (const file of absolute) {
  const sf = program.getSourceFile(file);
  const out = { path: path.relative(root, file).split(path.sep).join("/"), declarations: [], interfaces: [] };
  if (sf) walk(sf.statements, "", out);
  result.files.push(out);
}
process.stdout.write(JSON.stringify(result));
