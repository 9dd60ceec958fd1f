import { requireUser } from "@/lib/auth/access";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  await requireUser("/w/new");
  return (
    <main className="mx-auto max-w-md px-4 py-10">
      <h1 className="mb-4 text-2xl font-semibold">New workspace</h1>
      <div className="rounded-lg border border-gray-200 bg-white p-6">
        <NewWorkspaceForm />
      </div>
    </main>
  );
}
