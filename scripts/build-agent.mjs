#!/usr/bin/env node
// `npm run agent:build`: the agent as ONE file for a cash server that has
// plain Node >= 20 and nothing else — no npm, no node_modules, often no
// internet to fetch them. Everything the agent imports (zod, ws,
// fast-xml-parser, the contract's schemas in src/protocol) is inlined.
//
//   node scripts/build-agent.mjs [--outfile <path>]   (default dist/agent/tillwatch-agent.cjs)
//
// CommonJS rather than ESM: `ws` loads its optional native helpers
// (bufferutil, utf-8-validate) with a guarded require(), which only keeps
// working in a CommonJS bundle; an ESM bundle would turn it into a throwing
// shim. The file name ends in .cjs so Node treats it as CommonJS wherever it
// is copied, whatever package.json (if any) sits beside it.
import { build } from "esbuild";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const at = args.indexOf("--outfile");
const outfile = path.resolve(at === -1 ? path.join(root, "dist/agent/tillwatch-agent.cjs") : args[at + 1] ?? "");
if (at !== -1 && !args[at + 1]) {
  console.error("--outfile needs a path");
  process.exit(2);
}

/**
 * zod's `z` namespace re-exports every locale (~360 KiB of the bundle, ~4 MB
 * of the agent's memory), and the agent only ever speaks English to its log:
 * its barrel is replaced by English alone. Should zod move the barrel, this
 * stops matching and the bundle is merely bigger.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: path.join(a.resolveDir, "../locales/index.js"), namespace: "zod-english-only" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (a) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: path.dirname(a.path) }));
  },
};

const version = /AGENT_VERSION = "([^"]+)"/.exec(readFileSync(path.join(root, "agent/src/version.ts"), "utf8"))?.[1] ?? "?";

const result = await build({
  entryPoints: [path.join(root, "agent/src/main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  // The oldest Node the agent supports; esbuild lowers nothing it does not have to.
  target: "node20",
  // Not installed here and optional in ws: leave the require() for a site that has them.
  external: ["bufferutil", "utf-8-validate"],
  banner: { js: `#!/usr/bin/env node\n// Tillwatch agent ${version} — one-file build (scripts/build-agent.mjs). Run: node tillwatch-agent.cjs --help` },
  legalComments: "eof",
  // Readable stack traces from a dealer's log are worth more than the ~40% a minifier saves.
  minify: false,
  sourcemap: false,
  logLevel: "warning",
  plugins: [zodEnglishOnly],
});
if (result.errors.length > 0) process.exit(1);

const kib = (statSync(outfile).size / 1024).toFixed(0);
console.log(`built ${path.relative(process.cwd(), outfile) || outfile} (${kib} KiB, agent ${version}); run it with: node ${path.basename(outfile)} --help`);
