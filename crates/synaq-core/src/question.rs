//! The question model: what a bank holds. Correct answers live here, so these types never
//! cross into the webview; the kiosk sends view types that have no `correct` field at all.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::lang::Text;
use crate::profile::CategoryId;

/// A question's stable identifier, unique within a bank series (such as `ot-0042`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub String);

/// Single choice (one correct option) or multiple choice (one or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Stable within its question (`a`, `b`, …), so shuffling never changes what an answer means.
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub correct: bool,
    /// Keeps its written position when the options are shuffled ("None of the above" last;
    /// QTI's `fixed="true"`). Left out of the bank when false, so banks written before the
    /// field existed read and hash exactly as before.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fixed: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An image shown with a question: a path inside the bank's media, and a text alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub path: String,
    pub alt: Text,
}

/// A question as authored, with its correct options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: QuestionId,
    /// Raised on every edit, so a result records exactly which wording was shown.
    pub version: u32,
    /// The topic code the exam blueprint spreads questions over.
    pub topic: String,
    pub categories: Vec<CategoryId>,
    pub text: Text,
    pub kind: QuestionKind,
    pub options: Vec<AnswerOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

/// Why a question cannot go into a bank.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuestionError {
    #[error("question {0}: no category")]
    NoCategory(String),
    #[error("question {id}: text has no {lang} version")]
    MissingText { id: String, lang: &'static str },
    #[error("question {id}: option {option} has no {lang} text")]
    MissingOptionText {
        id: String,
        option: String,
        lang: &'static str,
    },
    #[error("question {0}: needs at least two options")]
    TooFewOptions(String),
    #[error("question {id}: option id {option:?} appears twice")]
    DuplicateOption { id: String, option: String },
    #[error("question {0}: no option is marked correct")]
    NoCorrectOption(String),
    #[error("question {id}: single choice, but {count} options are marked correct")]
    SeveralCorrect { id: String, count: usize },
}

impl Question {
    /// Checks the rules every bank question must follow.
    pub fn validate(&self) -> Result<(), QuestionError> {
        let id = || self.id.0.clone();
        if self.categories.is_empty() {
            return Err(QuestionError::NoCategory(id()));
        }
        if let Some(lang) = self.text.missing_required() {
            return Err(QuestionError::MissingText {
                id: id(),
                lang: lang.code(),
            });
        }
        if self.options.len() < 2 {
            return Err(QuestionError::TooFewOptions(id()));
        }
        let mut seen = HashSet::new();
        for o in &self.options {
            if !seen.insert(o.id.as_str()) {
                return Err(QuestionError::DuplicateOption {
                    id: id(),
                    option: o.id.clone(),
                });
            }
            if let Some(lang) = o.text.missing_required() {
                return Err(QuestionError::MissingOptionText {
                    id: id(),
                    option: o.id.clone(),
                    lang: lang.code(),
                });
            }
        }
        let correct = self.options.iter().filter(|o| o.correct).count();
        match (self.kind, correct) {
            (_, 0) => Err(QuestionError::NoCorrectOption(id())),
            (QuestionKind::Single, n) if n > 1 => {
                Err(QuestionError::SeveralCorrect { id: id(), count: n })
            }
            _ => Ok(()),
        }
    }

    /// Whether the question may appear in an exam of `category`.
    pub fn is_for(&self, category: &CategoryId) -> bool {
        self.categories.contains(category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
id = "ot-0001"
version = 1
topic = "briefings"
categories = ["cat-1", "cat-2"]
kind = "single"
text.kk = "Жұмысқа қабылданған қызметкермен қандай нұсқама өткізіледі?"
text.ru = "Какой инструктаж проводится с работником, принятым на работу?"

[[options]]
id = "a"
text = { kk = "Кіріспе нұсқама", ru = "Вводный инструктаж" }
correct = true

[[options]]
id = "b"
text = { kk = "Мақсатты нұсқама", ru = "Целевой инструктаж" }

[image]
path = "media/briefing.png"
alt = { kk = "Нұсқама журналы", ru = "Журнал инструктажа" }
"#;

    fn sample() -> Question {
        toml::from_str(SAMPLE).expect("sample question parses")
    }

    #[test]
    fn parses_and_validates() {
        let q = sample();
        q.validate().unwrap();
        assert!(q.is_for(&CategoryId::new("cat-2").unwrap()));
        assert!(!q.is_for(&CategoryId::new("cat-3").unwrap()));
        assert_eq!(q.image.as_ref().unwrap().path, "media/briefing.png");
    }

    #[test]
    fn round_trips_through_json() {
        let q = sample();
        let json = serde_json::to_string(&q).unwrap();
        let back: Question = serde_json::from_str(&json).unwrap();
        assert_eq!(q, back);
    }

    #[test]
    fn each_rule_has_its_error() {
        let mut q = sample();
        q.options[1].correct = true;
        assert_eq!(
            q.validate(),
            Err(QuestionError::SeveralCorrect {
                id: "ot-0001".into(),
                count: 2
            })
        );
        q.kind = QuestionKind::Multiple;
        assert_eq!(q.validate(), Ok(()));

        let mut q = sample();
        q.options[0].correct = false;
        assert_eq!(
            q.validate(),
            Err(QuestionError::NoCorrectOption("ot-0001".into()))
        );

        let mut q = sample();
        q.options[1].id = "a".into();
        assert!(matches!(
            q.validate(),
            Err(QuestionError::DuplicateOption { .. })
        ));

        let mut q = sample();
        q.text.ru.clear();
        assert_eq!(
            q.validate(),
            Err(QuestionError::MissingText {
                id: "ot-0001".into(),
                lang: "ru"
            })
        );

        let mut q = sample();
        q.options[1].text.kk.clear();
        assert!(matches!(
            q.validate(),
            Err(QuestionError::MissingOptionText { lang: "kk", .. })
        ));

        let mut q = sample();
        q.options.truncate(1);
        assert_eq!(
            q.validate(),
            Err(QuestionError::TooFewOptions("ot-0001".into()))
        );

        let mut q = sample();
        q.categories.clear();
        assert_eq!(
            q.validate(),
            Err(QuestionError::NoCategory("ot-0001".into()))
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let typo = SAMPLE.replace("topic =", "topik =");
        assert!(toml::from_str::<Question>(&typo).is_err());
    }
}
