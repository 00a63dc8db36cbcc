//! The simulated kiosks and everything they push, made before the timed phase.
//!
//! One real kiosk sits two real exams through the engine (one passed, one failed) at a
//! person's pace on a fake clock, with a webcam frame every capture interval. Every simulated
//! kiosk is enrolled and has pulled its bank; each of its results is one of those two exams
//! for another registered person and attempt, as that kiosk would have written it: the
//! journal run with every hash recomputed and following the kiosk's chain, the result signed
//! by the kiosk's key in its chain of results, and the frames sealed again for the attempt.
//! Central verifies all of it as it would a real exam (the same trick as
//! `crates/synaq-central/benches/ingest.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use anyhow::Context as _;
use synaq_central::Central;
use synaq_core::{CategoryId, Iin};
use synaq_loop::{Kiosk, CATEGORY};
use synaq_proctor::{EvidencePublic, EvidenceWriter, Frame, PixelFormat};
use synaq_store::engine::FinishReason;
use synaq_store::{Clock as _, Engine, ExamBank, FakeClock, SignedResult};
use synaq_sync::evidence::EvidenceFile;
use synaq_wire::journal::row_hash;
use synaq_wire::{AttemptJournal, JournalRow, ResultLink};

/// Seconds the template examinee spends on each question (the profile's minimum is 3).
const SECONDS_PER_ANSWER: u64 = 4;
/// Every `FAIL_EVERY`-th result is a failed exam.
pub const FAIL_EVERY: usize = 5;
/// The webcam frames' size: small, real JPEGs (see the report's evidence bytes per exam).
const FRAME_SIZE: (u32, u32) = (64, 48);

/// One real exam to copy: its signed result, its journal run and its webcam frames.
#[derive(Debug)]
pub struct Template {
    result: SignedResult,
    rows: Vec<JournalRow>,
    frames: Vec<Frame>,
}

/// One result a simulated kiosk pushes, with its journal run and sealed evidence.
#[derive(Debug)]
pub struct Exam {
    /// The signed result.
    pub result: SignedResult,
    /// Its journal run.
    pub journal: AttemptJournal,
    /// Its evidence directory (`<kiosk>/evidence/<attempt>`).
    pub dir: PathBuf,
    /// The evidence files, as the kiosk's manifest lists them.
    pub files: Vec<EvidenceFile>,
    /// Whether it is a pass (central must certify it) or a fail (central must record it).
    pub pass: bool,
}

/// A simulated kiosk: enrolled, its bank pulled, its results ready.
#[derive(Debug)]
pub struct SimKiosk {
    /// Its data directory and key.
    pub kiosk: Kiosk,
    /// What it pushes, in its chain's order.
    pub exams: Vec<Exam>,
}

/// `count` distinct valid synthetic ИИН (born in January 1990); never printed.
pub fn people(count: usize) -> Vec<Iin> {
    let mut out = Vec::with_capacity(count);
    let (mut day, mut serial) = (1u32, 0u32);
    while out.len() < count {
        let s = format!("9001{day:02}3{serial:04}");
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if let Ok(first) = <[u8; 11]>::try_from(d) {
            if let Some(c) = synaq_core::id::control_digit(&first) {
                if let Ok(i) = Iin::parse(&format!("{s}{c}")) {
                    out.push(i);
                }
            }
        }
        serial += 1;
        if serial == 10_000 {
            serial = 0;
            day += 1;
            assert!(day <= 31, "at most ~300,000 synthetic people");
        }
    }
    out
}

/// A new kiosk under `work`, enrolled with `central` and holding its bank.
pub fn enrolled_kiosk(central: &Central, work: &Path) -> anyhow::Result<Kiosk> {
    let dir = tempfile::tempdir_in(work)?;
    let key = synaq_store::identity::load_or_create(dir.path())?;
    let kiosk = Kiosk {
        dir,
        key: Arc::new(key),
    };
    synaq_loop::enroll_offline(central, &kiosk);
    // The first pull issues the bank to the kiosk.
    central
        .pull(&kiosk.key.id().to_string(), 0, synaq_loop::now())
        .map_err(|e| anyhow::anyhow!("pull: {e}"))?;
    Ok(kiosk)
}

/// Sits the two template exams (pass, fail) on a new kiosk under `work`, for `people[0]` and
/// `people[1]` (registered already).
pub fn templates(
    central: &Central,
    work: &Path,
    people: &[Iin],
) -> anyhow::Result<(Template, Template)> {
    let kiosk = enrolled_kiosk(central, work)?;
    let pull = central
        .pull(&kiosk.key.id().to_string(), 0, synaq_loop::now())
        .map_err(|e| anyhow::anyhow!("pull: {e}"))?;
    let bank = kiosk.open_bank(&pull, &central.public());
    // Two hours ago, so both exams end well before now.
    let clock = Arc::new(FakeClock::new((synaq_loop::now() - 2 * 3600) * 1000));
    let mut engine = kiosk.engine(Arc::clone(&bank), clock.clone());
    let pass = sit(&mut engine, &bank, &clock, &people[0], true)?;
    let fail = sit(&mut engine, &bank, &clock, &people[1], false)?;
    Ok((pass, fail))
}

