// The Fluent catalogs shared with the Rust side (assets/i18n), as bundles.
// Pure functions only, so the tests can use them without Svelte.
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import kk from '../../../assets/i18n/kk/synaq.ftl?raw';
import ru from '../../../assets/i18n/ru/synaq.ftl?raw';
import en from '../../../assets/i18n/en/synaq.ftl?raw';
import type { UiLang } from './bindings';

export type Lang = UiLang;
export type Args = Record<string, FluentVariable>;

export const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];
export const SOURCES: Record<Lang, string> = { kk, ru, en };
export const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-KZ', en: 'en' };

/** The ids of every message in a catalog (terms, which start with '-', excluded). */
export function messageIds(lang: Lang): string[] {
  return new FluentResource(SOURCES[lang]).body.map((m) => m.id).filter((id) => !id.startsWith('-'));
}

export function makeBundle(lang: Lang): FluentBundle {
  // No Unicode isolation marks: they show up as stray characters in WebKit's text fields.
  const bundle = new FluentBundle(LOCALES[lang], { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(SOURCES[lang]));
  if (errors.length > 0) throw new Error(`assets/i18n/${lang}/synaq.ftl: ${errors.join('; ')}`);
  return bundle;
}

/** Formats `key`; reports formatting problems in `errors` and falls back to the key. */
export function format(bundle: FluentBundle, key: string, args?: Args, errors: Error[] = []): string {
  const message = bundle.getMessage(key);
  if (!message?.value) {
    errors.push(new Error(`no message ${key}`));
    return key;
  }
  return bundle.formatPattern(message.value, args, errors);
}
