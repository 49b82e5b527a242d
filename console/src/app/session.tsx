// The signed-in user: POST /v1/auth/login, then GET /v1/me. The token itself stays in
// api/client.ts's memory; this keeps who the user is and why a session ended.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, setSessionEndedHandler, setToken } from '../api/client';
import type { Me, Session } from '../api/types';
import { clearAllDrafts } from '../messaging/draft';

export interface Credentials {
  user: string;
  password: string;
  totp?: string;
}

interface SessionState {
  me: Me | null;
  ended: string | null; // why the last session ended: 'signed_out' or the API's code
  login: (credentials: Credentials) => Promise<void>;
  logout: () => Promise<void>;
}

const Context = createContext<SessionState | null>(null);

export function SessionProvider(props: { children: ComponentChildren }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ended, setEnded] = useState<string | null>(null);

  useEffect(() => {
    setSessionEndedHandler((code) => {
      setMe(null);
      setEnded(code);
    });
    return () => setSessionEndedHandler(null);
  }, []);

  const login = useCallback(async (credentials: Credentials) => {
    const body: Credentials = { user: credentials.user, password: credentials.password };
    if (credentials.totp) body.totp = credentials.totp;
    const session = await api<Session>('POST', '/v1/auth/login', { body });
    setToken(session.token);
    try {
      setMe(await api<Me>('GET', '/v1/me'));
      setEnded(null);
    } catch (e) {
      setToken(null);
      throw e;
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await api<void>('POST', '/v1/auth/logout');
    } catch {
      // The token is forgotten here whatever the hub answered; it expires on its own.
    }
    setToken(null);
    clearAllDrafts();
    setMe(null);
    setEnded('signed_out');
  }, []);

  const value = useMemo(() => ({ me, ended, login, logout }), [me, ended, login, logout]);
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

// For screens that render only once signed in.
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
