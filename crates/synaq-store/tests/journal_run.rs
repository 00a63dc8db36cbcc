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
