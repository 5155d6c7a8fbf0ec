import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { Processes } from './model.ts';
import type { Session } from './session.ts';

/** What every page needs: the API client, who is signed in, and the process definitions. */
export interface ConsoleContext {
  api: ApiClient;
  session: Session;
  processes: Processes;
  /** The deployment's time zone of record (the default process's). */
  timeZone: string;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const context = useContext(Console);
  if (!context) throw new Error('useConsole outside the signed-in console');
  return context;
}
