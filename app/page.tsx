import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { auth } from "@/lib/auth/config";

export default async function Home() {
  if ((await auth())?.user?.id) redirect("/w");
  if ((await countUsers(await getDb())) === 0) redirect("/signup");
  redirect("/login");
}
