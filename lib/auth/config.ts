import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { findUserByEmail } from "@/db/queries/users";
import { accounts, users } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { authBaseConfig } from "./config.base";
import { checkCredentials, clientIp } from "./credentials";

class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
}

// GitHub and Google sign-in switch on when their AUTH_<PROVIDER>_ID/SECRET variables are set.
const oauth = [
  ...(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET ? [GitHub] : []),
  ...(process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET ? [Google] : []),
];
export const oauthProviders = oauth.map((p) => ({
  id: p === GitHub ? "github" : "google",
  name: p === GitHub ? "GitHub" : "Google",
}));

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authBaseConfig,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        try {
          return await checkCredentials(await getDb(), credentials, clientIp(request.headers));
        } catch (err) {
          if (isAppError(err) && err.code === "RATE_LIMITED") throw new RateLimitedSignin();
          throw err;
        }
      },
    }),
    ...oauth,
  ],
  callbacks: {
    ...authBaseConfig.callbacks,
    /** OAuth users are matched to our users by verified email, or created, and linked in `accounts`. */
    async jwt({ token, user, account }) {
      if (account && account.provider !== "credentials" && user?.email) {
        const db = await getDb();
        const email = user.email.toLowerCase();
        const existing = await findUserByEmail(email, db);
        const id = existing?.id ?? newId("usr");
        if (!existing) await db.insert(users).values({ id, email, name: user.name ?? null, image: user.image ?? null });
        await db
          .insert(accounts)
          .values({
            userId: id,
            type: account.type,
            provider: account.provider,
            providerAccountId: account.providerAccountId,
          })
          .onConflictDoNothing();
        const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
        token.uid = row!.id;
        return token;
      }
      return authBaseConfig.callbacks.jwt({ token, user });
    },
  },
});
