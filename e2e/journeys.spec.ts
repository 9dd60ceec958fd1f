import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import Papa from "papaparse";
import Stripe from "stripe";
import { addMember, admin, screenshot, seedWorkspace, signIn } from "./helpers";
import { baseURL } from "./playwright.config";

// End-to-end journeys, one per role, over one workspace filled by the synthetic business generator (fixed seed and
// end date, so every run sees the same history). The generator goes through the admin CLI and the real ingestion
// path; specs never open the database.
const END = "2026-11-30";
const FROM = "2025-12-01"; // the 12 months ending on END
const LAST_MONTH = "2026-11-01";
const KINDS = ["new", "expansion", "reactivation", "contraction", "churn"] as const;
const KIND_LABEL: Record<string, string> = {
  new: "New",
  expansion: "Expansion",
  reactivation: "Reactivation",
  contraction: "Contraction",
  churn: "Churn",
};
const stripe = new Stripe("sk_test_x");

type Login = { email: string; password: string };
let ws: { slug: string; ownerEmail: string; password: string };
const members: Record<string, Login> = {};

test.use({ viewport: { width: 1280, height: 800 } });

test.beforeAll(async () => {
  // 40 customers over 12 months: a few hundred Stripe events and a few thousand ingest events, ~10–30 s to load.
  test.setTimeout(180_000);
  ws = seedWorkspace("journeys");
  const out = admin(
    "generate",
    "--workspace",
    ws.slug,
    "--customers",
    "40",
    "--months",
    "12",
    "--seed",
    "journeys",
    "--end-date",
    END,
  ) as { events: number; ingest: number };
  expect(out.events).toBeGreaterThan(100);
  expect(out.ingest).toBeGreaterThan(100);
  for (const role of ["finance", "marketing", "success", "admin", "viewer"]) members[role] = addMember(ws.slug, role);
});

/** "$1,234.56", "+$40.00", "-$15.00" → minor units (usd, two decimals). */
function parseMoney(text: string): number {
  const t = text.trim().replace(/[−–]/g, "-");
  const m = /^([+-])?\$([\d,]+)\.(\d{2})$/.exec(t);
  if (!m) throw new Error(`not a usd amount: ${JSON.stringify(text)}`);
  const minor = Number(m[2]!.replace(/,/g, "")) * 100 + Number(m[3]);
  return m[1] === "-" ? -minor : minor;
}

/** "40.00", "-15.00" (CSV, major units) → minor units. */
function parseDecimal(text: string): number {
  const m = /^(-)?(\d+)\.(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const minor = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -minor : minor;
}

/** Every chart on the page has drawn and its shapes stopped moving (Recharts animates on mount). */
async function chartsSettled(page: Page, charts: string[]) {
  for (const id of charts) await expect(page.locator(`[data-testid=${id}] svg.recharts-surface`).first()).toBeVisible();
  const shapes = () =>
    page
      .locator("svg.recharts-surface path, svg.recharts-surface rect")
      .evaluateAll((els) => els.map((e) => `${e.getAttribute("d")}|${e.getAttribute("height")}`).join(";"));
  let last = "";
  await expect
    .poll(
      async () => {
        const now = await shapes();
        const stable = now === last;
        last = now;
        return stable;
      },
      { intervals: [300], timeout: 10_000 },
    )
    .toBe(true);
}

/**
 * A README-sized shot, 1280 wide and at most 900 tall: the viewport, or the part of the page from `top` down.
 */
async function readmeShot(page: Page, name: string, top?: Locator) {
  const file = path.resolve(import.meta.dirname, "screenshots", `${name}.png`);
  if (!top) return void (await page.screenshot({ path: file }));
  const y = await top.evaluate((el) => Math.max(0, el.getBoundingClientRect().top + window.scrollY - 16));
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: 0, y, width: 1280, height: Math.min(900, pageHeight - y) },
  });
}

function nav(page: Page): Locator {
  return page.getByRole("navigation", { name: "Workspace" });
}

