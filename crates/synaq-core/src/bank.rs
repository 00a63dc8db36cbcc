//! The decrypted bank an exam draws from, indexed by question id.
//!
//! Pure domain (a profile and its questions): the kiosk's engine assembles and scores papers
//! with it, and ЕУМЦ re-scores every result with the same type, so it lives here rather than
//! in the kiosk's store.

use std::collections::HashMap;

use crate::{ExamProfile, Question, QuestionId};

/// The decrypted bank the engine draws from.
#[derive(Debug)]
pub struct ExamBank {
    pub series: String,
    pub version: u64,
    pub profile: ExamProfile,
    questions: Vec<Question>,
    index: HashMap<QuestionId, usize>,
}

impl ExamBank {
    pub fn new(
        series: String,
        version: u64,
        profile: ExamProfile,
        questions: Vec<Question>,
    ) -> ExamBank {
        let index = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        ExamBank {
            series,
            version,
            profile,
            questions,
            index,
        }
    }

    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
}
