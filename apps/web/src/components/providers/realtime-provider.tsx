'use client';

import { type EventHandler, type RealtimeState, type ServerEvent } from '@repo/client';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
} from 'react';
import { getClients } from '@/lib/api';
import { type LiveStatus, liveStatusOf } from '@/lib/realtime-status';
import { useAuth } from './auth-provider';

export interface RealtimeContextValue {
  /** The WebSocket's state, as the client reports it. */
  state: RealtimeState;
  /** The same, as the header shows it. */
  status: LiveStatus;
  /** Publishes to a `room:<name>`; resolves on the server's ack (queued while disconnected). */
  publish: (topic: string, data: unknown) => Promise<void>;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

const subscribe = (listener: () => void) => getClients().realtime.on('state', listener);
const getSnapshot = (): RealtimeState => getClients().realtime.state;
const getServerSnapshot = (): RealtimeState => 'idle';

/**
 * The app's one WebSocket: connected once a session exists, idle while logged out (the client
 * drops it at logout and comes back at the next login, re-authenticating after every refresh).
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { status: authStatus } = useAuth();
  const state = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);

  useEffect(() => {
    if (authStatus === 'authenticated') getClients().realtime.connect();
  }, [authStatus]);

  const value = useMemo<RealtimeContextValue>(
    () => ({
      state,
      status: liveStatusOf(state),
      publish: (topic, data) => getClients().realtime.publish(topic, data),
    }),
    [state],
  );
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('useRealtime() needs a <RealtimeProvider> above it');
  return value;
}

/** A ref that always holds the latest handler, so subscriptions need not follow it. */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Handles the events of a topic (`room:<name>`, `broadcast`) while mounted; null subscribes to
 * nothing. The subscription survives reconnects; the handler may change on every render.
 */
export function useTopic(topic: string | null, handler: (event: ServerEvent) => void): void {
  const latest = useLatest(handler);
  useEffect(() => {
    if (!topic) return;
    const forward: EventHandler = (event) => latest.current(event);
    return getClients().realtime.subscribe(topic, forward);
  }, [topic, latest]);
}

/** Handles the events of the user's own topic: user.updated, session.revoked, a feature's own… */
export function useUserEvents(handler: (event: ServerEvent) => void): void {
  const latest = useLatest(handler);
  useEffect(() => {
    const off = getClients().realtime.onUserEvent((event) => latest.current(event));
    return () => {
      off();
    };
  }, [latest]);
}
