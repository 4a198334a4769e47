'use client';

import { RealtimeError } from '@repo/client';
import { type FormEvent, useCallback, useRef, useState } from 'react';
import { useUser } from '@/components/providers/auth-provider';
import { useRealtime, useTopic } from '@/components/providers/realtime-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { focusFirstInvalid, TextField } from '@/components/ui/field';
import { EmptyState } from '@/components/ui/states';
import { LIVE_STATUS_LABELS } from '@/lib/realtime-status';
import { type FieldErrors, formValues, validateForm } from '@/lib/validation';
import {
  fitsInPublish,
  MAX_MESSAGE_LENGTH,
  parseRoomEvent,
  type ReceivedMessage,
  roomMessageSchema,
  roomNameSchema,
  TAB_ID,
} from './room';

const MAX_SHOWN = 200;

/** Pick a room, then talk in it: everyone in `room:<name>` sees every message live. */
export function LiveRoom() {
  const [room, setRoom] = useState<string | null>(null);
  return room ? (
    <JoinedRoom key={room} room={room} onLeave={() => setRoom(null)} />
  ) : (
    <JoinRoomForm onJoin={setRoom} />
  );
}

function JoinRoomForm({ onJoin }: { onJoin: (room: string) => void }) {
  const [errors, setErrors] = useState<FieldErrors<'room'>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm(roomNameSchema, formValues(event.currentTarget).room ?? '');
    if (!result.success) {
      setErrors({ room: result.errors[''] });
      focusFirstInvalid(formRef.current);
      return;
    }
    onJoin(result.data);
  };

  return (
    <Card
      title="Join a room"
      description="Everyone who joins the same room sees the messages sent to it, as they are sent."
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <TextField
          label="Room name"
          name="room"
          defaultValue="lobby"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          hint="Lower-case letters, digits, - and _"
          error={errors.room}
        />
        <Button type="submit" className="self-start">
          Join
        </Button>
      </form>
    </Card>
  );
}

function JoinedRoom({ room, onLeave }: { room: string; onLeave: () => void }) {
  const user = useUser();
  const { status, publish } = useRealtime();
  const topic = `room:${room}`;
  const [messages, setMessages] = useState<ReceivedMessage[]>([]);
  const [errors, setErrors] = useState<FieldErrors<'text'>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const onEvent = useCallback((event: { event: string; data: unknown; ts: number }) => {
    const message = parseRoomEvent(event);
    if (message) setMessages((current) => [...current, message].slice(-MAX_SHOWN));
  }, []);
  useTopic(topic, onEvent);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const result = validateForm<typeof roomMessageSchema, 'text'>(roomMessageSchema, {
      text: formValues(form).text ?? '',
      name: user.name,
      tab: TAB_ID,
    });
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    if (!fitsInPublish(result.data)) {
      setErrors({ text: 'This message is too long to send.' });
      return;
    }
    setErrors({});
    form.reset();
    // Sent at once when live, queued until the connection is back otherwise.
    publish(topic, result.data).catch((error: unknown) => {
      setErrors({
        '':
          error instanceof RealtimeError && error.code === 'timeout'
            ? 'A message was not confirmed in time: it may not have arrived.'
            : `A message could not be sent${error instanceof Error ? `: ${error.message}` : ''}.`,
      });
    });
  };

  return (
    <Card
      title={`Room: ${room}`}
      description={
        status === 'live'
          ? 'Connected. Messages arrive as they are sent.'
          : `${LIVE_STATUS_LABELS[status]}: messages you send now wait until the connection is back.`
      }
      actions={
        <Button variant="secondary" onClick={onLeave}>
          Leave room
        </Button>
      }
    >
      {messages.length === 0 ? (
        <EmptyState title="No messages yet">
          Say hello, or open this room in another tab or browser to see messages arrive live.
        </EmptyState>
      ) : (
        <ol
          role="log"
          aria-label="Messages"
          aria-live="polite"
          className="flex max-h-[28rem] flex-col gap-2 overflow-y-auto"
        >
          {messages.map((message) => {
            const mine = message.fromUserId === user.id && message.tab === TAB_ID;
            const sender = mine
              ? 'You'
              : message.fromUserId === user.id
                ? `${message.name ?? 'You'} (another tab or device)`
                : (message.name ?? 'Someone');
            return (
              <li
                key={message.key}
                className={`flex max-w-[85%] flex-col gap-0.5 rounded-lg px-3 py-2 text-sm ${
                  mine
                    ? 'self-end bg-sky-100 dark:bg-sky-950'
                    : 'self-start bg-slate-100 dark:bg-slate-800'
                }`}
              >
                <span className="text-xs font-medium text-slate-600 dark:text-slate-400">
                  {sender} ·{' '}
                  <time dateTime={new Date(message.ts).toISOString()}>
                    {new Date(message.ts).toLocaleTimeString()}
                  </time>
                </span>
                <span className="whitespace-pre-wrap wrap-anywhere">{message.text}</span>
              </li>
            );
          })}
        </ol>
      )}

      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
        <FormAlert message={errors['']} />
        <TextField
          label="Your message"
          name="text"
          autoComplete="off"
          maxLength={MAX_MESSAGE_LENGTH}
          error={errors.text}
        />
        <Button type="submit" className="self-start">
          Send
        </Button>
      </form>
    </Card>
  );
}
