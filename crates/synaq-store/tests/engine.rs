//! The engine on the demo bank: a whole exam, the clock, proctor actions, crashes, tampering,
//! a full disk and retakes. Real SQLite files in temporary directories.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin, QuestionId};
use synaq_store::engine::{FinishReason, State};
use synaq_store::journal::{self, TamperError, VerifyError};
use synaq_store::outbox;
use synaq_store::testing::demo_bank;
use synaq_store::{Admission, Engine, FakeClock, StoreError};

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
    e.admit(
        Admission::new(&iin(), &cat1(), "proctor-7")
            .started()
            .seed(42),
    )
    .unwrap();
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
    // Submitted, not timed out: the refusal says so (it said `TimeUp` before).
    assert!(matches!(
        e.answer(0, BTreeSet::new()),
        Err(StoreError::Finished)
    ));
}

#[test]
fn answers_survive_a_crash_and_wait_for_a_proctor() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(7))
        .unwrap();
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(9))
        .unwrap();
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(1))
        .unwrap();
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(2))
        .unwrap();
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(3))
        .unwrap();
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(5))
        .unwrap();
    for p in 0..5 {
        let a = pick(&mut e, p, 0);
        e.answer(p, a).unwrap();
    }
    e.finish(FinishReason::Submitted).unwrap();
    e.verify_journal().unwrap();
    e
}

/// What someone with the database file does first: drop the triggers that keep the journal
/// append-only (and the signed results fixed).
const DROP_TRIGGERS: &str = "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;
     DROP TRIGGER journal_tip_no_delete; DROP TRIGGER journal_tip_forward;
     DROP TRIGGER outbox_result_fixed;";

fn journal_verify(e: &Engine) -> Result<journal::Head, TamperError> {
    journal::verify(e.connection()).map_err(|err| match err {
        VerifyError::Tampered(t) => t,
        other => panic!("not a tamper error: {other}"),
    })
}

fn last_seq(e: &Engine) -> i64 {
    e.connection()
        .query_row("SELECT max(seq) FROM journal", [], |r| r.get(0))
        .unwrap()
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
        // Through SQL the change is refused outright...
        let refused = e.connection().execute_batch(sql).unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{name}: {refused}");
        e.verify_journal().unwrap();
        // ...so an attacker drops the triggers first; the chain still gives them away.
        e.connection().execute_batch(DROP_TRIGGERS).unwrap();
        e.connection().execute_batch(sql).unwrap();
        let err = e.verify_journal().unwrap_err();
        assert!(err.to_string().contains(want), "{name}: {err}");
        assert_eq!(err.code(), "store-tampered");
    }
}

#[test]
fn sql_refuses_to_change_the_journal_its_tip_or_a_signed_result() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let head = e.verify_journal().unwrap();
    let c = e.connection();
    for (sql, want) in [
        ("UPDATE journal SET data = '{}' WHERE seq = 2", "journal is append-only: its rows cannot be changed"),
        ("UPDATE journal SET at_wall = at_wall + 1", "journal is append-only: its rows cannot be changed"),
        ("DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)", "journal is append-only: its rows cannot be deleted"),
        ("DELETE FROM journal", "journal is append-only: its rows cannot be deleted"),
        ("DELETE FROM journal_tip", "the journal tip cannot be deleted"),
        ("UPDATE journal_tip SET seq = seq - 1, hash = (SELECT hash FROM journal WHERE seq = journal_tip.seq - 1)", "tip only moves to the row appended after it"),
        ("UPDATE journal_tip SET seq = seq + 1", "tip only moves to the row appended after it"),
        ("UPDATE outbox SET result = json_set(result, '$.record.score.passed', json('true'))", "a signed result cannot be changed"),
    ] {
        let err = c.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains(want), "{sql}: {err}");
    }
    assert_eq!(e.verify_journal().unwrap(), head, "nothing changed");
    // Moving a delivered result's state is still allowed.
    let attempt = e.outbox().unwrap()[0].record.attempt_id.clone();
    assert!(e.mark_delivered(&attempt, "{}").unwrap());
    e.verify_journal().unwrap();
}

