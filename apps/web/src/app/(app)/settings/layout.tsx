import type { ReactNode } from 'react';
import { SettingsNav } from '@/components/layout/settings-nav';
import { PageHeader } from '@/components/ui/card';

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" />
      <div className="flex flex-col gap-6 md:flex-row md:items-start">
        <div className="md:w-56 md:shrink-0">
          <SettingsNav />
        </div>
        <div className="flex min-w-0 flex-1 flex-col gap-6">{children}</div>
      </div>
    </div>
  );
}
