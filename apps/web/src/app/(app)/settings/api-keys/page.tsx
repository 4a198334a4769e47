import type { Metadata } from 'next';
import { ApiKeys } from '@/features/api-keys/api-keys';

export const metadata: Metadata = { title: 'API keys' };

export default function ApiKeysSettingsPage() {
  return <ApiKeys />;
}
