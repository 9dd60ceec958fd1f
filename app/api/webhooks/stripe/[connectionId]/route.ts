import { getDb } from "@/db/client";
import { pgCode } from "@/lib/db-errors";
import { log } from "@/lib/log";
import { resolveConnection } from "@/lib/stripe/connections";
import { ingestEvent } from "@/lib/stripe/ingest";
import { verifyStripeEvent } from "@/lib/stripe/verify";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ connectionId: string }> };

// POST /api/webhooks/stripe/[connectionId] – verify, store and apply one Stripe event
export async function POST(req: Request, ctx: Ctx) {
  const started = Date.now();
  const { connectionId } = await ctx.params;
  let connection;
  try {
    connection = await resolveConnection(connectionId, await getDb());
  } catch (err) {
    log.error("stripe.webhook.failed", { connectionId, error: errorSummary(err) });
    return new Response("temporary failure", { status: 503 });
  }
  if (!connection) return new Response("unknown connection", { status: 404 });
  const verified = verifyStripeEvent(await req.text(), req.headers.get("stripe-signature"), connection.webhookSecret);
  if (!verified.ok) return new Response(verified.reason, { status: 400 });
  try {
    const outcome = await ingestEvent({ db: await getDb(), connection, event: verified.event });
    log.info("stripe.webhook", {
      connectionId,
      eventId: verified.event.id,
      type: verified.event.type,
      outcome,
      ms: Date.now() - started,
    });
    return new Response(outcome, { status: 200, headers: { "content-type": "text/plain" } });
  } catch (err) {
    // Rolled back as a whole; Stripe retries. A configuration change or rebuild that held the workspace longer than
    // the event may wait (ADR 0016) is said so.
    log.error("stripe.webhook.failed", { connectionId, eventId: verified.event.id, error: errorSummary(err) });
    if (pgCode(err) === "55P03")
      return new Response("workspace busy: a recompute is running; retry later", {
        status: 503,
        headers: { "retry-after": "30" },
      });
    return new Response("temporary failure", { status: 503 });
  }
}

/** The database's own error (drizzle's wrapper message repeats the query parameters, i.e. the payload). */
function errorSummary(err: unknown) {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const e = cause as { name?: string; code?: string; message?: string };
  return { name: e?.name, code: e?.code, message: e?.message };
}

const notAllowed = () => new Response("method not allowed", { status: 405, headers: { allow: "POST" } });
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
