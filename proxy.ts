import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authBaseConfig } from "@/lib/auth/config.base";

// Sends anonymous visitors of workspace pages to /login. It authorizes nothing: every page, action and route
// checks the member's role itself.
const { auth } = NextAuth(authBaseConfig);

export const proxy = auth((req) => {
  if (!req.auth?.user) {
    const url = new URL("/login", req.nextUrl.origin);
    url.searchParams.set("next", req.nextUrl.pathname + req.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
});

export const config = { matcher: ["/w/:path*", "/workspaces/:path*"] };