#[test]
fn deleting_the_last_journal_rows_is_detected() {
    // An exam in progress: no signed result yet, only the tip anchors the end.
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(8))
        .unwrap();
    for p in 0..4 {
        let a = pick(&mut e, p, 1);
        e.answer(p, a).unwrap();
    }
    let n = e.verify_journal().unwrap().seq;
    assert_eq!(n, last_seq(&e));
    e.connection().execute_batch(DROP_TRIGGERS).unwrap();
    e.connection()
        .execute("DELETE FROM journal WHERE seq = ?1", [n])
        .unwrap();
    // What is left is an intact chain, one row shorter: only the tip shows the cut.
    assert_eq!(
        journal_verify(&e).unwrap_err(),
        TamperError::Truncated {
            last: n - 1,
            tip: n
        }
    );
    let err = e.verify_journal().unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "ends at row {} but its tip is row {n}: the last rows were deleted",
            n - 1
        )),
        "{err}"
    );
    // The kiosk restarts: it takes nothing back and signs nothing over a cut journal, appends
    // nothing to it, and the cut stays visible for ЕУМЦ.
    drop(e);
    let err = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap_err();
    assert!(
        matches!(err, StoreError::Tampered(_))
            && err.to_string().contains("last rows were deleted"),
        "{err}"
    );
    let e = Engine::open_store(dir.path(), clock.clone()).unwrap();
    assert_eq!(last_seq(&e), n - 1, "nothing appended over the cut");
    assert_eq!(
        journal_verify(&e).unwrap_err(),
        TamperError::Truncated {
            last: n - 1,
            tip: n
        }
    );
}

#[test]
fn cutting_a_finished_exam_and_its_tip_is_caught_by_the_signed_result() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let attempt = e.outbox().unwrap()[0].record.attempt_id.clone();
    let n = last_seq(&e);
    e.connection().execute_batch(DROP_TRIGGERS).unwrap();
    // The attacker who knows about the tip moves it back along with the rows.
    e.connection()
        .execute_batch(&format!(
            "DELETE FROM journal WHERE seq = {n};
             UPDATE journal_tip SET seq = {m}, hash = (SELECT hash FROM journal WHERE seq = {m});",
            m = n - 1
        ))
        .unwrap();
    assert_eq!(
        journal_verify(&e).unwrap_err(),
        TamperError::ResultNotInJournal(attempt.clone())
    );
    let err = e.verify_journal().unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "signed result of attempt {attempt} names a journal row that is not in the journal"
        )),
        "{err}"
    );
}

#[test]
fn deleting_a_signed_result_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let attempt = e.outbox().unwrap()[0].record.attempt_id.clone();
    let n = last_seq(&e);
    e.connection()
        .execute("DELETE FROM outbox WHERE attempt = ?1", [&attempt])
        .unwrap();
    assert_eq!(
        journal_verify(&e).unwrap_err(),
        TamperError::ResultMissing(attempt, n)
    );
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
fn editing_the_stored_score_in_the_outbox_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let before = e.outbox().unwrap();
    assert_eq!(before.len(), 1);
    let attempt = before[0].record.attempt_id.clone();
    assert!(!before[0].record.score.passed, "5 of 30 answered: a fail");
    assert_eq!(e.pending().unwrap(), before);
    e.connection().execute_batch(DROP_TRIGGERS).unwrap();
    let changed = e
        .connection()
        .execute(
            "UPDATE outbox SET result = json_set(result,
                '$.record.score.correct', 30, '$.record.score.points_milli', 30000,
                '$.record.score.percent_milli', 100000, '$.record.score.passed', json('true'))
             WHERE attempt = ?1",
            [&attempt],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let stored: String = e
        .connection()
        .query_row("SELECT result FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert!(stored.contains(r#""percent_milli":100000"#), "{stored}");
    // The chain and the journal head are untouched; the signature is what gives it away.
    journal_verify(&e).unwrap();
    let want = format!("the stored result of attempt {attempt} does not match its signature");
    let check = |what: &str, err: StoreError| {
        assert!(matches!(err, StoreError::Tampered(_)), "{what}: {err}");
        assert!(err.to_string().contains(&want), "{what}: {err}");
    };
    check("outbox", e.outbox().unwrap_err());
    check("pending", e.pending().unwrap_err());
    check("last_result", e.last_result().unwrap_err());
    check("verify_journal", e.verify_journal().unwrap_err());
    // Without the engine (no kiosk key at hand) the result is checked with the key it names.
    check(
        "outbox::pending",
        outbox::pending(e.connection()).unwrap_err(),
    );
    check(
        "outbox::result_of",
        outbox::result_of(e.connection(), &attempt).unwrap_err(),
    );
    // Delivered, it is refused where it is read next: the evidence queue.
    e.mark_delivered(&attempt, "{}").unwrap();
    e.connection()
        .execute(
            "UPDATE outbox SET result = json_set(result, '$.record.evidence_head', '1:00') WHERE attempt = ?1",
            [&attempt],
        )
        .unwrap();
    check("evidence_queue", e.evidence_queue().unwrap_err());
}

