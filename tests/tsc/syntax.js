#!/usr/bin/env node
// Which declaration files the TypeScript compiler parses without a syntax error.
// Usage: node syntax.js < files.json   (a JSON list of absolute paths)
// Prints JSON: {path: [diagnostic, ...]} with each syntactic diagnostic as "line:col: message"
// (an empty list: the compiler accepts the file's syntax).
"use strict";
const fs = require("fs");
const ts = require("typescript");

const files = JSON.parse(fs.readFileSync(0, "utf8"));
const program = ts.createProgram(files, { noEmit: true, noResolve: true, noLib: true, types: [] });
const result = {};
for (const file of files) {
  const source = program.getSourceFile(file);
  result[file] = program.getSyntacticDiagnostics(source).map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start || 0);
    return `${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}
process.stdout.write(JSON.stringify(result));
