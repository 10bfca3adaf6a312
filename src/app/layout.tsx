import "~/styles/globals.css";

import type { Metadata } from "next";
import Link from "next/link";

import { TRPCReactProvider } from "~/trpc/react";

export const metadata: Metadata = {
  title: "Race-safe video editor",
  description: "A reference AI video editor whose chat, scenes and welcome reset are race-safe.",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex h-12 max-w-7xl items-center px-4 sm:px-6">
            <Link
              href="/"
              className="flex items-center gap-2 rounded-md text-sm font-semibold tracking-tight text-slate-900 hover:text-slate-700"
            >
              <span aria-hidden className="grid size-6 place-items-center rounded-md bg-slate-900 text-xs text-white">
                ▶
              </span>
              Race-safe video editor
            </Link>
          </div>
        </header>
        <TRPCReactProvider>
          <main className="flex flex-1 flex-col">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
