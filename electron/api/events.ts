// Typed events from the main process to the renderer (IPC `event` channel, WebSocket in web mode).
import { z } from 'zod';
import { jobEvents } from '../scheduler/events';

export const events = {
  'workspaces.changed': z.object({ workspaceId: z.string() }),
  'app.notice': z.object({
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
  ...jobEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}
