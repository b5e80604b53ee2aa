#!/usr/bin/env node
// Runs every bench/*.bench.ts in turn (or the ones named on the command line:
// `npm run bench -- ingest telegram`) and prints their markdown sections.
// Each benchmark starts what it measures itself; figures are ratios or
// latencies from one run, pasted into docs/BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const wanted = process.argv.slice(2);
const files = readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
if (files.length === 0) {
  console.error("no benchmarks matched", wanted);
  process.exit(1);
}
let failed = 0;
console.log(`# Tillwatch benchmarks — ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}\n`);
for (const f of files) {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join("bench", f)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) {
    failed++;
    console.error(`\n!! ${f} failed (exit ${r.status})\n`);
  }
}
process.exit(failed ? 1 : 0);
