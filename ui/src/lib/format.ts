import type { Lang } from './fluent';

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

/**
 * A score for people, from thousandths of a percent: "73,3 %" in Kazakh and Russian (decimal
 * comma), "73.3 %" in English, a whole number without ".0" ("20 %"). Rounded down to a tenth,
 * so a score just under the pass mark never reads as the pass mark beside "not passed"
 * (69 990 is "69,9 %"). The Rust side has the same rule: `synaq_i18n::percent`.
 */
export function percent(milli: number, lang: Lang): string {
  const tenths = Math.floor(Math.max(0, milli) / 100);
  return `${tenthsText(tenths, lang)} %`;
}

/** A size or amount with at most one decimal, in the language's way: "1,5" in kk and ru, "1.5" in en, "12" not "12.0". */
export function decimal(value: number, lang: Lang): string {
  return tenthsText(Math.round(Math.max(0, value) * 10), lang);
}

function tenthsText(tenths: number, lang: Lang): string {
  const whole = Math.floor(tenths / 10);
  const tenth = tenths % 10;
  return tenth === 0 ? `${whole}` : `${whole}${lang === 'en' ? '.' : ','}${tenth}`;
}
