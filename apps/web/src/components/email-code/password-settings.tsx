'use client';

import { ChangePasswordForm } from '@/components/settings/change-password-form';
import { useUser } from '@/components/providers/auth-provider';
import { SetPasswordForm } from './set-password-form';

/** `/settings/password`: change the password, or set a first one when the account has none. */
export function PasswordSettings() {
  return useUser().hasPassword ? <ChangePasswordForm /> : <SetPasswordForm />;
}
