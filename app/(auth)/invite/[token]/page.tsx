import Link from "next/link";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth/config";
import { roleLabels } from "@/lib/auth/permissions";
import { findOpenInvitation } from "@/lib/workspaces/members";
import { AcceptForm } from "./accept-form";

export const metadata = { title: "Accept invitation" };

export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const invitation = await findOpenInvitation(await getDb(), token);
  if (!invitation) {
    return (
      <>
        <h1 className="mb-2 text-xl font-semibold">Invitation not valid</h1>
        <p className="text-sm text-gray-600" data-testid="invite-invalid">
          This link is invalid, already used or expired. Ask the workspace owner for a new one.
        </p>
      </>
    );
  }
  const session = await auth();
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Join {invitation.workspaceName}</h1>
      <p className="mb-4 text-sm text-gray-600">
        You are invited as <strong>{roleLabels[invitation.role]}</strong> with the email{" "}
        <strong>{invitation.email}</strong>.
      </p>
      {invitation.needsPassword ? (
        <AcceptForm token={token} needsPassword />
      ) : session?.user?.email === invitation.email ? (
        <AcceptForm token={token} needsPassword={false} />
      ) : (
        <p className="text-sm">
          You already have an account.{" "}
          <Link className="text-blue-700 underline" href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>
            Sign in as {invitation.email}
          </Link>{" "}
          to accept.
        </p>
      )}
    </>
  );
}
