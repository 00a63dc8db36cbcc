//! Learner categories and exam profiles: the rules of an exam, as data.
//!
//! The seed documents pair categories with hours and question counts in a garbled table, so
//! none of those numbers is code: they are fields of a profile file (TOML), signed by ЕУМЦ in
//! production and shipped as `assets/demo/profile.toml` for the demo. A profile states
//! defaults once and lets each category override them.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Text};

/// A category's stable identifier, such as `cat-1` (lowercase ASCII letters, digits, `-`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryId(String);

impl CategoryId {
    /// Checks the shape of an id: 1 to 32 characters of `a-z`, `0-9` and `-`.
    pub fn new(s: impl Into<String>) -> Result<CategoryId, ProfileError> {
        let s = s.into();
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(CategoryId(s))
        } else {
            Err(ProfileError::BadCategoryId(s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryId {
    type Error = ProfileError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CategoryId::new(s)
    }
}

impl From<CategoryId> for String {
    fn from(id: CategoryId) -> String {
        id.0
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a profile cannot be used. Each message names the field and the category.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file is not valid TOML or does not have the profile's shape.
    #[error("exam profile is not valid: {0}")]
    Syntax(String),
    /// A category id with characters other than `a-z`, `0-9`, `-`.
    #[error("category id {0:?} must be 1 to 32 characters of a-z, 0-9 and '-'")]
    BadCategoryId(String),
    /// The profile lists no category.
    #[error("exam profile lists no category")]
    NoCategories,
    /// Two categories share an id or a number.
    #[error("category {0} appears twice")]
    DuplicateCategory(String),
    /// A name without its Kazakh or Russian text.
    #[error("category {id} has no name in {lang}")]
    MissingName { id: String, lang: &'static str },
    /// A numeric rule outside its range.
    #[error("category {id}: {field} is {value}, but must be {range}")]
    OutOfRange {
        id: String,
        field: &'static str,
        value: u32,
        range: &'static str,
    },
    /// The per-topic quotas of a category ask for more questions than its exam has.
    #[error(
        "category {id}: the topic quotas in `topics` add up to {sum} questions, but the exam \
         has only question_count = {question_count}; lower the quotas or raise question_count"
    )]
    QuotaExceedsCount {
        id: String,
        sum: u64,
        question_count: u32,
    },
}

/// How a multiple-choice question (one or more correct options) earns credit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MultipleChoiceScoring {
    /// One point only for exactly the set of correct options; anything else earns nothing.
    /// Written `"all-or-nothing"` in a profile; the default.
    #[default]
    AllOrNothing,
    /// Credit `max(0, correct picks − wrong picks) / number of correct options`.
    /// Written `"partial"` in a profile.
    Partial,
}

/// The seed's interval between camera frames, for a kiosk that has no profile yet.
pub const DEFAULT_CAPTURE_INTERVAL_SECS: u32 = 5;

/// The fewest seconds of active time per answered question before ЕУМЦ holds a result for
/// review (`min_seconds_per_answer`): nobody reads a safety question and its options faster.
pub const DEFAULT_MIN_SECONDS_PER_ANSWER: u32 = 3;
/// Camera flags (`camera-*` incidents) an exam may have before ЕУМЦ holds it for review
/// (`max_camera_flags`).
pub const DEFAULT_MAX_CAMERA_FLAGS: u32 = 3;
/// Failed attempts of one person in one category on one office day before ЕУМЦ holds the
/// next ones for review (`max_fails_per_day`).
pub const DEFAULT_MAX_FAILS_PER_DAY: u32 = 2;
/// How many days before a valid certificate expires a new one may be issued in the same
/// category (`recertify_window_days`); earlier, a new pass is refused.
pub const DEFAULT_RECERTIFY_WINDOW_DAYS: u32 = 90;

/// Values every category takes unless it says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    minutes_per_question: u32,
    pass_percent: u32,
    retake_window_days: u32,
    capture_interval_secs: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    multiple_choice: Option<MultipleChoiceScoring>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_seconds_per_answer: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_camera_flags: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_fails_per_day: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recertify_window_days: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: CategoryId,
    number: u32,
    name: Text,
    training_hours: u32,
    question_count: u32,
    certificate_validity_years: Option<u32>,
    minutes_per_question: Option<u32>,
    pass_percent: Option<u32>,
    retake_window_days: Option<u32>,
    capture_interval_secs: Option<u32>,
    #[serde(default)]
    topics: BTreeMap<String, u32>,
    multiple_choice: Option<MultipleChoiceScoring>,
    min_seconds_per_answer: Option<u32>,
    max_camera_flags: Option<u32>,
    max_fails_per_day: Option<u32>,
    recertify_window_days: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: String,
    version: u32,
    title: Text,
    defaults: Defaults,
    #[serde(rename = "category", default)]
    categories: Vec<RawCategory>,
}

/// One learner category with every rule resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: CategoryId,
    /// The number in the seed's table (1..=6 for the demo), for people to refer to.
    pub number: u32,
    pub name: Text,
    /// Hours of the standard training programme (informative; the ОО trains).
    pub training_hours: u32,
    /// How many questions an exam of this category draws.
    pub question_count: u32,
    pub minutes_per_question: u32,
    /// The lowest score that passes, in percent of questions (70 by default).
    pub pass_percent: u32,
    /// How many days after a failed attempt a retake is allowed.
    pub retake_window_days: u32,
    /// How long a certificate is valid; `None` means it does not expire.
    pub certificate_validity_years: Option<u32>,
    /// Seconds between proctoring webcam frames.
    pub capture_interval_secs: u32,
    /// The fewest questions each listed topic must supply (`topics = { fire = 5 }` in the
    /// profile). The rest of the exam is spread evenly over all topics; empty means spread
    /// every question evenly. The quotas add up to at most `question_count`.
    pub topic_quota: BTreeMap<String, u32>,
    /// How multiple-choice questions earn credit (all-or-nothing unless the profile says
    /// `multiple_choice = "partial"` for the category or in `[defaults]`).
    pub multiple_choice: MultipleChoiceScoring,
    /// ЕУМЦ holds a result whose active time per answered question is below this
    /// ([`DEFAULT_MIN_SECONDS_PER_ANSWER`] unless the profile says otherwise).
    pub min_seconds_per_answer: u32,
    /// ЕУМЦ holds a result with more camera flags than this ([`DEFAULT_MAX_CAMERA_FLAGS`]).
    pub max_camera_flags: u32,
    /// ЕУМЦ holds a person's fails in the category beyond this many on one office day
    /// ([`DEFAULT_MAX_FAILS_PER_DAY`]).
    pub max_fails_per_day: u32,
    /// A new certificate in the category is issued to a holder of a valid one only within
    /// this many days before it expires ([`DEFAULT_RECERTIFY_WINDOW_DAYS`]); never while a
    /// certificate that does not expire is valid.
    pub recertify_window_days: u32,
}

