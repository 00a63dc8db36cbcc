//! Build-time lints: the checks a bank must pass beyond parsing.
//!
//! Over the questions ([`lint_questions`]):
//!
//! * every question passes [`Question::validate`] (a category, Kazakh and Russian text, at
//!   least two options with distinct ids and text, a correct option, only one for single
//!   choice) — **error**;
//! * question ids are unique across all files — **error**, naming both places;
//! * no word mixes Cyrillic letters with Latin look-alikes (`I i Y y a e o p c x A E O P C X
//!   H K M T B`, or the Latin schwa `Ə ə`), a common slip of Kazakh keyboards and OCR —
//!   **error**, quoting the word and the Cyrillic letter probably meant (`I/i` → `І/і`,
//!   `Y/y` → `Ү/ү`, `Ə/ə` → `Ә/ә`, the others → their Cyrillic twin);
//! * an image has a Kazakh and a Russian text alternative — **warning**.
//!
//! Over the whole source ([`lint`] adds these):
//!
//! * every exam-profile category has at least as many questions as an exam draws —
//!   **error**, reported on `profile.toml` at the category's `id` line;
//! * every topic quota of a category (`topics = { fire = 5 }`) has at least that many
//!   questions on the topic for the category — **error**, naming category, topic, needed and
//!   available, reported at the category's `topics` line (an exam could not be assembled);
//! * every image a question shows is in `media/` — **error**;
//! * every media file is shown by some question — **warning**;
//! * every category a question names is in the exam profile — **warning**;
//! * the answer cues of [`crate::cues`]: the correct option too often the longest, at one
//!   position, the only "all of the above", … — **warning**, and **error** when a bank-wide
//!   rate is above the limit (see the table there).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use synaq_core::{Question, QuestionId, Text};

use crate::{Diagnostic, Origin, Source};

/// Every lint, over a loaded source.
pub fn lint(source: &Source) -> Vec<Diagnostic> {
    let mut out = lint_questions(&source.questions, &source.origins);
    out.extend(lint_bank(source));
    out
}

fn place(origins: &[Origin], i: usize) -> (PathBuf, Option<usize>) {
    origins.get(i).map_or_else(
        || (PathBuf::from("questions"), None),
        |o| (o.file.clone(), o.line),
    )
}

fn show(file: &Path, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{}:{l}", file.display()),
        None => file.display().to_string(),
    }
}

/// The lints that need only the questions; `origins[i]` says where `questions[i]` is.
pub fn lint_questions(questions: &[Question], origins: &[Origin]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first: HashMap<&QuestionId, usize> = HashMap::new();
    for (i, q) in questions.iter().enumerate() {
        let (file, line) = place(origins, i);
        let id = &q.id.0;
        if let Some(&j) = first.get(&q.id) {
            let (f1, l1) = place(origins, j);
            out.push(Diagnostic::error(
                &file,
                line,
                format!("duplicate question id {id}: also used at {}", show(&f1, l1)),
            ));
        } else {
            first.insert(&q.id, i);
        }
        if let Err(e) = q.validate() {
            out.push(Diagnostic::error(&file, line, e.to_string()));
        }
        let mut texts: Vec<(String, &Text)> = vec![("text".into(), &q.text)];
        for o in &q.options {
            texts.push((format!("option {}", o.id), &o.text));
        }
        if let Some(img) = &q.image {
            texts.push(("image alt".into(), &img.alt));
            for (lang, alt) in [("kk", &img.alt.kk), ("ru", &img.alt.ru)] {
                if alt.trim().is_empty() {
                    out.push(Diagnostic::warning(
                        &file,
                        line,
                        format!(
                            "question {id}: image {} has no {lang} text alternative (alt)",
                            img.path
                        ),
                    ));
                }
            }
        }
        for (what, text) in texts {
            let langs = [
                ("kk", Some(&text.kk)),
                ("ru", Some(&text.ru)),
                ("en", text.en.as_ref()),
            ];
            for (lang, s) in langs {
                for m in mixed_words(s.map_or("", String::as_str)) {
                    out.push(Diagnostic::error(
                        &file,
                        line,
                        format!("question {id}, {what} ({lang}): {m}"),
                    ));
                }
            }
        }
    }
    out
}