#[test]
fn a_result_signed_by_another_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let mut r = e.outbox().unwrap().remove(0);
    let attempt = r.record.attempt_id.clone();
    r.record.score.passed = true;
    // Re-signed with a key that is not this kiosk's: valid on its own, refused here.
    let other = synaq_seal::KioskSecret::generate().unwrap();
    let forged = synaq_store::SignedResult::sign(r.record, &other);
    forged.verify(&other.public().ed25519).unwrap();
    e.connection().execute_batch(DROP_TRIGGERS).unwrap();
    e.connection()
        .execute(
            "UPDATE outbox SET result = ?2 WHERE attempt = ?1",
            [&attempt, &serde_json::to_string(&forged).unwrap()],
        )
        .unwrap();
    let err = e.outbox().unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "the stored result of attempt {attempt} names another kiosk key"
        )),
        "{err}"
    );
    assert!(matches!(e.verify_journal(), Err(StoreError::Tampered(_))));
}

#[test]
fn a_tick_alone_persists_the_clock_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(12))
        .unwrap();
    let limit = e.status().unwrap().limit_ms;
    clock.advance(Duration::from_millis(1_200));
    assert_eq!(e.tick().unwrap().remaining_ms, limit - 1_200);
    drop(e); // killed right after the tick: no answer, no proctor action wrote anything
    let saved: i64 = synaq_store::open_db(&dir.path().join("kiosk.sqlite3"))
        .unwrap()
        .query_row("SELECT active_ms FROM attempts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(saved, 1_200);
    clock.advance(Duration::from_secs(30)); // down for half a minute
    let mut e = engine(dir.path(), &clock);
    let s = e.status().unwrap();
    assert_eq!(s.state, State::Interrupted);
    assert_eq!(s.remaining_ms, limit - 1_200);
}

