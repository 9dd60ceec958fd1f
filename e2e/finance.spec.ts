import path from "node:path";
import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import {
  addMember,
  admin,
  lifecycleCustomerUpdate,
  lifecycleSecondCustomer,
  screenshot,
  seedLifecycle,
  seedWorkspace,
  signIn,
} from "./helpers";

// The lifecycle fixtures (one customer: trial → 2000 on Jun 10 → 6000 on Jun 16 → 4500 with 25 % off on Jun 17 →
// churn on Aug 9), sent signed over HTTP as Stripe would. Specs never open the database.
const ALICE = "cus_TqAlice00000001";

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

test("[FINANCE] a finance member filters by country: Germany holds the whole $45.00, France nothing, and the country opens its customers", async ({
  page,
}) => {
  // The lifecycle's customer gives a German billing address the day after it is created.
  const ws = seedWorkspace("fincountry");
  await seedLifecycle(ws.slug, [lifecycleCustomerUpdate("DE")]);
  const cfo = addMember(ws.slug, "finance");
  await signIn(page, cfo.email, cfo.password);

  // June 1–20: Alice pays 4500 (3 seats × $20.00, 25 % off); MRR by country is Germany, 1 customer, $45.00.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-06-20`);
  await expect(page.getByTestId("kpi-mrr-value")).toHaveText("$45.00");
  const byCountry = page.getByTestId("by-country");
  await expect(byCountry).toContainText("Germany (DE) (1)");
  await expect(byCountry).toContainText("$45.00");
  await expect(page.getByTestId("control-country").locator("option")).toHaveText(["All countries", "Germany (DE)"]);

  // The country filter, through the keyboard-reachable select, combines with the currency filter; both land in
  // the URL and the numbers stay: the one customer is in Germany and pays in usd.
  await page.getByTestId("control-country").selectOption("DE");
  await page.getByTestId("control-currency").selectOption("usd");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(/country=DE/);
  await expect(page).toHaveURL(/currency=usd/);
  await expect(page.getByTestId("kpi-mrr-value")).toHaveText("$45.00");
  await expect(page.getByTestId("kpi-payingCustomers-value")).toHaveText("1");
  await expect(page.getByTestId("mv-2026-06-01-new")).toHaveText("+$20.00");
  await expect(page.getByTestId("mv-2026-06-01-expansion")).toHaveText("+$40.00");
  await expect(page.getByTestId("mv-2026-06-01-contraction")).toHaveText("-$15.00");
  await expect(page.getByTestId("control-country")).toHaveValue("DE");
  await screenshot(page, "finance-country");

  // France: nobody. MRR $0.00, no movements, and the breakdown says so.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-06-20&country=FR`);
  await expect(page.getByTestId("kpi-mrr-value")).toHaveText("$0.00");
  await expect(page.getByTestId("kpi-payingCustomers-value")).toHaveText("0");
  await expect(page.getByTestId("mv-2026-06-01-new")).toHaveText("$0.00");
  await expect(page.getByTestId("by-country-empty")).toContainText("No paying customers");

  // Drill from the Germany bar to its customers: Alice, $45.00, DE; the CSV has the country column.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-06-20`);
  await page
    .getByTestId("by-country")
    .getByRole("link", { name: /Germany/ })
    .click();
  await expect(page).toHaveURL(/\/customers\?.*country=DE/);
  await expect(page.getByTestId("customers-title")).toContainText("Germany (DE)");
  await expect(page.getByTestId("customers-summary")).toHaveText("1 customers, $45.00 MRR");
  await expect(page.getByTestId(`customer-row-${ALICE}`)).toContainText("DE");
  const res = await page.request.get(`/w/${ws.slug}/finance/export?type=customers&asOf=2026-06-20&country=DE`);
  expect(res.status()).toBe(200);
  const csv = Papa.parse<Record<string, string>>(await res.text(), { header: true, skipEmptyLines: true }).data;
  expect(csv.map((r) => [r.customer_id, r.country, r.mrr])).toEqual([[ALICE, "DE", "45.00"]]);
});

