import type { Metadata } from "next";
import "./globals.css";

// Every page reads the session or the database: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Northstar", template: "%s · Northstar" },
  description: "SaaS metrics for finance, marketing and customer success",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
