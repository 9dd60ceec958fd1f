import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { SignupForm } from "./signup-form";

export const metadata = { title: "Set up Northstar" };

/** First run only: once anyone has an account, people join by invitation. */
export default async function SignupPage() {
  if ((await countUsers(await getDb())) > 0) redirect("/login");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Set up Northstar</h1>
      <p className="mb-4 text-sm text-gray-600">You are the first user: you will own the first workspace.</p>
      <SignupForm />
    </>
  );
}