#[test]
fn shown_and_flagged_questions_are_journalled() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(13))
        .unwrap();
    let q3 = e.paper().unwrap().items[3].question.0.clone();
    e.show(0).unwrap();
    e.show(0).unwrap(); // the same question again (a re-render): not a new row
    e.show(3).unwrap();
    e.flag(3, true).unwrap();
    e.flag(3, false).unwrap();
    e.flag(7, true).unwrap();
    assert_eq!(e.flagged(), BTreeSet::from([7]));
    let rows: Vec<(String, String)> = e
        .connection()
        .prepare("SELECT kind, data FROM journal ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kinds: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["admitted", "started", "shown", "shown", "flagged", "flagged", "flagged"]
    );
    assert_eq!(rows[1].1, "{}");
    assert_eq!(rows[3].1, format!(r#"{{"position":3,"question":"{q3}"}}"#));
    assert_eq!(rows[4].1, r#"{"flagged":true,"position":3}"#);
    assert_eq!(rows[5].1, r#"{"flagged":false,"position":3}"#);
    assert_eq!(rows[6].1, r#"{"flagged":true,"position":7}"#);
    // The audit view lists them too, newest first.
    let flagged = e.journal_rows(Some("flagged"), 10).unwrap();
    assert_eq!(flagged.len(), 3);
    assert_eq!(flagged[0].data, rows[6].1);
    e.verify_journal().unwrap();
}

/// The secrets in `kiosk.key` (base64 in TOML): the X25519 secret, the Ed25519 PKCS#8 document
/// and the Ed25519 seed inside it.
fn kiosk_secrets(dir: &Path) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let text = std::fs::read_to_string(dir.join(synaq_store::identity::KEY_FILE)).unwrap();
    let field = |name: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("{name} in kiosk.key"));
        let b64 = line.split('"').nth(1).unwrap();
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    };
    let x = field("x25519_secret");
    let pkcs8 = field("ed25519_pkcs8");
    assert_eq!(x.len(), 32);
    // RFC 8410 / 5958: the 32-byte seed follows a 16-byte prefix (its second byte is the
    // document's length, which depends on whether the public key is included).
    assert_eq!(pkcs8[0], 0x30);
    assert_eq!(
        &pkcs8[2..16],
        &[0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
    );
    let seed = pkcs8[16..48].to_vec();
    vec![x, seed, pkcs8]
}

/// Each secret as raw bytes, lower and upper hex, and base64.
fn needles(secrets: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    use base64::Engine as _;
    let b64 = &base64::engine::general_purpose::STANDARD;
    let b64url = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        out.push((format!("secret {i} raw"), s.clone()));
        out.push((format!("secret {i} hex"), hex::encode(s).into_bytes()));
        out.push((format!("secret {i} HEX"), hex::encode_upper(s).into_bytes()));
        // Any 30-byte stretch, so a base64 that starts at another offset is still found.
        out.push((
            format!("secret {i} base64"),
            b64.encode(&s[..30]).into_bytes(),
        ));
        out.push((
            format!("secret {i} base64url"),
            b64url.encode(&s[..30]).into_bytes(),
        ));
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_key_material_in_the_journal_or_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let e = finished_exam(dir.path());
    let attempt = e.outbox().unwrap()[0].record.attempt_id.clone();
    e.mark_delivered(&attempt, "{\"receipt\":1}").unwrap();
    let secrets = kiosk_secrets(dir.path());
    let needles = needles(&secrets);
    // The needles are right: they are found where the key does live.
    let key_file = std::fs::read(dir.path().join(synaq_store::identity::KEY_FILE)).unwrap();
    assert!(needles
        .iter()
        .any(|(name, n)| name.ends_with("base64") && contains(&key_file, n)));
    // Every text and blob cell of every table.
    let c = e.connection();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.iter().any(|t| t == "journal") && tables.iter().any(|t| t == "outbox"));
    let mut cells = 0;
    for table in &tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let bytes = match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => t.to_vec(),
                    rusqlite::types::ValueRef::Blob(b) => b.to_vec(),
                    _ => continue,
                };
                cells += 1;
                for (name, n) in &needles {
                    assert!(!contains(&bytes, n), "{name} in {table} column {i}");
                }
            }
        }
    }
    assert!(cells > 50, "only {cells} cells read");
    // And the files themselves (pages, WAL), whatever SQLite left in free space.
    drop(e);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("kiosk.sqlite3") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for (what, n) in &needles {
            assert!(!contains(&bytes, n), "{what} in {name}");
        }
    }
}

#[test]
fn a_full_disk_loses_nothing_already_saved() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(11))
        .unwrap();
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
        // Showing a question is journalled too: the disk may fill on either write.
        let q = match e.show(p) {
            Ok(q) => q,
            Err(err) => {
                full = Some(err);
                break;
            }
        };
        let a = BTreeSet::from([q.options[(k / 30) % q.options.len()].0.clone()]);
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
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(21))
        .unwrap();
    let first = e.finish(FinishReason::Submitted).unwrap();
    assert!(!first.record.score.passed, "no answers: a fail");
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(22))
        .unwrap();
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
    e.admit(Admission::new(&other, &cat1(), "p1").started().seed(21))
        .unwrap();
    assert!(matches!(
        e.admit(Admission::new(&other, &cat1(), "p1").started().seed(23)),
        Err(StoreError::AttemptOpen(_))
    ));
}

