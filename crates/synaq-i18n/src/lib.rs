//! Synaq's translations, shared by the UI and the Rust side.
//!
//! The `.ftl` files live in `assets/i18n/{kk,ru,en}/synaq.ftl`; the UI imports the same files
//! with `@fluent/bundle`, and this crate embeds them at compile time so the kiosk can translate
//! errors and documents without reading the disk. [`check_catalogs`] fails when a message is
//! missing in any language or a file does not parse; a test runs it on every build.
#![forbid(unsafe_code)]

use std::collections::BTreeSet;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast::{self, Entry};
use synaq_core::{Arg, Code, Lang};

pub use fluent_bundle::FluentValue;

#[cfg(test)]
mod terms;

/// The catalogs, embedded: (language, Fluent source).
pub const CATALOGS: [(Lang, &str); 3] = [
    (Lang::Kk, include_str!("../../../assets/i18n/kk/synaq.ftl")),
    (Lang::Ru, include_str!("../../../assets/i18n/ru/synaq.ftl")),
    (Lang::En, include_str!("../../../assets/i18n/en/synaq.ftl")),
];

/// What is wrong with the catalogs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum I18nError {
    /// A Fluent file has syntax errors.
    #[error("assets/i18n/{lang}/synaq.ftl does not parse: {detail}")]
    Parse { lang: &'static str, detail: String },
    /// A message exists in some language but not in this one.
    #[error("assets/i18n/{lang}/synaq.ftl lacks {}: add them", .keys.join(", "))]
    Missing {
        lang: &'static str,
        keys: Vec<String>,
    },
}

fn parse(lang: Lang, src: &str) -> Result<FluentResource, I18nError> {
    FluentResource::try_new(src.to_owned()).map_err(|(_, errors)| I18nError::Parse {
        lang: lang.code(),
        detail: errors
            .iter()
            .map(|e| format!("{:?} at bytes {:?}", e.kind, e.pos))
            .collect::<Vec<_>>()
            .join("; "),
    })
}

fn ids(res: &FluentResource) -> BTreeSet<String> {
    res.entries()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Checks that every source parses and that all define the same messages.
pub fn check_sources(sources: &[(Lang, &str)]) -> Result<(), I18nError> {
    let mut sets = Vec::with_capacity(sources.len());
    for &(lang, src) in sources {
        sets.push((lang, ids(&parse(lang, src)?)));
    }
    let all: BTreeSet<String> = sets.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    for (lang, set) in &sets {
        let keys: Vec<String> = all.difference(set).cloned().collect();
        if !keys.is_empty() {
            return Err(I18nError::Missing {
                lang: lang.code(),
                keys,
            });
        }
    }
    Ok(())
}

/// Checks the shipped catalogs.
pub fn check_catalogs() -> Result<(), I18nError> {
    check_sources(&CATALOGS)
}

/// A score for people, from thousandths of a percent: "73,3 %" in Kazakh and Russian (decimal
/// comma), "73.3 %" in English, and a whole number without ".0" ("20 %").
///
/// Rounded *down* to a tenth, so a score just under the pass mark never reads as the pass mark
/// beside a "not passed" verdict (69 990 is "69,9 %", never "70 %"). The UI formats its result
/// screen with the same rule (`percent` in `ui/src/lib/format.ts`); keep the two alike.
pub fn percent(milli: u32, lang: Lang) -> String {
    let tenths = milli / 100;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 {
        return format!("{whole} %");
    }
    let comma = match lang {
        Lang::Kk | Lang::Ru => ',',
        Lang::En => '.',
    };
    format!("{whole}{comma}{tenth} %")
}

/// Formats messages in any of the three languages.
pub struct Localizer {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Localizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Localizer").finish_non_exhaustive()
    }
}

impl Localizer {
    /// Loads the shipped catalogs.
    pub fn new() -> Result<Localizer, I18nError> {
        check_catalogs()?;
        let mut bundles = Vec::with_capacity(CATALOGS.len());
        for (lang, src) in CATALOGS {
            let locale = lang.bcp47().parse().expect("our BCP 47 tags are valid");
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            // No Unicode isolation marks: text goes into plain labels and logs.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(parse(lang, src)?)
                .map_err(|errors| I18nError::Parse {
                    lang: lang.code(),
                    detail: format!("{errors:?}"),
                })?;
            bundles.push((lang, bundle));
        }
        Ok(Localizer { bundles })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self
            .bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language has a bundle")
            .1
    }

