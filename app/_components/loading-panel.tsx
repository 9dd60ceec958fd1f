/** A Suspense fallback: grey blocks in the page's layout, announced politely to screen readers. */
export function LoadingPanel({ label, blocks = 4 }: { label: string; blocks?: number }) {
  return (
    <div role="status" aria-live="polite" data-testid="loading" className="space-y-4">
      <span className="sr-only">{label}</span>
      <div className="grid gap-4 md:grid-cols-4">
        {Array.from({ length: blocks }, (_, i) => (
          <div key={i} className="h-24 animate-pulse rounded-lg bg-gray-200" />
        ))}
      </div>
      <div className="h-72 animate-pulse rounded-lg bg-gray-200" />
    </div>
  );
}