#[test]
fn a_retake_avoids_what_the_roster_says_was_seen_at_another_kiosk() {
    // The first attempt happened at another kiosk: this one knows of it only from the roster.
    let elsewhere = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut other_kiosk = engine(elsewhere.path(), &clock);
    other_kiosk
        .admit(Admission::new(&iin(), &cat1(), "p1").started().seed(21))
        .unwrap();
    let failed = other_kiosk.finish(FinishReason::Submitted).unwrap();
    assert!(!failed.record.score.passed);
    let seen: Vec<QuestionId> = failed
        .record
        .items
        .iter()
        .map(|i| i.question.clone())
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let mut e = engine(dir.path(), &clock);
    // Same seed, without the roster's history: the same paper as at the other kiosk.
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(21))
        .unwrap();
    let blind = e.finish(FinishReason::Submitted).unwrap();
    assert_eq!(blind.record.items, failed.record.items);
    // With it: nothing repeated, and the journal says what was avoided.
    let other = Iin::parse("850715401236").unwrap();
    e.admit(
        Admission::new(&other, &cat1(), "p1")
            .started()
            .seed(21)
            .seen_elsewhere(&seen),
    )
    .unwrap();
    let retake = e.finish(FinishReason::Submitted).unwrap();
    let repeated: Vec<_> = retake
        .record
        .items
        .iter()
        .filter(|i| seen.contains(&i.question))
        .collect();
    assert!(repeated.is_empty(), "a retake repeated {repeated:?}");
    let conn = rusqlite::Connection::open(dir.path().join("kiosk.sqlite3")).unwrap();
    let data: String = conn
        .query_row(
            "SELECT data FROM journal WHERE kind = 'admitted' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(data.contains("\"seen_elsewhere\":30"), "{data}");
}

#[test]
fn invalid_answers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(4))
        .unwrap();
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
        e.admit(
            Admission::new(&iin(), &CategoryId::new("cat-9").unwrap(), "p1")
                .started()
                .seed(1)
        ),
        Err(StoreError::AttemptOpen(_))
    ));
}

#[test]
fn the_attempt_keeps_its_evidence_heads_across_a_restart_and_signs_them() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    assert!(matches!(
        e.record_evidence_heads(["1:aa"]),
        Err(StoreError::NoAttempt)
    ));
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(31))
        .unwrap();
    assert!(e.evidence_heads().is_empty());
    let first = format!("2:{}", "ab".repeat(32));
    e.record_evidence_heads([&first]).unwrap();
    assert!(matches!(
        e.record_evidence_heads(["1:aa bb"]),
        Err(StoreError::Db(_))
    ));
    assert_eq!(
        e.evidence_heads(),
        std::slice::from_ref(&first),
        "a refused call changes nothing"
    );
    drop(e); // the kiosk stops mid-exam
    let mut e = engine(dir.path(), &clock);
    assert_eq!(
        e.evidence_heads(),
        std::slice::from_ref(&first),
        "restored with the attempt"
    );
    e.resume("p1", "power came back").unwrap();
    let second = format!("5:{}", "cd".repeat(32));
    e.record_evidence_heads([&first, &second]).unwrap();
    let signed = e.finish(FinishReason::Submitted).unwrap();
    assert_eq!(
        signed.record.evidence_head,
        Some(format!("{first} {second}"))
    );
    assert!(
        matches!(e.record_evidence_heads([&first]), Err(StoreError::Finished)),
        "signed already"
    );
    assert_eq!(e.evidence_heads(), [first, second]);
    // An attempt without evidence signs none.
    e.admit(
        Admission::new(&Iin::parse("850715401236").unwrap(), &cat1(), "p1")
            .started()
            .seed(32),
    )
    .unwrap();
    let plain = e.finish(FinishReason::Submitted).unwrap();
    assert_eq!(plain.record.evidence_head, None);
    e.verify_journal().unwrap();
}

