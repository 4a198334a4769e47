import type { Metadata } from 'next';
import { MfaSettings } from '@/components/settings/mfa-settings';

export const metadata: Metadata = { title: 'Two-factor authentication' };

export default function MfaSettingsPage() {
  return <MfaSettings />;
}
