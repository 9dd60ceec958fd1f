// One account's marketing and customer-success events (metrics.md §1.4 field names): how it found us (visits,
// signup, lead, lifecycle stages), then, while it is a customer, product activity, support tickets, CSAT and NPS.
// Usage and scores follow the plan: an account that will churn within the next weeks uses the product less,
// waits longer for answers and scores lower.
import type { IngestEventInput } from "@/lib/ingest/schemas";
import type { AccountProfile } from "./account";
import type { Episode } from "./plan";
import type { Rng } from "./random";
import type { Timed } from "./summary";
import { DAY, HOUR, MINUTE, toIso, WEEK } from "./time";

type Health = "none" | "trialing" | "healthy" | "at_risk";
const AT_RISK = 45 * DAY;
const ACTIONS = ["login", "view_dashboard", "create_report", "export_csv", "invite_user", "api_call", "edit_settings"];
const NPS_COMMENTS = {
  low: ["Too expensive for what we use", "Support was slow", "Missing integrations we need", "Hard to set up"],
  mid: ["Does the job", "Good, but reports could be faster", "Solid product"],
  high: ["Love the dashboards", "Saved us hours every week", "Great support team", "Exactly what we needed"],
};

type Event = IngestEventInput extends infer E ? (E extends unknown ? Omit<E, "id" | "occurredAt"> : never) : never;

function healthAt(episodes: readonly Episode[], t: number): Health {
  for (const ep of episodes) {
    if (t < ep.start || (ep.end !== null && t >= ep.end)) continue;
    if (t < ep.anchor) return "trialing";
    const churns = ep.end !== null && ep.endKind !== "trial_expired";
    return churns && ep.end! - t < AT_RISK ? "at_risk" : "healthy";
  }
  return "none";
}

/** Whether the episode alive at `t` ends within `window` seconds (an NPS respondent about to leave). */
function churnsWithin(episodes: readonly Episode[], t: number, window: number): boolean {
  const ep = episodes.find((e) => t >= e.start && (e.end === null || t < e.end));
  return !!ep && ep.end !== null && ep.end - t < window;
}

export function* engagementStream(a: AccountProfile, rng: Rng, endAt: number): Generator<Timed> {
  const pending: Timed[] = [];
  const push = (at: number, event: Event) => {
    if (at > endAt) return;
    const full = { id: rng.id("dm", 22), occurredAt: toIso(at), ...event } as IngestEventInput;
    pending.push({ at, item: { kind: "ingest", event: full } });
  };
  const flush = function* (until: number) {
    pending.sort((x, y) => x.at - y.at);
    let n = 0;
    while (n < pending.length && pending[n]!.at < until) n++;
    yield* pending.splice(0, n);
  };

  acquisition(a, rng, push);
  const customerId = a.customerId;
  if (!customerId) {
    yield* flush(Infinity);
    return;
  }

  const lastEnd = a.episodes.reduce<number | null>(
    (m, e) => (m === null || e.end === null ? null : Math.max(m, e.end)),
    0,
  );
  const stop = Math.min(endAt, lastEnd === null ? endAt : lastEnd + WEEK);
  const payingStarts = a.episodes.filter((e) => e.trialConverts).map((e) => e.anchor);
  const userFactor = a.users.map(() => 0.4 + rng.float() * 0.9);
  let nextNps = payingStarts.length ? payingStarts[0]! + 30 * DAY : Infinity;
  let evangelist = false;

  for (let week = a.entry.firstAt; week <= stop; week += WEEK) {
    const health = healthAt(a.episodes, week + WEEK / 2);
    if (health !== "none") {
      const rate = health === "healthy" ? 3 : health === "trialing" ? 2.5 : 0.7;
      for (const [i, user] of a.users.entries()) {
        const n = rng.poisson(rate * userFactor[i]!);
        for (let k = 0; k < n; k++)
          push(week + rng.int(0, WEEK - 1), {
            type: "product_activity",
            userId: user.id,
            customerId,
            action: rng.pick(ACTIONS),
          });
      }
      if (rng.chance(health === "at_risk" ? 0.2 : health === "trialing" ? 0.12 : 0.08))
        ticket(a, rng, push, week, health);
    }
    // NPS every quarter after the first month of paying, answered by about half of the accounts asked.
    while (nextNps < week + WEEK) {
      const at = nextNps;
      nextNps += 90 * DAY;
      if (healthAt(a.episodes, at) === "none" || healthAt(a.episodes, at) === "trialing") {
        const later = payingStarts.find((s) => s > at);
        if (later !== undefined) nextNps = later + 30 * DAY;
        continue;
      }
      if (!rng.chance(0.55)) continue;
      const leaving = churnsWithin(a.episodes, at, 120 * DAY);
      const score = leaving
        ? rng.weighted([
            [0, 1],
            [1, 1],
            [2, 2],
            [3, 3],
            [4, 4],
            [5, 4],
            [6, 3],
            [7, 2],
            [8, 1],
            [9, 0.5],
            [10, 0.2],
          ] as const)
        : rng.weighted([
            [3, 0.3],
            [4, 0.4],
            [5, 0.6],
            [6, 1],
            [7, 3],
            [8, 5],
            [9, 6],
            [10, 4],
          ] as const);
      const user = rng.pick(a.users);
      const tone = score <= 6 ? "low" : score <= 8 ? "mid" : "high";
      push(at, {
        type: "nps_response",
        respondentId: user.id,
        score,
        audience: "customer",
        customerId,
        email: user.email,
        ...(rng.chance(0.4) ? { comment: rng.pick(NPS_COMMENTS[tone]) } : {}),
      });
      if (score >= 9 && !evangelist) {
        evangelist = true;
        push(at + HOUR, {
          type: "lifecycle_stage",
          contactId: a.contactId,
          stage: "evangelist",
          email: a.personEmail,
          customerId,
        });
      }
    }
    yield* flush(week + WEEK);
  }
  yield* flush(Infinity);
}

