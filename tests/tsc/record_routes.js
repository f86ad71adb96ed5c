#!/usr/bin/env node
// The route oracle: what the SDK's own JavaScript sends for every method of every resource.
// Usage: node record_routes.js TYPES_ROOT JS_ROOT [CLIENT_OPTIONS_JSON]
//   TYPES_ROOT: the package whose .d.ts are converted (its `types` entry declares the client);
//   JS_ROOT: the package directory whose .js runs (the same release; often the same directory).
// The client is built with a recording `fetch` that answers 200 (JSON: an empty page); the client object is walked
// to every resource instance (an object whose `_client` is the client); every method of each
// resource class is called once, on a fresh client, with arguments built from its TypeScript
// declaration: strings `v-<name>` (string-literal types: their first value), numbers 17, booleans
// false, arrays of one element, objects with their properties (two levels), files as `File`s.
// Prints JSON: per method, the arguments (files as {"$file": name}), the requests it sent (verb,
// path, query keys, body kind and keys, headers that differ from a bare request's) and its outcome:
// "routed" (one request), "several" (more), "none" (no request; with the error if it threw) or
// "delegates" (it called other resource methods: a helper such as createAndPoll).
"use strict";
const path = require("path");
const fs = require("fs");
const ts = require("typescript");

const BASE = "http://oracle.invalid/base";
const WAIT_MS = 1500; // a call that has not settled by then is a helper waiting (polling)
const MAX_REQUESTS = 5; // more are refused, so that polling loops end
const CONCURRENCY = 32;

const [typesRoot, jsRoot, optionsJson] = process.argv.slice(2);
const extraOptions = optionsJson ? JSON.parse(optionsJson) : {};

// ---- the declarations: the client class, its resources and their methods' parameters ----

function typesEntry(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const entry = pkg.types || pkg.typings || "index.d.ts";
  return path.resolve(root, entry.endsWith(".d.ts") ? entry : entry.replace(/\.js$/, "") + ".d.ts");
}

const entry = typesEntry(typesRoot);
const program = ts.createProgram([entry], {
  noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, types: [],
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, // the package's own name too
});
const checker = program.getTypeChecker();

function clientClassType() {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  let symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.escapedName === "default");
  if (!symbol) throw new Error(`${entry} has no default export (the client class)`);
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

function declarationOf(type) {
  const symbol = type.getSymbol();
  const decl = symbol && (symbol.declarations || []).find(ts.isClassDeclaration);
  if (!decl || !decl.name) return null;
  const file = path.relative(typesRoot, decl.getSourceFile().fileName).split(path.sep).join("/");
  return { file, name: decl.name.text, decl };
}

function isRequestOptions(type) {
  const names = [type.aliasSymbol, type.getSymbol()].filter(Boolean).map((s) => s.getName());
  return names.includes("RequestOptions") || /\bRequestOptions\b/.test(checker.typeToString(type));
}

function isUpload(type) {
  const names = [type.aliasSymbol, type.getSymbol()].filter(Boolean).map((s) => s.getName());
  return names.some((n) => ["Uploadable", "File", "Blob", "FileLike", "BlobLike", "FsReadStream", "ReadStream"].includes(n));
}

function members(type) {
  if (!type.isUnion()) return [type];
  return type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
}

