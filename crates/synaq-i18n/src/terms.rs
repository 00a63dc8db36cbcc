//! Checks of the catalogs' wording, for tests: one term per concept per language (from
//! `assets/i18n/glossary.toml`), and Kazakh numbers that never carry a case ending.

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use synaq_core::Lang;

/// The glossary kept beside the catalogs.
pub(crate) const GLOSSARY: &str = include_str!("../../../assets/i18n/glossary.toml");

/// What the glossary says about one concept in one language.
#[derive(Debug)]
pub(crate) struct Rule {
    concept: String,
    lang: Lang,
    prefer: String,
    forbid: Vec<String>,
    except: Vec<String>,
    stem: Option<String>,
    only: Vec<String>,
}

fn strings(t: &toml::Table, field: &str, at: &str) -> Vec<String> {
    match t.get(field) {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                toml::Value::String(s) => s.clone(),
                _ => panic!("glossary {at}.{field}: every entry must be a string"),
            })
            .collect(),
        Some(_) => panic!("glossary {at}.{field} must be a list of strings"),
    }
}

/// Reads a glossary; a malformed one panics with where it is wrong (this runs in tests only).
pub(crate) fn rules(src: &str) -> Vec<Rule> {
    let table: toml::Table = src
        .parse()
        .unwrap_or_else(|e| panic!("the glossary does not parse: {e}"));
    let mut out = Vec::new();
    for (concept, body) in &table {
        let toml::Value::Table(body) = body else {
            panic!("glossary: [{concept}] must be a table");
        };
        for (key, value) in body {
            if key == "about" {
                continue;
            }
            let lang = Lang::ALL
                .into_iter()
                .find(|l| l.code() == key)
                .unwrap_or_else(|| {
                    panic!("glossary [{concept}]: {key} is not kk, ru, en or about")
                });
            let at = format!("[{concept}] {key}");
            let toml::Value::Table(t) = value else {
                panic!("glossary {at} must be a table");
            };
            for field in t.keys() {
                assert!(
                    ["prefer", "forbid", "except", "stem", "only"].contains(&field.as_str()),
                    "glossary {at}: unknown field {field}"
                );
            }
            let Some(toml::Value::String(prefer)) = t.get("prefer") else {
                panic!("glossary {at}: prefer (a string) is required");
            };
            let stem = match t.get("stem") {
                None => None,
                Some(toml::Value::String(s)) => Some(s.clone()),
                Some(_) => panic!("glossary {at}.stem must be a string"),
            };
            let only = strings(t, "only", &at);
            assert_eq!(
                stem.is_some(),
                !only.is_empty(),
                "glossary {at}: stem and only go together"
            );
            out.push(Rule {
                concept: concept.clone(),
                lang,
                prefer: prefer.clone(),
                forbid: strings(t, "forbid", &at),
                except: strings(t, "except", &at),
                stem,
                only,
            });
        }
    }
    out
}

/// Every message's words by id: its value, its attributes and every variant of a select, with
/// the placeables cut out (a phrase never runs across one) and runs of white space made one.
pub(crate) fn texts(src: &str) -> Vec<(String, String)> {
    let res = match fluent_syntax::parser::parse(src) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = Vec::new();
    for entry in &res.body {
        if let Entry::Message(m) = entry {
            let mut text = String::new();
            if let Some(p) = &m.value {
                pattern_text(p, &mut text);
            }
            for a in &m.attributes {
                text.push_str(" | ");
                pattern_text(&a.value, &mut text);
            }
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push((m.id.name.to_owned(), text));
        }
    }
    out
}

fn pattern_text(p: &ast::Pattern<&str>, out: &mut String) {
    for el in &p.elements {
        match el {
            PatternElement::TextElement { value } => out.push_str(value),
            PatternElement::Placeable { expression } => {
                out.push_str(" | ");
                expression_text(expression, out);
                out.push_str(" | ");
            }
        }
    }
}

fn expression_text(e: &Expression<&str>, out: &mut String) {
    match e {
        Expression::Select { variants, .. } => {
            for v in variants {
                pattern_text(&v.value, out);
                out.push_str(" | ");
            }
        }
        Expression::Inline(InlineExpression::StringLiteral { value }) => out.push_str(value),
        Expression::Inline(InlineExpression::Placeable { expression }) => {
            expression_text(expression, out);
        }
        Expression::Inline(_) => {}
    }
}

