//! What changed between two versions of a bank: questions added, removed and changed.
//!
//! A result records each question's id and version, so a question whose wording, options or
//! correct marks changed must have a higher version: a change without one is flagged
//! ([`Change::version_raised`]), as results of the old and the new wording would otherwise be
//! indistinguishable.

use std::collections::BTreeMap;
use std::fmt;

use synaq_core::{Question, QuestionId};

/// One part of a question that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// Kazakh question text.
    TextKk,
    /// Russian question text.
    TextRu,
    /// Options added, removed or reworded.
    Options,
    /// Which options are correct.
    Correct,
    /// Single or multiple choice.
    Kind,
    /// The image or its text alternative.
    Image,
    /// The topic.
    Topic,
    /// The exam categories.
    Categories,
    /// Only the version.
    Version,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::TextKk => "text (kk)",
            Part::TextRu => "text (ru)",
            Part::Options => "options",
            Part::Correct => "correct options",
            Part::Kind => "kind",
            Part::Image => "image",
            Part::Topic => "topic",
            Part::Categories => "categories",
            Part::Version => "version",
        }
    }
}

/// A question in both versions that is not the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: QuestionId,
    pub old_version: u32,
    pub new_version: u32,
    /// What differs.
    pub parts: Vec<Part>,
}

impl Change {
    /// Whether the version went up, as it must when what an examinee sees or what is
    /// correct changed.
    pub fn version_raised(&self) -> bool {
        self.new_version > self.old_version
    }

    /// Whether the examinee would see something else or be scored differently.
    pub fn shown_or_scored(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(
                p,
                Part::TextKk
                    | Part::TextRu
                    | Part::Options
                    | Part::Correct
                    | Part::Kind
                    | Part::Image
            )
        })
    }
}

/// The difference between two sets of questions, each list sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankDiff {
    pub added: Vec<QuestionId>,
    pub removed: Vec<QuestionId>,
    pub changed: Vec<Change>,
}

impl BankDiff {
    /// Changes of wording or scoring whose version was not raised.
    pub fn unversioned(&self) -> impl Iterator<Item = &Change> {
        self.changed
            .iter()
            .filter(|c| c.shown_or_scored() && !c.version_raised())
    }
}

fn parts(old: &Question, new: &Question) -> Vec<Part> {
    let mut out = Vec::new();
    if old.text.kk != new.text.kk {
        out.push(Part::TextKk);
    }
    if old.text.ru != new.text.ru {
        out.push(Part::TextRu);
    }
    let texts = |q: &Question| {
        q.options
            .iter()
            .map(|o| (o.id.clone(), o.text.clone(), o.fixed))
            .collect::<Vec<_>>()
    };
    if texts(old) != texts(new) {
        out.push(Part::Options);
    }
    let correct = |q: &Question| {
        q.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect::<Vec<_>>()
    };
    if correct(old) != correct(new) {
        out.push(Part::Correct);
    }
    if old.kind != new.kind {
        out.push(Part::Kind);
    }
    if old.image != new.image {
        out.push(Part::Image);
    }
    if old.topic != new.topic {
        out.push(Part::Topic);
    }
    if old.categories != new.categories {
        out.push(Part::Categories);
    }
    if out.is_empty() && old.version != new.version {
        out.push(Part::Version);
    }
    out
}

/// Compares two banks' questions by id.
pub fn diff(old: &[Question], new: &[Question]) -> BankDiff {
    let old: BTreeMap<&QuestionId, &Question> = old.iter().map(|q| (&q.id, q)).collect();
    let new: BTreeMap<&QuestionId, &Question> = new.iter().map(|q| (&q.id, q)).collect();
    let mut d = BankDiff::default();
    for (id, n) in &new {
        match old.get(id) {
            None => d.added.push((*id).clone()),
            Some(o) => {
                let parts = parts(o, n);
                if !parts.is_empty() {
                    d.changed.push(Change {
                        id: (*id).clone(),
                        old_version: o.version,
                        new_version: n.version,
                        parts,
                    });
                }
            }
        }
    }
    d.removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .map(|id| (*id).clone())
        .collect();
    d
}

impl fmt::Display for BankDiff {
    /// One line per question: `+ id`, `- id`, `~ id v1 → v2: text (ru), correct options`,
    /// with `(version not raised)` where it must have been; then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for id in &self.added {
            writeln!(f, "+ {}", id.0)?;
        }
        for id in &self.removed {
            writeln!(f, "- {}", id.0)?;
        }
        for c in &self.changed {
            let what: Vec<_> = c.parts.iter().map(|p| p.name()).collect();
            writeln!(
                f,
                "~ {} v{} → v{}: {}{}",
                c.id.0,
                c.old_version,
                c.new_version,
                what.join(", "),
                if c.shown_or_scored() && !c.version_raised() {
                    " (version not raised)"
                } else {
                    ""
                }
            )?;
        }
        write!(
            f,
            "{} added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use synaq_core::{AnswerOption, QuestionKind, Text};

    fn q(id: &str, version: u32, ru: &str, correct: usize) -> Question {
        let t = |s: &str| Text {
            kk: s.into(),
            ru: s.into(),
            en: None,
        };
        Question {
            id: QuestionId(id.into()),
            version,
            topic: "t".into(),
            categories: vec![],
            text: Text {
                kk: "Сұрақ".into(),
                ru: ru.into(),
                en: None,
            },
            kind: QuestionKind::Single,
            options: (0..2)
                .map(|i| AnswerOption {
                    id: ["a", "b"][i].into(),
                    text: t(["Иә", "Жоқ"][i]),
                    correct: i == correct,
                    fixed: false,
                })
                .collect(),
            image: None,
        }
    }

    #[test]
    fn added_removed_changed_and_unraised_versions() {
        let old = [
            q("a", 1, "Вопрос", 0),
            q("b", 1, "Вопрос", 0),
            q("c", 1, "Вопрос", 0),
        ];
        let new = [
            q("b", 2, "Вопрос?", 0),
            q("c", 1, "Вопрос", 1),
            q("d", 1, "Вопрос", 0),
        ];
        let d = diff(&old, &new);
        assert_eq!(d.added, [QuestionId("d".into())]);
        assert_eq!(d.removed, [QuestionId("a".into())]);
        assert_eq!(
            d.to_string(),
            "+ d\n- a\n~ b v1 → v2: text (ru)\n~ c v1 → v1: correct options (version not \
             raised)\n1 added, 1 removed, 2 changed"
        );
        assert_eq!(d.unversioned().count(), 1);
        assert_eq!(diff(&new, &new), BankDiff::default());
    }
}