/// One exam through the kiosk's engine at [`SECONDS_PER_ANSWER`], a frame every capture
/// interval from the start (frame 0 is the reference photo).
fn sit(
    engine: &mut Engine,
    bank: &ExamBank,
    clock: &FakeClock,
    iin: &Iin,
    pass: bool,
) -> anyhow::Result<Template> {
    let cat = CategoryId::new(CATEGORY)?;
    let interval = bank
        .profile
        .category(&cat)
        .context("the template category is in the demo profile")?
        .capture_interval_secs;
    engine.admit(synaq_store::Admission::new(iin, &cat, "proctor-1").started())?;
    let mut frames = vec![frame(clock, 0)];
    let mut since_shot = 0;
    let items = engine
        .paper()
        .context("an admitted exam has a paper")?
        .items
        .clone();
    for (pos, item) in items.iter().enumerate() {
        for _ in 0..SECONDS_PER_ANSWER {
            clock.advance(Duration::from_secs(1));
            engine.tick()?;
            since_shot += 1;
            if since_shot == interval {
                frames.push(frame(clock, frames.len() as u32));
                since_shot = 0;
            }
        }
        engine.show(pos)?;
        let q = bank
            .question(&item.question)
            .context("the paper's question is in the bank")?;
        let pick: BTreeSet<String> = if pass {
            q.options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect()
        } else {
            q.options
                .iter()
                .find(|o| !o.correct)
                .map(|o| o.id.clone())
                .into_iter()
                .collect()
        };
        engine.answer(pos, pick)?;
    }
    let result = engine.finish(FinishReason::Submitted)?;
    let rows = synaq_store::journal::run_of(engine.connection(), &result.record.attempt_id)?;
    Ok(Template {
        result,
        rows,
        frames,
    })
}

/// A small real JPEG of a drawn room, captured now on `clock`.
fn frame(clock: &FakeClock, seed: u32) -> Frame {
    let (w, h) = FRAME_SIZE;
    Frame {
        bytes: synaq_proctor::synth::jpeg(&synaq_proctor::synth::room(w, h, seed), 70),
        format: PixelFormat::Jpeg,
        width: w,
        height: h,
        captured_at: UNIX_EPOCH + Duration::from_millis(clock.wall_ms().max(0) as u64),
    }
}

/// `per_kiosk` results for `kiosk`, for `people` in order (registered already): every
/// [`FAIL_EVERY`]-th one (by `first`, the index of the first person among all results) a
/// fail, the rest passes.
pub fn exams(
    kiosk: &Kiosk,
    (pass, fail): (&Template, &Template),
    people: &[Iin],
    first: usize,
    evidence: &EvidencePublic,
) -> anyhow::Result<Vec<Exam>> {
    let id = kiosk.key.id().to_string();
    let mut out: Vec<Exam> = Vec::with_capacity(people.len());
    // The kiosk's journal before its first exam: anything; its runs link up from here.
    let mut prev_head = pass.rows[0].prev_hash.clone();
    for (n, iin) in people.iter().enumerate() {
        let is_pass = (first + n) % FAIL_EVERY != FAIL_EVERY - 1;
        let t = if is_pass { pass } else { fail };
        let attempt = format!("{id}-{:016x}", n + 1);
        let rows = rerun(&t.rows, &attempt, iin, &prev_head)?;
        let dir = kiosk.evidence_root().join(&attempt);
        let mut w = EvidenceWriter::new(&dir.join("1"), &attempt, evidence)?;
        for f in &t.frames {
            w.append(f)?;
        }
        let mut r = t.result.record.clone();
        r.iin = iin.as_str();
        r.kiosk_id = id.clone();
        r.attempt_id = attempt.clone();
        r.journal_head = rows.last().context("a journal run has rows")?.hash.clone();
        r.evidence_head = Some(synaq_sync::evidence::join_heads(&[w.head()]));
        r.chain = Some(ResultLink {
            seq: n as u64 + 1,
            prev: out.last().map(|e| e.result.digest()),
        });
        prev_head = r.journal_head.clone();
        let files = synaq_sync::evidence::local_manifest(&dir)?;
        out.push(Exam {
            result: SignedResult::sign(r, &kiosk.key),
            journal: AttemptJournal { attempt, rows },
            dir,
            files,
            pass: is_pass,
        });
    }
    Ok(out)
}

/// `template`'s journal run for another attempt and person, following `prev_head`: what the
/// kiosk would have written, every hash recomputed.
fn rerun(
    template: &[JournalRow],
    attempt: &str,
    iin: &Iin,
    prev_head: &str,
) -> anyhow::Result<Vec<JournalRow>> {
    let mut prev: [u8; 32] = hex::decode(prev_head)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("a journal hash is 32 bytes"))?;
    let first = template.first().context("a journal run has rows")?.seq;
    let mut out = Vec::with_capacity(template.len());
    for (k, row) in template.iter().enumerate() {
        let data = if row.kind == "admitted" {
            let mut v: serde_json::Value = serde_json::from_str(&row.data)?;
            v["iin"] = iin.masked().into();
            v["iin_digest"] = synaq_wire::iin_digest(attempt, &iin.as_str()).into();
            v.to_string()
        } else {
            row.data.clone()
        };
        // Staff rows inside the run (attempt "") stay staff rows.
        let row_attempt = if row.attempt.is_empty() { "" } else { attempt };
        let seq = first + k as i64;
        let hash = row_hash(
            &prev,
            seq,
            row_attempt,
            row.at_wall,
            row.at_active_ms,
            &row.kind,
            &data,
        );
        out.push(JournalRow {
            seq,
            attempt: row_attempt.to_owned(),
            at_wall: row.at_wall,
            at_active_ms: row.at_active_ms,
            kind: row.kind.clone(),
            data,
            prev_hash: hex::encode(prev),
            hash: hex::encode(hash),
        });
        prev = hash;
    }
    Ok(out)
}
