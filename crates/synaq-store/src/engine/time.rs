//! Timekeeping: active time charged by the boot-time clock, suspends and wall-clock jumps
//! journalled, active time persisted at least every [`PERSIST_EVERY`], the finish at zero, and
//! WAL checkpoints while the examinee is idle.

use std::time::Duration;

use rusqlite::params;
use serde_json::json;

use super::{Engine, FinishReason, Live, State, Status, StoreError};
use crate::journal::{self, Kind};

/// A gap between two clock readings longer than this is a suspend or freeze, not exam time.
pub const SUSPEND_GAP: Duration = Duration::from_secs(5);
/// Active time is written at least this often.
pub const PERSIST_EVERY: Duration = Duration::from_secs(1);
/// The WAL is checkpointed into the database once no write happened for this long, so the
/// checkpoint's fsyncs never sit inside an answer's commit.
pub const IDLE_CHECKPOINT: Duration = Duration::from_secs(2);
/// A wall clock that drifts from boot time by more than this has jumped.
pub const JUMP_TOLERANCE_MS: i64 = 2_000;

impl Engine {
    /// Folds the WAL into the database when the examinee has not answered for a while.
    pub(super) fn checkpoint_if_idle(&mut self) -> Result<(), StoreError> {
        let idle = self.clock.monotonic().saturating_sub(self.last_answer) >= IDLE_CHECKPOINT;
        if self.unchecked > 0 && (idle || self.unchecked > 5_000) {
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
            self.unchecked = 0;
        }
        Ok(())
    }

    /// Charges time, notes clock jumps and suspends, writes active time when due, and finishes
    /// the exam at zero. Returns the status after it.
    pub fn tick(&mut self) -> Result<Status, StoreError> {
        let mut live = self.take()?;
        let r = self.tick_live(&mut live);
        let status = Self::status_of(&live);
        self.live = Some(live);
        r?;
        self.checkpoint_if_idle()?;
        Ok(status)
    }

    pub(super) fn tick_live(&mut self, live: &mut Live) -> Result<(), StoreError> {
        if live.state == State::Finished {
            return Ok(());
        }
        let now = self.clock.monotonic();
        let wall = self.clock.wall_ms();
        // Wall-clock jumps: journalled, never obeyed.
        let expected = live.seen_wall + (now.saturating_sub(live.seen_mono)).as_millis() as i64;
        let jump = wall - expected;
        let mut charge = 0u64;
        let mut suspended = None;
        if let (State::Running, Some(from)) = (live.state, live.charged_to) {
            let gap = now.saturating_sub(from);
            if gap > SUSPEND_GAP {
                suspended = Some(gap);
            } else {
                charge = gap.as_millis() as u64;
            }
        }
        let new_active = (live.active_ms + charge).min(live.limit_ms);
        if jump.abs() > JUMP_TOLERANCE_MS {
            self.commit(live, |tx, l, head, wall| {
                journal::append(
                    tx,
                    head,
                    &l.id,
                    wall,
                    new_active,
                    Kind::ClockJump,
                    &json!({"delta_ms": jump}),
                )
            })?;
        }
        live.seen_mono = now;
        live.seen_wall = wall;
        if let Some(gap) = suspended {
            self.commit(live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = 'interrupted', active_ms = ?2 WHERE id = ?1",
                    params![l.id, l.active_ms as i64],
                )?;
                l.journal(
                    tx,
                    head,
                    wall,
                    Kind::Suspended,
                    json!({"gap_ms": gap.as_millis() as u64}),
                )
            })?;
            live.state = State::Interrupted;
            live.charged_to = None;
            live.persisted_ms = live.active_ms;
            return Ok(());
        }
        if live.state == State::Running {
            live.active_ms = new_active;
            live.charged_to = Some(now);
            if live.active_ms >= live.limit_ms {
                return self.finish_live(live, FinishReason::TimeUp).map(|_| ());
            }
            if live.active_ms - live.persisted_ms >= PERSIST_EVERY.as_millis() as u64 {
                self.conn.execute(
                    "UPDATE attempts SET active_ms = ?2 WHERE id = ?1",
                    params![live.id, live.active_ms as i64],
                )?;
                live.persisted_ms = live.active_ms;
                self.unchecked += 1;
            }
        }
        Ok(())
    }

    pub(super) fn status_of(l: &Live) -> Status {
        Status {
            attempt: l.id.clone(),
            state: l.state,
            finish_reason: l.finish_reason,
            remaining_ms: l.limit_ms.saturating_sub(l.active_ms),
            limit_ms: l.limit_ms,
            answered: l.answers.len(),
            total: l.paper.items.len(),
            last_shown: l.last_shown,
        }
    }

    /// The open attempt's status (after charging time).
    pub fn status(&mut self) -> Result<Status, StoreError> {
        self.tick()
    }

    pub(super) fn running(&mut self) -> Result<Live, StoreError> {
        let mut live = self.take()?;
        if let Err(e) = self.tick_live(&mut live) {
            self.live = Some(live);
            return Err(e);
        }
        let refuse = match live.state {
            State::Running => None,
            State::Finished => Some(live.refusal_when_finished()),
            s => Some(StoreError::NotRunning(s.as_str())),
        };
        if let Some(e) = refuse {
            self.live = Some(live);
            return Err(e);
        }
        Ok(live)
    }
}
