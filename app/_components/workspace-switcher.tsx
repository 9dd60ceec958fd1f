"use client";

import { useRouter } from "next/navigation";

export function WorkspaceSwitcher({
  current,
  workspaces,
}: {
  current: string;
  workspaces: { slug: string; name: string }[];
}) {
  const router = useRouter();
  return (
    <label className="text-sm">
      <span className="sr-only">Workspace</span>
      <select
        data-testid="workspace-switcher"
        value={current}
        onChange={(e) => router.push(e.target.value === "__all" ? "/w" : `/w/${e.target.value}`)}
        className="rounded-md border border-gray-300 bg-white px-2 py-1"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
        <option value="__all">All workspaces…</option>
      </select>
    </label>
  );
}
