import type { Metadata } from 'next';
import { LiveRoom } from '@/components/room/live-room';
import { PageHeader } from '@/components/ui/card';

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
