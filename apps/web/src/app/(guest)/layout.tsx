import type { ReactNode } from 'react';
import { GuestOnly } from '@/components/layout/guest-only';

/** Login and registration: for visitors; a logged-in user goes on to the dashboard. */
export default function GuestLayout({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <GuestOnly>{children}</GuestOnly>
    </div>
  );
}
