import { getDb } from "@/db/client";
import { countOutcomesByConnection, listRecentEvents, listRecentJobs } from "@/db/queries/stripe-ingestion";
import { requireAccess } from "@/lib/auth/access";
import { getEnv } from "@/lib/env";
import { listConnections, STRIPE_EVENT_TYPES } from "@/lib/stripe/connections";
import { CopyField } from "@/app/_components/copy-field";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { BackfillButton, ConnectStripeForm } from "./connect-form";

export const metadata = { title: "Stripe" };

const outcomeStyle: Record<string, string> = {
  applied: "bg-green-50 text-green-700",
  ignored: "bg-gray-100 text-gray-600",
  stale: "bg-amber-50 text-amber-700",
  rejected: "bg-red-50 text-red-700",
};

export default async function StripeSettingsPage({ params }: PageProps<"/w/[slug]/settings/stripe">) {
  const { workspace } = await requireAccess((await params).slug, "connections.manage");
  const db = await getDb();
  const [connections, counts, recent, rejected, jobs] = await Promise.all([
    listConnections(workspace.id, db),
    countOutcomesByConnection(workspace.id, db),
    listRecentEvents(workspace.id, db, { limit: 25 }),
    listRecentEvents(workspace.id, db, { limit: 25, outcome: "rejected" }),
    listRecentJobs(workspace.id, db),
  ]);
  const running = jobs.some((j) => j.status === "queued" || j.status === "running");
  const appUrl = getEnv().APP_URL;
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Stripe</h1>
      <p className="text-sm text-gray-600">
        Northstar keeps every Stripe event it receives and projects it into your metrics. Connect an account, then add a
        webhook endpoint in the Stripe Dashboard (Developers → Webhooks) with the URL below and the events listed.
      </p>

      {connections.length === 0 ? (
        <p
          className="rounded-lg border border-dashed border-gray-300 p-4 text-sm text-gray-600"
          data-testid="no-connections"
        >
          No Stripe account connected yet.
        </p>
      ) : (
        <ul className="space-y-4" data-testid="connections">
          {connections.map((c) => {
            const n = (o: string) => counts.find((x) => x.connectionId === c.id && x.outcome === o)?.n ?? 0;
            return (
              <li key={c.id} className="rounded-lg border border-gray-200 bg-white p-4">
                <div className="flex items-center justify-between">
                  <span className="font-medium">{c.name}</span>
                  <span className="font-mono text-xs text-gray-500">{c.id}</span>
                </div>
                <CopyField
                  label="Webhook URL"
                  value={`${appUrl}/api/webhooks/stripe/${c.id}`}
                  testId={`webhook-url-${c.id}`}
                />
                <p className="mt-2 text-xs text-gray-600">
                  {n("applied")} applied · {n("ignored")} ignored · {n("stale")} stale · {n("rejected")} rejected
                  {c.hasSecretKey ? " · backfill key stored (encrypted)" : " · no backfill key"}
                </p>
                {c.hasSecretKey ? <BackfillButton slug={workspace.slug} connectionId={c.id} /> : null}
              </li>
            );
          })}
        </ul>
      )}

      {jobs.length > 0 ? (
        <section className="rounded-lg border border-gray-200 bg-white p-4 text-sm" data-testid="jobs">
          <h2 className="mb-2 font-medium">Backfills</h2>
          <AutoRefresh active={running} />
          <ul className="space-y-1">
            {jobs.map((j) => (
              <li key={j.id}>
                <span className="font-mono text-xs">{j.id}</span> · {j.status} ·{" "}
                {Object.entries(j.progress)
                  .map(([type, n]) => `${type} ${String(n)}`)
                  .join(", ") || "starting"}
                {j.error ? <span className="text-red-700"> · {j.error}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="rounded-lg border border-gray-200 bg-white p-6">
        <h2 className="mb-3 font-medium">Connect a Stripe account</h2>
        <ConnectStripeForm slug={workspace.slug} />
      </div>

      <details className="rounded-lg border border-gray-200 bg-white p-4 text-sm">
        <summary className="cursor-pointer font-medium">
          Events to enable on the webhook endpoint ({STRIPE_EVENT_TYPES.length})
        </summary>
        <ul className="mt-2 columns-2 font-mono text-xs text-gray-700" data-testid="event-types">
          {STRIPE_EVENT_TYPES.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      </details>

      {rejected.length > 0 ? (
        <section className="rounded-lg border border-red-200 bg-white p-4" data-testid="rejected-events">
          <h2 className="mb-2 font-medium text-red-700">Events we could not read</h2>
          <p className="mb-2 text-xs text-gray-600">
            They are stored and have no effect on your numbers. After an upgrade, `npm run admin -- rebuild` re-applies
            them.
          </p>
          <EventTable rows={rejected} />
        </section>
      ) : null}

      <section className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Recent events</h2>
        {recent.length === 0 ? (
          <p className="text-sm text-gray-600">Nothing received yet.</p>
        ) : (
          <EventTable rows={recent} />
        )}
      </section>
    </div>
  );
}

function EventTable({ rows }: { rows: Awaited<ReturnType<typeof listRecentEvents>> }) {
  return (
    <table className="w-full text-left text-xs" data-testid="event-table">
      <thead className="text-gray-500">
        <tr>
          <th className="py-1">Received</th>
          <th>Type</th>
          <th>Event</th>
          <th>API version</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-gray-100">
        {rows.map((e) => (
          <tr key={`${e.connectionId}-${e.id}`}>
            <td className="py-1">{e.receivedAt.toISOString().slice(0, 19).replace("T", " ")}</td>
            <td className="font-mono">{e.type}</td>
            <td className="font-mono">{e.id}</td>
            <td>{e.apiVersion ?? "—"}</td>
            <td>
              <span className={`rounded px-1.5 py-0.5 ${outcomeStyle[e.outcome ?? ""] ?? ""}`}>
                {e.outcome ?? "pending"}
              </span>
              {e.reason ? <span className="ml-2 text-gray-600">{e.reason}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
