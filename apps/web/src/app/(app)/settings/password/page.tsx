import type { Metadata } from 'next';
import { ChangePasswordForm } from '../../../../components/settings/change-password-form';

export const metadata: Metadata = { title: 'Password' };

export default function PasswordSettingsPage() {
  return <ChangePasswordForm />;
}