function isStringy(t) {
  if (t.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return t.isIntersection() && t.types.some((m) => m.flags & ts.TypeFlags.String); // (string & {})
}

function properties(type) {
  const seen = new Map();
  for (const member of members(type)) {
    for (const prop of checker.getPropertiesOfType(checker.getApparentType(member))) {
      if (!seen.has(prop.getName())) seen.set(prop.getName(), prop);
    }
  }
  return [...seen.values()];
}

function propertyType(prop, where) {
  const decl = (prop.declarations || [])[0];
  return decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
}

// A distinctive sample of a declared type, as JSON (files as {"$file": name}).
function sample(type, name, depth) {
  if (isUpload(type) || members(type).some(isUpload)) return { $file: `v-${name}.txt` };
  const parts = members(type);
  if (parts.length && parts.every((t) => t.isStringLiteral())) return parts[0].value;
  if (parts.length && parts.every((t) => t.isNumberLiteral())) return parts[0].value;
  const boolLiterals = parts.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
  if (boolLiterals.length === parts.length && parts.length === 1) return checker.typeToString(parts[0]) === "true";
  if (parts.some(isStringy)) return `v-${name}`;
  if (parts.some((t) => t.flags & ts.TypeFlags.NumberLike)) return 17;
  if (parts.some((t) => t.flags & ts.TypeFlags.BooleanLike)) return false;
  const first = parts.find((t) => t.isStringLiteral() || t.isNumberLiteral()) || parts[0];
  if (!first) return `v-${name}`;
  if (first.isStringLiteral() || first.isNumberLiteral()) return first.value;
  if (checker.isArrayType(first) || checker.isTupleType(first)) {
    const element = checker.getTypeArguments(first)[0];
    return element ? [sample(element, name, depth + 1)] : [];
  }
  if (first.flags & ts.TypeFlags.Object) return depth >= 2 ? {} : objectSample(first, depth + 1);
  return `v-${name}`;
}

function objectSample(type, depth) {
  const value = {};
  for (const prop of properties(type)) {
    if (prop.flags & ts.SymbolFlags.Method) continue;
    value[prop.getName()] = sample(propertyType(prop), prop.getName(), depth);
  }
  if (!Object.keys(value).length) { // a record (`{ [key: string]: T }`): one entry
    const index = members(type).flatMap((t) => checker.getIndexInfosOfType(t))[0];
    if (index) value["v-key"] = sample(index.type, "value", depth + 1);
  }
  return value;
}

// A complete value of a declared answer type, as JSON: every required property at every depth,
// the optional ones near the top, the first member of a union, one element per array. The
// loopback server answers it, and the generated method must return it converted.
function answerSample(type, depth) {
  const parts = members(type);
  if (!parts.length) return null;
  if (parts.every((t) => t.isStringLiteral())) return parts[0].value;
  if (parts.every((t) => t.isNumberLiteral())) return parts[0].value;
  if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return checker.typeToString(parts[0]) === "true";
  const first = parts[0];
  if (first.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
  if (isStringy(first)) return "v-answer";
  if (first.flags & ts.TypeFlags.NumberLike) return 17;
  if (first.flags & ts.TypeFlags.BooleanLike) return false; // `has_more: false`: one page
  if (first.isStringLiteral() || first.isNumberLiteral()) return first.value;
  if (checker.isTupleType(first)) return checker.getTypeArguments(first).map((t) => answerSample(t, depth + 1));
  if (checker.isArrayType(first)) {
    const element = checker.getTypeArguments(first)[0];
    return element && depth < 6 ? [answerSample(element, depth + 1)] : [];
  }
  if (first.flags & ts.TypeFlags.Object || first.isIntersection()) {
    const value = {};
    for (const prop of properties(first)) {
      const decl = (prop.declarations || [])[0];
      const hidden = decl && ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static);
      // `_request_id` (openai 4 adds it from a response header, not the body): not an answer field
      if (prop.flags & ts.SymbolFlags.Method || hidden || /^[#_]/.test(prop.getName())) continue;
      const optional = prop.flags & ts.SymbolFlags.Optional;
      if (optional && depth >= 2) continue;
      value[prop.getName()] = depth > 12 ? null : answerSample(propertyType(prop), depth + 1);
    }
    return value;
  }
  return null;
}

// What a method's answer is: its declared type awaited (APIPromise<T>, PagePromise<Page, Item>),
// as a sample value; binary answers (a fetch `Response`) are {"$binary": true}.
function methodAnswer(signature) {
  let type = signature.getReturnType();
  for (let i = 0; i < 5; i++) {
    const awaited = checker.getAwaitedType(type);
    if (!awaited || awaited === type) break;
    type = awaited;
  }
  const named = (t) => [t.aliasSymbol, t.getSymbol()].filter(Boolean).map((s) => s.getName());
  const names = named(type);
  if (names.includes("Response")) return { $binary: true };
  const stream = (type.isIntersection() ? type.types : [type]).find((t) => named(t).includes("Stream"));
  if (stream) { // Server-Sent Events, one event of the declared event type (`Stream<E> & { _request_id? }`)
    let event = checker.getTypeArguments(stream)[0] || (stream.aliasTypeArguments || [])[0];
    // an event that is not an error event: SDKs raise on data with an `error` field
    if (event && event.isUnion()) event = event.types.find((t) => !checker.getPropertyOfType(t, "error")) || event;
    return { $events: event ? [answerSample(event, 0)] : [], type: checker.typeToString(type) };
  }
  return { $json: answerSample(type, 0), type: checker.typeToString(type) };
}

function requiredNames(type) {
  return properties(type).filter((p) => !(p.flags & ts.SymbolFlags.Optional)).map((p) => p.getName());
}

// The arguments of a method: one entry per declared parameter of its first signature.
function methodArgs(signature) {
  return signature.getParameters().map((param) => {
    const type = propertyType(param);
    const name = param.getName();
    if (isRequestOptions(type)) return { name, kind: "options" };
    const parts = members(type);
    const objectLike = parts.length && parts.every(isObjectLike);
    if (objectLike) return { name, kind: "object", value: objectSample(type, 1), required: requiredNames(type) };
    return { name, kind: "value", value: sample(type, name, 1) };
  });
}

// An object type, or an intersection of them (`Params & { [K in 'path']?: never }`).
function isObjectLike(t) {
  if (t.isIntersection()) return t.types.every(isObjectLike);
  return Boolean(t.flags & ts.TypeFlags.Object) && !checker.isArrayType(t) && !isUpload(t);
}

function resourceMethods(type) {
  const methods = [];
  for (const prop of checker.getPropertiesOfType(type)) {
    const name = prop.getName();
    if (!(prop.flags & ts.SymbolFlags.Method) || name.startsWith("_") || name.startsWith("#")) continue;
    const decl = (prop.declarations || [])[0];
    const owner = decl && decl.parent && ts.isClassDeclaration(decl.parent) && decl.parent.name ? decl.parent.name.text : null;
    if (owner === "APIResource") continue;
    const signatures = checker.getSignaturesOfType(checker.getTypeOfSymbolAtLocation(prop, decl), ts.SignatureKind.Call);
    if (!signatures.length) continue;
    methods.push({ name, args: methodArgs(signatures[0]), answer: methodAnswer(signatures[0]), declared_in: owner });
  }
  return methods;
}

// ---- the running SDK ----

function loadClient(root) {
  const mod = require(path.resolve(root));
  const Client = typeof mod === "function" ? mod : mod.default;
  if (typeof Client !== "function") throw new Error(`${root}: no client class as the default export`);
  return Client;
}

const Client = loadClient(jsRoot);
const states = new WeakMap(); // client -> the state of the call made on it

function recordingFetch(state) {
  return async (url, init = {}) => {
    const href = typeof url === "string" ? url : url.url || String(url);
    if (!/^https?:/.test(href)) return new Response(""); // a probe (does fetch take FormData?), not a request
    if (state.requests.length >= MAX_REQUESTS) throw new Error("oracle: too many requests");
    const request = await describeRequest(url, init);
    state.requests.push(request);
    return new Response('{"data": [], "has_more": false}', { status: 200, headers: { "content-type": "application/json" } });
  };
}

function newClient(state) {
  const client = new Client({ apiKey: "test-key", baseURL: BASE, maxRetries: 0, timeout: 10000, ...extraOptions, fetch: recordingFetch(state) });
  states.set(client, state);
  return client;
}

function topName(key) {
  return key.split("[")[0];
}

async function bodyBytes(body) {
  if (body == null) return null;
  if (typeof body === "string") return body;
  if (body[Symbol.asyncIterator]) {
    const chunks = [];
    for await (const chunk of body) chunks.push(Buffer.from(typeof chunk === "string" ? chunk : chunk));
    return Buffer.concat(chunks).toString("latin1");
  }
  if (typeof body.arrayBuffer === "function" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || typeof body.getReader === "function") {
    return Buffer.from(await new Response(body).arrayBuffer()).toString("latin1");
  }
  if (body.body) return bodyBytes(body.body); // a wrapper of a stream (openai 4's MultipartBody)
  return String(body);
}

function sortedUnique(names) {
  return [...new Set(names)].sort();
}

async function describeBody(body, contentType) {
  if (body == null) return { kind: "none", keys: [] };
  if (typeof FormData !== "undefined" && body instanceof FormData) return { kind: "multipart", keys: sortedUnique([...body.keys()].map(topName)) };
  const text = await bodyBytes(body);
  if (/multipart\/form-data/i.test(contentType) || /^--/.test(text)) {
    const names = [...text.matchAll(/content-disposition:\s*form-data;\s*name="([^"]*)"/gi)].map((m) => topName(m[1]));
    return { kind: "multipart", keys: sortedUnique(names) };
  }
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return { kind: "json", keys: sortedUnique(Object.keys(value)) };
    return { kind: Array.isArray(value) ? "json-array" : "json-scalar", keys: [] };
  } catch {
    return { kind: "raw", keys: [] };
  }
}

async function describeRequest(url, init) {
  const target = new URL(typeof url === "string" ? url : url.url || String(url));
  const headers = {};
  new Headers(init.headers || {}).forEach((value, name) => { headers[name.toLowerCase()] = value; });
  const pathname = decodeURIComponent(target.pathname);
  return {
    verb: (init.method || "GET").toUpperCase(),
    path: pathname.startsWith("/base") ? pathname.slice("/base".length) : pathname,
    query: sortedUnique([...target.searchParams.keys()].map(topName)),
    body: await describeBody(init.body, headers["content-type"] || ""),
    headers,
  };
}

// Resource instances reachable from a client: [path, instance].
function resources(client) {
  const found = [];
  const seen = new Set();
  const walk = (obj, prefix) => {
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      if (key.startsWith("_") || !value || typeof value !== "object" || seen.has(value) || value._client !== client) continue;
      seen.add(value);
      found.push([[...prefix, key], value]);
      walk(value, [...prefix, key]);
    }
  };
  walk(client, []);
  return found;
}

// Every method on a resource prototype records whether a call reached other resource methods.
function instrument(proto, done) {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (done.has(p)) continue;
    done.add(p);
    for (const name of Object.getOwnPropertyNames(p)) {
      const desc = Object.getOwnPropertyDescriptor(p, name);
      if (name === "constructor" || typeof desc.value !== "function") continue;
      const original = desc.value;
      p[name] = function (...args) {
        const state = this && this._client && states.get(this._client);
        if (state) {
          if (!state.started && this === state.target && name === state.method) state.started = true;
          else if (!(this === state.target && name === state.method)) state.delegated.add(name);
        }
        return original.apply(this, args);
      };
    }
  }
}

