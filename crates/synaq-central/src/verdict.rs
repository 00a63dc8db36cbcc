//! Central's verdict on a result it accepted (nothing forged or malformed: those are
//! [`crate::Refusal`]s): the checks central makes itself, each failure a typed
//! [`HoldReason`] with its values. A result is certified only when no reason holds it and
//! its evidence arrived and checked; otherwise a reviewer decides (`synaq-central review`).
//!
//! States of a result at central (`results.state`):
//! - `failed`: not passed, nothing odd (it counts for retakes and ОО statistics);
//! - `awaiting-evidence`: passed, nothing odd so far, the sealed evidence has not arrived;
//! - `held`: something odd (the reasons are stored); a pass waits for a reviewer, a fail is
//!   kept as a fail but listed for review;
//! - `certified`: a certificate was issued (automatically or on approval);
//! - `rejected`: a reviewer rejected it (no certificate; a revoked one if it had one).

use serde::{Deserialize, Serialize};

/// How far a result's finish may be after central's clock when central receives it: kiosk
/// clocks drift, and a kiosk clock set ahead is odd, not forged. 5 minutes.
pub const CLOCK_SKEW_MS: i64 = 5 * 60_000;
/// A result finished more than this many days before central received it is held: a kiosk
/// offline this long, or a backdated exam. 60 days (two roster lifetimes).
pub const MAX_RESULT_AGE_DAYS: i64 = 60;
/// Active time may exceed the limit by this much (the kiosk's clock thread charges every
/// 250 ms and finishes at zero; a second is persisted at a time). 5 seconds.
pub const ACTIVE_GRACE_MS: u64 = 5_000;
/// Evidence coverage: the frames may fall short of `active time ÷ capture interval` by this
/// share (camera start-up, frames cut by a restart, the last interval). 25 %.
pub const COVERAGE_TOLERANCE_PERCENT: u64 = 25;
/// Each incident that explains a gap in the frames (`camera-lost`, `camera-frozen`,
/// `camera-covered`, a proctor's `technical-fault`) and each extra segment (a kiosk restart)
/// excuses this many more missing frames: one minute at the seed's 5 s interval.
pub const GAP_ALLOWANCE_FRAMES: u64 = 12;
/// More frames than `active ÷ interval × 3/2 + EXCESS_FRAMES` did not come from this exam.
pub const EXCESS_FRAMES: u64 = 10;
/// With central's evidence key: the reference photo (frame 0 of segment 1) must be captured
/// within this long of the exam's start. 2 minutes.
pub const REFERENCE_PHOTO_MS: i64 = 2 * 60_000;
/// With central's evidence key: consecutive frames of a segment more than this many capture
/// intervals apart are a gap that a journalled incident must explain. 3 intervals.
pub const MAX_GAP_INTERVALS: i64 = 3;

/// Incident kinds that explain missing frames.
pub const GAP_INCIDENTS: [&str; 4] = [
    "camera-lost",
    "camera-frozen",
    "camera-covered",
    "technical-fault",
];

