import type { Metadata } from 'next';
import { ChangeEmailForm } from '@/features/account/change-email-form';
import { DeleteAccount } from '@/features/account/delete-account';
import { ExportData } from '@/features/account/export-data';

export const metadata: Metadata = { title: 'Account' };

export default function AccountSettingsPage() {
  return (
    <>
      <ChangeEmailForm />
      <ExportData />
      <DeleteAccount />
    </>
  );
}