test("[FINANCE] on a generated business, MRR by country adds up to the MRR tile and a country's customers to its bar", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const ws = seedWorkspace("fingeo");
  admin(
    "generate",
    "--workspace",
    ws.slug,
    "--customers",
    "30",
    "--months",
    "6",
    "--seed",
    "geo",
    "--end-date",
    "2026-06-30",
  );
  const cfo = addMember(ws.slug, "finance");
  await signIn(page, cfo.email, cfo.password);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/w/${ws.slug}/finance?from=2026-01-01&to=2026-06-30`);
  const cents = (t: string) => Math.round(Number(t.replace(/[^0-9.-]/g, "")) * 100);
  const mrr = cents(await page.getByTestId("kpi-mrr-value").innerText());
  expect(mrr).toBeGreaterThan(0);
  const rows = page.getByTestId("by-country").locator("a");
  const bars = await rows.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, text: a.textContent! })));
  expect(bars.length).toBeGreaterThan(2);
  const values = await page.getByTestId("by-country").locator("p").allInnerTexts();
  const amounts = values.filter((v) => /^\$/.test(v.trim())).map(cents);
  expect(amounts.reduce((a, b) => a + b, 0)).toBe(mrr);
  const section = page.getByRole("region", { name: "Revenue breakdown" });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.resolve(import.meta.dirname, "screenshots", "finance-by-country.png"),
    clip: (await section.boundingBox())!,
  });

  // The first (largest) country's customers add up to its bar.
  await page.goto(bars[0]!.href);
  const summary = await page.getByTestId("customers-summary").innerText();
  expect(cents(/, (.*) MRR$/.exec(summary)![1]!)).toBe(amounts[0]);
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

test("[FINANCE] a finance member previews discounts ignored, saves, and June loses its contraction: it ends at $60.00", async ({
  page,
}) => {
  const ws = seedWorkspace("pol");
  await seedLifecycle(ws.slug);
  const cfo = addMember(ws.slug, "finance");
  await signIn(page, cfo.email, cfo.password);

  await page.goto(`/w/${ws.slug}/settings/metrics`);
  await expect(page.getByTestId("policies-title")).toBeVisible();
  await page.getByTestId("policy-input-discounts").selectOption("ignored");
  await page.getByTestId("preview-policies").click();
  await expect(page).toHaveURL(/preview=1/);
  // The preview streams in after the form. Today Alice has churned (Aug 9): MRR stays $0.00, and August's churn
  // is the list price, 3 seats × $20.00, instead of $45.00 with 25 % off.
  await expect(page.getByTestId("policy-preview")).toBeVisible();
  await expect(page.getByTestId("preview-mrr")).toContainText("$0.00 → $0.00");
  await expect(page.getByTestId("preview-movements")).toContainText("-$45.00 → -$60.00");
  await screenshot(page, "policies-preview");
  await page.getByRole("button", { name: "Save and rebuild history" }).click();
  await expect(page.getByTestId("save-policies-form")).toContainText(
    "Saved. Every number now follows the new policies.",
  );

  // The finance page under the saved policy: June +$20.00 new, +$40.00 expansion, no contraction, ends at $60.00;
  // August churns $60.00. The policy is shown beside the numbers.
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-08-31`);
  await expect(page.getByTestId("mv-2026-06-01-new")).toHaveText("+$20.00");
  await expect(page.getByTestId("mv-2026-06-01-expansion")).toHaveText("+$40.00");
  await expect(page.getByTestId("mv-2026-06-01-contraction")).toHaveText("$0.00");
  await expect(page.getByTestId("mv-2026-06-01-end")).toHaveText("$60.00");
  await expect(page.getByTestId("mv-2026-08-01-churn")).toHaveText("-$60.00");
  await page.getByTestId("policy-note").locator("summary").click();
  await expect(page.getByTestId("policy-discounts")).toHaveText("ignored");
});

test("[FINANCE] above the background threshold a saved policy is applied as a job the page follows; then June ends at $60.00", async ({
  page,
}) => {
  // Two customers: above the e2e server's POLICY_BACKGROUND_ABOVE of 1, as a workspace above 2000 is by default.
  const ws = seedWorkspace("polbg");
  await seedLifecycle(ws.slug, [lifecycleSecondCustomer()]);
  const cfo = addMember(ws.slug, "finance");
  await signIn(page, cfo.email, cfo.password);

  await page.goto(`/w/${ws.slug}/settings/metrics?preview=1&discounts=ignored`);
  await expect(page.getByTestId("policy-preview")).toBeVisible();
  await page.getByRole("button", { name: "Save and rebuild history" }).click();
  await expect(page.getByTestId("save-policies-form")).toContainText(
    "Saved. The MRR history is being recomputed under the new policies",
  );
  await screenshot(page, "policies-saved-background");
  // The page refreshes itself while the change is pending and drops the notice once it is in force.
  await expect(page.getByTestId("policy-change-pending")).toHaveCount(0, { timeout: 30_000 });
  await page.goto(`/w/${ws.slug}/finance?from=2026-06-01&to=2026-06-30`);
  await expect(page.getByTestId("mv-2026-06-01-contraction")).toHaveText("$0.00");
  await expect(page.getByTestId("mv-2026-06-01-end")).toHaveText("$60.00");
  await page.getByTestId("policy-note").locator("summary").click();
  await expect(page.getByTestId("policy-discounts")).toHaveText("ignored");
});