impl Category {
    /// The exam's time limit: questions × minutes per question.
    pub fn time_limit(&self) -> Duration {
        Duration::from_secs(u64::from(self.time_limit_minutes()) * 60)
    }

    /// The time limit in whole minutes.
    pub fn time_limit_minutes(&self) -> u32 {
        self.question_count * self.minutes_per_question
    }

    /// The fewest correct answers that pass: `ceil(count × pass_percent / 100)`.
    pub fn min_correct_to_pass(&self) -> u32 {
        (self.question_count * self.pass_percent).div_ceil(100)
    }

    /// The last day a retake is allowed after an attempt failed on `failed_on` (the office's
    /// date): the retake window counts calendar days from the failed attempt.
    pub fn retake_until(&self, failed_on: chrono::NaiveDate) -> chrono::NaiveDate {
        crate::time::add_days(failed_on, self.retake_window_days)
    }
}

/// A signed set of exam rules: the categories an exam can be taken in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamProfile {
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub categories: Vec<Category>,
}

impl ExamProfile {
    /// Parses and checks a profile written in TOML.
    pub fn from_toml(src: &str) -> Result<ExamProfile, ProfileError> {
        let raw: RawProfile =
            toml::from_str(src).map_err(|e| ProfileError::Syntax(e.to_string()))?;
        if raw.categories.is_empty() {
            return Err(ProfileError::NoCategories);
        }
        let d = &raw.defaults;
        let mut categories: Vec<Category> = Vec::with_capacity(raw.categories.len());
        for c in raw.categories {
            let id = c.id.to_string();
            if categories
                .iter()
                .any(|k| k.id == c.id || k.number == c.number)
            {
                return Err(ProfileError::DuplicateCategory(id));
            }
            if let Some(lang) = c.name.missing_required() {
                return Err(ProfileError::MissingName {
                    id,
                    lang: lang.code(),
                });
            }
            let cat = Category {
                id: c.id,
                number: c.number,
                name: c.name,
                training_hours: c.training_hours,
                question_count: c.question_count,
                minutes_per_question: c.minutes_per_question.unwrap_or(d.minutes_per_question),
                pass_percent: c.pass_percent.unwrap_or(d.pass_percent),
                retake_window_days: c.retake_window_days.unwrap_or(d.retake_window_days),
                certificate_validity_years: c.certificate_validity_years,
                capture_interval_secs: c.capture_interval_secs.unwrap_or(d.capture_interval_secs),
                topic_quota: c.topics,
                multiple_choice: c.multiple_choice.or(d.multiple_choice).unwrap_or_default(),
                min_seconds_per_answer: c
                    .min_seconds_per_answer
                    .or(d.min_seconds_per_answer)
                    .unwrap_or(DEFAULT_MIN_SECONDS_PER_ANSWER),
                max_camera_flags: c
                    .max_camera_flags
                    .or(d.max_camera_flags)
                    .unwrap_or(DEFAULT_MAX_CAMERA_FLAGS),
                max_fails_per_day: c
                    .max_fails_per_day
                    .or(d.max_fails_per_day)
                    .unwrap_or(DEFAULT_MAX_FAILS_PER_DAY),
                recertify_window_days: c
                    .recertify_window_days
                    .or(d.recertify_window_days)
                    .unwrap_or(DEFAULT_RECERTIFY_WINDOW_DAYS),
            };
            check_ranges(&cat)?;
            categories.push(cat);
        }
        Ok(ExamProfile {
            id: raw.id,
            version: raw.version,
            title: raw.title,
            categories,
        })
    }

