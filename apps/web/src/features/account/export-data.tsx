'use client';

import { useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';

/** Saves everything the API keeps about the user as a JSON file. */
export function ExportData() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const download = async () => {
    setPending(true);
    setError(undefined);
    try {
      const data = await getClients().api.account.export();
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `account-data-${data.exportedAt.slice(0, 10)}.json`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <Card
      title="Your data"
      description="Your profile, notes, sessions, API keys, passkeys, linked accounts and security activity, as one JSON file. Secrets are never included."
    >
      <FormAlert message={error} />
      <Button
        variant="secondary"
        pending={pending}
        onClick={() => void download()}
        className="self-start"
      >
        {pending ? 'Preparing…' : 'Download my data'}
      </Button>
    </Card>
  );
}
