import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/card';
import { LiveRoom } from '@/features/room/live-room';

export const metadata: Metadata = { title: 'Live room' };

export default function RoomPage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Live room">
        Messages go over the WebSocket to everyone in the same room, on any API instance.
      </PageHeader>
      <LiveRoom />
    </div>
  );
}
