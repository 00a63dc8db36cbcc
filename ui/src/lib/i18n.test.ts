import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentResource } from '@fluent/bundle';
import { INCIDENTS } from './bindings';
import { format, LANGS, makeBundle, messageIds, SOURCES } from './fluent';

/** Entries a Fluent parser skipped as junk: an id that starts a line but did not become a message. */
function unparsed(source: string): string[] {
  const declared = [...source.matchAll(/^(-?[a-zA-Z][\w-]*)\s*=/gm)].map((m) => m[1]);
  const parsed = new Set(new FluentResource(source).body.map((m) => m.id));
  return declared.filter((id) => !parsed.has(id));
}

/** Every `t('key'` / `tIn(lang, 'key'` used in the UI's sources. */
function keysUsedInSources(dir: string): Set<string> {
  const keys = new Set<string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const k of keysUsedInSources(path)) keys.add(k);
    } else if (/\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts')) {
      const src = readFileSync(path, 'utf8');
      for (const m of src.matchAll(/\bt(?:In)?\((?:[^,()]+,\s*)?'([a-z0-9-]+)'/g)) keys.add(m[1]);
      // Keys chosen in a ternary or a table: any quoted string that looks like one of ours.
      for (const m of src.matchAll(/'((?:exam|proctor|admin|staff|setup|welcome|incident)-[a-z0-9-]+)'/g)) keys.add(m[1]);
    }
  }
  return keys;
}

/** Text written straight into a component's markup instead of coming from a catalog. */
function untranslatedText(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      found.push(...untranslatedText(path));
    } else if (name.endsWith('.svelte')) {
      let markup = readFileSync(path, 'utf8')
        .replace(/<script[\s\S]*?<\/script>/g, '')
        .replace(/<style[\s\S]*?<\/style>/g, '')
        .replace(/<!--[\s\S]*?-->/g, '');
      // Drop every {expression}, innermost first, so nested braces go too.
      for (let prev = ''; prev !== markup; ) {
        prev = markup;
        markup = markup.replace(/\{[^{}]*\}/g, ' ');
      }
      for (const m of markup.matchAll(/>([^<>]+)</g)) {
        const text = m[1].trim();
        if (/\p{L}{2,}/u.test(text)) found.push(`${name}: ${text}`);
      }
    }
  }
  return found;
}

describe('Fluent catalogs', () => {
  it('are the only source of text in components', () => {
    expect(untranslatedText(fileURLToPath(new URL('..', import.meta.url)))).toEqual([]);
  });

  it('parse completely in every language', () => {
    expect(unparsed('good = Fine\nbroken = { $x\nafter = Still here\n')).toEqual(['broken']);
    for (const lang of LANGS) expect(unparsed(SOURCES[lang]), lang).toEqual([]);
  });

  it('define the same messages in kk, ru and en', () => {
    const all = new Set(LANGS.flatMap((l) => messageIds(l)));
    for (const lang of LANGS) {
      const have = new Set(messageIds(lang));
      const missing = [...all].filter((k) => !have.has(k));
      expect(missing, `missing in ${lang}`).toEqual([]);
    }
    expect(all.size).toBeGreaterThan(20);
  });

  it('have every key the UI uses', () => {
    const used = keysUsedInSources(fileURLToPath(new URL('..', import.meta.url)));
    // Keys built at run time are listed by hand.
    for (const lang of LANGS) used.add(`language-${lang}`);
    for (const role of ['admin', 'proctor']) used.add(`staff-role-${role}`);
    for (const r of INCIDENTS.all) used.add(`incident-${r}`);
    for (const k of ['proctor-interrupted-title', 'proctor-interrupted-hint', 'proctor-paused-title', 'proctor-paused-hint',
      'admin-active', 'admin-disabled', 'admin-enable', 'admin-disable', 'exam-result-pass', 'exam-result-fail',
      'exam-kind-single', 'exam-kind-multiple', 'exam-flag', 'exam-unflag', 'exam-submit-confirm-hint',
      'exam-submit-confirm-unanswered', 'exam-camera-no-face', 'exam-camera-several-faces', 'exam-camera-covered',
      'proctor-visit-title', 'proctor-running-title']) used.add(k);
    expect(used.size).toBeGreaterThan(10);
    for (const lang of LANGS) {
      const bundle = makeBundle(lang);
      const missing = [...used].filter((k) => !bundle.hasMessage(k));
      expect(missing, `missing in ${lang}`).toEqual([]);
    }
  });

  it('format the category line without errors in every language', () => {
    for (const lang of LANGS) {
      const bundle = makeBundle(lang);
      const errors: Error[] = [];
      for (const [key, args] of [
        ['category-questions', { count: 30 }],
        ['category-time-limit', { minutes: 60 }],
        ['category-pass-mark', { percent: 70 }],
        ['category-number', { number: 4 }],
      ] as const) {
        const text = format(bundle, key, args, errors);
        expect(text).not.toContain('{');
      }
      expect(errors).toEqual([]);
    }
  });

  it('use Russian plural forms', () => {
    const ru = makeBundle('ru');
    expect(format(ru, 'category-questions', { count: 21 })).toBe('21 вопрос');
    expect(format(ru, 'category-questions', { count: 50 })).toBe('50 вопросов');
    expect(format(ru, 'category-time-limit', { minutes: 3 })).toBe('3 минуты');
    expect(format(ru, 'category-time-limit', { minutes: 240 })).toBe('240 минут');
  });

  it('put no case ending on a Kazakh number, for every number from 1 to 120', () => {
    const kk = makeBundle('kk');
    for (const total of [30, 50, 80, 100, 120]) {
      for (let n = 1; n <= 120; n++) {
        expect(format(kk, 'exam-question-of', { position: n, total })).toBe(`${n}-сұрақ / ${total}`);
        expect(format(kk, 'exam-answered-of', { answered: n, total })).toBe(`Жауап берілді: ${n} / ${total}`);
        expect(format(kk, 'exam-result-correct', { correct: n, total })).toBe(`Дұрыс жауаптар: ${n} / ${total}`);
      }
    }
  });

  it('agree the Russian export summary with its numbers', () => {
    const ru = makeBundle('ru');
    const exported = (results: number, evidence: number) =>
      format(ru, 'sync-exported', { results, evidence, mb: '1,5', path: '/media/usb' });
    expect(exported(1, 1)).toBe('Записано: 1 результат, материалы камеры по 1 экзамену, 1,5 МБ — /media/usb');
    expect(exported(3, 2)).toBe('Записано: 3 результата, материалы камеры по 2 экзаменам, 1,5 МБ — /media/usb');
    expect(exported(11, 21)).toBe('Записано: 11 результатов, материалы камеры по 21 экзамену, 1,5 МБ — /media/usb');
    expect(exported(22, 5)).toBe('Записано: 22 результата, материалы камеры по 5 экзаменам, 1,5 МБ — /media/usb');
  });

  it('give the certificate one name on the kiosk and the verification page', () => {
    for (const lang of LANGS) {
      const bundle = makeBundle(lang);
      expect(format(bundle, 'verify-page-title')).toBe(format(bundle, 'cert-title'));
    }
  });

  it('report a missing key instead of throwing', () => {
    const errors: Error[] = [];
    expect(format(makeBundle('kk'), 'no-such-key', undefined, errors)).toBe('no-such-key');
    expect(errors).toHaveLength(1);
  });
});