/// Why central holds a result for a reviewer instead of certifying it. Stored with the
/// result (JSON, tagged by `code`); the kiosk shows each as `hold-<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum HoldReason {
    /// The finish is before the start.
    #[error("finished ({finished_ms}) before it started ({started_ms})")]
    FinishBeforeStart {
        /// Kiosk wall clock, Unix ms.
        started_ms: i64,
        /// Kiosk wall clock, Unix ms.
        finished_ms: i64,
    },
    /// Started on a day before the roster entry's window opened.
    #[error("started on {started} but the registration allows exams from {allowed_from}")]
    StartBeforeRegistration {
        /// Office date of the start.
        started: String,
        /// First allowed day of the roster entry.
        allowed_from: String,
    },
    /// Started before the bank was valid.
    #[error("started at {started_ms} ms, before the bank became valid at {not_before_ms} ms")]
    StartBeforeBank {
        /// Kiosk wall clock, Unix ms.
        started_ms: i64,
        /// The bank's `not_before`, Unix ms.
        not_before_ms: i64,
    },
    /// Finished after central received it, by more than [`CLOCK_SKEW_MS`].
    #[error("finished at {finished_ms} ms, after ЕУМЦ received it at {received_ms} ms (allowed skew {skew_ms} ms)")]
    FinishedAfterReceipt {
        /// Kiosk wall clock, Unix ms.
        finished_ms: i64,
        /// Central's clock, Unix ms.
        received_ms: i64,
        /// [`CLOCK_SKEW_MS`].
        skew_ms: i64,
    },
    /// Finished more than [`MAX_RESULT_AGE_DAYS`] before central received it.
    #[error("finished {days} days before ЕУМЦ received it (at most {max_days})")]
    TooOld {
        /// Days between finish and receipt.
        days: i64,
        /// [`MAX_RESULT_AGE_DAYS`].
        max_days: i64,
    },
    /// Less wall time passed between start and finish than the active time claimed.
    #[error("active {active_ms} ms, but only {wall_ms} ms passed between start and finish")]
    ActiveExceedsWall {
        /// Active time, ms.
        active_ms: u64,
        /// Finish − start, ms.
        wall_ms: i64,
    },
    /// Active time beyond the attempt's limit (with its extensions).
    #[error("active {active_ms} ms exceeds the limit of {limit_ms} ms")]
    ActiveExceedsLimit {
        /// Active time, ms.
        active_ms: u64,
        /// The attempt's limit with its extensions, ms.
        limit_ms: u64,
    },
    /// The attempt's limit is not the profile's plus the extensions its journal records.
    #[error("limit {limit_ms} ms is not the {profile_ms} ms the profile and the journalled extensions give")]
    LimitExtended {
        /// The attempt's limit, ms.
        limit_ms: u64,
        /// The category's limit plus the journalled extensions, ms.
        profile_ms: u64,
    },
    /// Less active time per answered question than the profile's minimum.
    #[error("{answered} answers in {active_ms} ms: below {min_secs} s per answer")]
    TooFast {
        /// Active time, ms.
        active_ms: u64,
        /// Questions answered.
        answered: u64,
        /// The profile's `min_seconds_per_answer`.
        min_secs: u32,
    },
    /// The admitting proctor is not staff of the kiosk's branch at central.
    #[error("proctor {proctor} is not staff of branch {branch} at ЕУМЦ")]
    ProctorUnknown {
        /// The proctor's id.
        proctor: String,
        /// The kiosk's branch.
        branch: String,
    },
    /// The admitting proctor is listed but not active.
    #[error("proctor {proctor} of branch {branch} is not active at ЕУМЦ")]
    ProctorInactive {
        /// The proctor's id.
        proctor: String,
        /// The kiosk's branch.
        branch: String,
    },
    /// An incident names staff central does not list (active) at the kiosk's branch.
    #[error("an incident names {by}, who is not active staff of branch {branch} at ЕУМЦ")]
    IncidentStaffUnknown {
        /// The `by` of the incident.
        by: String,
        /// The kiosk's branch.
        branch: String,
    },
    /// The roster entry belongs to another branch than the kiosk's.
    #[error("the registration is for branch {roster_branch}, the kiosk is at {kiosk_branch}")]
    RosterOtherBranch {
        /// The roster entry's branch.
        roster_branch: String,
        /// The kiosk's branch.
        kiosk_branch: String,
    },
    /// A proctor ended the exam for a violation.
    #[error("ended for a violation")]
    EndedForViolation,
    /// The exam ran without a camera (no evidence, or a `no-camera` incident).
    #[error("no camera: {detail}")]
    NoCamera {
        /// `no evidence head` or `no-camera incident`.
        detail: String,
    },
    /// More camera flags than the profile allows.
    #[error("{flags} camera flags (the profile allows {max})")]
    CameraFlags {
        /// `camera-*` incidents.
        flags: u32,
        /// The profile's `max_camera_flags`.
        max: u32,
    },
    /// The evidence does not start with a reference photo (no frame 0 in segment 1, or frame
    /// 0 not captured at the start).
    #[error("the evidence does not start with a reference photo: {detail}")]
    NoReferencePhoto {
        /// What is missing.
        detail: String,
    },
    /// The frames do not cover the active time at the capture interval.
    #[error("{frames} frames for {active_ms} ms at {interval_secs} s: {detail}")]
    EvidenceCoverage {
        /// Frames in all segments.
        frames: u64,
        /// Active time, ms.
        active_ms: u64,
        /// The profile's capture interval.
        interval_secs: u32,
        /// What is wrong (`at least N expected`, `at most N expected`, `a gap of …`).
        detail: String,
    },
    /// The evidence does not verify against the signed heads (central's evidence key), or
    /// was written for another attempt.
    #[error("the evidence does not verify: {detail}")]
    EvidenceInvalid {
        /// Which segment or frame.
        detail: String,
    },
    /// A pass dated before a fail of the same person and category that central holds.
    #[error("a pass finished at {pass_ms} ms, before a fail finished at {fail_ms} ms")]
    PassBeforeFail {
        /// This pass's finish, Unix ms.
        pass_ms: i64,
        /// The later fail's finish, Unix ms.
        fail_ms: i64,
    },
    /// More fails on one office day than the profile allows.
    #[error("{fails} fails on {date} (the profile allows {max} a day)")]
    TooManyFails {
        /// Fails that day, this one included.
        fails: u32,
        /// The office date.
        date: String,
        /// The profile's `max_fails_per_day`.
        max: u32,
    },
    /// The kiosk was revoked with `--since` before this result's finish.
    #[error("kiosk {kiosk} was revoked; its results since {since} go to review")]
    KioskRevoked {
        /// The kiosk.
        kiosk: String,
        /// The date given to `revoke-kiosk --since`.
        since: String,
    },
    /// The result came without its journal run: central cannot replay it.
    #[error("the result came without its journal")]
    JournalMissing,
    /// The journal run does not verify (a gap, an edited row, another head than the signed one).
    #[error("the journal does not verify: {detail}")]
    JournalBroken {
        /// What is wrong with it.
        detail: String,
    },
    /// The replayed journal says something else than the result.
    #[error("the result's {field} is not what its journal says")]
    JournalMismatch {
        /// Which field: answers, incidents, active time, finish reason, limit, …
        field: String,
    },
    /// Answers were journalled before the examinee's start row (the kiosk's clock and its
    /// answers wait for the start).
    #[error("{count} answers were given before the examinee started")]
    AnsweredBeforeStart {
        /// How many.
        count: u32,
    },
    /// Answers were journalled after the time (with its extensions) was up.
    #[error("{count} answers were given after the time was up")]
    AnsweredAfterTime {
        /// How many.
        count: u32,
    },
    /// The paper is not the one the bank, the seed and the questions the person saw give.
    #[error("the paper is not the one drawn from the bank with its seed")]
    PaperNotDrawn,
    /// The result has no place in its kiosk's chain of results.
    #[error("the result has no place in its kiosk's chain of results")]
    ChainMissing,
    /// Results of this kiosk are missing before this one.
    #[error("results {from} to {to} of this kiosk have not reached ЕУМЦ")]
    ChainGap {
        /// The first missing number.
        from: u64,
        /// The last missing number.
        to: u64,
    },
    /// Another result of this kiosk already has this number, or names another predecessor.
    #[error("the kiosk's chain forks at result {seq}")]
    ChainFork {
        /// The number in question.
        seq: u64,
    },
}

