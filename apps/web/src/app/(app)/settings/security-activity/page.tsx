import type { Metadata } from 'next';
import { SecurityActivity } from '@/features/security-events/security-activity';

export const metadata: Metadata = { title: 'Security activity' };

export default function SecurityActivitySettingsPage() {
  return <SecurityActivity />;
}
