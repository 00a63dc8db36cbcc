//! What a reviewer sees of a held exam: the result as the kiosk signed it, why central held
//! it, its timeline and journal, and its webcam frames (the reference photo first), opened
//! with the evidence key when ЕУМЦ keeps one on this server.

use synaq_wire::result::IncidentRecord;

use super::PortalError;
use crate::review::ReviewEntry;
use crate::verdict::HoldReason;
use crate::Central;

/// The frames shown at most (evenly spread over the exam, the reference photo first).
pub const MAX_FRAMES: usize = 24;

/// One held (or awaiting) exam, for the reviewer.
#[derive(Debug, Clone)]
pub struct ReviewCase {
    /// The attempt.
    pub attempt: String,
    /// The kiosk that signed it.
    pub kiosk: String,
    /// Only the last four digits.
    pub iin_masked: String,
    /// Category id.
    pub category: String,
    /// Score in percent.
    pub percent: u32,
    /// Whether it passed.
    pub passed: bool,
    /// Central's state (`held`, `awaiting-evidence`, `certified`, …).
    pub state: String,
    /// Why it was held.
    pub reasons: Vec<HoldReason>,
    /// The admitting proctor.
    pub proctor: String,
    /// Start and finish (kiosk wall clock, Unix ms).
    pub started_ms: i64,
    /// Finish.
    pub finished_ms: i64,
    /// Exam time used and allowed, ms.
    pub active_ms: u64,
    /// Allowed.
    pub limit_ms: u64,
    /// Incidents, in order.
    pub incidents: Vec<IncidentRecord>,
    /// The review journal of this exam.
    pub journal: Vec<ReviewEntry>,
}

/// One webcam frame to show.
#[derive(Debug, Clone)]
pub struct ShownFrame {
    /// Its segment (from 1).
    pub segment: u32,
    /// Its index in the segment.
    pub index: u64,
    /// `image/jpeg` or `image/png`.
    pub mime: &'static str,
    /// The image.
    pub bytes: Vec<u8>,
}

/// The frames, or why there are none.
#[derive(Debug, Clone)]
pub enum Frames {
    /// Opened and verified against the signed heads.
    Shown(Vec<ShownFrame>),
    /// This server holds no evidence key.
    NoKey,
    /// The evidence has not arrived (or was deleted by retention).
    NotHere(String),
}

impl Central {
    /// The case of `attempt`.
    pub fn review_case(&self, attempt: &str) -> Result<Option<ReviewCase>, PortalError> {
        let Some((kiosk, sr)) = self.stored_result(attempt)? else {
            return Ok(None);
        };
        let (state, reasons) = self.verdict(attempt)?.unwrap_or_default();
        let r = &sr.record;
        Ok(Some(ReviewCase {
            attempt: attempt.to_owned(),
            kiosk,
            iin_masked: super::mask_iin(&r.iin),
            category: r.category.clone(),
            percent: r.score.percent_milli / 1000,
            passed: r.score.passed,
            state,
            reasons,
            proctor: r.proctor.clone(),
            started_ms: r.started_wall_ms,
            finished_ms: r.finished_wall_ms,
            active_ms: r.active_ms,
            limit_ms: r.limit_ms,
            incidents: r.incidents.clone(),
            journal: self.review_journal(Some(attempt))?,
        }))
    }

    /// Up to [`MAX_FRAMES`] of `attempt`'s webcam frames, each segment's chain verified
    /// against the signed result first.
    pub fn review_frames(&self, attempt: &str) -> Result<Frames, PortalError> {
        let Some(secret) = self.evidence_secret()? else {
            return Ok(Frames::NoKey);
        };
        let tmp = tempfile::tempdir().map_err(|source| crate::CentralError::Io {
            path: std::env::temp_dir().display().to_string(),
            source,
        })?;
        let shown = match self.show_evidence(attempt, &secret, tmp.path()) {
            Ok(s) => s,
            Err(crate::CentralError::NotFound(why)) => return Ok(Frames::NotHere(why)),
            Err(e) => return Err(e.into()),
        };
        let mut all = Vec::new();
        for seg in &shown.segments {
            let dir = tmp.path().join(format!("seg-{}", seg.number));
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .map_err(|source| crate::CentralError::Io {
                    path: dir.display().to_string(),
                    source,
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            names.sort();
            for p in names {
                all.push((seg.number, p));
            }
        }
        // The first frame (the reference photo), then evenly spread.
        let picked: Vec<usize> = if all.len() <= MAX_FRAMES {
            (0..all.len()).collect()
        } else {
            (0..MAX_FRAMES)
                .map(|i| i * (all.len() - 1) / (MAX_FRAMES - 1))
                .collect()
        };
        let mut frames = Vec::new();
        for i in picked {
            let (segment, path) = &all[i];
            let index = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let mime = if path.extension().is_some_and(|e| e == "png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            let bytes = std::fs::read(path).map_err(|source| crate::CentralError::Io {
                path: path.display().to_string(),
                source,
            })?;
            frames.push(ShownFrame {
                segment: *segment,
                index,
                mime,
                bytes,
            });
        }
        Ok(Frames::Shown(frames))
    }
}