impl HoldReason {
    /// The stable code (`hold-<code>` in the catalogs).
    pub fn code(&self) -> &'static str {
        use HoldReason::*;
        match self {
            FinishBeforeStart { .. } => "finish-before-start",
            StartBeforeRegistration { .. } => "start-before-registration",
            StartBeforeBank { .. } => "start-before-bank",
            FinishedAfterReceipt { .. } => "finished-after-receipt",
            TooOld { .. } => "too-old",
            ActiveExceedsWall { .. } => "active-exceeds-wall",
            ActiveExceedsLimit { .. } => "active-exceeds-limit",
            LimitExtended { .. } => "limit-extended",
            TooFast { .. } => "too-fast",
            ProctorUnknown { .. } => "proctor-unknown",
            ProctorInactive { .. } => "proctor-inactive",
            IncidentStaffUnknown { .. } => "incident-staff-unknown",
            RosterOtherBranch { .. } => "roster-other-branch",
            EndedForViolation => "ended-for-violation",
            NoCamera { .. } => "no-camera",
            CameraFlags { .. } => "camera-flags",
            NoReferencePhoto { .. } => "no-reference-photo",
            EvidenceCoverage { .. } => "evidence-coverage",
            EvidenceInvalid { .. } => "evidence-invalid",
            PassBeforeFail { .. } => "pass-before-fail",
            TooManyFails { .. } => "too-many-fails",
            KioskRevoked { .. } => "kiosk-revoked",
            JournalMissing => "journal-missing",
            JournalBroken { .. } => "journal-broken",
            JournalMismatch { .. } => "journal-mismatch",
            AnsweredAfterTime { .. } => "answered-after-time",
            AnsweredBeforeStart { .. } => "answered-before-start",
            PaperNotDrawn => "paper-not-drawn",
            ChainMissing => "chain-missing",
            ChainGap { .. } => "chain-gap",
            ChainFork { .. } => "chain-fork",
        }
    }

    /// One of each (tests: every code is translated).
    #[doc(hidden)]
    pub fn examples() -> Vec<HoldReason> {
        let s = || "x".to_owned();
        vec![
            HoldReason::FinishBeforeStart {
                started_ms: 2,
                finished_ms: 1,
            },
            HoldReason::StartBeforeRegistration {
                started: s(),
                allowed_from: s(),
            },
            HoldReason::StartBeforeBank {
                started_ms: 1,
                not_before_ms: 2,
            },
            HoldReason::FinishedAfterReceipt {
                finished_ms: 2,
                received_ms: 1,
                skew_ms: CLOCK_SKEW_MS,
            },
            HoldReason::TooOld {
                days: 700,
                max_days: MAX_RESULT_AGE_DAYS,
            },
            HoldReason::ActiveExceedsWall {
                active_ms: 2,
                wall_ms: 1,
            },
            HoldReason::ActiveExceedsLimit {
                active_ms: 2,
                limit_ms: 1,
            },
            HoldReason::LimitExtended {
                limit_ms: 2,
                profile_ms: 1,
            },
            HoldReason::TooFast {
                active_ms: 3000,
                answered: 30,
                min_secs: 3,
            },
            HoldReason::ProctorUnknown {
                proctor: s(),
                branch: s(),
            },
            HoldReason::ProctorInactive {
                proctor: s(),
                branch: s(),
            },
            HoldReason::IncidentStaffUnknown {
                by: s(),
                branch: s(),
            },
            HoldReason::RosterOtherBranch {
                roster_branch: s(),
                kiosk_branch: s(),
            },
            HoldReason::EndedForViolation,
            HoldReason::NoCamera { detail: s() },
            HoldReason::CameraFlags { flags: 4, max: 3 },
            HoldReason::NoReferencePhoto { detail: s() },
            HoldReason::EvidenceCoverage {
                frames: 1,
                active_ms: 60_000,
                interval_secs: 5,
                detail: s(),
            },
            HoldReason::EvidenceInvalid { detail: s() },
            HoldReason::PassBeforeFail {
                pass_ms: 1,
                fail_ms: 2,
            },
            HoldReason::TooManyFails {
                fails: 3,
                date: s(),
                max: 2,
            },
            HoldReason::KioskRevoked {
                kiosk: s(),
                since: s(),
            },
            HoldReason::JournalMissing,
            HoldReason::JournalBroken { detail: s() },
            HoldReason::JournalMismatch { field: s() },
            HoldReason::AnsweredAfterTime { count: 2 },
            HoldReason::AnsweredBeforeStart { count: 1 },
            HoldReason::PaperNotDrawn,
            HoldReason::ChainMissing,
            HoldReason::ChainGap { from: 3, to: 4 },
            HoldReason::ChainFork { seq: 5 },
        ]
    }
}

