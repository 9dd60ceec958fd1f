import { defineConfig } from "@playwright/test";

// Drives the production build (`next build` runs first, in scripts/test.sh) in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3200);
export const baseURL = `http://127.0.0.1:${port}`;
export const e2eEnv = {
  AUTH_SECRET: "e2e-auth-secret-not-for-production-000000",
  AUTH_TRUST_HOST: "true",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  DATA_DIR: ".data/e2e",
  APP_URL: baseURL,
  PORT: String(port),
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  // A workspace of two customers or more applies a policy change in the background, as a large one would.
  POLICY_BACKGROUND_ABOVE: "1",
};

export default defineConfig({
  testDir: ".",
  outputDir: "../test-results",
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // A scratch embedded database for each run; specs seed what they need through the admin CLI.
    command: `rm -rf .data/e2e && node_modules/.bin/next start -H 127.0.0.1 -p ${port}`,
    cwd: "..",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: e2eEnv,
    stdout: "ignore",
    stderr: "pipe",
  },
});
