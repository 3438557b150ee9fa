import { useEffect, useState } from 'react';
import { createParser } from 'eventsource-parser';
import { apiError, sessionHeaders, type Schemas } from './api/client';

type TrainingEvent = Schemas['TrainingEventDto'];

/**
 * A job's events, live: the platform's Server-Sent Events stream read with fetch (EventSource
 * cannot send the session header) and eventsource-parser. Reconnects with Last-Event-ID, so a
 * dropped connection misses nothing; stops at the stream's `end` event.
 */
export function useJobEvents(jobId: string): { events: TrainingEvent[]; ended: boolean; error?: Error } {
  const [events, setEvents] = useState<TrainingEvent[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    const abort = new AbortController();
    let lastId: string | undefined;
    let finished = false;
    const follow = async () => {
      while (!finished && !abort.signal.aborted) {
        try {
          const headers: Record<string, string> = { accept: 'text/event-stream', ...sessionHeaders() };
          if (lastId) headers['last-event-id'] = lastId;
          const response = await fetch(`/v1/training-jobs/${encodeURIComponent(jobId)}/events`, { headers, signal: abort.signal });
          if (!response.ok || !response.body) throw apiError(response.status, await response.json().catch(() => undefined));
          setError(undefined);
          const parser = createParser({
            onEvent: (message) => {
              if (message.event === 'end') {
                finished = true;
                setEnded(true);
                return;
              }
              lastId = message.id;
              const event = JSON.parse(message.data) as TrainingEvent;
              setEvents((earlier) => [...earlier, event]);
            },
          });
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value);
        } catch (caught) {
          if (abort.signal.aborted) return;
          setError(caught as Error);
          if ((caught as { status?: number }).status && (caught as { status: number }).status < 500) return;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    };
    void follow();
    return () => abort.abort();
  }, [jobId]);
  return { events, ended, error };
}