    /// Whether `key` is a message in `lang`.
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message `key` in `lang` with `args`. A missing key gives the key itself, which
    /// [`check_catalogs`] and the tests keep from happening in a build that ships.
    pub fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        debug_assert!(errors.is_empty(), "{key} in {}: {errors:?}", lang.code());
        text.into_owned()
    }

    /// A plain message without arguments.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    /// A [`Code`] with its arguments, in `lang`.
    pub fn message(&self, lang: Lang, code: &Code) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &code.args {
            match value {
                Arg::Int(n) => args.set(name.as_str(), *n),
                Arg::Text(t) => args.set(name.as_str(), t.as_str()),
            }
        }
        self.format(lang, code.id(), Some(&args))
    }

    /// The variables (`{ $name }`) the message `key` uses in `lang`, selectors included.
    pub fn variables(&self, lang: Lang, key: &str) -> BTreeSet<String> {
        let src = CATALOGS
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language has a catalog")
            .1;
        let mut out = BTreeSet::new();
        let Ok(res) = fluent_syntax::parser::parse(src) else {
            return out;
        };
        for entry in res.body {
            if let Entry::Message(m) = entry {
                if m.id.name == key {
                    if let Some(p) = &m.value {
                        pattern_variables(p, &mut out);
                    }
                }
            }
        }
        out
    }
}

fn pattern_variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                pattern_variables(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_variables(i, out),
    }
}

