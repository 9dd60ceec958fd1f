import { expect, test } from "@playwright/test";
import { addMember, screenshot, seedLifecycle, seedWorkspace, sendEvents, signIn } from "./helpers";

// The lifecycle customer (cus_TqAlice00000001, "Alice Corp": 4500 MRR and past_due from Jul 10 to 13) sent as
// signed Stripe webhooks, plus surveys, tickets and product activity through the ingest API. Specs never open
// the database.
const ALICE = "cus_TqAlice00000001";

const successEvents = [
  {
    id: "n1",
    type: "nps_response",
    occurredAt: "2026-07-02T09:00:00Z",
    respondentId: "r_alice",
    score: 9,
    customerId: ALICE,
    comment: "Great support",
  },
  {
    id: "n2",
    type: "nps_response",
    occurredAt: "2026-07-03T09:00:00Z",
    respondentId: "r_x",
    score: 3,
    comment: "Too slow",
  },
  { id: "n3", type: "nps_response", occurredAt: "2026-07-04T09:00:00Z", respondentId: "r_y", score: 10 },
  { id: "c1", type: "csat_response", occurredAt: "2026-07-02T09:00:00Z", score: 5, touchpoint: "support" },
  { id: "c2", type: "csat_response", occurredAt: "2026-07-03T09:00:00Z", score: 2, touchpoint: "onboarding" },
  { id: "t1o", type: "ticket_opened", occurredAt: "2026-07-01T10:00:00Z", ticketId: "t1", customerId: ALICE },
  { id: "t1f", type: "ticket_first_response", occurredAt: "2026-07-01T10:10:00Z", ticketId: "t1", customerId: ALICE },
  {
    id: "t1r",
    type: "ticket_resolved",
    occurredAt: "2026-07-02T10:00:00Z",
    ticketId: "t1",
    customerId: ALICE,
    firstContactResolution: false,
  },
  { id: "t2o", type: "ticket_opened", occurredAt: "2026-07-05T10:00:00Z", ticketId: "t2", customerId: ALICE },
  ...Array.from({ length: 10 }, (_, i) => ({
    id: `a${i}`,
    type: "product_activity",
    occurredAt: `2026-06-${20 + i}T09:00:00Z`,
    userId: "u_alice",
    customerId: ALICE,
  })),
  { id: "a-carol", type: "product_activity", occurredAt: "2026-06-25T15:00:00Z", userId: "u_carol", customerId: ALICE },
  { id: "a-jul12", type: "product_activity", occurredAt: "2026-07-12T09:00:00Z", userId: "u_alice", customerId: ALICE },
];

test("[SUCCESS] a success member reads NPS with its split and comments, finds Alice at risk with the why, and opens her customer page", async ({
  page,
}) => {
  const ws = seedWorkspace("cs");
  await seedLifecycle(ws.slug);
  await sendEvents(ws.slug, successEvents);
  const csm = addMember(ws.slug, "success");
  await signIn(page, csm.email, csm.password);

  await page.goto(`/w/${ws.slug}`);
  await page.getByRole("link", { name: "Customer success" }).click();
  await expect(page.getByTestId("success-title")).toBeVisible();
  await page.getByTestId("control-date").fill("2026-07-12");
  await page.getByTestId("control-apply").click();
  await expect(page).toHaveURL(/date=2026-07-12/);

  // NPS of July to the 12th: promoters r_alice and r_y, detractor r_x → 100 × (2 − 1) ÷ 3 = 33.3.
  await expect(page.getByTestId("kpi-nps-value")).toHaveText("33.3");
  await expect(page.getByTestId("nps-promoters")).toContainText("67%");
  await expect(page.getByTestId("nps-detractors")).toContainText("33%");
  await expect(page.getByTestId("nps-comments")).toContainText("Too slow");
  await expect(page.getByTestId("nps-comments")).toContainText("Great support");
  await expect(page.getByTestId("kpi-csat-value")).toHaveText("50%");
  await expect(page.getByTestId("kpi-openTickets-value")).toHaveText("1");
  await expect(page.getByTestId("kpi-firstResponseTimeMedian-value")).toHaveText("10m");
  await expect(page.locator("[data-testid=chart-nps] svg.recharts-surface").first()).toBeVisible();
  await expect(page.locator("[data-testid=chart-tickets] svg.recharts-surface").first()).toBeVisible();

  // Alice on Jul 12: usage 0.3 × 60.83 + nps 0.2 × 100 + tickets 0.15 × 60 + payments 0 (past due) + trend 0.15 × 75
  // = 58.5 → 59, yellow.
  const row = page.getByTestId("at-risk-row").filter({ hasText: "Alice Corp" });
  await expect(row.getByTestId("health-band")).toHaveText("59 · yellow");
  await expect(row).toContainText("past due");
  await expect(page.getByTestId("kpi-atRiskMrr-value")).toHaveText("$0.00");
  await screenshot(page, "success-page");

  // The why opens from the keyboard.
  await row.getByText("Why 59?").focus();
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("why-payments")).toContainText("0");
  await expect(row.getByTestId("why-nps")).toContainText("100");
  await expect(row.getByTestId("why-mrrTrend")).toContainText("11.25");
  await screenshot(page, "success-why");

  await row.getByTestId("at-risk-customer").click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/customers/${ALICE}`));
  await expect(page.getByTestId("customer-title")).toBeVisible();
  await screenshot(page, "success-customer");
});

test("[SUCCESS] an owner raises the red band in KPI settings: a bad weight sum is refused beside its field, then Alice turns red", async ({
  page,
}) => {
  const ws = seedWorkspace("cs-settings");
  await seedLifecycle(ws.slug);
  await sendEvents(ws.slug, successEvents);
  await signIn(page, ws.ownerEmail, ws.password);
  await page.goto(`/w/${ws.slug}/settings/kpis`);
  await expect(page.getByTestId("kpi-settings-title")).toBeVisible();

  await page.getByLabel("Usage").fill("0.5");
  await page.getByRole("button", { name: "Save KPI settings" }).click();
  await expect(page.getByTestId("error-healthWeights")).toHaveText("Weights must sum to 1");
  await page.getByLabel("Usage").fill("0.3");
  await page.getByLabel("Red below (score)").fill("60");
  await page.getByLabel("Staff").fill("4500.00");
  await page.getByRole("button", { name: "Save KPI settings" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await screenshot(page, "kpi-settings");

  await page.goto(`/w/${ws.slug}/success?date=2026-07-31`);
  // Jul 31: paid again, a failure in the last 90 days (payments 50), cancellation scheduled (trend 0) → red under 60.
  const row = page.getByTestId("at-risk-row").filter({ hasText: "Alice Corp" });
  await expect(row.getByTestId("health-band")).toContainText("red");
  await expect(page.getByTestId("kpi-atRiskMrr-value")).toHaveText("$45.00");
  // Retention cost: 4500.00 for July ÷ 1 paying customer.
  await expect(page.getByTestId("kpi-crc-value")).toHaveText("$4,500.00");
});

test("[SUCCESS] a workspace without ingest events explains how to send them", async ({ page }) => {
  const ws = seedWorkspace("cs-empty");
  const csm = addMember(ws.slug, "success");
  await signIn(page, csm.email, csm.password);
  await page.goto(`/w/${ws.slug}/success`);
  await expect(page.getByTestId("empty-state")).toContainText("No customer-success events yet");
  await expect(page.getByTestId("empty-state-curl")).toContainText(`/api/v1/workspaces/${ws.slug}/events`);
  await expect(page.getByTestId("empty-state-import")).toHaveAttribute("href", `/w/${ws.slug}/import`);
});
