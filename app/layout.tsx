import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Stageboard", template: "%s · Stageboard" },
  description: "AWS CodePipeline, per GitHub repository",
};

export default async function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  // Every page renders per request, never prerendered at build: Next puts each response's CSP nonce
  // (proxy.ts) on the scripts it renders, and a page built ahead of time would carry none.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
