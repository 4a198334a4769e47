import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/card';
import { NotesBoard } from '@/features/notes/notes-board';

export const metadata: Metadata = { title: 'Dashboard' };

export default function DashboardPage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Dashboard">
        Changes made in another tab or on another device show up here live.
      </PageHeader>
      <NotesBoard />
    </div>
  );
}