function ticket(a: AccountProfile, rng: Rng, push: (at: number, e: Event) => void, week: number, health: Health) {
  const customerId = a.customerId!;
  const ticketId = rng.id("tkt", 12);
  const opened = week + rng.int(0, WEEK - 1);
  const risky = health === "at_risk";
  const firstResponse = opened + (risky ? rng.int(2 * HOUR, 30 * HOUR) : rng.int(10 * MINUTE, 6 * HOUR));
  const fcr = rng.chance(risky ? 0.25 : 0.45);
  const resolved = fcr ? firstResponse + rng.int(5 * MINUTE, 60 * MINUTE) : firstResponse + rng.int(4 * HOUR, 5 * DAY);
  push(opened, { type: "ticket_opened", ticketId, customerId });
  push(firstResponse, { type: "ticket_first_response", ticketId, customerId });
  push(resolved, { type: "ticket_resolved", ticketId, customerId, firstContactResolution: fcr });
  if (rng.chance(0.45)) {
    const score = risky
      ? rng.weighted([
          [1, 4],
          [2, 5],
          [3, 5],
          [4, 3],
          [5, 1],
        ] as const)
      : rng.weighted([
          [1, 1],
          [2, 1],
          [3, 2],
          [4, 8],
          [5, 12],
        ] as const);
    push(resolved + rng.int(10 * MINUTE, 2 * HOUR), {
      type: "csat_response",
      respondentId: rng.pick(a.users).id,
      score,
      scale: 5,
      customerId,
      touchpoint: "support",
    });
  }
}

/** Visits (several visitors per signup), the signup, the lead and the lifecycle stages up to customer. */
function acquisition(a: AccountProfile, rng: Rng, push: (at: number, e: Event) => void) {
  const { entry } = a;
  const source = entry.source;
  const span = Math.max(1, a.signupAt - entry.firstAt);
  const visitor = rng.id("vis", 16);
  push(entry.firstAt, { type: "visit", visitorId: visitor, source });
  push(entry.firstAt, { type: "lifecycle_stage", contactId: a.contactId, stage: "visitor" });
  for (let i = rng.int(0, 2); i > 0; i--)
    push(entry.firstAt + rng.int(0, span), { type: "visit", visitorId: visitor, source });
  for (let i = rng.int(2, 5); i > 0; i--)
    push(entry.firstAt + rng.int(0, span), { type: "visit", visitorId: rng.id("vis", 16), source });
  if (!a.signsUp) return;

  const customerId = a.customerId;
  const known = (t: number) => (customerId && a.customerAt <= t ? { customerId } : {});
  push(a.signupAt - rng.int(2 * MINUTE, 20 * MINUTE), { type: "visit", visitorId: visitor, source });
  // With a trial the app creates the Stripe customer at signup and reports the signup right after, with its id.
  const signupAt = a.withTrial ? a.customerAt + 5 : a.signupAt;
  push(signupAt, {
    type: "signup",
    userId: a.users[0]!.id,
    email: a.personEmail,
    source,
    ...(entry.referredBy ? { referredBy: entry.referredBy } : {}),
    ...known(signupAt),
  });
  const email = a.personEmail;
  push(a.signupAt + 1, {
    type: "lifecycle_stage",
    contactId: a.contactId,
    stage: "subscriber",
    email,
    ...known(a.signupAt + 1),
  });
  const leadAt = a.signupAt + HOUR;
  const isLead = customerId !== null || rng.chance(0.5);
  if (!isLead) return;
  push(leadAt, { type: "lead", contactId: a.contactId, source, email, ...known(leadAt) });
  push(leadAt, { type: "lifecycle_stage", contactId: a.contactId, stage: "lead", email, ...known(leadAt) });
  if (customerId === null && !rng.chance(0.4)) return;
  const qualifiedAt = a.signupAt + DAY;
  push(qualifiedAt, {
    type: "lifecycle_stage",
    contactId: a.contactId,
    stage: "qualified_lead",
    email,
    ...known(qualifiedAt),
  });
  if (customerId === null) return;
  const opportunityAt = Math.max(a.signupAt + 2 * DAY, a.customerAt);
  push(opportunityAt, { type: "lifecycle_stage", contactId: a.contactId, stage: "opportunity", email, customerId });
  const paying = a.episodes.find((e) => e.trialConverts);
  if (paying) {
    const at = Math.max(opportunityAt + HOUR, paying.anchor + 2 * HOUR);
    push(at, { type: "lifecycle_stage", contactId: a.contactId, stage: "customer", email, customerId });
  }
}
