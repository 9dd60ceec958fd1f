// `npm run demo`: a working Northstar on the embedded database in one command. Builds when needed, migrates,
// loads the demo workspace once (later runs reuse it), starts the server on :3000 and prints one login per role.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensureDemoWorkspace, DEMO_LOGINS } from "@/lib/demo/seed";

const root = process.cwd();
const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
const port = process.env.PORT ?? "3000";
fs.mkdirSync(dataDir, { recursive: true });

/** Secrets the production server requires, generated once and kept (0600) beside the demo data. */
function demoSecrets(): { AUTH_SECRET: string; ENCRYPTION_KEY: string } {
  const file = path.join(dataDir, "demo-secrets.json");
  if (!fs.existsSync(file)) {
    const secrets = {
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    };
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as { AUTH_SECRET: string; ENCRYPTION_KEY: string };
}

/** Builds unless .next holds a build of exactly this source tree. */
function buildIfNeeded() {
  const stamp = path.join(root, ".next", "northstar-source");
  let source = "unknown";
  try {
    source = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim();
    if (dirty) source += `+${Buffer.from(dirty).toString("base64").slice(0, 40)}-${Date.now()}`;
  } catch {
    source = `nogit-${Date.now()}`;
  }
  if (
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === source
  ) {
    process.stderr.write("demo: reusing the existing production build\n");
    return;
  }
  process.stderr.write("demo: building (next build)…\n");
  execFileSync(path.join(root, "node_modules/.bin/next"), ["build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  fs.writeFileSync(stamp, source);
}

async function main() {
  const secrets = demoSecrets();
  const env = {
    ...process.env,
    ...secrets,
    DATA_DIR: dataDir,
    PORT: port,
    APP_URL: process.env.APP_URL ?? `http://localhost:${port}`,
    AUTH_TRUST_HOST: "true",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  } as NodeJS.ProcessEnv;
  Object.assign(process.env, env);
  buildIfNeeded();
  await ensureDemoWorkspace({ log: (line) => process.stderr.write(`demo: ${line}\n`) });

  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", port], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.kill(sig));
  const url = env.APP_URL!;
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const lines = [
    "",
    `Northstar is running at ${url}`,
    "Sign in as any role (workspace “Acme Analytics”):",
    ...DEMO_LOGINS.map((l) => `  ${l.role.padEnd(9)} ${l.email.padEnd(28)} ${l.password}`),
    "Stop with Ctrl+C. `npm run demo` again reuses the data in .data/.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(2);
});
