//! The engine on the demo bank: a whole exam, the clock, proctor actions, crashes, tampering,
//! a full disk and retakes. Real SQLite files in temporary directories.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin};
use synaq_store::engine::{FinishReason, State};
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, FakeClock, StoreError};

const WALL: i64 = 1_790_000_000_000;

fn iin() -> Iin {
    Iin::parse("900101300017").unwrap()
}

fn cat1() -> CategoryId {
    CategoryId::new("cat-1").unwrap()
}

fn engine(dir: &Path, clock: &Arc<FakeClock>) -> Engine {
    Engine::open(dir, clock.clone(), demo_bank()).unwrap()
}

fn pick(e: &mut Engine, position: usize, nth: usize) -> BTreeSet<String> {
    let q = e.show(position).unwrap();
    BTreeSet::from([q.options[nth % q.options.len()].0.clone()])
}

#[test]
fn a_whole_exam_ends_in_a_signed_result_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "proctor-7", 42).unwrap();
    let total = e.status().unwrap().total;
    assert_eq!(total, 30);
    for p in 0..total {
        clock.advance(Duration::from_secs(3));
        e.tick().unwrap();
        let choice = pick(&mut e, p, p);
        e.answer(p, choice).unwrap();
    }
    let status = e.status().unwrap();
    assert_eq!(status.answered, 30);
    assert_eq!(status.remaining_ms, 60 * 60_000 - 30 * 3_000);
    let signed = e.finish(FinishReason::Submitted).unwrap();
    signed.verify(&e.kiosk_ed25519()).unwrap();
    let r = &signed.record;
    assert_eq!(r.iin, "900101300017");
    assert_eq!(r.items.len(), 30);
    assert_eq!(r.answers.iter().filter(|a| !a.is_empty()).count(), 30);
    assert_eq!(r.active_ms, 90_000);
    assert_eq!(r.score.total, 30);
    assert_eq!(r.score.passed, r.score.correct >= 21);
    assert_eq!(r.proctor, "proctor-7");
    assert_eq!(e.outbox().unwrap(), vec![signed.clone()]);
    assert_eq!(e.verify_journal().unwrap().hex(), r.journal_head);
    // The journal never holds the full ИИН.
    let leaked: i64 = e
        .connection()
        .query_row(
            "SELECT count(*) FROM journal WHERE data LIKE '%900101300017%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leaked, 0);
    assert!(matches!(
        e.answer(0, BTreeSet::new()),
        Err(StoreError::TimeUp)
    ));
}

#[test]
fn answers_survive_a_crash_and_wait_for_a_proctor() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 7).unwrap();
    let a0 = pick(&mut e, 0, 1);
    let a5 = pick(&mut e, 5, 2);
    e.answer(0, a0.clone()).unwrap();
    clock.advance(Duration::from_millis(2_500));
    e.answer(5, a5.clone()).unwrap();
    drop(e); // the process dies here
    clock.advance(Duration::from_secs(600)); // the kiosk was down for ten minutes
    let mut e = engine(dir.path(), &clock);
    let s = e.status().unwrap();
    assert_eq!(s.state, State::Interrupted);
    assert_eq!(
        s.remaining_ms,
        60 * 60_000 - 2_500,
        "downtime is not charged"
    );
    assert!(matches!(
        e.answer(1, a0.clone()),
        Err(StoreError::NotRunning("interrupted"))
    ));
    e.resume("p1", "power came back").unwrap();
    assert_eq!(e.answers().unwrap().get(&0), Some(&a0));
    assert_eq!(e.answers().unwrap().get(&5), Some(&a5));
    clock.advance(Duration::from_secs(1));
    assert_eq!(e.status().unwrap().remaining_ms, 60 * 60_000 - 3_500);
    e.verify_journal().unwrap();
}

#[test]
fn at_zero_the_backend_finishes_the_exam() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 9).unwrap();
    let a = pick(&mut e, 0, 0);
    e.answer(0, a).unwrap();
    // Nobody touches the UI: only the backend's ticks run, 4.5 s apart.
    let mut ticks = 0;
    while e.status().unwrap().state != State::Finished {
        clock.advance(Duration::from_millis(4_500));
        e.tick().unwrap();
        ticks += 1;
        assert!(ticks < 1_000, "the exam never finished");
    }
    let out = e.outbox().unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].record.finish_reason, "time_up");
    assert_eq!(out[0].record.active_ms, 60 * 60_000);
    assert!(matches!(
        e.answer(1, BTreeSet::new()),
        Err(StoreError::TimeUp)
    ));
}

#[test]
fn wall_clock_jumps_change_nothing_but_are_journalled() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 1).unwrap();
    clock.advance(Duration::from_secs(2));
    let before = e.tick().unwrap().remaining_ms;
    clock.jump_wall(24 * 3_600_000);
    assert_eq!(e.tick().unwrap().remaining_ms, before);
    clock.jump_wall(-48 * 3_600_000);
    assert_eq!(e.tick().unwrap().remaining_ms, before);
    clock.advance(Duration::from_secs(1));
    assert_eq!(e.tick().unwrap().remaining_ms, before - 1_000);
    let jumps: Vec<String> = e
        .connection()
        .prepare("SELECT data FROM journal WHERE kind = 'clock_jump' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        jumps,
        [r#"{"delta_ms":86400000}"#, r#"{"delta_ms":-172800000}"#]
    );
}

#[test]
fn a_suspend_is_not_charged_and_needs_a_proctor() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 2).unwrap();
    clock.advance(Duration::from_secs(3));
    e.tick().unwrap();
    clock.suspend(Duration::from_secs(15 * 60));
    let s = e.tick().unwrap();
    assert_eq!(s.state, State::Interrupted);
    assert_eq!(s.remaining_ms, 60 * 60_000 - 3_000);
    e.resume("p2", "kiosk woke up").unwrap();
    clock.advance(Duration::from_secs(2));
    assert_eq!(e.tick().unwrap().remaining_ms, 60 * 60_000 - 5_000);
}

