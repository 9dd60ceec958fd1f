import { expect, test } from "@playwright/test";
import { addMember, screenshot, seedWorkspace, signIn } from "./helpers";

test("[AUTH] an owner invites a finance member, who accepts, signs in and sees the finance role", async ({
  page,
  browser,
}) => {
  const ws = seedWorkspace("invite");
  await signIn(page, ws.ownerEmail, ws.password);
  await page.goto(`/w/${ws.slug}/settings/members`);
  const financeEmail = `cfo-${ws.slug}@example.test`;
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel("Email").fill(financeEmail);
  await invite.getByLabel("Role").selectOption("finance");
  await invite.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByTestId("invite-url").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId(`member-${financeEmail}`)).toContainText("Invited");
  await screenshot(page, "members");

  // The invited person opens the link in their own browser.
  const context = await browser.newContext();
  const cfo = await context.newPage();
  await cfo.goto(link);
  await expect(cfo.getByText("You are invited as")).toContainText("Finance");
  await cfo.getByLabel("Choose a password").fill("finance-password-1");
  await cfo.getByRole("button", { name: "Accept invitation" }).click();
  await expect(cfo).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  await expect(cfo.getByTestId("current-role")).toHaveText("Finance");

  // The link works once.
  await cfo.goto(link);
  await expect(cfo.getByTestId("invite-invalid")).toBeVisible();

  // Signing out and in again with the chosen password works.
  await cfo.getByRole("link", { name: /Northstar/ }).count();
  await cfo.goto(`/w/${ws.slug}`);
  await cfo.getByTestId("sign-out").click();
  await expect(cfo).toHaveURL(/\/login/);
  await signIn(cfo, financeEmail, "finance-password-1");
  await cfo.goto(`/w/${ws.slug}`);
  await expect(cfo.getByTestId("current-role")).toHaveText("Finance");
  await context.close();
});

test("[AUTH] a signed-in non-member gets 404 on another workspace's URL", async ({ page }) => {
  const mine = seedWorkspace("mine");
  const theirs = seedWorkspace("theirs");
  await signIn(page, mine.ownerEmail, mine.password);
  const res = await page.goto(`/w/${theirs.slug}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  const settings = await page.goto(`/w/${theirs.slug}/settings/members`);
  expect(settings?.status()).toBe(404);
});

test("[AUTH] a viewer sees the overview but gets no access on settings, members and tokens", async ({ page }) => {
  const ws = seedWorkspace("viewer");
  const viewer = addMember(ws.slug, "viewer");
  await signIn(page, viewer.email, viewer.password);
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("overview-title")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Settings" })).toHaveCount(
    0,
  );
  for (const path of ["settings", "settings/members", "settings/api-keys"]) {
    await page.goto(`/w/${ws.slug}/${path}`);
    await expect(page).toHaveURL(/\/no-access/);
    await expect(page.getByTestId("no-access")).toContainText("Viewer");
  }
  await screenshot(page, "no-access");
});

test("[AUTH] a wrong password is refused with a readable message and an anonymous visitor is sent to sign in", async ({
  page,
}) => {
  const ws = seedWorkspace("login");
  await page.goto(`/w/${ws.slug}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("Email").fill(ws.ownerEmail);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("That email and password don't match an account.");
  await page.getByLabel("Password").fill(ws.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
});

test("[SETTINGS] an owner creates an API token (shown once) and changes the time zone", async ({ page }) => {
  const ws = seedWorkspace("tokens");
  await signIn(page, ws.ownerEmail, ws.password);
  await page.goto(`/w/${ws.slug}/settings/api-keys`);
  await page.getByLabel("metrics:read").check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^ns_[A-Za-z0-9_-]{43}$/);
  await page.reload();
  await expect(page.getByTestId("keys-table")).toContainText(token.slice(0, 10));
  await expect(page.getByTestId("keys-table")).not.toContainText(token.slice(10));
  await page.goto(`/w/${ws.slug}/settings`);
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Use an IANA time zone")).toBeVisible();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("form-success")).toHaveText("Saved.");
  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByText("Europe/Berlin")).toBeVisible();
});
