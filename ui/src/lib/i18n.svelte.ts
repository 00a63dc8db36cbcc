// The language the person chose, and `t` to translate with it. Reading `locale.lang` inside
// `t` makes every translated string in a template update when the language changes.
import { format, LANGS, LOCALES, makeBundle, type Args, type Lang } from './fluent';

const bundles = Object.fromEntries(LANGS.map((l) => [l, makeBundle(l)])) as Record<Lang, ReturnType<typeof makeBundle>>;

export const locale = $state<{ lang: Lang }>({ lang: 'kk' });

export function t(key: string, args?: Args): string {
  return format(bundles[locale.lang], key, args);
}

/** A message in a given language, whatever the current one (the language choice shows all). */
export function tIn(lang: Lang, key: string, args?: Args): string {
  return format(bundles[lang], key, args);
}

export function applyLang(lang: Lang): void {
  locale.lang = lang;
  document.documentElement.lang = LOCALES[lang];
}