#[test]
fn extra_time_is_capped_per_attempt_and_the_refusal_says_how_much_is_left() {
    use synaq_store::engine::EXTEND_MAX_MINUTES;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(33))
        .unwrap();
    assert!(matches!(
        e.extend("p1", 0, "health"),
        Err(StoreError::ExtendLimit {
            minutes: 0,
            most: EXTEND_MAX_MINUTES
        })
    ));
    let too_much = e
        .extend("p1", EXTEND_MAX_MINUTES + 1, "health")
        .unwrap_err();
    let code = too_much.to_code();
    assert_eq!(code.id(), "proctor-bad-minutes");
    assert_eq!(
        code.args.get("minutes"),
        Some(&(EXTEND_MAX_MINUTES + 1).into())
    );
    assert_eq!(code.args.get("most"), Some(&EXTEND_MAX_MINUTES.into()));
    assert_eq!(
        e.status().unwrap().limit_ms,
        60 * 60_000,
        "refused: unchanged"
    );
    e.extend("p1", 100, "technical fault").unwrap();
    assert!(matches!(
        e.extend("p1", 21, "technical fault"),
        Err(StoreError::ExtendLimit {
            minutes: 21,
            most: 20
        })
    ));
    // The cap holds across a restart: it is read from the stored limit.
    drop(e);
    let mut e = engine(dir.path(), &clock);
    e.resume("p1", "power came back").unwrap();
    assert_eq!(e.extend("p1", 20, "health").unwrap().limit_ms, 180 * 60_000);
    assert!(matches!(
        e.extend("p1", 1, "health"),
        Err(StoreError::ExtendLimit {
            minutes: 1,
            most: 0
        })
    ));
    let journalled: i64 = e
        .connection()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'extended'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journalled, 2, "refusals are not journalled");
}

#[test]
fn refusals_carry_the_values_people_need() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(34))
        .unwrap();
    let code = e.show(30).unwrap_err().to_code();
    assert_eq!(code.id(), "store-bad-position");
    assert_eq!(
        code.args.get("position"),
        Some(&31usize.into()),
        "counted from 1"
    );
    assert_eq!(code.args.get("total"), Some(&30usize.into()));
    let code = e
        .answer(2, BTreeSet::from(["no-such-option".to_owned()]))
        .unwrap_err()
        .to_code();
    assert_eq!(code.id(), "store-bad-answer");
    assert_eq!(code.args.get("position"), Some(&3usize.into()));
    drop(e);
    let mut e = engine(dir.path(), &clock);
    let code = e.answer(0, BTreeSet::new()).unwrap_err().to_code();
    assert_eq!(code.id(), "store-not-running");
    assert_eq!(code.args.get("state"), Some(&"interrupted".into()));
    let code = StoreError::BankMismatch {
        series: "DEMO".into(),
        version: 7,
    }
    .to_code();
    assert_eq!(code.args.get("series"), Some(&"DEMO".into()));
    assert_eq!(code.args.get("version"), Some(&7u64.into()));
}

