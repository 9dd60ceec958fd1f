"use client";

import { useState } from "react";

/** A read-only value with a copy button (webhook URLs, invitation links). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-2">
      <span className="block text-xs font-medium text-gray-600">{label}</span>
      <div className="mt-1 flex gap-2">
        <input
          readOnly
          value={value}
          data-testid={testId}
          aria-label={label}
          className="w-full rounded-md border border-gray-300 bg-gray-50 px-3 py-1.5 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="rounded-md border border-gray-300 px-3 text-xs hover:bg-gray-50"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => undefined);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
