import Link from "next/link";

/**
 * What the marketing and success pages show before any ingest event exists: how to send events (the ingest API,
 * with the curl example of docs/api.md) or import a CSV.
 */
export function NoIngestEventsEmptyState({
  slug,
  what,
  types,
  canImport,
  canCreateTokens,
  appUrl,
}: {
  slug: string;
  /** "marketing" or "customer-success". */
  what: string;
  /** The event types this page reads, e.g. ["visit", "signup", "lead"]. */
  types: string[];
  canImport: boolean;
  /** May create API tokens (owner, admin); others are told whom to ask. */
  canCreateTokens: boolean;
  appUrl: string;
}) {
  const example = `curl -sS -X POST "${appUrl}/api/v1/workspaces/${slug}/events" \\
  -H "Authorization: Bearer $NORTHSTAR_TOKEN" -H "Content-Type: application/json" \\
  -d '{"events":[{"id":"visit-0001","type":"visit","occurredAt":"2026-06-01T09:30:00Z","visitorId":"v_8f2c","source":"google_ads"}]}'`;
  return (
    <div className="rounded-lg border border-dashed border-gray-300 bg-white p-8" data-testid="empty-state">
      <h2 className="text-lg font-semibold">No {what} events yet</h2>
      <p className="mt-2 max-w-2xl text-sm text-gray-600">
        These numbers come from events you send to Northstar (
        {types.map((t) => (
          <code key={t} className="mr-1">
            {t}
          </code>
        ))}
        …), linked to your Stripe customers by customer id or email. Send them to the ingest API with a token of scope{" "}
        <code>ingest:write</code>, or import a CSV export.
      </p>
      <pre
        className="mt-4 overflow-x-auto rounded-md bg-gray-900 p-4 text-xs text-gray-100"
        data-testid="empty-state-curl"
      >
        {example}
      </pre>
      <p className="mt-3 text-sm text-gray-600">
        Every event type and its fields are in <code>docs/api.md</code> (“Ingest API”).{" "}
        {canCreateTokens ? (
          <Link href={`/w/${slug}/settings/api-keys`} className="text-blue-700 underline">
            Create an API token.
          </Link>
        ) : (
          "Ask an owner or admin for an API token."
        )}{" "}
        {canImport ? (
          <Link
            href={`/w/${slug}/import`}
            className="font-medium text-blue-700 underline"
            data-testid="empty-state-import"
          >
            Or import a CSV.
          </Link>
        ) : null}
      </p>
    </div>
  );
}
