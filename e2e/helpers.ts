import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { e2eEnv } from "./playwright.config";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Runs the admin CLI as an operator would. The server holds the embedded database, so the CLI goes through the
 * server's admin route: specs never open the database themselves.
 */
export function admin(...args: string[]): Record<string, unknown> {
  const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/admin.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...e2eEnv, NODE_ENV: "production" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out) as Record<string, unknown>;
}

let seq = 0;
/** A fresh workspace with an owner, unique per call. */
export function seedWorkspace(prefix: string) {
  const slug = `${prefix}-${Date.now().toString(36)}-${seq++}`;
  const ownerEmail = `owner-${slug}@example.test`;
  const password = "correct-horse-battery";
  admin(
    "create-workspace",
    "--name",
    `Workspace ${slug}`,
    "--slug",
    slug,
    "--owner-email",
    ownerEmail,
    "--owner-password",
    password,
  );
  return { slug, ownerEmail, password };
}

export function addMember(slug: string, role: string) {
  const email = `${role}-${slug}@example.test`;
  const password = "correct-horse-battery";
  admin("add-member", "--workspace", slug, "--email", email, "--role", role, "--password", password);
  return { email, password };
}

export async function signIn(page: Page, email: string, password: string, next?: string) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(root, "e2e/screenshots", `${name}.png`), fullPage: true });
}
