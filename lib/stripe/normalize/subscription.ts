import type { Normalized, SubscriptionRecord } from "../types";
import { isRecord } from "./common";
import { normalizeSubscriptionV1 } from "./subscription-v1";
import { normalizeSubscriptionV2 } from "./subscription-v2";

/**
 * Picks the shape from the object, not the event's api_version: an endpoint renders objects in its own version,
 * so one connection can deliver both. A top-level `current_period_start` only exists before 2025-03-31.
 */
export function normalizeSubscription(input: unknown): Normalized<SubscriptionRecord> {
  if (
    isRecord(input) &&
    (typeof input.current_period_start === "number" || ("plan" in input && !("discounts" in input)))
  )
    return normalizeSubscriptionV1(input);
  return normalizeSubscriptionV2(input);
}
