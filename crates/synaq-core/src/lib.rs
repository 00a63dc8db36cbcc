//! Synaq's domain, pure and fast to test.
//!
//! Nothing here knows about windows, cameras, networks or keys. Everything that decides
//! something about an exam lives in this crate (or in a sibling library crate), so that
//! `cargo test -p synaq-core` stays quick on a 2-core machine.
#![forbid(unsafe_code)]

pub mod bank;
pub mod code;
pub mod exam;
pub mod id;
pub mod incident;
pub mod lang;
pub mod profile;
pub mod question;
pub mod time;

pub use bank::ExamBank;
pub use code::{Arg, Code};
pub use exam::{assemble, score, Answers, AssemblyError, Paper, PaperItem, Rng, Score};
pub use id::{Bin, IdError, Iin, Sex};
pub use incident::Incident;
pub use lang::{Lang, Text};
pub use profile::{Category, CategoryId, ExamProfile, MultipleChoiceScoring, ProfileError};
pub use question::{AnswerOption, Image, Question, QuestionError, QuestionId, QuestionKind};
pub use time::OfficeZone;
