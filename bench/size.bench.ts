/**
 * How big the deployed Worker is: `wrangler deploy --dry-run` bundles
 * offline exactly what would be uploaded. Cloudflare's limit for a Worker
 * is 3 MiB compressed on the free plan (10 MiB paid); the size also drives
 * cold-start time, so it is watched like a latency.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./lib/worker";

const FREE_PLAN_LIMIT = 3 * 1024 * 1024;

const out = mkdtempSync(path.join(tmpdir(), "tillwatch-bundle-"));
try {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
  const files = readdirSync(out, { recursive: true })
    .map(String)
    .filter((f) => statSync(path.join(out, f)).isFile() && !f.endsWith(".map"));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(out, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`## Worker size

\`npm run bench -- size\` — \`wrangler deploy --dry-run --outdir …\` (offline bundle of src/index.ts: Hono, grammY, drizzle, zod, the domain, the admin page)

| measure | value |
|---|---|
| bundle (${files.length} file${files.length === 1 ? "" : "s"}) | ${kib(raw)} |
| gzip -9 | ${kib(gz)} (${((gz / FREE_PLAN_LIMIT) * 100).toFixed(1)}% of the 3 MiB free-plan limit) |
`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
