import type { ReactNode } from 'react';
import { RequireAuth } from '@/components/layout/require-auth';

/** Pages for logged-in users: the others are sent to /login?next=<page>. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return <RequireAuth>{children}</RequireAuth>;
}
