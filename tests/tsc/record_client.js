#!/usr/bin/env node
// The client oracle: what an SDK's own root client does with its options and environment.
// Usage: node record_client.js MODULE CLASS_NAME CASES_JSON
//   MODULE: the .js file that exports the client class (index.js, client.js);
//   CASES_JSON: a list of {env: {NAME: value}, clear: [NAME...], options: {...}}; for each case the
//   variables in `clear` are removed from process.env, `env` is set, the client is built with
//   `options` and a recording `fetch`, and one GET /probe is sent through `client.get`.
// Prints JSON: per case {error} when the constructor throws, else {requestError (null when the
// request went out), url, headers (names lower-cased), timeout, maxRetries, baseURL,
// idempotencyHeader, props: {option: this[option]}}.
"use strict";
const path = require("path");

const [modulePath, className, casesJson] = process.argv.slice(2);
const mod = require(path.resolve(modulePath));
const Client = mod[className] || mod.default;
if (typeof Client !== "function") throw new Error(`${modulePath}: no class ${className}`);

function recordingFetch(seen) {
  return async (url, init = {}) => {
    seen.url = typeof url === "string" ? url : url.url || String(url);
    seen.headers = {};
    for (const [name, value] of new Headers(init.headers || {}).entries()) seen.headers[name.toLowerCase()] = value;
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
}

async function run(testCase) {
  for (const name of testCase.clear || []) delete process.env[name];
  Object.assign(process.env, testCase.env || {});
  const seen = {};
  let client;
  try {
    client = new Client({ maxRetries: 0, ...testCase.options, fetch: recordingFetch(seen) });
  } catch (err) {
    return { error: String(err && err.message ? err.message : err) };
  }
  const props = {};
  for (const name of testCase.props || []) props[name] = client[name] === undefined ? null : client[name];
  const built = new Client({ ...testCase.options, fetch: recordingFetch({}) }); // without the maxRetries given above
  let requestError = null;
  try {
    await client.get("/probe");
  } catch (err) {
    requestError = String(err && err.message ? err.message : err);
  }
  return {
    requestError,
    url: seen.url,
    headers: seen.headers,
    timeout: built.timeout,
    maxRetries: built.maxRetries,
    baseURL: built.baseURL,
    idempotencyHeader: built.idempotencyHeader === undefined ? null : built.idempotencyHeader,
    props,
  };
}

(async () => {
  const results = [];
  for (const testCase of JSON.parse(casesJson)) results.push(await run(testCase));
  process.stdout.write(JSON.stringify(results));
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