test("[CFO] reviews the month: overview → finance → drill-down → customer → CSV, and the read API agrees", async ({
  page,
}) => {
  const cfo = members.finance!;
  await signIn(page, cfo.email, cfo.password);

  // Overview: finance tiles only.
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("current-role")).toHaveText("Finance");
  await expect(page.getByTestId("tile-mrr-value")).toHaveText(/^\$[\d,]+\.\d{2}$/);
  await expect(page.getByTestId("tile-nrr")).toBeVisible();
  await expect(page.getByTestId("tile-signups")).toHaveCount(0);
  await screenshot(page, "cfo-overview");

  // Finance: the 12 generated months, chosen through the range controls.
  await nav(page).getByRole("link", { name: "Finance", exact: true }).click();
  await expect(page.getByTestId("finance-title")).toBeVisible();
  await page.getByTestId("control-from").fill(FROM);
  await page.getByTestId("control-to").fill(END);
  await page.getByTestId("control-interval").selectOption("month");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(new RegExp(`to=${END}`));
  await expect(page).toHaveURL(new RegExp(`from=${FROM}`));
  await expect(page.getByTestId(`movements-row-${LAST_MONTH}`)).toBeVisible();
  await chartsSettled(page, ["chart-mrr", "chart-movements"]);
  const shownMrr = parseMoney(await page.getByTestId("kpi-mrr-value").innerText());
  expect(shownMrr).toBeGreaterThan(0);
  // The headline MRR is the last period's end MRR in the table.
  expect(parseMoney(await page.getByTestId(`mv-${LAST_MONTH}-end`).innerText())).toBe(shownMrr);
  await screenshot(page, "cfo-finance");
  await readmeShot(page, "readme-finance", page.locator("section").filter({ has: page.getByTestId("chart-mrr") }));

  // The read API gives the same MRR for the same day.
  const { apiKey } = admin("create-api-key", "--workspace", ws.slug, "--scopes", "metrics:read", "--name", "cfo") as {
    apiKey: { token: string };
  };
  const res = await fetch(`${baseURL}/api/v1/workspaces/${ws.slug}/metrics?date=${END}`, {
    headers: { authorization: `Bearer ${apiKey.token}` },
  });
  expect(res.status).toBe(200);
  const api = (await res.json()) as { date: string; currency: string; mrr: number; payingCustomers: number };
  expect(api).toMatchObject({ date: END, currency: "usd" });
  expect(api.mrr).toBe(shownMrr);
  expect(await page.getByTestId("kpi-payingCustomers-value").innerText()).toBe(String(api.payingCustomers));

  // Drill down from the last month's row of the movements table: every movement of November.
  const row = page.getByTestId(`movements-row-${LAST_MONTH}`);
  let cellsNet = 0;
  for (const k of KINDS) cellsNet += parseMoney(await row.getByTestId(`mv-${LAST_MONTH}-${k}`).innerText());
  const netNew = parseMoney(await page.getByTestId("kpi-netNewMrr-value").innerText());
  await row.getByRole("link", { name: "Nov 2026" }).click();
  await expect(page).toHaveURL(new RegExp(`/finance/movements\\?.*from=${LAST_MONTH}`));
  await expect(page).toHaveURL(new RegExp(`/finance/movements\\?.*to=${END}`));
  await expect(page.getByTestId("movements-title")).toHaveText("All movements, Nov 1, 2026 – Nov 30, 2026");
  await expect(page.getByTestId("movements-list")).toBeVisible();
  const summary = page.getByTestId("movements-summary");
  await expect(summary).toContainText(/\d+ movements?, net/);
  const net = parseMoney(await summary.locator("strong").innerText());
  expect(net).toBe(cellsNet);
  expect(net).toBe(netNew);
  const total = Number(/^(\d+)/.exec(await summary.innerText())![1]);
  expect(total).toBeGreaterThan(1);
  const rows = page.getByTestId("movements-list").locator("tbody tr");
  await expect(rows).toHaveCount(Math.min(total, 50));
  const shown = await rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "");
      return { testId: tr.getAttribute("data-testid") ?? "", day: cells[1]!, kind: cells[2]!, amount: cells[3]! };
    }),
  );
  await screenshot(page, "cfo-movements");

  // The first movement's customer, with the same change in its ledger.
  const first = shown[0]!;
  const customerId = first.testId.replace(/^movement-/, "").replace(/-\d{4}-\d{2}-\d{2}$/, "");
  await page.getByTestId(first.testId).getByTestId("movement-customer").click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/customers/${customerId}$`));
  await expect(page.getByTestId("customer-title")).toBeVisible();
  await expect(page.getByTestId(`ledger-${first.day}`)).toContainText(first.kind);
  await expect(page.getByTestId(`ledger-${first.day}`)).toContainText(first.amount);
  await chartsSettled(page, ["customer-mrr-chart"]);
  await screenshot(page, "cfo-customer");

  // Back to the drill-down and export it: the CSV holds the same movements.
  await page.goBack();
  await expect(page.getByTestId("movements-list")).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`${ws.slug}-movements-${LAST_MONTH}-${END}.csv`);
  const csv = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, "utf8"), {
    header: true,
    skipEmptyLines: true,
  });
  expect(csv.errors).toEqual([]);
  expect(csv.data).toHaveLength(total);
  expect(csv.data.every((r) => r.currency === "usd")).toBe(true);
  expect(csv.data.reduce((sum, r) => sum + parseDecimal(r.amount!), 0)).toBe(net);
  expect(
    csv.data.slice(0, shown.length).map((r) => ({
      testId: `movement-${r.customer_id}-${r.day}`,
      day: r.day,
      kind: KIND_LABEL[r.kind!],
      amount: parseDecimal(r.amount!),
    })),
  ).toEqual(shown.map((s) => ({ testId: s.testId, day: s.day, kind: s.kind, amount: parseMoney(s.amount) })));
});

// A short leads export in the importer's own column names; ids that the generator never uses.
const leadsCsv = [
  "id,occurred_at,contact_id,source,email",
  "jr-l1,2026-11-20T09:00:00Z,jr-c1,google_ads,ada@journeys.example",
  "jr-l2,2026-11-21T09:00:00Z,jr-c2,google_ads,bob@journeys.example",
].join("\n");

test("[MARKETING] reads the funnel and channels for November, imports two leads and sees them counted", async ({
  page,
}) => {
  const marketer = members.marketing!;
  await signIn(page, marketer.email, marketer.password);
  await page.goto(`/w/${ws.slug}`);
  await nav(page).getByRole("link", { name: "Marketing", exact: true }).click();
  await expect(page.getByTestId("marketing-title")).toBeVisible();
  await page.getByTestId("control-date").fill(END);
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(new RegExp(`date=${END}`));
  await expect(page.getByTestId("period-label")).toContainText("Nov 2026");

  // The generator's funnel and paid channels show up with real numbers.
  await expect(page.getByTestId("kpi-signups-value")).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.getByTestId("stage-conversion")).toBeVisible();
  const channels = page.getByTestId("channel-table");
  await expect(channels).toBeVisible();
  for (const c of ["google_ads", "linkedin", "facebook_ads"]) {
    await expect(channels.getByTestId(`channel-${c}`)).toBeVisible();
  }
  await expect(channels.getByTestId("channel-google_ads").locator("td").first()).toHaveText(/^\$[1-9][\d,]*\.\d{2}$/);
  await chartsSettled(page, ["chart-funnel", "chart-spend"]);
  const leadsBefore = Number((await page.getByTestId("kpi-leads-value").innerText()).replace(/,/g, ""));
  await screenshot(page, "marketing-november");

  // Import two leads from a CSV.
  await nav(page).getByRole("link", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/import$`));
  await page.getByTestId("import-type").selectOption("lead");
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(leadsCsv) });
  await expect(page.getByTestId("import-ready")).toHaveText("All 2 rows are valid.");
  await expect(page.getByTestId("import-preview").locator("tbody tr")).toHaveCount(2);
  await page.getByRole("button", { name: "Import 2 events" }).click();
  await expect(page.getByTestId("import-result")).toHaveText("Imported 2 events (0 already present).");
  await screenshot(page, "marketing-import");

  // November now has two more leads.
  await page.goto(`/w/${ws.slug}/marketing?date=${END}`);
  await expect(page.getByTestId("kpi-leads-value")).toHaveText((leadsBefore + 2).toLocaleString("en-US"));
});

