// Verifies a webhook body against the connection's signing secret with the stripe package (300 s tolerance), then
// checks it is an event envelope: id evt_…, type, created, data.object.
import Stripe from "stripe";
import { eventEnvelopeSchema, type StripeEvent } from "./event";
import { formatIssues } from "./normalize/common";

const stripe = new Stripe("sk_test_verify_only");
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type Verified = { ok: true; event: StripeEvent } | { ok: false; reason: string };

export function verifyStripeEvent(rawBody: string, signatureHeader: string | null, secret: string): Verified {
  if (!signatureHeader) return { ok: false, reason: "missing stripe-signature header" };
  let parsed: unknown;
  try {
    parsed = stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (err) {
    return {
      ok: false,
      reason:
        err instanceof Error && err.message.includes("tolerance")
          ? "signature timestamp outside tolerance"
          : "bad signature",
    };
  }
  const envelope = eventEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) return { ok: false, reason: `not a Stripe event: ${formatIssues(envelope.error)}` };
  return { ok: true, event: envelope.data as StripeEvent };
}
