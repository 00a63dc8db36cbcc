// Where the kiosk's window is, and the sessions it holds. Tokens live only in memory: a
// restart asks the proctor again, which is what the rules want after a crash.
import { commands, type AppStatus, type IpcError, type Result } from './bindings';

export type Screen =
  | 'language'
  | 'welcome'
  | 'first-run'
  | 'login'
  | 'proctor'
  | 'admin'
  | 'exam';

export const app = $state({
  screen: 'language' as Screen,
  status: null as AppStatus | null,
  loginRole: 'proctor' as 'proctor' | 'admin',
  proctor: null as { token: string; name: string } | null,
  admin: null as { token: string; name: string } | null,
  examinee: null as { token: string; name: string } | null,
});

/** Unwraps a command's result, throwing the translated `{code, message}` on error. */
export async function call<T>(p: Promise<Result<T, IpcError>>): Promise<T> {
  const r = await p;
  if (r.status === 'error') throw r.error;
  return r.data;
}

export function isIpcError(e: unknown): e is IpcError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export async function refreshStatus(): Promise<AppStatus> {
  app.status = await commands.appStatus();
  return app.status;
}

/** Opens the staff login for a role (key combination or the discreet staff button). */
export function openStaff(role: 'proctor' | 'admin') {
  app.loginRole = role;
  app.screen = 'login';
}

export async function logoutAll() {
  for (const s of [app.proctor, app.admin]) if (s) await commands.logout(s.token);
  app.proctor = null;
  app.admin = null;
}