/// The Cyrillic letter a Latin look-alike probably stands for.
fn cyrillic_twin(c: char) -> Option<char> {
    Some(match c {
        'I' => 'І',
        'i' => 'і',
        'Y' => 'Ү',
        'y' => 'ү',
        'Ə' => 'Ә',
        'ə' => 'ә',
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'A' => 'А',
        'E' => 'Е',
        'O' => 'О',
        'P' => 'Р',
        'C' => 'С',
        'X' => 'Х',
        'H' => 'Н',
        'K' => 'К',
        'M' => 'М',
        'T' => 'Т',
        'B' => 'В',
        _ => return None,
    })
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// One message per word of `text` that mixes Cyrillic letters with Latin look-alikes.
pub(crate) fn mixed_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if !word.chars().any(is_cyrillic) || !seen.insert(word) {
            continue;
        }
        let mut subs: Vec<(char, char)> = Vec::new();
        for c in word.chars() {
            if let Some(k) = cyrillic_twin(c) {
                if !subs.contains(&(c, k)) {
                    subs.push((c, k));
                }
            }
        }
        if subs.is_empty() {
            continue;
        }
        let fixed: String = word
            .chars()
            .map(|c| cyrillic_twin(c).unwrap_or(c))
            .collect();
        let letters: Vec<String> = subs
            .iter()
            .map(|(l, k)| {
                format!(
                    "Latin \"{l}\" (U+{:04X}) should probably be Cyrillic \"{k}\" (U+{:04X})",
                    u32::from(*l),
                    u32::from(*k)
                )
            })
            .collect();
        out.push(format!(
            "word \"{word}\" mixes Latin and Cyrillic letters: {}; did you mean \"{fixed}\"?",
            letters.join(", ")
        ));
    }
    out
}

/// The line of `id = "<category>"` in the profile source, if it can be found.
fn category_line(profile_toml: &str, category: &str) -> Option<usize> {
    let want = format!("id=\"{category}\"");
    profile_toml
        .lines()
        .position(|l| {
            let compact: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            compact == want || compact.starts_with(&format!("{want}#"))
        })
        .map(|i| i + 1)
}

/// The line of the `topics` key inside `category`'s table, if it can be found.
fn topics_line(profile_toml: &str, category: &str) -> Option<usize> {
    let start = category_line(profile_toml, category)?;
    profile_toml
        .lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix("topics")
                .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
        })
        .map(|(i, _)| i + 1)
}

/// The lints that need the profile and media: counts per category and topic quota, images,
/// unused media.
pub(crate) fn lint_bank(source: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut used = BTreeSet::new();
    for (i, q) in source.questions.iter().enumerate() {
        let (file, line) = place(&source.origins, i);
        if let Some(img) = &q.image {
            used.insert(img.path.as_str());
            if !source.media.contains_key(&img.path) {
                out.push(Diagnostic::error(
                    &file,
                    line,
                    format!("question {}: image {} is not in media/", q.id.0, img.path),
                ));
            }
        }
        for c in &q.categories {
            if source.profile.category(c).is_none() {
                out.push(Diagnostic::warning(
                    &file,
                    line,
                    format!(
                        "question {}: category {c} is not in the exam profile",
                        q.id.0
                    ),
                ));
            }
        }
    }
    for cat in source.profile.categories_in_order() {
        let have = source
            .questions
            .iter()
            .filter(|q| q.is_for(&cat.id))
            .count();
        if have < cat.question_count as usize {
            out.push(Diagnostic::error(
                "profile.toml",
                category_line(&source.profile_toml, cat.id.as_str()),
                format!(
                    "category {} needs {} questions, the bank has {have}",
                    cat.id, cat.question_count
                ),
            ));
        }
        for (topic, &needed) in &cat.topic_quota {
            let available = source
                .questions
                .iter()
                .filter(|q| q.is_for(&cat.id) && q.topic == *topic)
                .count();
            if available < needed as usize {
                let line = topics_line(&source.profile_toml, cat.id.as_str())
                    .or_else(|| category_line(&source.profile_toml, cat.id.as_str()));
                out.push(Diagnostic::error(
                    "profile.toml",
                    line,
                    format!(
                        "category {}: topic {topic:?} needs {needed} questions (its quota in \
                         `topics`), the bank has {available} on it for this category",
                        cat.id
                    ),
                ));
            }
        }
    }
    for key in source.media.keys() {
        if !used.contains(key.as_str()) {
            out.push(Diagnostic::warning(
                key,
                None,
                format!("{key} is not used by any question"),
            ));
        }
    }
    out.extend(crate::cues::lint_cues(&source.questions, &source.origins));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_latin_in_cyrillic_words() {
        assert!(mixed_words("Өрт сөндіргіш, Wi-Fi, 220 В, pH, CO2").is_empty());
        let m = mixed_words("Жұмысқa кipу");
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("\"Жұмысқa\""), "{}", m[0]);
        assert!(
            m[0].contains("U+0061") && m[0].contains("U+0430"),
            "{}",
            m[0]
        );
        assert!(m[0].contains("\"Жұмысқа\"?"), "{}", m[0]);
        assert!(m[1].contains("Latin \"i\""), "{}", m[1]);
        assert!(m[1].contains("Cyrillic \"і\""), "{}", m[1]);
        assert!(m[1].contains("Latin \"p\""), "{}", m[1]);
        let m = mixed_words("Yй ӘəӘ");
        assert!(m[0].contains("\"Ү\""), "{m:?}");
        assert!(m[1].contains("\"ә\""), "{m:?}");
        assert_eq!(mixed_words("aб aб").len(), 1);
    }

    const QUOTA_PROFILE: &str = r#"id = "t"
