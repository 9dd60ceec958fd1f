import { expect, test } from "@playwright/test";
import { addMember, screenshot, seedLifecycle, seedWorkspace, sendEvents, signIn } from "./helpers";

// The lifecycle customer (cus_TqAlice00000001: trial from May 27, 2000 MRR from Jun 10) sent as signed Stripe
// webhooks, plus visits, leads, stages, a signup and spend through the ingest API. Specs never open the database.
const ALICE = "cus_TqAlice00000001";

const marketingEvents = [
  {
    id: "l1",
    type: "lead",
    occurredAt: "2026-05-25T10:00:00Z",
    contactId: "c_alice",
    source: "google_ads",
    customerId: ALICE,
  },
  { id: "l2", type: "lead", occurredAt: "2026-06-15T10:00:00Z", contactId: "c_bob", source: "linkedin" },
  {
    id: "st0",
    type: "lifecycle_stage",
    occurredAt: "2026-05-25T10:00:00Z",
    contactId: "c_alice",
    stage: "lead",
    customerId: ALICE,
  },
  {
    id: "st1",
    type: "lifecycle_stage",
    occurredAt: "2026-06-01T10:00:00Z",
    contactId: "c_alice",
    stage: "subscriber",
    customerId: ALICE,
  },
  {
    id: "st2",
    type: "lifecycle_stage",
    occurredAt: "2026-06-02T10:00:00Z",
    contactId: "c_alice",
    stage: "qualified_lead",
    customerId: ALICE,
  },
  {
    id: "st3",
    type: "lifecycle_stage",
    occurredAt: "2026-06-10T10:00:00Z",
    contactId: "c_alice",
    stage: "customer",
    customerId: ALICE,
  },
  { id: "st4", type: "lifecycle_stage", occurredAt: "2026-06-12T10:00:00Z", contactId: "c_bob", stage: "lead" },
  {
    id: "s1",
    type: "signup",
    occurredAt: "2026-06-01T08:00:00Z",
    userId: "u_alice",
    customerId: ALICE,
    source: "google_ads",
  },
  { id: "v1", type: "visit", occurredAt: "2026-06-01T07:00:00Z", visitorId: "vis_1", source: "google_ads" },
  { id: "v2", type: "visit", occurredAt: "2026-06-03T07:00:00Z", visitorId: "vis_2" },
  {
    id: "sp1",
    type: "marketing_spend",
    occurredAt: "2026-06-03T12:00:00Z",
    channel: "google_ads",
    amount: 30000,
    currency: "usd",
  },
  {
    id: "sp2",
    type: "marketing_spend",
    occurredAt: "2026-05-03T12:00:00Z",
    channel: "linkedin",
    amount: 12000,
    currency: "usd",
  },
];

test("[MARKETING] a marketing member reads June: CAC 300.00 for Alice won on google_ads, the funnel and the channel table", async ({
  page,
}) => {
  const ws = seedWorkspace("mkt");
  await seedLifecycle(ws.slug);
  await sendEvents(ws.slug, marketingEvents);
  const marketer = addMember(ws.slug, "marketing");
  await signIn(page, marketer.email, marketer.password);

  await page.goto(`/w/${ws.slug}`);
  await page.getByRole("link", { name: "Marketing" }).click();
  await expect(page.getByTestId("marketing-title")).toBeVisible();
  await page.getByTestId("control-date").fill("2026-06-30");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(/date=2026-06-30/);
  await expect(page.getByTestId("period-label")).toContainText("Jun 2026");

  // 1 signup linked to Alice, paying from Jun 10: 1 ÷ 1; 1 signup ÷ 2 visitors; 30000 ÷ 1 new customer.
  await expect(page.getByTestId("kpi-signupToPaidRate-value")).toHaveText("100%");
  await expect(page.getByTestId("kpi-visitorToSignupRate-value")).toHaveText("50%");
  await expect(page.getByTestId("kpi-cacBlended-value")).toHaveText("$300.00");
  await expect(page.getByTestId("kpi-salesCycleDays-value")).toHaveText("16 days");
  await expect(page.locator("[data-testid=chart-funnel] svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("conversion-qualified_lead__opportunity")).toContainText("1 of 1");
  // google_ads: (2000 × 12 − 30000) ÷ 30000 = −20 %; linkedin had leads in June but no spend or customers.
  await expect(page.getByTestId("channel-google_ads-cac")).toHaveText("$300.00");
  await expect(page.getByTestId("channel-google_ads-roi")).toHaveText("-20%");
  await expect(page.getByTestId("channel-linkedin")).toContainText("1");
  await expect(page.locator("[data-testid=chart-spend] svg.recharts-surface").first()).toBeVisible();
  await screenshot(page, "marketing-page");

  // A marketing member may not open the success page.
  await page.goto(`/w/${ws.slug}/success`);
  await expect(page).toHaveURL(/\/no-access/);
});

test("[MARKETING] a success member gets no access on the marketing page and sees no Marketing link", async ({
  page,
}) => {
  const ws = seedWorkspace("mkt-cs");
  const csm = addMember(ws.slug, "success");
  await signIn(page, csm.email, csm.password);
  await page.goto(`/w/${ws.slug}`);
  await expect(
    page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Marketing" }),
  ).toHaveCount(0);
  await page.goto(`/w/${ws.slug}/marketing`);
  await expect(page).toHaveURL(/\/no-access/);
  await expect(page.getByTestId("no-access")).toContainText("Customer success");
  await screenshot(page, "marketing-no-access");
});

test("[MARKETING] a workspace without ingest events shows the curl example and the import link", async ({ page }) => {
  const ws = seedWorkspace("mkt-empty");
  const marketer = addMember(ws.slug, "marketing");
  await signIn(page, marketer.email, marketer.password);
  await page.goto(`/w/${ws.slug}/marketing`);
  await expect(page.getByTestId("empty-state")).toContainText("No marketing events yet");
  await expect(page.getByTestId("empty-state-curl")).toContainText("Authorization: Bearer");
  await expect(page.getByTestId("empty-state-import")).toHaveAttribute("href", `/w/${ws.slug}/import`);
  await screenshot(page, "marketing-empty");
});