function materialize(value) {
  if (Array.isArray(value)) return value.map(materialize);
  if (value && typeof value === "object") {
    if (typeof value.$file === "string") return new File([`contents of ${value.$file}`], value.$file, { type: "text/plain" });
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  }
  return value;
}

function at(obj, keys) {
  return keys.reduce((o, k) => o[k], obj);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(job, baseline) {
  const state = { requests: [], delegated: new Set(), started: false, target: null, method: job.method };
  const client = newClient(state);
  const resource = at(client, job.path);
  state.target = resource;
  let error = null;
  let settled = false;
  try {
    const result = resource[job.method](...job.args.map((a) => (a.kind === "options" ? undefined : materialize(a.value))));
    const promise = Promise.resolve(result).then(() => { settled = true; }, (e) => { settled = true; error = String(e && e.message || e); });
    await Promise.race([promise, sleep(WAIT_MS)]);
    // requests fired without being awaited (a stream runner starts its request on a later tick)
    await sleep(state.requests.length || state.delegated.size ? 10 : 200);
  } catch (e) {
    error = String(e && e.message || e);
  }
  const requests = state.requests.map((r) => ({ ...r, headers: ownHeaders(r.headers, baseline) }));
  const delegated = [...state.delegated].sort();
  let outcome = requests.length === 1 ? "routed" : requests.length ? "several" : "none";
  if (delegated.length) outcome = "delegates";
  else if (!settled && outcome === "routed") outcome = "several"; // still waiting for more
  return { resource: job.path.join("."), source: job.file, class: job.cls, declared_in: job.declaredIn, method: job.method, args: job.args, answer: job.answer, outcome, delegated, error, requests };
}

// The SDK refused the call before sending anything (optional fields that exclude each other, such
// as an account and a zone): from the required fields, add the optional ones one by one, keeping
// each addition it accepts. Null when it accepts none.
async function relaxed(refused, baseline) {
  const job = { path: refused.resource.split("."), file: refused.source, cls: refused.class, method: refused.method, answer: refused.answer, declaredIn: refused.declared_in };
  const pick = (value, keys) => Object.fromEntries(Object.entries(value).filter(([k]) => keys.includes(k)));
  let args = refused.args.map((a) => (a.kind === "object" ? { ...a, value: pick(a.value, a.required) } : a));
  let result = await call({ ...job, args }, baseline);
  for (let i = 0; i < args.length; i++) {
    if (args[i].kind !== "object") continue;
    for (const [key, value] of Object.entries(refused.args[i].value)) {
      if (key in args[i].value) continue;
      const trial = args.map((a, j) => (j === i ? { ...a, value: { ...a.value, [key]: value } } : a));
      const attempt = await call({ ...job, args: trial }, baseline);
      if (attempt.outcome === "none" && attempt.error) continue;
      args = trial;
      result = attempt;
    }
  }
  return result.outcome === "none" && result.error ? null : result;
}

const UNCOMPARED = new Set(["content-type", "content-length", "idempotency-key"]);
const CREDENTIALS = Object.values({ apiKey: "test-key", ...extraOptions }).filter((v) => typeof v === "string" && v.length >= 4);

// The headers a method sends that a bare request does not: not the SDK's telemetry, not the
// body's framing, not the credentials (a method may use another key of the client: an admin key).
function ownHeaders(headers, baseline) {
  const own = {};
  for (const [name, value] of Object.entries(headers)) {
    if (UNCOMPARED.has(name) || name.startsWith("x-stainless-") || baseline[name] === value) continue;
    if (CREDENTIALS.some((c) => value.includes(c))) continue;
    own[name] = value;
  }
  return own;
}

async function baselineHeaders() {
  const state = { requests: [], delegated: new Set(), started: true, target: null, method: null };
  const client = newClient(state);
  await Promise.resolve(client.get("/oracle-baseline")).catch(() => {});
  if (!state.requests.length) throw new Error("the client sent no request for client.get(path)");
  return state.requests[0].headers;
}

async function pool(jobs, worker, size) {
  const results = new Array(jobs.length);
  let next = 0;
  const run = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await worker(jobs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, run));
  return results;
}

