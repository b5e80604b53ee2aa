/**
 * `tillwatch-agent` / `npm run agent -- …`: reads the configuration (flags,
 * TILLWATCH_* environment, JSON file), starts the agent and stops it cleanly
 * on Ctrl-C or a service stop. Exit codes: 0 stopped, 1 crashed, 2 bad config.
 */
import { Agent } from "./agent";
import { ConfigError, helpText, loadConfig, parseArgs } from "./config/config";
import { SECRET_KEYS } from "./config/options";
import { addSecret, createLogger, redact } from "./log";
import { AGENT_VERSION } from "./version";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (parsed.kind === "help") {
    process.stdout.write(helpText());
    return 0;
  }
  if (parsed.kind === "version") {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  // Mask secrets before anything can print them, even in a config error.
  for (const k of SECRET_KEYS) addSecret(parsed.values[k]);
  let config;
  try {
    config = loadConfig(parsed.values);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n\nSee --help.\n`);
      return 2;
    }
    throw e;
  }
  for (const k of SECRET_KEYS) addSecret((config as unknown as Record<string, string | undefined>)[k]);
  const log = createLogger({ level: config.logLevel, file: config.logFile });
  const agent = await Agent.start({ config, log });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info("stopping", { signal });
      const force = setTimeout(() => {
        log.error("did not stop within 15 s; exiting");
        process.exit(1);
      }, 15_000);
      force.unref();
      void agent.stop().then(resolve, (e) => {
        log.error("error while stopping", { error: e });
        resolve();
      });
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    // Windows service wrappers (NSSM) send Ctrl-Break.
    process.on("SIGBREAK", () => stop("SIGBREAK"));
  });
  log.info("stopped");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(redact(`tillwatch agent crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    process.exit(1);
  },
);