fn inline_variables(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_variables(a, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use synaq_core::IdError;

    #[test]
    fn shipped_catalogs_parse_and_agree() {
        if let Err(e) = check_catalogs() {
            panic!("{e}");
        }
    }

    #[test]
    fn a_missing_key_is_named() {
        let err = check_sources(&[
            (Lang::Kk, "a = А\nb = Б\n"),
            (Lang::Ru, "a = А\n"),
            (Lang::En, "a = A\nb = B\n"),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            I18nError::Missing {
                lang: "ru",
                keys: vec!["b".into()]
            }
        );
        assert!(err.to_string().contains("ru/synaq.ftl lacks b"), "{err}");
    }

    #[test]
    fn a_broken_file_is_named() {
        let err = check_sources(&[(Lang::Kk, "a = А\nb = { $x\n")]).unwrap_err();
        assert!(matches!(err, I18nError::Parse { lang: "kk", .. }), "{err}");
    }

    #[test]
    fn every_id_error_is_formatted_with_its_values_in_every_language() {
        let l10n = Localizer::new().unwrap();
        for err in IdError::examples() {
            let code = err.to_code();
            for lang in Lang::ALL {
                assert!(
                    l10n.has(lang, code.id()),
                    "{code} missing in {}",
                    lang.code()
                );
                let text = l10n.message(lang, &code);
                assert!(!text.contains('{'), "{text}");
                let wanted = l10n.variables(lang, code.id());
                let given: BTreeSet<String> = code.args.keys().cloned().collect();
                assert!(wanted.is_subset(&given), "{code} in {}", lang.code());
            }
        }
        let date = IdError::InvalidDate {
            year: 1999,
            month: 2,
            day: 29,
        };
        assert_eq!(
            l10n.message(Lang::Ru, &date.to_code()),
            "Даты 29.02.1999 в номере не существует."
        );
        assert_eq!(
            l10n.message(Lang::Kk, &IdError::InvalidMonth(13).to_code()),
            "3–4-цифрлар (ай) 13, ал 01-ден 12-ге дейін болуы керек."
        );
    }

    #[test]
    fn variables_are_found_in_selectors_and_variants() {
        let l10n = Localizer::new().unwrap();
        let vars = l10n.variables(Lang::Ru, "category-questions");
        assert_eq!(
            vars.into_iter().collect::<Vec<_>>(),
            vec!["count".to_owned()]
        );
        assert!(l10n.variables(Lang::Kk, "language-choose").is_empty());
    }

    #[test]
    fn russian_plurals_follow_the_number() {
        let l10n = Localizer::new().unwrap();
        let q = |n: u32| {
            let mut a = FluentArgs::new();
            a.set("count", n);
            l10n.format(Lang::Ru, "category-questions", Some(&a))
        };
        assert_eq!(q(21), "21 вопрос");
        assert_eq!(q(22), "22 вопроса");
        assert_eq!(q(30), "30 вопросов");
        assert_eq!(q(111), "111 вопросов");
    }

    fn args<'a>(pairs: &[(&'a str, u32)]) -> FluentArgs<'a> {
        let mut a = FluentArgs::new();
        for &(k, v) in pairs {
            a.set(k, v);
        }
        a
    }

    #[test]
    fn kazakh_counters_read_right_for_every_number_from_1_to_120() {
        // No case ending rides on a number (1-і, 2-сі, 30-ына… each fits only some numbers):
        // the position is an ordinal before its noun and the counts stand alone.
        let l10n = Localizer::new().unwrap();
        let kk = |key: &str, pairs: &[(&str, u32)]| l10n.format(Lang::Kk, key, Some(&args(pairs)));
        for total in [30, 50, 80, 100, 120] {
            for n in 1..=120 {
                assert_eq!(
                    kk("exam-question-of", &[("position", n), ("total", total)]),
                    format!("{n}-сұрақ / {total}")
                );
                assert_eq!(
                    kk("exam-answered-of", &[("answered", n), ("total", total)]),
                    format!("Жауап берілді: {n} / {total}")
                );
                assert_eq!(
                    kk("exam-result-correct", &[("correct", n), ("total", total)]),
                    format!("Дұрыс жауаптар: {n} / {total}")
                );
                assert_eq!(
                    kk("exam-grid-cell", &[("position", n)]),
                    format!("{n}-сұрақ")
                );
            }
        }
    }

    #[test]
    fn the_russian_export_summary_agrees_with_its_numbers() {
        let l10n = Localizer::new().unwrap();
        let exported = |results: u32, evidence: u32| {
            let mut a = args(&[("results", results), ("evidence", evidence)]);
            a.set("mb", "1,5");
            a.set("path", "/media/usb");
            l10n.format(Lang::Ru, "sync-exported", Some(&a))
        };
        for (results, word) in [
            (1, "результат"),
            (2, "результата"),
            (4, "результата"),
            (5, "результатов"),
            (11, "результатов"),
            (12, "результатов"),
            (21, "результат"),
            (22, "результата"),
            (25, "результатов"),
            (111, "результатов"),
        ] {
            assert_eq!(
                exported(results, 1),
                format!("Записано: {results} {word}, материалы камеры по 1 экзамену, 1,5 МБ — /media/usb")
            );
        }
        assert!(exported(3, 2).contains("по 2 экзаменам"));
        assert!(exported(3, 11).contains("по 11 экзаменам"));
        assert!(exported(3, 21).contains("по 21 экзамену"));
        let receipts = |evidence: u32| {
            let a = args(&[
                ("delivered", 2),
                ("refused", 0),
                ("unchanged", 1),
                ("evidence", evidence),
            ]);
            l10n.format(Lang::Ru, "sync-receipts-imported", Some(&a))
        };
        assert!(
            receipts(1).ends_with("подтверждены по 1 экзамену."),
            "{}",
            receipts(1)
        );
        assert!(
            receipts(5).ends_with("подтверждены по 5 экзаменам."),
            "{}",
            receipts(5)
        );
        let en = l10n.format(
            Lang::En,
            "sync-exported",
            Some(&{
                let mut a = args(&[("results", 1), ("evidence", 2)]);
                a.set("mb", "0.5");
                a.set("path", "/media/usb");
                a
            }),
        );
        assert_eq!(
            en,
            "Written: 1 result, evidence of 2 exams, 0.5 MB — /media/usb"
        );
    }

    #[test]
    fn the_certificate_has_one_name_on_paper_page_and_kiosk() {
        let l10n = Localizer::new().unwrap();
        for lang in Lang::ALL {
            assert_eq!(
                l10n.text(lang, "verify-page-title"),
                l10n.text(lang, "cert-title"),
                "{}",
                lang.code()
            );
        }
        assert_eq!(
            l10n.text(Lang::Ru, "cert-title"),
            "Сертификат о проверке знаний по безопасности и охране труда"
        );
        assert_eq!(
            l10n.text(Lang::Kk, "cert-title"),
            "Еңбек қауіпсіздігі және еңбекті қорғау бойынша білімді тексеру туралы сертификат"
        );
    }

    #[test]
    fn percentages_use_the_languages_decimal_mark_and_drop_a_zero_tenth() {
        assert_eq!(percent(20_000, Lang::Ru), "20 %");
        assert_eq!(percent(20_000, Lang::En), "20 %");
        assert_eq!(percent(73_333, Lang::Ru), "73,3 %");
        assert_eq!(percent(73_333, Lang::Kk), "73,3 %");
        assert_eq!(percent(73_333, Lang::En), "73.3 %");
        assert_eq!(percent(66_666, Lang::Kk), "66,6 %");
        assert_eq!(percent(0, Lang::Kk), "0 %");
        assert_eq!(percent(100_000, Lang::Ru), "100 %");
        assert_eq!(percent(5_050, Lang::Ru), "5 %");
        // Just under a 70 % pass mark is never shown as 70 %.
        assert_eq!(percent(69_999, Lang::Ru), "69,9 %");
    }

    #[test]
    fn a_missing_key_falls_back_to_the_key() {
        let l10n = Localizer::new().unwrap();
        assert_eq!(l10n.text(Lang::Kk, "no-such-key"), "no-such-key");
        assert_eq!(l10n.text(Lang::Kk, "language-choose"), "Тілді таңдаңыз");
    }
}