async function main() {
  const clientType = clientClassType();
  const probe = newClient({ requests: [], delegated: new Set() });
  const jobs = [];
  const skipped = [];
  const found = []; // every resource instance: its path from the client and its class
  const classes = new Set();
  const done = new Set();
  for (const [keys, instance] of resources(probe)) {
    let type = clientType;
    for (const key of keys) {
      const prop = type && checker.getPropertyOfType(type, key);
      type = prop ? propertyType(prop) : null;
    }
    const decl = type && declarationOf(type);
    if (!decl) { skipped.push(keys.join(".")); continue; }
    const id = `${decl.file}#${decl.name}`;
    found.push({ path: keys.join("."), source: decl.file, class: decl.name });
    if (classes.has(id)) continue;
    classes.add(id);
    instrument(Object.getPrototypeOf(instance), done);
    for (const method of resourceMethods(type)) {
      if (typeof instance[method.name] !== "function") continue;
      jobs.push({ path: keys, file: decl.file, cls: decl.name, method: method.name, args: method.args, answer: method.answer, declaredIn: method.declared_in });
    }
  }
  const baseline = await baselineHeaders();
  const calls = await pool(jobs, (job) => call(job, baseline), CONCURRENCY);
  const refused = calls.map((c, i) => [c, i]).filter(([c]) => c.outcome === "none" && c.error && c.args.some((a) => a.kind === "object"));
  const retried = await pool(refused, ([c]) => relaxed(c, baseline), CONCURRENCY);
  refused.forEach(([, i], k) => { if (retried[k]) calls[i] = retried[k]; });
  const out = JSON.stringify({ client: Client.name, typescript: ts.version, resources: found, undeclared_resources: skipped, calls });
  process.stdout.write(out, () => process.exit(0));
}

process.on("unhandledRejection", () => {});
main().catch((e) => { process.stderr.write(`record_routes: ${e && e.stack || e}\n`); process.exit(1); });
