"use client";

import { useEffect } from "react";

/**
 * The body of an error.tsx boundary: a readable message, the digest (the server log has the stack under it), and a
 * retry. Never the error's own message: in production Next replaces it, and it must not leak SQL or stack traces.
 */
export function ErrorView({
  error,
  reset,
  what,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  what: string;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div
      className="mx-auto max-w-lg rounded-lg border border-rose-200 bg-rose-50 p-6"
      data-testid="error-view"
      role="status"
    >
      <h1 className="mb-2 text-lg font-semibold text-rose-900">{what} could not be loaded</h1>
      <p className="text-sm text-rose-900">
        Something went wrong while computing these numbers. Try again; if it keeps failing, give your operator this
        reference: <code>{error.digest ?? "none"}</code>.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-rose-300 bg-white px-4 py-2 text-sm font-medium text-rose-800 hover:bg-rose-100"
      >
        Try again
      </button>
    </div>
  );
}
