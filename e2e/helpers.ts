import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import Stripe from "stripe";
import { baseURL, e2eEnv } from "./playwright.config";

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

const stripe = new Stripe("sk_test_x");

/**
 * Connects Stripe with the CLI and sends the lifecycle fixtures as signed webhooks, as Stripe would, then the
 * `extra` events (e.g. a customer.updated that gives the lifecycle's customer an address).
 */
export async function seedLifecycle(slug: string, extra: Record<string, unknown>[] = []) {
  const secret = `whsec_e2e_${slug.replace(/[^a-z0-9]/g, "")}`;
  const out = admin("connect-stripe", "--workspace", slug, "--webhook-secret", secret) as { webhookPath: string };
  const file = path.join(root, "fixtures/stripe/lifecycle/lifecycle.ndjson");
  for (const payload of [
    ...readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== ""),
    ...extra.map((e) => JSON.stringify(e)),
  ]) {
    // Sign at send time: the signature's timestamp must be within Stripe's 300 s tolerance.
    const send = () =>
      fetch(`${baseURL}${out.webhookPath}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }),
        },
        body: payload,
      });
    // The admin CLI above blocks this process for seconds, long enough for the server to close the idle
    // keep-alive socket that fetch then reuses ("other side closed"). Resending is what Stripe does, and a
    // delivered event is answered 200 again as a duplicate.
    const res = await send().catch(send);
    expect(res.status, await res.text()).toBe(200);
  }
}

/** Posts marketing or CS events through the ingest API with a fresh ingest:write token. */
export async function sendEvents(slug: string, events: Record<string, unknown>[]) {
  const { apiKey } = admin("create-api-key", "--workspace", slug, "--scopes", "ingest:write") as {
    apiKey: { token: string };
  };
  const res = await fetch(`${baseURL}/api/v1/workspaces/${slug}/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey.token}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/**
 * Lifecycle event 07 (customer.created) as a customer.updated one day later (2026-05-28 09:00 UTC), with the
 * billing address in `country`: the lifecycle's customer moves there.
 */
export function lifecycleCustomerUpdate(country: string): Record<string, unknown> {
  const created = JSON.parse(
    readFileSync(path.join(root, "fixtures/stripe/lifecycle/07_customer.created.json"), "utf8"),
  ) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  const address = { city: null, country, line1: null, line2: null, postal_code: null, state: null };
  return {
    ...created,
    id: `evt_TqAddress${country}000001`,
    type: "customer.updated",
    created: 1779958800,
    data: {
      object: { ...created.data.object, address },
      previous_attributes: { address: created.data.object.address },
    },
  };
}

/** Lifecycle event 07 (customer.created) for a second customer, Bob, who never subscribes. */
export function lifecycleSecondCustomer(): Record<string, unknown> {
  const created = JSON.parse(
    readFileSync(path.join(root, "fixtures/stripe/lifecycle/07_customer.created.json"), "utf8"),
  ) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  return {
    ...created,
    id: "evt_TqSecondCustomer01",
    data: { object: { ...created.data.object, id: "cus_TqBob0000000001", email: "bob@example.com", name: "Bob" } },
  };
}
