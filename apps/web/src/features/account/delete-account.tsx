'use client';

import { type FormEvent, useState } from 'react';
import { useUser } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';

/** The danger zone: deleting the account, once its address is typed to confirm. */
export function DeleteAccount() {
  const user = useUser();
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const confirmed = typed.trim().toLowerCase() === user.email.toLowerCase();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirmed) return;
    setPending(true);
    setError(undefined);
    try {
      await getClients().api.account.delete();
      // A full load: every session of the account is over (the API cleared the refresh cookie),
      // so the page starts logged out, with nothing of the account left in memory.
      window.location.replace('/');
    } catch (e) {
      setError(describeError(e));
      setPending(false);
    }
  };

  return (
    <Card
      title="Danger zone"
      description="Deleting your account removes it and all its data at once, and signs out every session. It cannot be undone."
    >
      <form
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="flex flex-col gap-4 rounded-md border border-red-300 p-4 dark:border-red-900"
      >
        <FormAlert message={error} />
        <TextField
          label={`Type ${user.email} to confirm`}
          name="confirm-email"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <Button
          type="submit"
          variant="danger"
          pending={pending}
          disabled={!confirmed}
          className="self-start"
        >
          {pending ? 'Deleting…' : 'Delete account'}
        </Button>
      </form>
    </Card>
  );
}
