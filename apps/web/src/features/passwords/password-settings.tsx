'use client';

import { useUser } from '@/components/providers/auth-provider';
import { ChangePasswordForm } from './change-password-form';
import { SetPasswordForm } from './set-password-form';

/** `/settings/password`: change the password, or set a first one when the account has none. */
export function PasswordSettings() {
  return useUser().hasPassword ? <ChangePasswordForm /> : <SetPasswordForm />;
}
