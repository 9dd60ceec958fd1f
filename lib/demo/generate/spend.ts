// Weekly marketing spend per paid channel: a base budget plus a cost per signup the channel brought that week, so
// CAC by channel comes out in a believable range (google_ads ≈ 120, linkedin ≈ 250, facebook_ads ≈ 80 per signup).
import type { IngestEventInput } from "@/lib/ingest/schemas";
import { PAID_CHANNELS, type RosterEntry, type Source } from "./plan";
import type { Rng } from "./random";
import type { Timed } from "./summary";
import { toIso, WEEK } from "./time";

const COST: Partial<Record<Source, { base: number; perSignup: number }>> = {
  google_ads: { base: 25_000, perSignup: 12_000 },
  linkedin: { base: 15_000, perSignup: 25_000 },
  facebook_ads: { base: 10_000, perSignup: 8_000 },
};

export function* spendStream(
  roster: readonly RosterEntry[],
  rng: Rng,
  startAt: number,
  endAt: number,
  currency: string,
): Generator<Timed> {
  const weeks = Math.ceil((endAt - startAt + 1) / WEEK);
  const signups = new Map<Source, number[]>(PAID_CHANNELS.map((c) => [c, new Array<number>(weeks).fill(0)]));
  for (const entry of roster) {
    const counts = signups.get(entry.source);
    const w = Math.floor((entry.signupAt - startAt) / WEEK);
    if (counts && w >= 0 && w < weeks) counts[w]!++;
  }
  for (let w = 0; w < weeks; w++) {
    const at = startAt + w * WEEK;
    for (const channel of PAID_CHANNELS) {
      const cost = COST[channel]!;
      const noise = 0.8 + rng.float() * 0.4;
      const amount = Math.round((cost.base + cost.perSignup * signups.get(channel)![w]!) * noise);
      const event: IngestEventInput = {
        id: rng.id("dm", 22),
        type: "marketing_spend",
        occurredAt: toIso(at),
        channel,
        amount,
        currency,
      };
      yield { at, item: { kind: "ingest", event } };
    }
  }
}