#[test]
fn a_finished_exam_refuses_with_finished_and_only_a_timed_out_one_with_time_up() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    // Time runs out.
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(35))
        .unwrap();
    assert_eq!(e.status().unwrap().finish_reason, None);
    clock.advance(Duration::from_secs(4));
    e.extend("p1", 0, "health").unwrap_err();
    while e.tick().unwrap().state != State::Finished {
        clock.advance(Duration::from_secs(4));
    }
    assert_eq!(
        e.status().unwrap().finish_reason,
        Some(FinishReason::TimeUp)
    );
    assert!(matches!(
        e.answer(0, BTreeSet::new()),
        Err(StoreError::TimeUp)
    ));
    assert!(matches!(e.show(0), Err(StoreError::TimeUp)));
    assert!(matches!(
        e.extend("p1", 5, "health"),
        Err(StoreError::TimeUp)
    ));
    assert!(matches!(
        e.finish(FinishReason::Submitted),
        Err(StoreError::TimeUp)
    ));
    assert_eq!(StoreError::TimeUp.code(), "store-time-up");
    // Submitted, and ended by a proctor: finished, time did not run out.
    for (seed, how) in [(36, FinishReason::Submitted), (37, FinishReason::Violation)] {
        e.admit(
            Admission::new(&Iin::parse("850715401236").unwrap(), &cat1(), "p1")
                .started()
                .seed(seed),
        )
        .unwrap();
        clock.advance(Duration::from_secs(3));
        let signed = match how {
            FinishReason::Violation => e.end_for_violation("p1", "phone-or-notes", "").unwrap(),
            _ => e.finish(how).unwrap(),
        };
        assert_ne!(signed.record.finish_reason, "time_up");
        let s = e.status().unwrap();
        assert_eq!((s.state, s.finish_reason), (State::Finished, Some(how)));
        assert!(matches!(
            e.answer(0, BTreeSet::new()),
            Err(StoreError::Finished)
        ));
        assert!(matches!(e.show(0), Err(StoreError::Finished)));
        assert!(matches!(e.flag(0, true), Err(StoreError::Finished)));
        assert!(matches!(e.pause("p1", "x"), Err(StoreError::Finished)));
        assert!(matches!(e.resume("p1", "x"), Err(StoreError::Finished)));
        assert!(matches!(e.extend("p1", 5, "x"), Err(StoreError::Finished)));
        assert!(matches!(e.finish(how), Err(StoreError::Finished)));
        assert!(matches!(
            e.record_evidence_heads(["1:aa"]),
            Err(StoreError::Finished)
        ));
        assert_eq!(StoreError::Finished.code(), "store-finished");
    }
    assert_eq!(
        e.outbox().unwrap().len(),
        3,
        "one result each, nothing more"
    );
}

/// The active time a journal row was written at.
fn active_at(e: &Engine, seq: i64) -> i64 {
    e.connection()
        .query_row(
            "SELECT at_active_ms FROM journal WHERE seq = ?1",
            [seq],
            |r| r.get(0),
        )
        .unwrap()
}

/// Kinds of the attempt's journal rows, in order.
fn kinds(e: &Engine) -> Vec<String> {
    e.journal_rows(None, 1_000)
        .unwrap()
        .into_iter()
        .rev()
        .map(|r| r.kind)
        .collect()
}

#[test]
fn the_clock_starts_when_the_examinee_starts_not_at_admission() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").seed(40))
        .unwrap();
    // Identity and rules screens: 1 min 28 s, ticked every 250 ms, not charged.
    for _ in 0..(88 * 4) {
        clock.advance(Duration::from_millis(250));
        e.tick().unwrap();
    }
    let s = e.status().unwrap();
    assert_eq!(s.state, State::Admitted);
    assert_eq!(s.remaining_ms, 60 * 60_000);
    // Nothing is shown or answered before the start.
    assert!(matches!(e.show(0), Err(StoreError::NotRunning("admitted"))));
    assert!(matches!(
        e.answer(0, BTreeSet::new()),
        Err(StoreError::NotRunning("admitted"))
    ));
    // Nor does a proctor's resume start it, or a visit pause it.
    assert!(matches!(
        e.resume("p1", "x"),
        Err(StoreError::NotRunning("admitted"))
    ));
    assert!(!e.visit_begins("p1").unwrap());
    let s = e.start().unwrap();
    assert_eq!((s.state, s.remaining_ms), (State::Running, 60 * 60_000));
    // Pressing start twice changes nothing and journals nothing.
    e.start().unwrap();
    clock.advance(Duration::from_secs(4));
    e.tick().unwrap();
    let a = pick(&mut e, 0, 0);
    e.answer(0, a).unwrap();
    assert_eq!(e.status().unwrap().remaining_ms, 60 * 60_000 - 4_000);
    assert_eq!(kinds(&e), ["admitted", "started", "shown", "answered"]);
    let started = e.journal_rows(Some("started"), 10).unwrap();
    assert_eq!(started.len(), 1);
    assert_eq!(active_at(&e, started[0].seq), 0);
    assert_eq!(started[0].at_wall, WALL + 88_000);
    // The result: active time from the start; the start of the record is the admission's.
    let r = e.finish(FinishReason::Submitted).unwrap().record;
    assert_eq!(r.active_ms, 4_000);
    assert_eq!(r.started_wall_ms, WALL);
    e.verify_journal().unwrap();
}

