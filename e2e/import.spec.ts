import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { addMember, admin, screenshot, seedWorkspace, signIn } from "./helpers";

// A leads export whose channel column has another name and whose row 2 has a broken email; `work_email` is clean.
const leadsCsv = [
  "id,occurred_at,contact_id,channel_name,email,work_email",
  "l1,2026-06-01T09:00:00Z,c1,Google Ads,ada@example.com,ada@example.com",
  "l2,2026-06-02T09:00:00Z,c2,linkedin,not-an-email,bob@example.com",
  "l3,2026-06-03T09:00:00Z,c3,organic,cy@example.com,cy@example.com",
].join("\n");

test("[MARKETING] imports a leads CSV: sees the missing source and the row 2 email error, remaps both, imports 3", async ({
  page,
}) => {
  const ws = seedWorkspace("import");
  const marketer = addMember(ws.slug, "marketing");
  await signIn(page, marketer.email, marketer.password);
  await page.goto(`/w/${ws.slug}`);
  await page.getByRole("link", { name: "Import" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/import$`));

  await page.getByTestId("import-type").selectOption("lead");
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(leadsCsv) });

  // No column is called source, so the mapping is the first problem; nothing can be imported yet.
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText('Columns, source: No column for required field "source"');
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

  await page.getByTestId("map-source").selectOption("channel_name");
  await expect(errors).toContainText("1 of 3 rows have errors");
  await expect(errors).toContainText("row 2, email:");
  await expect(page.getByTestId("import-preview").locator("tbody tr")).toHaveCount(3);
  await screenshot(page, "import-row-error");

  await page.getByTestId("map-email").selectOption("work_email");
  await expect(page.getByTestId("import-ready")).toHaveText("All 3 rows are valid.");
  await page.getByRole("button", { name: "Import 3 events" }).click();
  await expect(page.getByTestId("import-result")).toHaveText("Imported 3 events (0 already present).");
  await screenshot(page, "import-done");

  // The same rows again through the CLI, which goes through the running server: all three are already stored.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "northstar-e2e-")), "leads.csv");
  fs.writeFileSync(file, leadsCsv.replace("channel_name", "source").replace(",not-an-email,", ",,"));
  expect(admin("import", "--workspace", ws.slug, "--type", "lead", "--file", file)).toEqual({
    imported: 0,
    duplicates: 3,
  });
});

/** `rows` leads in the CLI's column names; the row numbered `bad` (if any) has a broken email. */
function bigLeadsCsv(rows: number, bad?: number): string {
  const lines = ["id,occurred_at,contact_id,source,email"];
  for (let i = 1; i <= rows; i++) {
    const email = i === bad ? "not-an-email" : `lead${i}@example.com`;
    lines.push(`big-${i},2026-06-${String((i % 28) + 1).padStart(2, "0")}T09:00:00Z,c${i},google_ads,${email}`);
  }
  return lines.join("\n");
}

test("[MARKETING] imports 20,000 leads (1.3 MB) in the background: first 1,000 rows checked, progress to done", async ({
  page,
}) => {
  const ws = seedWorkspace("import-big");
  const marketer = addMember(ws.slug, "marketing");
  await signIn(page, marketer.email, marketer.password);
  await page.goto(`/w/${ws.slug}/import`);
  const csv = bigLeadsCsv(20_000);
  expect(Buffer.byteLength(csv)).toBeGreaterThan(900_000); // above the synchronous import's limit

  await page.getByTestId("import-type").selectOption("lead");
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "leads-big.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-ready")).toHaveText(
    "The first 1,000 rows are valid. The whole file is checked before anything is written.",
  );
  await expect(page.getByTestId("import-preview").locator("tbody tr")).toHaveCount(10);
  await page.getByRole("button", { name: "Import in the background" }).click();
  await expect(page.getByTestId("import-result")).toContainText("Uploaded.");

  const job = page.getByTestId("import-job").first();
  await expect(job).toContainText("leads-big.csv");
  await expect(job).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(job.getByTestId("import-job-progress")).toHaveText("20,000 of 20,000 rows");
  await expect(job.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(job.getByTestId("import-job-result")).toHaveText("Imported 20,000 events (0 already present).");
  await screenshot(page, "import-background-done");

  // The job outlives the page: a reload lists it from the database.
  await page.reload();
  await expect(page.getByTestId("import-job").first().getByTestId("import-job-result")).toHaveText(
    "Imported 20,000 events (0 already present).",
  );
});

test("[SUCCESS] a big file whose row 15,000 is bad passes the first-rows check, then writes nothing", async ({
  page,
}) => {
  const ws = seedWorkspace("import-big-bad");
  const success = addMember(ws.slug, "success");
  await signIn(page, success.email, success.password);
  await page.goto(`/w/${ws.slug}/import`);
  await page.getByTestId("import-type").selectOption("lead");
  await page.getByTestId("import-file").setInputFiles({
    name: "leads-bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(bigLeadsCsv(20_000, 15_000)),
  });
  await page.getByRole("button", { name: "Import in the background" }).click();
  const job = page.getByTestId("import-job").first();
  await expect(job).toHaveAttribute("data-status", "invalid", { timeout: 60_000 });
  const errors = job.getByTestId("import-job-errors");
  await expect(errors).toContainText("1 of 20,000 rows have errors; nothing was imported.");
  await expect(errors).toContainText("row 15000, email: Invalid email address");
  // Nothing was stored: the corrected file imports all 20,000 rows, none of them already present.
  await page.getByTestId("import-file").setInputFiles({
    name: "leads-fixed.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(bigLeadsCsv(20_000)),
  });
  await page.getByRole("button", { name: "Import in the background" }).click();
  await expect(page.getByTestId("import-job").first()).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("import-job").first().getByTestId("import-job-result")).toHaveText(
    "Imported 20,000 events (0 already present).",
  );
});

test("[MARKETING] a viewer has no access to the import page", async ({ page }) => {
  const ws = seedWorkspace("import-viewer");
  const viewer = addMember(ws.slug, "viewer");
  await signIn(page, viewer.email, viewer.password);
  await page.goto(`/w/${ws.slug}/import`);
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/no-access`));
});
