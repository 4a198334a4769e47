import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ConnectionBanner } from '@/components/layout/connection-banner';
import { SiteHeader } from '@/components/layout/site-header';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Full-stack starter', template: '%s · Full-stack starter' },
  description: 'Next.js web app and NestJS API starter',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so that Next can put this response's CSP nonce on its scripts.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow dark:focus:bg-slate-900"
          >
            Skip to content
          </a>
          <SiteHeader />
          <ConnectionBanner />
          <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8 sm:py-10">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
