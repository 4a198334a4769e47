import type { Metadata } from 'next';
import { ChangeEmailForm } from '@/components/account/change-email-form';
import { DeleteAccount } from '@/components/account/delete-account';
import { ExportData } from '@/components/account/export-data';

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
