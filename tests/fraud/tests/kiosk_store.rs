//! Access: the kiosk's SQLite file and a restart, not the kiosk key (someone at the branch).
//! Attacks on the kiosk's store. Each ends with the kiosk refusing to resume or sign, naming what was
//! changed, and the store kept as it is; never a re-signed, edited result.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin};
use synaq_store::engine::{Admission, FinishReason};
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, FakeClock, StoreError};

const WALL: i64 = 1_800_000_000_000;
const DROP_TRIGGERS: &str = "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;
     DROP TRIGGER journal_tip_no_delete; DROP TRIGGER journal_tip_forward;
     DROP TRIGGER outbox_result_fixed;";

fn iin() -> Iin {
    Iin::parse("900101300017").unwrap()
}

fn cat1() -> CategoryId {
    CategoryId::new("cat-1").unwrap()
}

/// An exam interrupted after three answers (the kiosk was switched off).
fn interrupted(dir: &Path, clock: &Arc<FakeClock>) -> String {
    let mut e = Engine::open(dir, clock.clone(), demo_bank()).unwrap();
    let attempt = e
        .admit(Admission::new(&iin(), &cat1(), "p1").started().seed(5))
        .unwrap();
    for p in 0..3 {
        clock.advance(Duration::from_secs(3));
        let q = e.show(p).unwrap();
        e.answer(p, BTreeSet::from([q.options[0].0.clone()]))
            .unwrap();
    }
    attempt
}

/// Changes the store with SQL, as an attacker with the file would, then restarts the kiosk.
fn edit_and_restart(dir: &Path, clock: &Arc<FakeClock>, sql: &str) -> StoreError {
    let db = synaq_store::open_db(&dir.join("kiosk.sqlite3")).unwrap();
    db.execute_batch(DROP_TRIGGERS).unwrap();
    db.execute_batch(sql).unwrap();
    drop(db);
    Engine::open(dir, clock.clone(), demo_bank()).unwrap_err()
}

fn assert_tampered(err: &StoreError, what: &str) {
    assert!(
        matches!(err, StoreError::Tampered(_)) && err.to_string().contains(what),
        "{err}"
    );
    assert_eq!(err.code(), "store-tampered");
}

#[test]
fn an_edited_answer_of_an_interrupted_exam_is_refused_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!(
            "UPDATE answers SET options = '[\"zz\"]' WHERE attempt = '{attempt}' AND position = 1;"
        ),
    );
    assert_tampered(&err, "answers are not the ones journalled");
}

#[test]
fn an_answer_added_behind_the_journals_back_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!(
            "INSERT INTO answers (attempt, position, options) VALUES ('{attempt}', 7, '[\"a\"]');"
        ),
    );
    assert_tampered(&err, "answers are not the ones journalled");
}

#[test]
fn a_swapped_paper_is_refused_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    // Another seed's paper: an easier set of questions, say.
    let other = {
        let mut e = Engine::open(
            tempfile::tempdir().unwrap().path(),
            clock.clone(),
            demo_bank(),
        )
        .unwrap();
        e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(99))
            .unwrap();
        serde_json::to_string(e.paper().unwrap()).unwrap()
    };
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!(
            "UPDATE attempts SET paper = '{}' WHERE id = '{attempt}';",
            other.replace('\'', "''")
        ),
    );
    assert_tampered(&err, "paper is not the one drawn at admission");
}

#[test]
fn another_persons_iin_is_refused_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    // Same masked form (first four and last two digits), another person.
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!("UPDATE attempts SET iin = '900101400015' WHERE id = '{attempt}';"),
    );
    assert_tampered(&err, "examinee is not the one admitted");
}

#[test]
fn a_finished_fail_reopened_in_the_tables_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    {
        let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
        e.resume("p1", "power back").unwrap();
        let signed = e.finish(FinishReason::Submitted).unwrap();
        assert!(!signed.record.score.passed);
    }
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!("UPDATE attempts SET state = 'interrupted', finished_wall = NULL WHERE id = '{attempt}';"),
    );
    assert_tampered(&err, "finished already");
}

#[test]
fn a_failed_result_deleted_from_the_outbox_stops_the_kiosk() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let attempt = interrupted(dir.path(), &clock);
    {
        let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
        e.resume("p1", "power back").unwrap();
        e.finish(FinishReason::Submitted).unwrap();
    }
    let err = edit_and_restart(
        dir.path(),
        &clock,
        &format!("DELETE FROM outbox WHERE attempt = '{attempt}';"),
    );
    assert_tampered(&err, "signed result is missing from the outbox");
    // The store still opens for staff and sync, and nothing was appended or removed.
    let e = Engine::open_store(dir.path(), clock.clone()).unwrap();
    assert!(e.bank().is_none());
    assert!(matches!(e.verify_journal(), Err(StoreError::Tampered(_))));
}

