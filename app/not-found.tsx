import Link from "next/link";

export default function NotFound() {
  return (
    <main className="p-10 text-center" data-testid="not-found">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-gray-600">There is nothing here, or you are not a member of this workspace.</p>
      <Link href="/w" className="mt-4 inline-block text-sm text-blue-700 underline">
        Your workspaces
      </Link>
    </main>
  );
}