#[test]
fn an_admitted_exam_stays_unstarted_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").seed(41))
        .unwrap();
    drop(e);
    clock.advance(Duration::from_secs(120));
    let mut e = engine(dir.path(), &clock);
    let s = e.status().unwrap();
    assert_eq!((s.state, s.remaining_ms), (State::Admitted, 60 * 60_000));
    e.start().unwrap();
    assert_eq!(e.status().unwrap().state, State::Running);
}

#[test]
fn a_proctors_visit_stops_the_clock_and_their_leaving_restarts_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(42))
        .unwrap();
    clock.advance(Duration::from_secs(3));
    e.tick().unwrap();
    assert!(e.visit_begins("p2").unwrap());
    assert_eq!(e.visit(), Some("p2"));
    // Three minutes at the proctor's console: not charged, nothing answered.
    for _ in 0..(180 * 4) {
        clock.advance(Duration::from_millis(250));
        e.tick().unwrap();
    }
    let s = e.status().unwrap();
    assert_eq!(
        (s.state, s.remaining_ms),
        (State::Paused, 60 * 60_000 - 3_000)
    );
    assert!(matches!(e.show(0), Err(StoreError::NotRunning("paused"))));
    // Extra time during the visit keeps the visit's pause.
    e.extend("p2", 5, "health: x").unwrap();
    assert!(e.visit_ends().unwrap());
    assert_eq!(e.status().unwrap().state, State::Running);
    clock.advance(Duration::from_secs(2));
    assert_eq!(e.status().unwrap().remaining_ms, 65 * 60_000 - 5_000);
    // The pause and the resume carry the proctor's id and the visit's reason.
    for kind in ["paused", "resumed"] {
        let rows = e.journal_rows(Some(kind), 10).unwrap();
        assert_eq!(rows.len(), 1, "{kind}");
        let data: serde_json::Value = serde_json::from_str(&rows[0].data).unwrap();
        assert_eq!(data["proctor"], "p2");
        assert_eq!(data["reason"], synaq_store::engine::VISIT_REASON);
        assert_eq!(data["extra_ms"], 0);
        assert_eq!(active_at(&e, rows[0].seq), 3_000);
    }
    // Leaving again resumes nothing.
    assert!(!e.visit_ends().unwrap());
    let r = e.finish(FinishReason::Submitted).unwrap().record;
    assert_eq!((r.active_ms, r.limit_ms), (5_000, 65 * 60_000));
}

#[test]
fn a_proctors_own_pause_during_a_visit_outlasts_the_visit() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(43))
        .unwrap();
    assert!(e.visit_begins("p1").unwrap());
    e.pause("p1", "health: went out").unwrap();
    assert_eq!(e.visit(), None);
    assert!(!e.visit_ends().unwrap());
    assert_eq!(e.status().unwrap().state, State::Paused);
    let paused = e.journal_rows(Some("paused"), 10).unwrap();
    assert_eq!(paused.len(), 2);
    assert!(paused[0].data.contains("health: went out"));
    // A visit over a paused exam leaves it paused when it ends.
    assert!(!e.visit_begins("p2").unwrap());
    assert!(!e.visit_ends().unwrap());
    e.resume("p1", "health: back").unwrap();
    assert_eq!(e.status().unwrap().state, State::Running);
}

#[test]
fn the_last_shown_question_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = engine(dir.path(), &clock);
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(44))
        .unwrap();
    assert_eq!(e.status().unwrap().last_shown, None);
    e.show(0).unwrap();
    e.show(7).unwrap();
    e.show(12).unwrap();
    assert_eq!(e.status().unwrap().last_shown, Some(12));
    drop(e);
    let mut e = engine(dir.path(), &clock);
    assert_eq!(e.status().unwrap().last_shown, Some(12));
    e.resume("p1", "power: back").unwrap();
    assert_eq!(e.status().unwrap().last_shown, Some(12));
}
