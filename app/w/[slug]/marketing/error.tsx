"use client";

import { ErrorView } from "@/app/_components/error-view";

export default function MarketingError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView error={error} reset={reset} what="The marketing dashboard" />;
}
