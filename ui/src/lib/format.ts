/** An ISO date (`2026-12-04`) as people read it in kk and ru: `04.12.2026`. */
export function dmy(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** Milliseconds as H:MM:SS or M:SS, for countdowns. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Which countdown warning applies: the 10, 5 and 1 minute marks. */
export function warning(ms: number): 0 | 1 | 5 | 10 {
  if (ms <= 60_000) return 1;
  if (ms <= 5 * 60_000) return 5;
  if (ms <= 10 * 60_000) return 10;
  return 0;
}
