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

    #[test]
    fn a_missing_key_falls_back_to_the_key() {
        let l10n = Localizer::new().unwrap();
        assert_eq!(l10n.text(Lang::Kk, "no-such-key"), "no-such-key");
        assert_eq!(l10n.text(Lang::Kk, "language-choose"), "Тілді таңдаңыз");
    }
}