#[test]
fn proctor_pause_resume_extend_are_journalled_with_who_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 3).unwrap();
    clock.advance(Duration::from_secs(4));
    e.pause("p1", "health").unwrap();
    clock.advance(Duration::from_secs(4));
    assert_eq!(
        e.tick().unwrap().remaining_ms,
        60 * 60_000 - 4_000,
        "paused time is free"
    );
    assert!(matches!(
        e.pause("p1", "again"),
        Err(StoreError::NotRunning("paused"))
    ));
    e.resume("p1", "feels better").unwrap();
    let s = e.extend("p9", 10, "technical fault").unwrap();
    assert_eq!(s.limit_ms, 70 * 60_000);
    let rows: Vec<(String, String)> = e
        .connection()
        .prepare("SELECT kind, data FROM journal WHERE kind IN ('paused','resumed','extended') ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.contains(r#""proctor":"p1""#) && rows[0].1.contains("health"));
    assert!(rows[2].1.contains(r#""proctor":"p9""#) && rows[2].1.contains(r#""extra_ms":600000"#));
}

fn finished_exam(dir: &Path) -> Engine {
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir, &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 5).unwrap();
    for p in 0..5 {
        let a = pick(&mut e, p, 0);
        e.answer(p, a).unwrap();
    }
    e.finish(FinishReason::Submitted).unwrap();
    e.verify_journal().unwrap();
    e
}

#[test]
fn tampering_with_the_journal_is_detected() {
    for (name, sql, want) in [
        ("edit", "UPDATE journal SET data = '{\"position\":0,\"options\":[\"x\"]}' WHERE seq = 4", "row 4 was changed"),
        ("delete", "DELETE FROM journal WHERE seq = 3", "row 3 is missing"),
        (
            "reorder",
            "UPDATE journal SET seq = -1 WHERE seq = 3; UPDATE journal SET seq = 3 WHERE seq = 4; UPDATE journal SET seq = 4 WHERE seq = -1;",
            "row 3 does not follow",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let e = finished_exam(dir.path());
        e.connection().execute_batch(sql).unwrap();
        let err = e.verify_journal().unwrap_err();
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
}

#[test]
fn editing_a_signed_result_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let mut r = e.outbox().unwrap().remove(0);
    r.verify(&e.kiosk_ed25519()).unwrap();
    r.record.score.percent_milli = 100_000;
    r.record.score.passed = true;
    assert!(r.verify(&e.kiosk_ed25519()).is_err());
}

#[test]
fn a_full_disk_loses_nothing_already_saved() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 11).unwrap();
    let pages: i64 = e
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    e.connection()
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let mut saved = std::collections::BTreeMap::new();
    let mut full = None;
    for k in 0..5_000 {
        let p = k % 30;
        let a = pick(&mut e, p, k / 30);
        match e.answer(p, a.clone()) {
            Ok(_) => {
                saved.insert(p, a);
            }
            Err(err) => {
                full = Some(err);
                break;
            }
        }
    }
    let err = full.expect("the disk filled up");
    assert!(matches!(err, StoreError::DiskFull), "{err}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_eq!(err.code(), "store-disk-full");
    // Memory matches what was saved; the exam is still running.
    assert_eq!(e.answers().unwrap(), &saved);
    assert_eq!(e.status().unwrap().state, State::Running);
    e.verify_journal().unwrap();
    // After a restart, everything acknowledged is there.
    drop(e);
    let mut e = engine(dir.path(), &clock);
    assert_eq!(e.answers().unwrap(), &saved);
    e.verify_journal().unwrap();
    e.resume("p1", "disk cleaned").unwrap();
    let a = pick(&mut e, 0, 3);
    e.answer(0, a).unwrap();
}

#[test]
fn a_retake_draws_questions_the_person_has_not_seen() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 21).unwrap();
    let first = e.finish(FinishReason::Submitted).unwrap();
    assert!(!first.record.score.passed, "no answers: a fail");
    e.admit_with_seed(&iin(), &cat1(), "p1", 22).unwrap();
    let second = e.finish(FinishReason::Submitted).unwrap();
    let a: BTreeSet<_> = first.record.items.iter().map(|i| &i.question).collect();
    let b: BTreeSet<_> = second.record.items.iter().map(|i| &i.question).collect();
    assert!(
        a.is_disjoint(&b),
        "a retake repeated {:?}",
        a.intersection(&b).collect::<Vec<_>>()
    );
    // Another person gets no such restriction (and one attempt at a time per kiosk).
    let other = Iin::parse("850715401236").unwrap();
    e.admit_with_seed(&other, &cat1(), "p1", 21).unwrap();
    assert!(matches!(
        e.admit_with_seed(&other, &cat1(), "p1", 23),
        Err(StoreError::AttemptOpen(_))
    ));
}

#[test]
fn invalid_answers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit_with_seed(&iin(), &cat1(), "p1", 4).unwrap();
    assert!(matches!(
        e.answer(30, BTreeSet::new()),
        Err(StoreError::BadPosition {
            position: 30,
            total: 30
        })
    ));
    assert!(matches!(
        e.answer(0, BTreeSet::from(["zz".to_owned()])),
        Err(StoreError::BadAnswer(0))
    ));
    assert!(matches!(
        e.admit_with_seed(&iin(), &CategoryId::new("cat-9").unwrap(), "p1", 1),
        Err(StoreError::AttemptOpen(_))
    ));
}
