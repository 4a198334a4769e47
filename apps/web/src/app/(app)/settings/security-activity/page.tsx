import type { Metadata } from 'next';
import { SecurityActivity } from '@/components/security-events/security-activity';

export const metadata: Metadata = { title: 'Security activity' };

export default function SecurityActivitySettingsPage() {
  return <SecurityActivity />;
}
