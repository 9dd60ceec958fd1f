import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { addMember, admin, screenshot, seedWorkspace, signIn } from "./helpers";
import { baseURL } from "./playwright.config";

// The lifecycle fixtures (one customer: trial → 2000 on Jun 10 → 6000 on Jun 16 → 4500 with 25 % off on Jun 17 →
// churn on Aug 9), sent signed over HTTP as Stripe would. Specs never open the database.
const LIFECYCLE = path.resolve(import.meta.dirname, "../fixtures/stripe/lifecycle/lifecycle.ndjson");
const ALICE = "cus_TqAlice00000001";
const stripe = new Stripe("sk_test_x");

function lifecycleEvents(): string[] {
  return readFileSync(LIFECYCLE, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

async function seedLifecycle(slug: string) {
  const secret = `whsec_e2e_${slug.replace(/[^a-z0-9]/g, "")}`;
  const out = admin("connect-stripe", "--workspace", slug, "--webhook-secret", secret) as { webhookPath: string };
  for (const payload of lifecycleEvents()) {
    // Sign at send time: the signature's timestamp must be within Stripe's 300 s tolerance.
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const res = await fetch(`${baseURL}${out.webhookPath}`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": header },
      body: payload,
    });
    expect(res.status, await res.text()).toBe(200);
  }
}

test("[FINANCE] a finance member reads the overview and finance page, drills from June expansion to the customer and its event, and exports CSV", async ({
  page,
}) => {
  const ws = seedWorkspace("fin");
  await seedLifecycle(ws.slug);
  const cfo = addMember(ws.slug, "finance");
  await signIn(page, cfo.email, cfo.password);

  // Overview: finance tiles only (a finance member sees no marketing or success tiles).
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("tile-mrr")).toBeVisible();
  await expect(page.getByTestId("tile-nrr")).toBeVisible();
  await expect(page.getByTestId("tile-signups")).toHaveCount(0);
  await expect(page.getByTestId("tile-nps")).toHaveCount(0);
  await screenshot(page, "finance-overview");

  // Finance page, June 2026 to the end of August, by month.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-08-31`);
  await expect(page.getByTestId("finance-title")).toBeVisible();
  await expect(page.getByTestId("mv-2026-06-01-new")).toHaveText("+$20.00");
  await expect(page.getByTestId("mv-2026-06-01-expansion")).toHaveText("+$40.00");
  await expect(page.getByTestId("mv-2026-06-01-contraction")).toHaveText("-$15.00");
  await expect(page.getByTestId("mv-2026-06-01-end")).toHaveText("$45.00");
  await expect(page.getByTestId("mv-2026-08-01-churn")).toHaveText("-$45.00");
  await expect(page.getByTestId("mv-2026-08-01-end")).toHaveText("$0.00");
  await expect(page.locator("[data-testid=chart-movements] svg.recharts-surface").first()).toBeVisible();
  await expect(page.locator("[data-testid=chart-mrr] svg.recharts-surface").first()).toBeVisible();
  // Chart colours survived Tailwind's purge: the area fill is a colour, not black.
  const fill = await page
    .locator("[data-testid=chart-mrr] .recharts-area-area")
    .first()
    .evaluate((el) => getComputedStyle(el).fill);
  expect(fill).not.toMatch(/^(rgb\(0, 0, 0\)|#000000|none)$/);
  await screenshot(page, "finance-page");

  // Change the range and the interval through the controls; the state lands in the URL.
  await page.getByTestId("control-from").fill("2026-06-01");
  await page.getByTestId("control-to").fill("2026-06-20");
  await page.getByTestId("control-interval").selectOption("week");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(/interval=week/);
  await expect(page).toHaveURL(/to=2026-06-20/);
  await expect(page.getByTestId("kpi-mrr-value")).toHaveText("$45.00");
  // A currency filter keeps the usd customer: the numbers stay, and the filter lands in the URL.
  await page.getByTestId("control-currency").selectOption("usd");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(/currency=usd/);
  await expect(page.getByTestId("kpi-mrr-value")).toHaveText("$45.00");

  // Drill from the June expansion to the customer and the event behind it.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-08-31`);
  await page.getByTestId("mv-2026-06-01-expansion").getByRole("link").click();
  await expect(page).toHaveURL(/\/finance\/movements\?.*kind=expansion/);
  await expect(page.getByTestId("movements-summary")).toContainText("1 movement");
  await expect(page.getByTestId(`movement-${ALICE}-2026-06-16`)).toContainText("+$40.00");
  await screenshot(page, "finance-movements");
  await page.getByTestId(`movement-${ALICE}-2026-06-16`).getByTestId("movement-customer").click();
  await expect(page).toHaveURL(new RegExp(`/customers/${ALICE}`));
  await expect(page.getByTestId("ledger-2026-06-16")).toContainText("Expansion");
  await expect(page.locator("[data-testid=customer-mrr-chart] svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("event-evt_TqLifecycle000015")).toContainText("customer.subscription.updated");
  await expect(page.getByTestId("event-evt_TqLifecycle000015")).toContainText("applied");
  await screenshot(page, "finance-customer");

  // CSV export of the June movements: one row per movement, amounts in major units.
  const res = await page.request.get(`/w/${ws.slug}/finance/export?type=movements&from=2026-06-01&to=2026-06-30`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  const lines = (await res.text()).trim().split(/\r?\n/);
  expect(lines[0]).toContain("customer_id");
  expect(lines.slice(1).map((l) => l.split(",").slice(3, 5).join(","))).toEqual([
    "2026-06-17,contraction",
    "2026-06-16,expansion",
    "2026-06-10,new",
  ]);
  expect(lines.find((l) => l.includes("expansion"))).toContain("40.00");
  expect(lines.find((l) => l.includes("expansion"))).toContain("evt_TqLifecycle000015");
});

test("[FINANCE] a marketing member gets no access on the finance page and its export", async ({ page }) => {
  const ws = seedWorkspace("finmkt");
  const marketer = addMember(ws.slug, "marketing");
  await signIn(page, marketer.email, marketer.password);
  await page.goto(`/w/${ws.slug}/finance`);
  await expect(page).toHaveURL(/\/no-access/);
  await expect(page.getByTestId("no-access")).toContainText("Marketing");
  const res = await page.request.get(`/w/${ws.slug}/finance/export?type=periods`);
  expect(res.status()).toBe(403);
  await screenshot(page, "finance-no-access");
});

test("[FINANCE] a stranger gets 404 on another workspace's finance export", async ({ page }) => {
  const mine = seedWorkspace("finmine");
  const theirs = seedWorkspace("fintheirs");
  await signIn(page, mine.ownerEmail, mine.password);
  const res = await page.request.get(`/w/${theirs.slug}/finance/export?type=movements`);
  expect(res.status()).toBe(404);
});