    /// The category with this id.
    pub fn category(&self, id: &CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| &c.id == id)
    }

    /// The longest interval between camera frames a kiosk may be set to: the shortest any
    /// category asks for, so no exam is captured more sparsely than its profile says.
    pub fn capture_interval_cap(&self) -> u32 {
        self.categories
            .iter()
            .map(|c| c.capture_interval_secs)
            .min()
            .unwrap_or(DEFAULT_CAPTURE_INTERVAL_SECS)
    }

    /// The profile's categories sorted for display in `lang` (by their table number).
    pub fn categories_in_order(&self) -> Vec<&Category> {
        let mut v: Vec<_> = self.categories.iter().collect();
        v.sort_by_key(|c| c.number);
        v
    }

    /// The name of every category in `lang`, in display order.
    pub fn names(&self, lang: Lang) -> Vec<&str> {
        self.categories_in_order()
            .into_iter()
            .map(|c| c.name.get(lang))
            .collect()
    }
}

fn check_ranges(c: &Category) -> Result<(), ProfileError> {
    let rules: [(
        &'static str,
        u32,
        std::ops::RangeInclusive<u32>,
        &'static str,
    ); 6] = [
        ("question_count", c.question_count, 1..=1000, "1 to 1000"),
        (
            "minutes_per_question",
            c.minutes_per_question,
            1..=60,
            "1 to 60",
        ),
        ("pass_percent", c.pass_percent, 1..=100, "1 to 100"),
        (
            "retake_window_days",
            c.retake_window_days,
            0..=3650,
            "0 to 3650",
        ),
        (
            "capture_interval_secs",
            c.capture_interval_secs,
            1..=3600,
            "1 to 3600",
        ),
        (
            "certificate_validity_years",
            c.certificate_validity_years.unwrap_or(1),
            1..=100,
            "1 to 100, or left out for no expiry",
        ),
    ];
    for (field, value, range, text) in rules {
        if !range.contains(&value) {
            return Err(ProfileError::OutOfRange {
                id: c.id.to_string(),
                field,
                value,
                range: text,
            });
        }
    }
    let sum: u64 = c.topic_quota.values().map(|&q| u64::from(q)).sum();
    if sum > u64::from(c.question_count) {
        return Err(ProfileError::QuotaExceedsCount {
            id: c.id.to_string(),
            sum,
            question_count: c.question_count,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = include_str!("../../../assets/demo/profile.toml");

    fn demo() -> ExamProfile {
        ExamProfile::from_toml(DEMO).expect("demo profile is valid")
    }

    #[test]
    fn a_retake_is_allowed_for_the_window_after_the_failed_day_and_capture_is_capped() {
        let p = demo();
        let c = &p.categories[0];
        assert_eq!(c.retake_window_days, 30);
        let failed = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(
            c.retake_until(failed),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 3).unwrap()
        );
        assert_eq!(p.capture_interval_cap(), 5);
    }

    #[test]
    fn demo_profile_has_the_six_seed_categories() {
        let p = demo();
        let counts: Vec<_> = p
            .categories_in_order()
            .iter()
            .map(|c| (c.number, c.training_hours, c.question_count))
            .collect();
        assert_eq!(
            counts,
            [
                (1, 8, 30),
                (2, 16, 50),
                (3, 40, 80),
                (4, 72, 120),
                (5, 72, 100),
                (6, 80, 120)
            ]
        );
        for c in &p.categories {
            assert_eq!(c.minutes_per_question, 2, "{}", c.id);
            assert_eq!(c.pass_percent, 70, "{}", c.id);
            assert_eq!(c.retake_window_days, 30, "{}", c.id);
            assert_eq!(c.capture_interval_secs, 5, "{}", c.id);
            // Categories 1–4 are valid three years; 5 and 6 do not expire.
            let years = if c.number <= 4 { Some(3) } else { None };
            assert_eq!(c.certificate_validity_years, years, "{}", c.id);
            assert!(c.name.en.is_some(), "{} has an English name", c.id);
            assert!(c.topic_quota.is_empty(), "{}", c.id);
            assert_eq!(c.multiple_choice, MultipleChoiceScoring::AllOrNothing);
        }
    }

    #[test]
    fn centrals_review_thresholds_are_optional_with_conservative_defaults() {
        // The signed demo profile does not name them: it keeps parsing, with the defaults.
        for c in &demo().categories {
            assert_eq!(c.min_seconds_per_answer, DEFAULT_MIN_SECONDS_PER_ANSWER);
            assert_eq!(c.max_camera_flags, DEFAULT_MAX_CAMERA_FLAGS);
            assert_eq!(c.max_fails_per_day, DEFAULT_MAX_FAILS_PER_DAY);
            assert_eq!(c.recertify_window_days, DEFAULT_RECERTIFY_WINDOW_DAYS);
        }
        let src = DEMO.replacen(
            "capture_interval_secs = 5\n",
            "capture_interval_secs = 5\nmin_seconds_per_answer = 10\nmax_camera_flags = 1\n",
            1,
        );
        let p = ExamProfile::from_toml(&src).unwrap();
        assert_eq!(p.categories[0].min_seconds_per_answer, 10);
        assert_eq!(p.categories[0].max_camera_flags, 1);
        assert_eq!(p.categories[0].max_fails_per_day, DEFAULT_MAX_FAILS_PER_DAY);
    }

    #[test]
    fn time_limit_is_two_minutes_a_question() {
        let p = demo();
        let first = &p.categories_in_order()[0];
        assert_eq!(first.time_limit_minutes(), 60);
        assert_eq!(first.time_limit(), Duration::from_secs(3600));
        let fourth = p.category(&CategoryId::new("cat-4").unwrap()).unwrap();
        assert_eq!(fourth.time_limit_minutes(), 240);
    }

    #[test]
    fn seventy_percent_rounds_up() {
        let p = demo();
        let c = &p.categories_in_order()[0];
        assert_eq!(c.min_correct_to_pass(), 21); // 30 × 0.7
        let c = p.category(&CategoryId::new("cat-2").unwrap()).unwrap();
        assert_eq!(c.min_correct_to_pass(), 35); // 50 × 0.7
        let mut odd = c.clone();
        odd.question_count = 41;
        assert_eq!(odd.min_correct_to_pass(), 29); // 28.7 → 29
    }

    #[test]
    fn kazakh_names_use_kazakh_letters() {
        // A cheap guard against a Russian text pasted in the kk field.
        let p = demo();
        let kazakh = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];
        for c in &p.categories {
            let kk = c.name.kk.to_lowercase();
            assert!(kazakh.iter().any(|ch| kk.contains(*ch)), "{}: {kk}", c.id);
            assert_ne!(c.name.kk, c.name.ru);
        }
    }

    fn with_category(extra: &str) -> String {
        format!(
            r#"id = "t"
version = 1
title = {{ kk = "Сынақ", ru = "Тест" }}
[defaults]
minutes_per_question = 2
pass_percent = 70
retake_window_days = 30
capture_interval_secs = 5
[[category]]
id = "a"
number = 1
name = {{ kk = "Бір", ru = "Один" }}
training_hours = 8
question_count = 40
{extra}"#
        )
    }

    #[test]
    fn overrides_and_defaults() {
        let p = ExamProfile::from_toml(&with_category("pass_percent = 80\n")).unwrap();
        assert_eq!(p.categories[0].pass_percent, 80);
        assert_eq!(p.categories[0].minutes_per_question, 2);
        assert_eq!(p.categories[0].certificate_validity_years, None);
    }

    #[test]
    fn bad_profiles_say_what_is_wrong() {
        let err = ExamProfile::from_toml(&with_category("pass_percent = 170\n")).unwrap_err();
        assert_eq!(
            err,
            ProfileError::OutOfRange {
                id: "a".into(),
                field: "pass_percent",
                value: 170,
                range: "1 to 100"
            }
        );
        let twice = with_category(
            "[[category]]\nid = \"a\"\nnumber = 2\nname = { kk = \"Екі\", ru = \"Два\" }\ntraining_hours = 1\nquestion_count = 1\n",
        );
        assert_eq!(
            ExamProfile::from_toml(&twice).unwrap_err(),
            ProfileError::DuplicateCategory("a".into())
        );
        let no_kk = with_category("").replace("kk = \"Бір\"", "kk = \"\"");
        assert_eq!(
            ExamProfile::from_toml(&no_kk).unwrap_err(),
            ProfileError::MissingName {
                id: "a".into(),
                lang: "kk"
            }
        );
        let typo = with_category("pass_procent = 70\n");
        let err = ExamProfile::from_toml(&typo).unwrap_err();
        assert!(err.to_string().contains("pass_procent"), "{err}");
        let bad_id = with_category("").replace("id = \"a\"", "id = \"A b\"");
        assert!(ExamProfile::from_toml(&bad_id)
            .unwrap_err()
            .to_string()
            .contains("A b"));
        let zero = with_category("").replace("question_count = 40", "question_count = 0");
        assert!(matches!(
            ExamProfile::from_toml(&zero),
            Err(ProfileError::OutOfRange {
                field: "question_count",
                ..
            })
        ));
    }

    #[test]
    fn topic_quotas_parse_and_must_fit_the_exam() {
        let p = ExamProfile::from_toml(&with_category("topics = { fire = 5, training = 10 }\n"))
            .unwrap();
        let quota = &p.categories[0].topic_quota;
        assert_eq!(quota.len(), 2);
        assert_eq!(quota["fire"], 5);
        assert_eq!(quota["training"], 10);

        // Exactly question_count is fine; one more is refused with the category named.
        let full = with_category("topics = { fire = 30, training = 10 }\n");
        assert!(ExamProfile::from_toml(&full).is_ok());
        let over = with_category("topics = { fire = 31, training = 10 }\n");
        let err = ExamProfile::from_toml(&over).unwrap_err();
        assert_eq!(
            err,
            ProfileError::QuotaExceedsCount {
                id: "a".into(),
                sum: 41,
                question_count: 40
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("category a") && msg.contains("lower"), "{msg}");

        // Sums past u32::MAX do not wrap around.
        let huge = with_category("topics = { a = 4294967295, b = 4294967295 }\n");
        assert!(matches!(
            ExamProfile::from_toml(&huge),
            Err(ProfileError::QuotaExceedsCount {
                sum: 8_589_934_590,
                ..
            })
        ));

        let negative = with_category("topics = { fire = -1 }\n");
        assert!(matches!(
            ExamProfile::from_toml(&negative),
            Err(ProfileError::Syntax(_))
        ));
    }

    #[test]
    fn multiple_choice_scoring_from_category_or_defaults() {
        let p = ExamProfile::from_toml(&with_category("")).unwrap();
        assert_eq!(
            p.categories[0].multiple_choice,
            MultipleChoiceScoring::AllOrNothing
        );

        let p = ExamProfile::from_toml(&with_category("multiple_choice = \"partial\"\n")).unwrap();
        assert_eq!(
            p.categories[0].multiple_choice,
            MultipleChoiceScoring::Partial
        );

        let in_defaults = with_category("").replace(
            "capture_interval_secs = 5\n",
            "capture_interval_secs = 5\nmultiple_choice = \"partial\"\n",
        );
        let p = ExamProfile::from_toml(&in_defaults).unwrap();
        assert_eq!(
            p.categories[0].multiple_choice,
            MultipleChoiceScoring::Partial
        );

        // A category overrides the default.
        let overridden = format!("{in_defaults}multiple_choice = \"all-or-nothing\"\n");
        let p = ExamProfile::from_toml(&overridden).unwrap();
        assert_eq!(
            p.categories[0].multiple_choice,
            MultipleChoiceScoring::AllOrNothing
        );

        let typo = with_category("multiple_choice = \"partly\"\n");
        let err = ExamProfile::from_toml(&typo).unwrap_err();
        assert!(err.to_string().contains("partly"), "{err}");
    }
}
