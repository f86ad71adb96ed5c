#!/usr/bin/env node
// The page oracle: what an SDK's own page class asks for after a page.
// Usage: node record_pages.js MODULE CLASS_NAME CASES_JSON
//   MODULE: the .js file exporting the page class (pagination.js, core/pagination.js);
//   CASES_JSON: a list of {body, query, headers}: the response body and headers of a page and the
//   query of the request that fetched it (null: a request without a query).
// Prints JSON: per case the query of the next request, or null when `hasNextPage()` says there
// is none. The next request is what `getNextPage()` would send: `nextPageRequestOptions()`, or
// for older SDKs `nextPageInfo()` merged into the current options as `getNextPage()` merges it.
"use strict";
const path = require("path");

const [modulePath, className, casesJson] = process.argv.slice(2);
const Page = require(path.resolve(modulePath))[className];
if (typeof Page !== "function") throw new Error(`${modulePath}: no class ${className}`);

function nextQuery(page) {
  if (!page.hasNextPage()) return null;
  if (typeof page.nextPageRequestOptions === "function") {
    const options = page.nextPageRequestOptions();
    return options ? options.query || {} : null;
  }
  const info = page.nextPageInfo();
  if (!info) return null;
  if (!("params" in info)) throw new Error("a next page URL: not recorded");
  return { ...(page.options.query || {}), ...info.params };
}

const results = [];
for (const { body, query, headers } of JSON.parse(casesJson)) {
  const options = { method: "get", path: "/items", ...(query === null ? {} : { query }) };
  const page = new Page({}, new Response("{}", { headers: headers || {} }), body, options);
  results.push(nextQuery(page));
}
process.stdout.write(JSON.stringify(results));