#[test]
fn results_form_a_chain_and_each_names_the_one_before() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
    let mut signed = Vec::new();
    for seed in 0..3 {
        e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(seed))
            .unwrap();
        signed.push(e.finish(FinishReason::Submitted).unwrap());
    }
    let links: Vec<_> = signed
        .iter()
        .map(|s| s.record.chain.clone().unwrap())
        .collect();
    assert_eq!(links.iter().map(|l| l.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(links[0].prev, None);
    assert_eq!(links[1].prev.as_deref(), Some(signed[0].digest().as_str()));
    assert_eq!(links[2].prev.as_deref(), Some(signed[1].digest().as_str()));
}

/// A journal row as SQLite holds it: seq, attempt, wall, active, kind, data, previous hash.
type RawRow = (i64, String, i64, i64, String, String, Vec<u8>);

/// Rewrites the journal from the first row whose data `edit` changes, recomputing every hash
/// after it and moving the tip, as someone who read the format would; the tip's signature is
/// left as it was (or, with `drop_sig`, removed). Returns the number of rows rewritten.
fn rewrite_chain(
    db: &rusqlite::Connection,
    edit: impl Fn(&str, &str) -> Option<String>,
    drop_sig: bool,
) -> usize {
    let rows: Vec<RawRow> = {
        let mut stmt = db
            .prepare("SELECT seq, attempt, at_wall, at_active_ms, kind, data, prev_hash FROM journal ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let mut prev: [u8; 32] = rows[0].6.clone().try_into().unwrap();
    let mut changed = 0;
    for (seq, attempt, wall, active, kind, data, _) in rows {
        let data = match edit(&kind, &data) {
            Some(d) => {
                changed += 1;
                d
            }
            None => data,
        };
        let h = synaq_wire::journal::row_hash(&prev, seq, &attempt, wall, active, &kind, &data);
        db.execute(
            "UPDATE journal SET data = ?2, prev_hash = ?3, hash = ?4 WHERE seq = ?1",
            rusqlite::params![seq, data, &prev[..], &h[..]],
        )
        .unwrap();
        db.execute(
            "UPDATE journal_tip SET seq = ?1, hash = ?2",
            rusqlite::params![seq, &h[..]],
        )
        .unwrap();
        prev = h;
    }
    if drop_sig {
        db.execute("UPDATE journal_tip SET sig = NULL", []).unwrap();
    }
    changed
}

#[test]
fn a_journal_rewritten_with_its_hashes_recomputed_is_refused_without_the_kiosk_key() {
    for drop_sig in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FakeClock::new(WALL));
        let attempt = interrupted(dir.path(), &clock);
        let db = synaq_store::open_db(&dir.path().join("kiosk.sqlite3")).unwrap();
        db.execute_batch(DROP_TRIGGERS).unwrap();
        // The answer to question 2 becomes another option, in the journal and the tables alike.
        let other: String = {
            let paper: String = db
                .query_row(
                    "SELECT paper FROM attempts WHERE id = ?1",
                    [&attempt],
                    |r| r.get(0),
                )
                .unwrap();
            let paper: serde_json::Value = serde_json::from_str(&paper).unwrap();
            paper["items"][1]["options"][1].as_str().unwrap().to_owned()
        };
        let answer = format!("[\"{other}\"]");
        let changed = rewrite_chain(
            &db,
            |kind, data| {
                (kind == "answered" && data.contains("\"position\":1"))
                    .then(|| format!("{{\"options\":{answer},\"position\":1}}"))
            },
            drop_sig,
        );
        assert_eq!(changed, 1);
        db.execute(
            "UPDATE answers SET options = ?2 WHERE attempt = ?1 AND position = 1",
            rusqlite::params![attempt, answer],
        )
        .unwrap();
        drop(db);
        let err = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap_err();
        assert_tampered(&err, "its rows were rewritten");
    }
}

/// Access: the SQLite file while the kiosk runs. A row of an exam finished since the kiosk
/// started (say, its answers) is changed behind the kiosk's back: the next exam is not signed.
#[test]
fn a_row_changed_while_the_kiosk_runs_stops_the_next_signature() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(WALL));
    let mut e = Engine::open(dir.path(), clock.clone(), demo_bank()).unwrap();
    let first = e
        .admit(Admission::new(&iin(), &cat1(), "p1").started().seed(1))
        .unwrap();
    let q = e.show(0).unwrap();
    e.answer(0, BTreeSet::from([q.options[0].0.clone()]))
        .unwrap();
    e.finish(FinishReason::Submitted).unwrap();
    e.admit(Admission::new(&iin(), &cat1(), "p1").started().seed(2))
        .unwrap();
    let db = synaq_store::open_db(&dir.path().join("kiosk.sqlite3")).unwrap();
    db.execute_batch(DROP_TRIGGERS).unwrap();
    db.execute(
        "UPDATE journal SET data = replace(data, '\"position\":0', '\"position\":1')
         WHERE attempt = ?1 AND kind = 'answered'",
        [&first],
    )
    .unwrap();
    let err = e.finish(FinishReason::Submitted).unwrap_err();
    assert_tampered(&err, "was changed after it was written");
}
