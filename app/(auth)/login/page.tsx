import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { auth } from "@/lib/auth/config";
import { oauthProviders } from "@/lib/auth/config";
import { LoginForm } from "./login-form";
import { OAuthButtons } from "./oauth-buttons";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const params = await searchParams;
  const next = typeof params.next === "string" ? params.next : "/w";
  if ((await auth())?.user?.id) redirect(next.startsWith("/") && !next.startsWith("//") ? next : "/w");
  if ((await countUsers(await getDb())) === 0) redirect("/signup");
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      <LoginForm next={next} />
      {oauthProviders.length > 0 ? <OAuthButtons providers={oauthProviders} next={next} /> : null}
      <p className="mt-4 text-xs text-gray-500">
        New here? Ask a workspace owner for an invitation link. <Link href="/">Home</Link>
      </p>
    </>
  );
}