version = 1
title = { kk = "Сынақ", ru = "Проверка" }

[defaults]
minutes_per_question = 2
pass_percent = 70
retake_window_days = 30
capture_interval_secs = 5

[[category]]
id = "cat-1"
number = 1
training_hours = 8
question_count = 4
name = { kk = "Бірінші", ru = "Первая" }
topics = { fire = 3, training = 1, electrical = 0 }

[[category]]
id = "cat-2"
number = 2
training_hours = 8
question_count = 1
name = { kk = "Екінші", ru = "Вторая" }
"#;

    fn question(n: usize, topic: &str, category: &str) -> Question {
        let text = |kk: &str, ru: &str| Text {
            kk: kk.into(),
            ru: ru.into(),
            en: None,
        };
        Question {
            id: QuestionId(format!("q-{n}")),
            version: 1,
            topic: topic.into(),
            categories: vec![synaq_core::CategoryId::new(category).unwrap()],
            text: text("Сұрақ", "Вопрос"),
            kind: synaq_core::QuestionKind::Single,
            options: vec![
                synaq_core::AnswerOption {
                    id: "a".into(),
                    text: text("Иә", "Да"),
                    correct: true,
                    fixed: false,
                },
                synaq_core::AnswerOption {
                    id: "b".into(),
                    text: text("Жоқ", "Нет"),
                    correct: false,
                    fixed: false,
                },
            ],
            image: None,
        }
    }

    fn quota_source(questions: Vec<Question>) -> Source {
        Source {
            profile_toml: QUOTA_PROFILE.to_owned(),
            profile: synaq_core::ExamProfile::from_toml(QUOTA_PROFILE).unwrap(),
            questions,
            origins: Vec::new(),
            media: Default::default(),
        }
    }

    #[test]
    fn a_topic_quota_the_bank_cannot_meet_is_an_error() {
        // cat-1 wants 3 on fire and has 2 (the fire question of cat-2 does not count for it);
        // training's quota of 1 is met; a quota of 0 on a topic with no question is fine.
        let mut qs = vec![
            question(1, "fire", "cat-1"),
            question(2, "fire", "cat-1"),
            question(3, "training", "cat-1"),
            question(4, "training", "cat-1"),
            question(5, "fire", "cat-2"),
        ];
        let errors: Vec<String> = lint_bank(&quota_source(qs.clone()))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "profile.toml:17: error: category cat-1: topic \"fire\" needs 3 questions (its \
              quota in `topics`), the bank has 2 on it for this category"
            ]
        );
        // One more fire question for cat-1 meets the quota.
        qs.push(question(6, "fire", "cat-1"));
        assert_eq!(lint_bank(&quota_source(qs)), []);
    }

    #[test]
    fn finds_topics_lines() {
        assert_eq!(topics_line(QUOTA_PROFILE, "cat-1"), Some(17));
        assert_eq!(topics_line(QUOTA_PROFILE, "cat-2"), None);
        let dotted = "[[category]]\nid = \"cat-1\"\ntopics.fire = 2\n";
        assert_eq!(topics_line(dotted, "cat-1"), Some(3));
    }

    #[test]
    fn finds_category_lines() {
        let src = "[[category]]\nid = \"cat-1\"\n[[category]]\n  id=\"cat-2\" # x\n";
        assert_eq!(category_line(src, "cat-1"), Some(2));
        assert_eq!(category_line(src, "cat-2"), Some(4));
        assert_eq!(category_line(src, "cat-3"), None);
    }
}
