import Link from "next/link";

/** What a workspace without Stripe data sees instead of empty charts. */
export function ConnectStripeEmptyState({ slug, canConnect }: { slug: string; canConnect: boolean }) {
  return (
    <div className="rounded-lg border border-dashed border-gray-300 bg-white p-8 text-center" data-testid="empty-state">
      <h2 className="text-lg font-semibold">No Stripe data yet</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-gray-600">
        Northstar computes MRR, movements and churn from your Stripe subscriptions. Connect a Stripe account and point
        its webhook at Northstar; the numbers appear as soon as the first subscription event arrives.
      </p>
      {canConnect ? (
        <Link
          href={`/w/${slug}/settings/stripe`}
          className="mt-4 inline-block rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800"
        >
          Connect Stripe
        </Link>
      ) : (
        <p className="mt-4 text-sm text-gray-500">Ask an owner or admin to connect Stripe.</p>
      )}
      <p className="mt-3 text-xs text-gray-500">
        Operators can also run <code>npm run admin -- connect-stripe --workspace {slug} --webhook-secret whsec_…</code>
      </p>
    </div>
  );
}

/** A table or chart with nothing in the chosen range. */
export function EmptyRange({ what, testId }: { what: string; testId?: string }) {
  return (
    <p className="rounded-md bg-gray-50 px-3 py-6 text-center text-sm text-gray-500" data-testid={testId}>
      No {what} in this range. Try a wider date range or fewer filters.
    </p>
  );
}
