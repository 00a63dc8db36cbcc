//! Proctor acts on the open attempt: pause, resume, extra time (capped by
//! [`EXTEND_MAX_MINUTES`]), incidents and ending an exam for a violation. Each is journalled
//! with who and why.

use rusqlite::params;
use serde_json::json;

use super::{Engine, FinishReason, Live, State, Status, StoreError};
use crate::journal::{self, Kind};
use crate::result::SignedResult;

/// The most minutes proctors may add to one attempt, in one act or several. The domain sets
/// no rule for extra time (the limit is questions × 2 minutes, see the exam profile); this
/// cap keeps an extension a correction for lost time, not a second exam.
pub const EXTEND_MAX_MINUTES: u32 = 120;

/// The reason journalled with the pause and resume of a proctor's visit.
pub const VISIT_REASON: &str = "proctor-visit";

impl Engine {
    fn proctor_action(
        &mut self,
        kind: Kind,
        proctor: &str,
        reason: &str,
        apply: impl FnOnce(&Live) -> Result<(State, u64), StoreError>,
    ) -> Result<Status, StoreError> {
        let mut live = self.take()?;
        let r = (|| {
            self.tick_live(&mut live)?;
            if live.state == State::Finished {
                return Err(live.refusal_when_finished());
            }
            let (state, limit_ms) = apply(&live)?;
            let extra = limit_ms - live.limit_ms;
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = ?2, limit_ms = ?3, active_ms = ?4 WHERE id = ?1",
                    params![l.id, state.as_str(), limit_ms as i64, l.active_ms as i64],
                )?;
                journal::append(
                    tx,
                    head,
                    &l.id,
                    wall,
                    l.active_ms,
                    kind,
                    &json!({"proctor": proctor, "reason": reason, "extra_ms": extra}),
                )
            })?;
            live.state = state;
            // A proctor's own pause, resume or end replaces a visit's pause: it no longer
            // resumes by itself when they leave.
            if kind != Kind::Extended {
                live.visit = None;
            }
            live.limit_ms = limit_ms;
            live.persisted_ms = live.active_ms;
            live.charged_to = (live.state == State::Running).then(|| self.clock.monotonic());
            Ok(())
        })();
        let status = Self::status_of(&live);
        self.live = Some(live);
        r.map(|_| status)
    }

    /// A proctor pauses the clock. During their visit (the clock already stopped by
    /// [`Engine::visit_begins`]) the pause is journalled with its reason and the exam stays
    /// paused when they leave.
    pub fn pause(&mut self, proctor: &str, reason: &str) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Paused, proctor, reason, |l| match l.state {
            State::Running => Ok((State::Paused, l.limit_ms)),
            State::Paused if l.visit.is_some() => Ok((State::Paused, l.limit_ms)),
            s => Err(StoreError::NotRunning(s.as_str())),
        })
    }

    /// A proctor resumes a paused or interrupted exam. An exam the examinee has not started
    /// is not resumed: its clock starts with the examinee ([`StoreError::NotRunning`]).
    pub fn resume(&mut self, proctor: &str, reason: &str) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Resumed, proctor, reason, |l| match l.state {
            State::Admitted => Err(StoreError::NotRunning(State::Admitted.as_str())),
            _ => Ok((State::Running, l.limit_ms)),
        })
    }

    /// A proctor's session opens over the exam: a running clock stops, journalled as a pause
    /// with the proctor's id and the reason [`VISIT_REASON`]. Returns whether it stopped (an
    /// exam not running, or no exam, is left as it is).
    pub fn visit_begins(&mut self, proctor: &str) -> Result<bool, StoreError> {
        match self.live.as_mut() {
            Some(l) if l.state == State::Running => {}
            Some(l) if l.state == State::Paused && l.visit.is_some() => {
                // Another proctor takes over the visit: the pause is theirs now.
                l.visit = Some(proctor.to_owned());
                return Ok(false);
            }
            _ => return Ok(false),
        }
        self.proctor_action(Kind::Paused, proctor, VISIT_REASON, |l| {
            Ok((State::Paused, l.limit_ms))
        })?;
        if let Some(l) = self.live.as_mut() {
            l.visit = Some(proctor.to_owned());
        }
        Ok(true)
    }

    /// The proctor's session ends: the clock their visit stopped runs again (journalled as a
    /// resume with their id). Returns whether it resumed: not after a pause of their own, a
    /// finish, or when no visit stopped it.
    pub fn visit_ends(&mut self) -> Result<bool, StoreError> {
        let Some(proctor) = self
            .live
            .as_ref()
            .filter(|l| l.state == State::Paused)
            .and_then(|l| l.visit.clone())
        else {
            return Ok(false);
        };
        self.proctor_action(Kind::Resumed, &proctor, VISIT_REASON, |l| {
            Ok((State::Running, l.limit_ms))
        })?;
        Ok(true)
    }

    /// Whether a proctor's visit holds the clock now.
    pub fn visit(&self) -> Option<&str> {
        self.live.as_ref().and_then(|l| l.visit.as_deref())
    }

    /// A proctor adds time: 1 minute or more, and all of an attempt's extensions together at
    /// most [`EXTEND_MAX_MINUTES`] (else [`StoreError::ExtendLimit`] with what is left).
    pub fn extend(
        &mut self,
        proctor: &str,
        minutes: u32,
        reason: &str,
    ) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Extended, proctor, reason, |l| {
            let most = EXTEND_MAX_MINUTES.saturating_sub(l.extended_minutes());
            if minutes == 0 || minutes > most {
                return Err(StoreError::ExtendLimit { minutes, most });
            }
            Ok((l.state, l.limit_ms + u64::from(minutes) * 60_000))
        })
    }

    /// Journals an incident (from the proctor's list, or a camera flag) on the open attempt.
    pub fn incident(&mut self, by: &str, kind: &str, note: &str) -> Result<(), StoreError> {
        let mut live = self.take()?;
        let r = self.commit(&mut live, |tx, l, head, wall| {
            l.journal(
                tx,
                head,
                wall,
                Kind::Incident,
                json!({"by": by, "kind": kind, "note": note}),
            )
        });
        self.live = Some(live);
        r
    }

    /// A proctor ends the exam for a violation: the incident, then the finish.
    pub fn end_for_violation(
        &mut self,
        proctor: &str,
        kind: &str,
        note: &str,
    ) -> Result<SignedResult, StoreError> {
        self.incident(proctor, kind, note)?;
        self.finish(FinishReason::Violation)
    }
}
