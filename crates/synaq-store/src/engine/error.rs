//! Why an engine call was refused: [`StoreError`], each variant a stable code with its values.

use rusqlite::ErrorCode;
use synaq_core::AssemblyError;
use synaq_seal::KeyError;

/// Why an engine call was refused. Each variant has a stable [`StoreError::code`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The disk is full: nothing of this call was saved, everything saved before is intact.
    #[error("the kiosk's disk is full: this change was not saved (everything saved before is intact); free space, then retry")]
    DiskFull,
    /// Any other database failure.
    #[error("database error: {0}")]
    Db(String),
    /// The kiosk key could not be loaded or created.
    #[error("kiosk key: {0}")]
    Identity(#[from] KeyError),
    /// Not enough questions, or a topic quota the bank cannot meet.
    #[error("cannot assemble the exam: {0}")]
    Assembly(#[from] AssemblyError),
    /// The category is not in the bank's exam profile.
    #[error("category {0} is not in this bank's exam profile")]
    UnknownCategory(String),
    /// Another attempt is still open on this kiosk.
    #[error("attempt {0} is still open on this kiosk: finish or resume it first")]
    AttemptOpen(String),
    /// There is no open attempt.
    #[error("there is no open exam on this kiosk")]
    NoAttempt,
    /// The attempt is paused or interrupted: a proctor must resume it.
    #[error("the exam is {0}: a proctor must resume it")]
    NotRunning(&'static str),
    /// Time ran out: the clock finished the exam (only then; see [`StoreError::Finished`]).
    #[error("time is up: the exam has been finished")]
    TimeUp,
    /// The exam was finished (submitted, or ended by a proctor) and its result signed: nothing
    /// of it can change any more.
    #[error("the exam has been finished: its result is signed and cannot change")]
    Finished,
    /// A question position outside the paper.
    #[error("question {position} does not exist (the exam has {total})")]
    BadPosition { position: usize, total: usize },
    /// An option id the question does not have, or several for a single-choice question.
    #[error("that answer is not valid for question {0}")]
    BadAnswer(usize),
    /// The stored attempt refers to questions the loaded bank does not have.
    #[error(
        "the open attempt was made with bank {series} v{version}; load that bank to resume it"
    )]
    BankMismatch { series: String, version: u64 },
    /// The journal or a stored record does not verify.
    #[error("tampering detected: {0}")]
    Tampered(String),
    /// No bank is in use: exams need one (staff, sync and the journal do not).
    #[error("no question bank is in use: import a valid bank from ЕУМЦ first")]
    NoBank,
    /// A staff account operation was refused (the code says why).
    #[error("staff account: {0}")]
    Staff(&'static str),
    /// Extra time outside what is left of [`super::EXTEND_MAX_MINUTES`] for this attempt (or none).
    #[error("a proctor may add 1 to {most} minutes to this exam now, not {minutes}")]
    ExtendLimit {
        /// The minutes asked for.
        minutes: u32,
        /// The most that may still be added (0: the attempt's extensions reached the cap).
        most: u32,
    },
}

impl StoreError {
    /// A stable code (a Fluent message id on the kiosk).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DiskFull => "store-disk-full",
            StoreError::Db(_) => "store-db",
            StoreError::Identity(_) => "error-kiosk-keys",
            StoreError::Assembly(_) => "store-assembly",
            StoreError::UnknownCategory(_) => "store-unknown-category",
            StoreError::AttemptOpen(_) => "store-attempt-open",
            StoreError::NoAttempt => "store-no-attempt",
            StoreError::NotRunning(_) => "store-not-running",
            StoreError::TimeUp => "store-time-up",
            StoreError::Finished => "store-finished",
            StoreError::BadPosition { .. } => "store-bad-position",
            StoreError::BadAnswer(_) => "store-bad-answer",
            StoreError::BankMismatch { .. } => "store-bank-mismatch",
            StoreError::Tampered(_) => "store-tampered",
            StoreError::NoBank => "error-bank-missing",
            StoreError::Staff(code) => code,
            StoreError::ExtendLimit { .. } => "proctor-bad-minutes",
        }
    }
}

impl StoreError {
    /// The code with its values, for the person (the detail of a database failure or of
    /// tampering is for the operator's log: [`StoreError`]'s `Display`).
    pub fn to_code(&self) -> synaq_core::Code {
        let code = synaq_core::Code::new(self.code());
        match self {
            StoreError::Assembly(
                AssemblyError::NotEnoughQuestions { category, .. }
                | AssemblyError::QuotaUnmet { category, .. }
                | AssemblyError::QuotaExceedsCount { category, .. },
            ) => code.arg("category", category.as_str()),
            StoreError::UnknownCategory(category) => code.arg("category", category.as_str()),
            StoreError::NotRunning(state) => code.arg("state", *state),
            // People count questions from 1.
            StoreError::BadPosition { position, total } => {
                code.arg("position", position + 1).arg("total", *total)
            }
            StoreError::BadAnswer(position) => code.arg("position", position + 1),
            StoreError::BankMismatch { series, version } => {
                code.arg("series", series.as_str()).arg("version", *version)
            }
            StoreError::ExtendLimit { minutes, most } => {
                code.arg("minutes", *minutes).arg("most", *most)
            }
            _ => code,
        }
    }

    /// One error of every kind, with representative values: tests format each in every language.
    pub fn examples() -> Vec<StoreError> {
        let mut out = vec![
            StoreError::DiskFull,
            StoreError::Db("disk I/O error".into()),
            StoreError::Identity(KeyError::Syntax("kiosk.key".into())),
            StoreError::Assembly(AssemblyError::NotEnoughQuestions {
                category: "1".into(),
                needed: 20,
                available: 3,
            }),
            StoreError::UnknownCategory("9".into()),
            StoreError::AttemptOpen("a-1".into()),
            StoreError::NoAttempt,
            StoreError::NotRunning("paused"),
            StoreError::NotRunning("interrupted"),
            StoreError::TimeUp,
            StoreError::Finished,
            StoreError::BadPosition {
                position: 40,
                total: 20,
            },
            StoreError::BadAnswer(3),
            StoreError::BankMismatch {
                series: "DEMO".into(),
                version: 2,
            },
            StoreError::Tampered("journal row 7".into()),
            StoreError::NoBank,
            StoreError::ExtendLimit {
                minutes: 150,
                most: 120,
            },
            StoreError::ExtendLimit {
                minutes: 5,
                most: 0,
            },
        ];
        out.extend(crate::staff::CODES.iter().map(|c| StoreError::Staff(c)));
        out
    }
}

impl From<StoreError> for synaq_core::Code {
    fn from(e: StoreError) -> Self {
        if matches!(e, StoreError::Db(_) | StoreError::Tampered(_)) {
            // The person sees the code; the operator's log keeps what failed.
            eprintln!("synaq: {e}");
        }
        e.to_code()
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Db(e.to_string()),
        }
    }
}