/// Frames an evidence set of `frames` frames in `segments` segments must have to cover
/// `active_ms` at `interval_secs`, allowing for `gap_incidents` incidents that explain gaps;
/// `Err(detail)` when it falls short or has too many. The camera runs from the admission to
/// the finish (`span_ms` of wall time), through the identity and rules screens and pauses
/// whose time is not charged: the most frames are counted over the longer of the two.
pub fn coverage(
    frames: u64,
    segments: u64,
    active_ms: u64,
    span_ms: u64,
    interval_secs: u32,
    gap_incidents: u64,
) -> Result<(), String> {
    let interval_ms = u64::from(interval_secs.max(1)) * 1000;
    let expected = active_ms / interval_ms;
    let filmed = active_ms.max(span_ms) / interval_ms;
    let allowance = expected * COVERAGE_TOLERANCE_PERCENT / 100
        + (gap_incidents + segments.saturating_sub(1)) * GAP_ALLOWANCE_FRAMES;
    let least = expected.saturating_sub(allowance).max(1);
    if frames < least {
        return Err(format!("at least {least} expected"));
    }
    let most = filmed * 3 / 2 + EXCESS_FRAMES;
    if frames > most {
        return Err(format!("at most {most} expected"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hold_reason_has_a_distinct_code_a_message_and_round_trips() {
        let all = HoldReason::examples();
        let codes: std::collections::BTreeSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
        for r in &all {
            let json = serde_json::to_string(r).unwrap();
            assert!(
                json.contains(&format!("\"code\":\"{}\"", r.code())),
                "{json}"
            );
            assert_eq!(&serde_json::from_str::<HoldReason>(&json).unwrap(), r);
            assert!(!r.to_string().contains('{'));
        }
    }

    #[test]
    fn every_hold_reason_is_in_the_catalogs() {
        let l10n = synaq_i18n::Localizer::new().unwrap();
        for r in HoldReason::examples() {
            for lang in synaq_core::Lang::ALL {
                let key = format!("hold-{}", r.code());
                assert!(l10n.has(lang, &key), "{key} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn coverage_allows_the_tolerance_and_explained_gaps_only() {
        // 10 minutes at 5 s: 120 expected, 90 needed (25 % tolerance).
        assert_eq!(coverage(120, 1, 600_000, 600_000, 5, 0), Ok(()));
        assert_eq!(coverage(90, 1, 600_000, 600_000, 5, 0), Ok(()));
        assert_eq!(
            coverage(89, 1, 600_000, 600_000, 5, 0),
            Err("at least 90 expected".into())
        );
        // A camera-lost incident excuses a minute more.
        assert_eq!(coverage(78, 1, 600_000, 600_000, 5, 1), Ok(()));
        // A restart (two segments) too.
        assert_eq!(coverage(78, 2, 600_000, 600_000, 5, 0), Ok(()));
        // Frames from elsewhere.
        assert_eq!(
            coverage(191, 1, 600_000, 600_000, 5, 0),
            Err("at most 190 expected".into())
        );
        // Five minutes on the identity and rules screens and a proctor's visit: filmed, not
        // charged (15 minutes from admission to finish at 5 s: at most 280).
        assert_eq!(coverage(280, 1, 600_000, 900_000, 5, 0), Ok(()));
        assert_eq!(
            coverage(281, 1, 600_000, 900_000, 5, 0),
            Err("at most 280 expected".into())
        );
        // A one-frame exam of 3 seconds still needs its reference photo.
        assert_eq!(
            coverage(0, 1, 3000, 3000, 5, 0),
            Err("at least 1 expected".into())
        );
    }
}
