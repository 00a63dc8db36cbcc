//! The attempt: where it stands ([`State`]), why it ended ([`FinishReason`]), what the
//! examinee and the status screens see, the live state in memory, and taking an open attempt
//! back after the kiosk stopped (`Engine::recover`, run by [`Engine::use_bank`]).

use std::collections::BTreeSet;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension as _};
use serde_json::json;
use synaq_core::{Answers, Category, CategoryId, Paper, QuestionKind, Text};

use super::{Engine, StoreError};
use crate::journal::{self, Head, Kind};

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Admitted; the examinee has not pressed start yet (identity and rules screens): no time
    /// is charged.
    Admitted,
    Running,
    Paused,
    /// The kiosk stopped (crash, power loss, suspend) mid-exam; a proctor must resume.
    Interrupted,
    Finished,
}

impl State {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            State::Admitted => "admitted",
            State::Running => "running",
            State::Paused => "paused",
            State::Interrupted => "interrupted",
            State::Finished => "finished",
        }
    }

    pub(super) fn parse(s: &str) -> State {
        match s {
            "admitted" => State::Admitted,
            "running" => State::Running,
            "paused" => State::Paused,
            "finished" => State::Finished,
            _ => State::Interrupted,
        }
    }
}

/// Why an exam ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// The examinee submitted.
    Submitted,
    /// The time limit was reached.
    TimeUp,
    /// A proctor ended it for a violation.
    Violation,
}

impl FinishReason {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            FinishReason::Submitted => "submitted",
            FinishReason::TimeUp => "time_up",
            FinishReason::Violation => "violation",
        }
    }
}

/// One question as the examinee sees it: no correct answers anywhere in here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownQuestion {
    pub position: usize,
    pub total: usize,
    pub text: Text,
    pub kind: QuestionKind,
    /// Option ids and texts, in the shuffled order of this paper.
    pub options: Vec<(String, Text)>,
    pub image: Option<String>,
    pub image_alt: Option<Text>,
    pub selected: BTreeSet<String>,
    pub flagged: bool,
}

/// The open attempt as status screens see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub attempt: String,
    pub state: State,
    /// Why a finished attempt ended (time ran out, submitted, ended by a proctor); `None`
    /// while it is open.
    pub finish_reason: Option<FinishReason>,
    pub remaining_ms: u64,
    pub limit_ms: u64,
    pub answered: usize,
    pub total: usize,
    /// The question last shown (the examinee returns to it after a resume or a proctor's
    /// visit); `None` before the first.
    pub last_shown: Option<usize>,
}

pub(super) struct Live {
    pub(super) id: String,
    pub(super) iin: String,
    pub(super) category: Category,
    pub(super) proctor: String,
    pub(super) paper: Paper,
    pub(super) answers: Answers,
    pub(super) flagged: BTreeSet<usize>,
    pub(super) state: State,
    pub(super) limit_ms: u64,
    pub(super) active_ms: u64,
    pub(super) persisted_ms: u64,
    pub(super) started_wall: i64,
    /// Boot-clock reading that active time was last charged up to (while running).
    pub(super) charged_to: Option<Duration>,
    /// Last boot-clock and wall readings, for jump detection.
    pub(super) seen_mono: Duration,
    pub(super) seen_wall: i64,
    pub(super) last_shown: Option<usize>,
    /// The proctor whose visit paused the clock (see [`Engine::visit_begins`]): the clock
    /// resumes when they leave. `None` for every other pause.
    pub(super) visit: Option<String>,
    /// Why it ended, once it is [`State::Finished`].
    pub(super) finish_reason: Option<FinishReason>,
    /// The webcam evidence's segment heads so far (one per camera run, in order), as stored
    /// in the attempt's row; signed into the result at the finish.
    pub(super) evidence_heads: Vec<String>,
}

impl Live {
    /// How a finished attempt refuses a change: [`StoreError::TimeUp`] when time ran out,
    /// else [`StoreError::Finished`].
    pub(super) fn refusal_when_finished(&self) -> StoreError {
        match self.finish_reason {
            Some(FinishReason::TimeUp) => StoreError::TimeUp,
            _ => StoreError::Finished,
        }
    }

    /// Minutes proctors added to this attempt so far (its limit over its category's).
    pub(super) fn extended_minutes(&self) -> u32 {
        let base = u64::from(self.category.time_limit_minutes()) * 60_000;
        u32::try_from(self.limit_ms.saturating_sub(base) / 60_000).unwrap_or(u32::MAX)
    }

    /// Appends a journal row for this attempt at its current active time.
    pub(super) fn journal(
        &self,
        tx: &Connection,
        head: &Head,
        wall: i64,
        kind: Kind,
        data: serde_json::Value,
    ) -> rusqlite::Result<Head> {
        journal::append(tx, head, &self.id, wall, self.active_ms, kind, &data)
    }
}

impl Engine {
    pub(super) fn recover(&mut self) -> Result<(), StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, iin, category, proctor, bank_series, bank_version, paper, state,
                        limit_ms, active_ms, started_wall, evidence_heads
                 FROM attempts WHERE state != 'finished' ORDER BY started_wall DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                        r.get::<_, i64>(9)?,
                        r.get::<_, i64>(10)?,
                        r.get::<_, Option<String>>(11)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            id,
            iin,
            cat,
            proctor,
            series,
            version,
            paper,
            state,
            limit,
            active,
            started,
            evidence_heads,
        )) = row
        else {
            return Ok(());
        };
        let bank = self.exam_bank()?;
        if series != bank.series || version as u64 != bank.version {
            return Err(StoreError::BankMismatch {
                series,
                version: version as u64,
            });
        }
        let category = bank
            .profile
            .category(
                &CategoryId::new(cat.clone())
                    .map_err(|_| StoreError::UnknownCategory(cat.clone()))?,
            )
            .cloned()
            .ok_or(StoreError::UnknownCategory(cat))?;
        let paper: Paper =
            serde_json::from_str(&paper).map_err(|e| StoreError::Db(e.to_string()))?;
        let mut answers = Answers::new();
        let mut flagged = BTreeSet::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT position, options, flagged FROM answers WHERE attempt = ?1")?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let pos = r.get::<_, i64>(0)? as usize;
                let set: BTreeSet<String> = serde_json::from_str(&r.get::<_, String>(1)?)
                    .map_err(|e| StoreError::Db(e.to_string()))?;
                if !set.is_empty() {
                    answers.insert(pos, set);
                }
                if r.get::<_, i64>(2)? != 0 {
                    flagged.insert(pos);
                }
            }
        }
        let now = self.clock.monotonic();
        let mut live = Live {
            id,
            iin,
            category,
            proctor,
            paper,
            answers,
            flagged,
            state: State::parse(&state),
            limit_ms: limit as u64,
            active_ms: active as u64,
            persisted_ms: active as u64,
            started_wall: started,
            charged_to: None,
            seen_mono: now,
            seen_wall: self.clock.wall_ms(),
            last_shown: None,
            visit: None,
            finish_reason: None,
            evidence_heads: evidence_heads
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        };
        // The tables must say what the journal says (an edited answer, paper or ИИН is refused).
        let journal = self.check_against_journal(&live)?;
        live.last_shown = journal.last_shown;
        if live.state == State::Running {
            // The kiosk stopped mid-exam. Time while it was down is not charged.
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = 'interrupted' WHERE id = ?1",
                    [&l.id],
                )?;
                l.journal(tx, head, wall, Kind::Interrupted, json!({}))
            })?;
            live.state = State::Interrupted;
        }
        self.live = Some(live);
        Ok(())
    }
}