test("[SUCCESS] finds at-risk accounts on the success page and opens one", async ({ page }) => {
  const csm = members.success!;
  await signIn(page, csm.email, csm.password);
  await page.goto(`/w/${ws.slug}`);
  await nav(page).getByRole("link", { name: "Customer success", exact: true }).click();
  await expect(page.getByTestId("success-title")).toBeVisible();
  await page.getByTestId("control-date").fill(END);
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(new RegExp(`date=${END}`));
  await expect(page.getByTestId("kpi-nps-value")).toHaveText(/^-?\d+(\.\d)?$/);
  await expect(page.getByTestId("health-distribution")).toBeVisible();

  const rows = page.getByTestId("at-risk-table").getByTestId("at-risk-row");
  await expect(rows.first()).toBeVisible();
  const bands = await rows.getByTestId("health-band").allInnerTexts();
  expect(bands.length).toBeGreaterThan(0);
  for (const b of bands) expect(b).toMatch(/^\d+ · (red|yellow)$/);
  await chartsSettled(page, ["chart-nps", "chart-tickets"]);
  await screenshot(page, "success-november");
  await readmeShot(page, "readme-success", page.getByRole("heading", { name: "Usage, health and expansion" }));

  const row = rows.first();
  const name = await row.getByTestId("at-risk-customer").innerText();
  const customerId = (await row.locator("th span").innerText()).trim();
  await row.getByTestId("at-risk-customer").click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/customers/${customerId}$`));
  await expect(page.getByTestId("customer-title")).toHaveText(name);
  await expect(page.getByTestId("customer-ledger")).toBeVisible();
  await screenshot(page, "success-customer-at-risk");
});

test("[ADMIN] invites a member, connects Stripe, copies the webhook URL and sees a signed event arrive", async ({
  page,
  context,
  browser,
}) => {
  const adm = members.admin!;
  await signIn(page, adm.email, adm.password);

  // The overview with every tile (an admin sees all dashboards).
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("current-role")).toHaveText("Admin");
  for (const t of ["tile-mrr", "tile-signups", "tile-nps"]) await expect(page.getByTestId(t)).toBeVisible();
  await expect(page.getByTestId("tile-mrr-spark").locator("svg.recharts-surface").first()).toBeVisible();
  await chartsSettled(page, []);
  await screenshot(page, "admin-overview");
  await readmeShot(page, "readme-overview");

  // Invite a marketer; the link opens the invitation in another browser.
  await page.goto(`/w/${ws.slug}/settings/members`);
  const email = `invited-${ws.slug}@example.test`;
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel("Email").fill(email);
  await invite.getByLabel("Role").selectOption("marketing");
  await invite.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByTestId("invite-url").inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{43}$`));
  await expect(page.getByTestId(`member-${email}`)).toContainText("Invited");
  await screenshot(page, "admin-invite");
  const other = await browser.newContext();
  const invitee = await other.newPage();
  await invitee.goto(link);
  await expect(invitee.getByText("You are invited as")).toContainText("Marketing");
  await other.close();

  // Connect a Stripe account with its signing secret.
  const secret = `whsec_journeys${ws.slug.replace(/[^a-z0-9]/g, "")}`;
  await page.goto(`/w/${ws.slug}/settings/stripe`);
  const form = page.getByTestId("connect-stripe-form");
  await form.getByLabel("Name").fill("Journeys account");
  await form.getByLabel("Webhook signing secret").fill(secret);
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(form.getByTestId("form-success")).toHaveText("Connected. Paste the webhook URL into Stripe.");

  // The new connection's webhook URL, read from the field and copied with its button.
  const connection = page.getByTestId("connections").locator("li").filter({ hasText: "Journeys account" });
  const field = connection.getByRole("textbox", { name: "Webhook URL" });
  await expect(field).toBeVisible();
  const webhookUrl = await field.inputValue();
  expect(webhookUrl).toMatch(new RegExp(`^${baseURL}/api/webhooks/stripe/con_[A-Za-z0-9_-]+$`));
  const connectionId = webhookUrl.split("/").at(-1)!;
  await expect(field).toHaveAttribute("data-testid", `webhook-url-${connectionId}`);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await connection.getByRole("button", { name: "Copy" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);
  await screenshot(page, "admin-stripe-connected");

  // Stripe sends one signed event to that URL.
  const fixture = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, "../fixtures/stripe/lifecycle/07_customer.created.json"), "utf8"),
  ) as { id: string; created: number; data: { object: Record<string, unknown> } };
  const eventId = "evt_Journeys00000001";
  const payload = JSON.stringify({
    ...fixture,
    id: eventId,
    created: Math.floor(Date.now() / 1000),
    data: { object: { ...fixture.data.object, id: "cus_Journeys0000001", name: "Journeys Webhook Co" } },
  });
  const post = await fetch(webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
    body: payload,
  });
  expect(post.status, await post.text()).toBe(200);

  await page.reload();
  const recent = page.locator("section").filter({ has: page.getByRole("heading", { name: "Recent events" }) });
  const eventRow = recent.getByTestId("event-table").locator("tr").filter({ hasText: eventId });
  await expect(eventRow).toContainText("customer.created");
  await expect(eventRow).toContainText("applied");
  await expect(page.getByTestId("connections").locator("li").filter({ hasText: "Journeys account" })).toContainText(
    "1 applied",
  );
  await screenshot(page, "admin-stripe-event");
});

test("[VIEWER] sees only the overview and gets no access on every dashboard and settings", async ({ page }) => {
  const viewer = members.viewer!;
  await signIn(page, viewer.email, viewer.password);
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("overview-title")).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("Viewer");
  await expect(page.getByTestId("overview-no-tiles")).toBeVisible();
  await expect(nav(page).getByRole("link")).toHaveText(["Overview"]);
  for (const label of ["Finance", "Marketing", "Customer success", "Customers", "Import", "Settings"]) {
    await expect(nav(page).getByRole("link", { name: label, exact: true })).toHaveCount(0);
  }
  await screenshot(page, "viewer-overview");
  for (const p of ["finance", "marketing", "success", "settings"]) {
    await page.goto(`/w/${ws.slug}/${p}`);
    await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/no-access`));
    await expect(page.getByTestId("no-access")).toContainText("Viewer");
  }
  await screenshot(page, "viewer-no-access");
});
