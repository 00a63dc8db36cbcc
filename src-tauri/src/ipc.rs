//! What crosses the IPC boundary. These are view types, separate from the domain types on
//! purpose: a field added to a domain type (a correct answer, a key) can never leak into the
//! webview by accident, because nothing here derives from it.

use serde::{Deserialize, Serialize};
use specta::Type;
use synaq_core::{ExamProfile, Lang, Question, Text};

/// A language the UI can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum UiLang {
    Kk,
    Ru,
    En,
}

impl From<UiLang> for Lang {
    fn from(l: UiLang) -> Lang {
        match l {
            UiLang::Kk => Lang::Kk,
            UiLang::Ru => Lang::Ru,
            UiLang::En => Lang::En,
        }
    }
}

/// A name in each of the UI's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LocalizedName {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl From<&Text> for LocalizedName {
    fn from(t: &Text) -> Self {
        LocalizedName {
            kk: t.get(Lang::Kk).to_owned(),
            ru: t.get(Lang::Ru).to_owned(),
            en: t.get(Lang::En).to_owned(),
        }
    }
}

/// One exam category as the category list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CategorySummary {
    pub id: String,
    pub number: u32,
    pub name: LocalizedName,
    pub question_count: u32,
    pub time_limit_minutes: u32,
    pub pass_percent: u32,
    pub training_hours: u32,
    /// How many questions the bank holds for this category (the exam draws `question_count`).
    pub bank_questions: u32,
}

/// The categories of a profile with the bank's counts, in display order.
pub fn category_summaries(profile: &ExamProfile, questions: &[Question]) -> Vec<CategorySummary> {
    profile
        .categories_in_order()
        .into_iter()
        .map(|c| CategorySummary {
            id: c.id.to_string(),
            number: c.number,
            name: (&c.name).into(),
            question_count: c.question_count,
            time_limit_minutes: c.time_limit_minutes(),
            pass_percent: c.pass_percent,
            training_hours: c.training_hours,
            bank_questions: questions.iter().filter(|q| q.is_for(&c.id)).count() as u32,
        })
        .collect()
}

/// An error as the UI receives it: a stable code and a message already translated into the
/// language the person chose. Never a raw Rust error string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    pub code: String,
    pub message: String,
}
