//! The journal that travels with a result: the engine's own rows verify against the signed
//! head and replay to exactly what the kiosk signed.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin};
use synaq_store::engine::{Admission, FinishReason};
use synaq_store::journal;
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, FakeClock};
use synaq_wire::journal::{compare, replay, verify_run};

const WALL: i64 = 1_800_000_000_000;

#[test]
fn an_attempts_journal_replays_to_its_signed_result() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
    let iin = Iin::parse("900101300017").unwrap();
    let cat = CategoryId::new("cat-1").unwrap();
    // An earlier attempt, so the run under test starts in the middle of the kiosk's chain.
    e.admit(Admission::new(&iin, &cat, "p1").started()).unwrap();
    e.finish(FinishReason::Submitted).unwrap();
    e.admit(Admission::new(&iin, &cat, "p1").started()).unwrap();
    for p in 0..10 {
        clock.advance(Duration::from_secs(3));
        e.tick().unwrap();
        let q = e.show(p).unwrap();
        let first = BTreeSet::from([q.options[0].0.clone()]);
        e.answer(p, first).unwrap();
        if p % 3 == 0 {
            // A change of mind: the last answer counts.
            let last = BTreeSet::from([q.options[1].0.clone()]);
            e.answer(p, last).unwrap();
        }
    }
    e.answer(4, BTreeSet::new()).unwrap();
    e.flag(5, true).unwrap();
    e.incident("camera", "camera-no-face", "frame abc").unwrap();
    e.pause("p2", "health: water").unwrap();
    e.resume("p2", "health: back").unwrap();
    e.extend("p2", 5, "technical-fault: lights").unwrap();
    let signed = e.finish(FinishReason::Submitted).unwrap();
    let record = &signed.record;

    let rows = journal::run_of(e.connection(), &record.attempt_id).unwrap();
    assert_eq!(rows.first().unwrap().kind, "admitted");
    verify_run(&rows, &record.journal_head).unwrap();
    let replayed = replay(&rows, record.limit_ms - 5 * 60_000).unwrap();
    assert_eq!(compare(record, &replayed), vec![]);
    assert_eq!(replayed.extra_ms, 5 * 60_000);
    assert!(replayed.proctors.contains("p2"));
    assert!(replayed.answered_after_time.is_empty());

    // The same rows against an edited result: each field the journal fixes is caught.
    let mut edited = record.clone();
    edited.answers[0] = vec!["z".into()];
    edited.active_ms += 1;
    let fields: Vec<String> = compare(&edited, &replayed)
        .into_iter()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(fields.len(), 2, "{fields:?}");
    assert!(fields[0].contains("answers"), "{fields:?}");
    assert!(fields[1].contains("active time"), "{fields:?}");
}

/// Regression: a staff action journalled while an exam runs (an import, a sync, a print) sits
/// inside the attempt's run with attempt "". Central refused such runs as "another attempt's
/// row"; now the run verifies and the replay passes over the staff rows, even one whose kind
/// would count in an exam.
#[test]
fn staff_actions_during_an_exam_travel_with_its_run_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
    let iin = Iin::parse("900101300017").unwrap();
    let cat = CategoryId::new("cat-1").unwrap();
    e.journal_staff_action(
        journal::Kind::SetupDone,
        &serde_json::json!({"by": "admin"}),
    )
    .unwrap();
    e.admit(Admission::new(&iin, &cat, "p1").started()).unwrap();
    let q = e.show(0).unwrap();
    e.answer(0, BTreeSet::from([q.options[0].0.clone()]))
        .unwrap();
    e.journal_staff_action(
        journal::Kind::SyncFinished,
        &serde_json::json!({"by": "auto", "ok": true}),
    )
    .unwrap();
    e.journal_staff_action(
        journal::Kind::RosterImported,
        &serde_json::json!({"by": "admin", "version": 3}),
    )
    .unwrap();
    // The kiosk restarts with the staff rows after the attempt's last row: it resumes (the
    // open attempt is checked against its journal) instead of calling it tampered.
    drop(e);
    let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
    e.journal_staff_action(
        journal::Kind::Printed,
        &serde_json::json!({"by": "admin", "number": "KZOT-2026-0000-0001"}),
    )
    .unwrap();
    let signed = e.finish(FinishReason::Submitted).unwrap();
    let record = &signed.record;
    let rows = journal::run_of(e.connection(), &record.attempt_id).unwrap();
    let staff: Vec<&str> = rows
        .iter()
        .filter(|r| r.attempt.is_empty())
        .map(|r| r.kind.as_str())
        .collect();
    assert_eq!(staff, ["sync_finished", "roster_imported", "printed"]);
    verify_run(&rows, &record.journal_head).unwrap();
    let replayed = replay(&rows, record.limit_ms).unwrap();
    assert_eq!(compare(record, &replayed), vec![]);
    // The whole store still verifies (chain, tip, signed results) after a reopen.
    drop(e);
    Engine::open(dir.path(), clock, demo_bank()).unwrap();
}