fn lower(s: &str) -> Vec<char> {
    // One char for one char, so a match found in the lowered text points into the original.
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .collect()
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The whole word around `hay[at..at + len]`, from the original text.
fn word_at(orig: &[char], at: usize, len: usize) -> String {
    let mut start = at;
    while start > 0 && word_char(orig[start - 1]) {
        start -= 1;
    }
    let mut end = at + len;
    while end < orig.len() && word_char(orig[end]) {
        end += 1;
    }
    orig[start..end].iter().collect()
}

/// Where the catalogs break the glossary: one line per finding, naming the language, the
/// message id, the variant found and the term to use instead.
pub(crate) fn violations(rules: &[Rule], catalogs: &[(Lang, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for &(lang, src) in catalogs {
        let messages = texts(src);
        for rule in rules.iter().filter(|r| r.lang == lang) {
            let (code, concept) = (lang.code(), &rule.concept);
            let prefer = lower(&rule.prefer);
            if !messages
                .iter()
                .any(|(_, t)| !find_all(&lower(t), &prefer).is_empty())
            {
                found.push(format!(
                    "{code}: no message uses «{}», the term for {concept}: use it or mend the glossary",
                    rule.prefer
                ));
            }
            for (id, text) in &messages {
                let orig: Vec<char> = text.chars().collect();
                let mut low = lower(text);
                for except in &rule.except {
                    let e = lower(except);
                    for at in find_all(&low.clone(), &e) {
                        low[at..at + e.len()].fill('|');
                    }
                }
                for forbid in &rule.forbid {
                    let f = lower(forbid);
                    if let Some(&at) = find_all(&low, &f).first() {
                        found.push(format!(
                            "{code}: {id} says «{}»: «{forbid}» is a forbidden variant for {concept}; write «{}»",
                            word_at(&orig, at, f.len()),
                            rule.prefer
                        ));
                    }
                }
                if let Some(stem) = &rule.stem {
                    let s = lower(stem);
                    for at in find_all(&low, &s) {
                        let suffix: String = low[at + s.len()..]
                            .iter()
                            .take_while(|c| c.is_alphabetic())
                            .collect();
                        if !suffix.is_empty() && !rule.only.contains(&suffix) {
                            let allowed: Vec<String> =
                                rule.only.iter().map(|o| format!("{stem}{o}")).collect();
                            found.push(format!(
                                "{code}: {id} says «{}»: the endings for {concept} are {}",
                                word_at(&orig, at, s.len()),
                                allowed.join(", ")
                            ));
                        }
                    }
                }
            }
        }
    }
    found
}

/// Nouns a Kazakh ordinal may name after its hyphen ("5-сұрақ", "2-санат"): the hyphen then
/// stands for -ші/-інші and the number reads right whatever it is. Anything else after
/// `{ $n }-` is a case ending fixed to one number's vowel harmony ("1-сі" is wrong for 1).
pub(crate) const KK_ORDINAL_NOUNS: [&str; 5] = ["санат", "таңба", "әрекет", "нұсқа", "сұрақ"];

/// Each Kazakh message where a number from an argument is followed by `-` and a word that
/// is not one of [`KK_ORDINAL_NOUNS`]: "id: { $n }-word".
pub(crate) fn kk_number_endings(src: &str) -> Vec<String> {
    let res = match fluent_syntax::parser::parse(src) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut found = Vec::new();
    for entry in &res.body {
        if let Entry::Message(m) = entry {
            let mut patterns: Vec<&ast::Pattern<&str>> = m.value.iter().collect();
            patterns.extend(m.attributes.iter().map(|a| &a.value));
            while let Some(p) = patterns.pop() {
                for pair in p.elements.windows(2) {
                    let (
                        PatternElement::Placeable { expression },
                        PatternElement::TextElement { value },
                    ) = (&pair[0], &pair[1])
                    else {
                        continue;
                    };
                    let var = match expression {
                        Expression::Inline(InlineExpression::VariableReference { id }) => id.name,
                        Expression::Inline(InlineExpression::FunctionReference {
                            arguments,
                            ..
                        }) => match arguments.positional.first() {
                            Some(InlineExpression::VariableReference { id }) => id.name,
                            _ => continue,
                        },
                        _ => continue,
                    };
                    let Some(rest) = value.trim_start_matches(' ').strip_prefix('-') else {
                        continue;
                    };
                    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
                    if !word.is_empty() && !KK_ORDINAL_NOUNS.contains(&word.as_str()) {
                        found.push(format!("{}: {{ ${var} }}-{word}", m.id.name));
                    }
                }
                for el in &p.elements {
                    if let PatternElement::Placeable {
                        expression: Expression::Select { variants, .. },
                    } = el
                    {
                        patterns.extend(variants.iter().map(|v| &v.value));
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CATALOGS;

    #[test]
    fn every_message_uses_the_glossary_terms() {
        let rules = rules(GLOSSARY);
        for concept in [
            "examinee",
            "certificate",
            "removable-media",
            "revoked",
            "call-the-proctor",
            "eumc-suffixes",
        ] {
            assert!(
                rules.iter().any(|r| r.concept == concept),
                "the glossary lacks {concept}"
            );
        }
        let found = violations(&rules, &CATALOGS);
        assert!(
            found.is_empty(),
            "the catalogs break assets/i18n/glossary.toml:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn a_forbidden_variant_is_named_with_its_key() {
        let glossary = r#"
[examinee]
about = "the person who sits the exam"
kk = { prefer = "емтихан тапсырушы", forbid = ["білім алушы"] }

[certificate]
about = "the document"
ru = { prefer = "сертификат", forbid = ["удостоверени"], except = ["удостоверение личности"] }

[eumc-suffixes]
about = "endings"
kk = { prefer = "ЕУМЦ-ге", stem = "ЕУМЦ-", only = ["ге", "де"] }
"#;
        let kk = "a = Емтихан тапсырушы ЕУМЦ-ге жазады\n\
                  b = Білім алушының ЖСН-і\n\
                  c = { $n ->\n    [one] ЕУМЦ-ға\n   *[other] ЕУМЦ-де\n}\n";
        let ru = "a = Проверьте удостоверение личности.\nb = Сертификат\n";
        let found = violations(&rules(glossary), &[(Lang::Kk, kk), (Lang::Ru, ru)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let says = |start: &str| found.iter().any(|f| f.starts_with(start));
        assert!(
            says("kk: b says «Білім алушының»: «білім алушы» is a forbidden variant for examinee"),
            "{found:#?}"
        );
        assert!(
            says("kk: c says «ЕУМЦ-ға»: the endings for eumc-suffixes are ЕУМЦ-ге, ЕУМЦ-де"),
            "{found:#?}"
        );

        // The identity document is not the certificate, but the certificate is.
        let ru = "a = Удостоверение выдано\nb = Сертификат\n";
        let found = violations(&rules(glossary), &[(Lang::Ru, ru)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("a says «Удостоверение»"), "{}", found[0]);

        // A preferred term no message uses is a glossary gone stale.
        let found = violations(&rules(glossary), &[(Lang::Ru, "a = Текст\n")]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("no message uses «сертификат»"),
            "{}",
            found[0]
        );
    }

    #[test]
    #[should_panic(expected = "unknown field forbd")]
    fn a_misspelt_glossary_field_is_refused() {
        rules("[x]\nkk = { prefer = \"a\", forbd = [\"b\"] }\n");
    }

    #[test]
    fn kazakh_numbers_from_arguments_carry_no_case_ending() {
        let kk = CATALOGS.iter().find(|(l, _)| *l == Lang::Kk).unwrap().1;
        let found = kk_number_endings(kk);
        assert!(
            found.is_empty(),
            "a case ending after a number fits only some numbers; write \
             `{{ $position }}-сұрақ / {{ $total }}` or `Жауап берілді: {{ $n }} / {{ $total }}`:\n{}",
            found.join("\n")
        );
        // The check itself: the old counters are caught, ordinals and suffixes on words are not.
        let old = "a = { $total } сұрақтың { $position }-сі\n\
                   b = { $total } сұрақтың { $n } -іне жауап берілді\n\
                   c = { $n ->\n   *[other] { NUMBER($n) }-ден\n}\n\
                   d = { $position }-сұрақ, { $minutes } минуттан, { $percent } %-ы\n";
        assert_eq!(
            kk_number_endings(old),
            ["a: { $position }-сі", "b: { $n }-іне", "c: { $n }-ден"]
        );
    }
}
