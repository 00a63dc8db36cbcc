//! One test per attack on certification. Each states the attacker's access at its top. Every
//! attack ends refused with its code or held for review with its reason, never certified;
//! an honest exam (camera, proctor, normal timing) is certified with no human step.
//!
//! Results are made the way the loop makes them: a real central (in this process, on its own
//! SQLite file), a real kiosk engine (`synaq-store`) sitting the demo exam at a person's pace
//! with webcam evidence, then tampered and, where the attacker has the kiosk key, re-signed.

use std::sync::Arc;

use synaq_central::Central;
use synaq_core::Iin;
use synaq_loop::{
    enroll_offline, evidence_key, iins, now, register, setup_central, sit_exam, Kiosk,
};
use synaq_store::{Engine, ExamBank, SignedResult};
use synaq_sync::Outcome;
use synaq_wire::AttemptJournal;

struct World {
    _dir: tempfile::TempDir,
    c: Central,
    kiosk: Kiosk,
    engine: Engine,
    bank: Arc<ExamBank>,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let c = setup_central(dir.path(), "https://127.0.0.1:1");
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    World {
        _dir: dir,
        c,
        kiosk,
        engine,
        bank,
    }
}

impl World {
    fn sit(&mut self, iin: &Iin, pass: bool) -> SignedResult {
        sit_exam(&mut self.engine, &self.bank, iin, pass)
    }

    /// Pushes a result with the journal run the kiosk holds for its attempt, as a sync does.
    fn push(&self, r: &SignedResult) -> Outcome {
        let attempt = r.record.attempt_id.clone();
        let rows = synaq_store::journal::run_of(self.engine.connection(), &attempt).unwrap();
        self.push_with(r, &[AttemptJournal { attempt, rows }])
    }

    fn push_with(&self, r: &SignedResult, journals: &[AttemptJournal]) -> Outcome {
        let id = self.kiosk.key.id().to_string();
        self.c
            .ingest(Some(&id), std::slice::from_ref(r), journals, now())
            .unwrap()
            .remove(0)
    }

    /// The attacker has the kiosk key: the altered record is signed again.
    fn resign(
        &self,
        r: &SignedResult,
        f: impl FnOnce(&mut synaq_store::ResultRecord),
    ) -> SignedResult {
        let mut rec = r.record.clone();
        f(&mut rec);
        SignedResult::sign(rec, &self.kiosk.key)
    }

    /// The kiosk's evidence upload, as over the network (the files from its evidence root).
    fn upload(&self, attempt: &str) -> Result<(), String> {
        let src = self.kiosk.evidence_root().join(attempt);
        let files = synaq_sync::evidence::local_manifest(&src).unwrap();
        self.c
            .import_evidence(
                &self.kiosk.key.id().to_string(),
                attempt,
                &files,
                Some(&self.kiosk.evidence_root()),
                now(),
            )
            .map(|_| ())
            .map_err(|r| r.code().to_owned())
    }

    fn state(&self, attempt: &str) -> (String, Vec<&'static str>) {
        let (s, reasons) = self.c.verdict(attempt).unwrap().expect("stored");
        (s, reasons.iter().map(|r| r.code()).collect())
    }

    fn assert_held(&self, attempt: &str, code: &str) {
        let (s, reasons) = self.state(attempt);
        assert_eq!(s, "held", "{attempt}: {reasons:?}");
        assert!(reasons.contains(&code), "{code} not in {reasons:?}");
        assert!(self.certificates().is_empty() || !self.certified(attempt));
    }

    fn certificates(&self) -> String {
        self.c.certificates_csv().unwrap()
    }

    fn certified(&self, attempt: &str) -> bool {
        self.certificates()
            .lines()
            .any(|l| l.ends_with(attempt) && l.contains(",valid,"))
    }
}

fn refused(o: &Outcome) -> &str {
    match o {
        Outcome::Refused { code, .. } => code,
        Outcome::Delivered { receipt } => panic!("delivered: {:?}", receipt.body.decision),
    }
}

fn delivered(o: &Outcome) -> &synaq_sync::proto::Decision {
    match o {
        Outcome::Delivered { receipt } => &receipt.body.decision,
        Outcome::Refused { code, message, .. } => panic!("refused {code}: {message}"),
    }
}

fn person(w: &World, n: u32) -> Iin {
    let p = iins(n, 1).remove(0);
    register(&w.c, &p, 1);
    p
}

/// Access: none (an honest branch). A proctored exam with camera and normal timing is
/// certified as soon as its evidence arrives and covers the exam, with no human step.
#[test]
fn an_honest_exam_is_certified_with_no_human_step() {
    let mut w = world();
    let p = person(&w, 100);
    let r = w.sit(&p, true);
    let d = delivered(&w.push(&r)).clone();
    assert_eq!(
        d,
        synaq_sync::proto::Decision::Pending {
            state: "awaiting-evidence".into(),
            reasons: vec![]
        }
    );
    w.upload(&r.record.attempt_id).unwrap();
    assert_eq!(w.state(&r.record.attempt_id), ("certified".into(), vec![]));
    assert!(w.certified(&r.record.attempt_id));
    // The certificate reaches the kiosk in its next pull.
    let pull = w.c.pull(&w.kiosk.key.id().to_string(), 0, now()).unwrap();
    assert_eq!(pull.certificates.len(), 1);
}

/// Access: database and kiosk key. A 3-second exam: held `too-fast`.
#[test]
fn a_three_second_exam_is_held() {
    let mut w = world();
    let p = person(&w, 110);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| {
        rec.active_ms = 3000;
        rec.finished_wall_ms = rec.started_wall_ms + 3000;
    });
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "too-fast");
}

/// Access: database and kiosk key. Finished before it started: held `finish-before-start`.
#[test]
fn an_exam_finished_before_it_started_is_held() {
    let mut w = world();
    let p = person(&w, 120);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| {
        std::mem::swap(&mut rec.started_wall_ms, &mut rec.finished_wall_ms);
    });
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "finish-before-start");
}

fn wide_registration(w: &World, n: u32) -> Iin {
    let p = iins(n, 1).remove(0);
    let mut e = synaq_loop::entry(&p, 1);
    e.allowed_from = e.allowed_from - chrono::Days::new(3 * 366);
    e.allowed_to = e.allowed_to + chrono::Days::new(3 * 366);
    w.c.add_roster_entry(&e).unwrap();
    p
}

const TWO_YEARS_MS: i64 = 730 * 86_400_000;

/// Access: database and kiosk key. Dated two years back (even with a registration that
/// covers it): held `too-old` and `start-before-bank`.
#[test]
fn an_exam_dated_two_years_back_is_held() {
    let mut w = world();
    let p = wide_registration(&w, 130);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| {
        rec.started_wall_ms -= TWO_YEARS_MS;
        rec.finished_wall_ms -= TWO_YEARS_MS;
    });
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "too-old");
    w.assert_held(&r.record.attempt_id, "start-before-bank");
}

/// Access: database and kiosk key. Dated two years ahead: held `finished-after-receipt`.
#[test]
fn an_exam_dated_two_years_ahead_is_held() {
    let mut w = world();
    let p = wide_registration(&w, 140);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| {
        rec.started_wall_ms += TWO_YEARS_MS;
        rec.finished_wall_ms += TWO_YEARS_MS;
    });
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "finished-after-receipt");
}

/// Access: database only (the kiosk's staff table). A proctor ЕУМЦ does not list admits:
/// held `proctor-unknown`; an inactive one: `proctor-inactive`; an incident by a stranger:
/// `incident-staff-unknown`.
#[test]
fn unknown_or_inactive_proctors_are_held() {
    let mut w = world();
    w.c.set_staff(
        synaq_loop::BRANCH,
        "proctor-2",
        "Бұрынғы Қызметкер",
        "proctor",
        false,
    )
    .unwrap();
    let p = person(&w, 150);
    let r = w.sit(&p, true);
    let ghost = w.resign(&r, |rec| rec.proctor = "ghost".into());
    delivered(&w.push(&ghost));
    w.assert_held(&ghost.record.attempt_id, "proctor-unknown");

    let q = person(&w, 160);
    let r = w.sit(&q, true);
    let inactive = w.resign(&r, |rec| {
        rec.proctor = "proctor-2".into();
        rec.incidents.push(synaq_wire_incident("stranger"));
    });
    delivered(&w.push(&inactive));
    w.assert_held(&inactive.record.attempt_id, "proctor-inactive");
    w.assert_held(&inactive.record.attempt_id, "incident-staff-unknown");
}

fn synaq_wire_incident(by: &str) -> synaq_store::IncidentRecord {
    synaq_store::IncidentRecord {
        at_ms: now() * 1000 - 60_000,
        by: by.into(),
        kind: "other".into(),
        note: String::new(),
    }
}

/// Access: none (the kiosk reports it honestly). Ended for a violation: held
/// `ended-for-violation`, even when the answers pass.
#[test]
fn an_exam_ended_for_a_violation_is_held() {
    let mut w = world();
    let p = person(&w, 170);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| rec.finish_reason = "violation".into());
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "ended-for-violation");
}

/// Access: database and kiosk key (evidence left out). No camera: held `no-camera`.
#[test]
fn an_exam_without_a_camera_is_held() {
    let mut w = world();
    let p = person(&w, 180);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| rec.evidence_head = None);
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "no-camera");
}

/// Access: the kiosk's disk (no key needed). Two sealed frames swapped before the upload:
/// central, holding the evidence key, finds the chain broken: held `evidence-invalid`.
#[test]
fn swapped_frames_are_held() {
    let mut w = world();
    let key = synaq_sync::evidence::secret_to_toml(&evidence_key());
    std::fs::write(
        w.c.dir().join(synaq_central::review::EVIDENCE_KEY_FILE),
        key.as_bytes(),
    )
    .unwrap();
    let p = person(&w, 190);
    let r = w.sit(&p, true);
    let a = r.record.attempt_id.clone();
    delivered(&w.push(&r));
    let frames = w.kiosk.evidence_root().join(&a).join("1").join("frames");
    let (x, y) = (frames.join("00000003.sef"), frames.join("00000004.sef"));
    let bx = std::fs::read(&x).unwrap();
    std::fs::write(&x, std::fs::read(&y).unwrap()).unwrap();
    std::fs::write(&y, bx).unwrap();
    w.upload(&a).unwrap();
    w.assert_held(&a, "evidence-invalid");
}

/// Access: a removable-media bundle in transit. A frame file replaced on the stick: the
/// evidence is refused `evidence-mismatch` and the result stays awaiting evidence.
#[test]
fn a_frame_replaced_in_transit_is_refused_and_nothing_is_certified() {
    let mut w = world();
    let p = person(&w, 200);
    let r = w.sit(&p, true);
    let a = r.record.attempt_id.clone();
    delivered(&w.push(&r));
    let src = w.kiosk.evidence_root().join(&a);
    let files = synaq_sync::evidence::local_manifest(&src).unwrap();
    std::fs::write(src.join("1/frames/00000002.sef"), b"another picture").unwrap();
    let err =
        w.c.import_evidence(
            &w.kiosk.key.id().to_string(),
            &a,
            &files,
            Some(&w.kiosk.evidence_root()),
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "evidence-mismatch");
    assert_eq!(w.state(&a).0, "awaiting-evidence");
    assert!(!w.certified(&a));
}

/// Access: database and kiosk key. A pass dated before the person's own fail (delivered
/// first): held `pass-before-fail` (not refused: an offline kiosk may deliver late, a
/// reviewer decides).
#[test]
fn a_pass_dated_before_its_own_fail_is_held() {
    let mut w = world();
    let p = person(&w, 210);
    let fail = w.sit(&p, false);
    delivered(&w.push(&fail));
    let pass = w.sit(&p, true);
    let pass = w.resign(&pass, |rec| {
        let d = rec.finished_wall_ms - fail.record.started_wall_ms + 60_000;
        rec.started_wall_ms -= d;
        rec.finished_wall_ms -= d;
    });
    delivered(&w.push(&pass));
    w.assert_held(&pass.record.attempt_id, "pass-before-fail");
}

/// Access: database and kiosk key. Eight fails in one day: from the third on, held
/// `too-many-fails` (the profile's default allows two a day).
#[test]
fn eight_fails_in_one_day_are_held() {
    let mut w = world();
    let p = person(&w, 220);
    let fail = w.sit(&p, false);
    let mut held = 0;
    for n in 0..8 {
        let r = w.resign(&fail, |rec| {
            rec.attempt_id = format!("{}-{n}", rec.attempt_id)
        });
        delivered(&w.push(&r));
        let (s, reasons) = w.state(&r.record.attempt_id);
        if n >= 2 {
            assert_eq!(s, "held");
            assert!(reasons.contains(&"too-many-fails"), "{reasons:?}");
            held += 1;
        }
    }
    assert_eq!(held, 6);
}

/// Access: database and kiosk key (or a training organisation registering again). A person
/// holding a valid certificate passes again: refused `certificate-still-valid`.
#[test]
fn a_second_certificate_while_one_is_valid_is_refused() {
    let mut w = world();
    let p = person(&w, 230);
    let r = w.sit(&p, true);
    delivered(&w.push(&r));
    w.upload(&r.record.attempt_id).unwrap();
    assert!(w.certified(&r.record.attempt_id));
    register(&w.c, &p, 3);
    let again = w.sit(&p, true);
    assert_eq!(refused(&w.push(&again)), "certificate-still-valid");
}

/// Access: network access to central with a stolen kiosk key, after ЕУМЦ revoked the kiosk
/// since a date: new results are refused `kiosk-revoked`; its certificate since that date
/// is suspended and its result held `kiosk-revoked`.
#[test]
fn a_revoked_kiosks_results_are_refused_or_held() {
    let mut w = world();
    let p = person(&w, 240);
    let r = w.sit(&p, true);
    delivered(&w.push(&r));
    w.upload(&r.record.attempt_id).unwrap();
    assert!(w.certified(&r.record.attempt_id));
    let since = synaq_central::local_date(now() * 1000) - chrono::Days::new(1);
    let n =
        w.c.revoke_kiosk_since(
            &w.kiosk.key.id().to_string(),
            since,
            "sec-1",
            "stolen key",
            now(),
        )
        .unwrap();
    assert_eq!(n, 1);
    w.assert_held(&r.record.attempt_id, "kiosk-revoked");
    assert!(!w.certified(&r.record.attempt_id));
    let q = person(&w, 250);
    let later = w.sit(&q, true);
    assert_eq!(refused(&w.push(&later)), "kiosk-revoked");
}

/// Access: network access to central. Wrong enrollment codes write nothing, and one address
/// sending many is slowed down (clock injected: no sleeping).
#[test]
fn wrong_enrollment_codes_write_nothing_and_are_slowed_down() {
    let w = world();
    let stranger = Kiosk::new();
    let req = |code: &str| synaq_sync::proto::EnrollRequest {
        v: synaq_sync::PROTOCOL_VERSION,
        branch: synaq_loop::BRANCH.into(),
        code: code.into(),
        kiosk_public: stranger.key.public().to_toml(),
    };
    let t = now();
    for _ in 0..synaq_central::ENROLL_FREE_FAILURES {
        let e =
            w.c.enroll_from("203.0.113.9", &req("WRONGCODE1"), t)
                .unwrap_err();
        assert_eq!(e.code(), "enroll-code-invalid");
    }
    // The next wrong code starts a wait; inside it even a right code is not looked at.
    assert_eq!(
        w.c.enroll_from("203.0.113.9", &req("WRONGCODE1"), t)
            .unwrap_err()
            .code(),
        "enroll-code-invalid"
    );
    let good = w.c.enrollment_code(synaq_loop::BRANCH).unwrap();
    assert_eq!(
        w.c.enroll_from("203.0.113.9", &req(&good), t + 1)
            .unwrap_err()
            .code(),
        "enroll-throttled"
    );
    // Another address is not slowed down; nothing was written for the stranger.
    assert!(w.c.kiosk(&stranger.key.id().to_string()).unwrap().is_none());
    // After the wait the right code enrolls.
    w.c.enroll_from("203.0.113.9", &req(&good), t + 3).unwrap();
    assert!(w.c.kiosk(&stranger.key.id().to_string()).unwrap().is_some());
}

/// A reviewer approves a held result: the certificate is issued and the decision journalled;
/// a revoked certificate shows as revoked in the pull.
#[test]
fn review_approve_issues_and_revocation_shows_in_the_pull() {
    let mut w = world();
    let p = person(&w, 260);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| rec.evidence_head = None);
    delivered(&w.push(&r));
    let a = r.record.attempt_id.clone();
    assert_eq!(w.c.review_queue().unwrap()[0].attempt, a);
    let n =
        w.c.review_approve(&a, "rev-1", "camera broken, proctor report checked", now())
            .unwrap()
            .unwrap();
    assert!(w.certified(&a));
    let j = w.c.review_journal(Some(&a)).unwrap();
    assert_eq!(
        (j[0].action.as_str(), j[0].reviewer.as_str()),
        ("approve", "rev-1")
    );
    let id = w.kiosk.key.id().to_string();
    let cursor = w.c.pull(&id, 0, now()).unwrap().cursor;
    w.c.revoke_certificate(&n, "rev-2", "bought", now())
        .unwrap();
    let pull = w.c.pull(&id, cursor, now()).unwrap();
    assert_eq!(pull.certificates.len(), 1);
    assert_eq!(pull.certificates[0].status, "revoked");
    assert_eq!(w.c.certificate(&n).unwrap().unwrap().status, "revoked");
}

/// Access: network access to central (or a bundle in transit). A result delivered without
/// its journal run: held `journal-missing`.
#[test]
fn a_result_without_its_journal_is_held() {
    let mut w = world();
    let p = person(&w, 400);
    let r = w.sit(&p, true);
    delivered(&w.push_with(&r, &[]));
    w.assert_held(&r.record.attempt_id, "journal-missing");
    w.upload(&r.record.attempt_id).unwrap();
    assert!(!w.certified(&r.record.attempt_id));
}

/// Access: a removable-media bundle in transit (the journal is not covered by the result's
/// signature alone). One journal row edited: held `journal-broken`.
#[test]
fn a_journal_row_edited_in_transit_is_held() {
    let mut w = world();
    let p = person(&w, 410);
    let r = w.sit(&p, true);
    let attempt = r.record.attempt_id.clone();
    let mut rows = synaq_store::journal::run_of(w.engine.connection(), &attempt).unwrap();
    let answered = rows.iter().position(|r| r.kind == "answered").unwrap();
    rows[answered].at_active_ms += 60_000;
    delivered(&w.push_with(&r, &[AttemptJournal { attempt, rows }]));
    w.assert_held(&r.record.attempt_id, "journal-broken");
}

/// Access: database and kiosk key. A fail turned into a pass: the answers replaced by the
/// right ones, the score recomputed with the bank (the key opens it), re-signed. The journal
/// still records the answers given: held `journal-mismatch`.
#[test]
fn a_fail_rewritten_into_a_pass_disagrees_with_its_journal() {
    let mut w = world();
    let p = person(&w, 420);
    let fail = w.sit(&p, false);
    let bank = Arc::clone(&w.bank);
    let pass = w.resign(&fail, |rec| {
        for (item, answer) in rec.items.iter().zip(rec.answers.iter_mut()) {
            let q = bank.question(&item.question).unwrap();
            *answer = q
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
        }
        let category = bank
            .profile
            .category(&synaq_core::CategoryId::new(rec.category.clone()).unwrap())
            .unwrap()
            .clone();
        let paper = synaq_core::Paper {
            seed: rec.seed,
            category: category.id.clone(),
            items: rec.items.clone(),
        };
        let answers: synaq_core::Answers = rec
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.iter().cloned().collect()))
            .collect();
        rec.score = synaq_core::score(&paper, |id| bank.question(id), &answers, &category);
        assert!(rec.score.passed);
    });
    delivered(&w.push(&pass));
    w.assert_held(&pass.record.attempt_id, "journal-mismatch");
    assert!(!w.certified(&pass.record.attempt_id));
}

/// Access: database and kiosk key. Another seed's paper put in the result (say, easier
/// questions): the paper is not the one the bank and the seed give, nor the one journalled.
#[test]
fn a_paper_not_drawn_from_the_bank_is_held() {
    let mut w = world();
    let p = person(&w, 430);
    let r = w.sit(&p, true);
    let r = w.resign(&r, |rec| rec.seed ^= 1);
    delivered(&w.push(&r));
    w.assert_held(&r.record.attempt_id, "paper-not-drawn");
    w.assert_held(&r.record.attempt_id, "journal-mismatch");
}

/// Access: database file only. A failed result withheld (never exported, or deleted on the
/// stick): the next result of the kiosk shows the gap in its chain, `chain-gap`.
#[test]
fn a_withheld_result_is_a_gap_in_the_kiosks_chain() {
    let mut w = world();
    let p = person(&w, 440);
    let q = person(&w, 441);
    let r = person(&w, 442);
    let _withheld = w.sit(&p, false);
    let next = w.sit(&q, true);
    assert_eq!(next.record.chain.as_ref().unwrap().seq, 2);
    delivered(&w.push(&next));
    w.assert_held(&next.record.attempt_id, "chain-gap");
    // Every later result of the kiosk is held too, until the gap is resolved.
    let later = w.sit(&r, true);
    delivered(&w.push(&later));
    w.assert_held(&later.record.attempt_id, "chain-gap");
}

/// Access: database and kiosk key. Fails dated so that each retake falls inside the month
/// after the previous fail, to keep retaking for ever: the month counts from the first fail,
/// so the third attempt, 40 days after it, is refused `retake-window-closed`.
#[test]
fn fails_cannot_keep_extending_the_retake_month() {
    let mut w = world();
    let p = wide_registration(&w, 460);
    let day = 86_400_000;
    let first = w.sit(&p, false);
    let first = w.resign(&first, |rec| {
        rec.started_wall_ms -= 40 * day;
        rec.finished_wall_ms -= 40 * day;
    });
    delivered(&w.push(&first));
    let second = w.sit(&p, false);
    let second = w.resign(&second, |rec| {
        rec.started_wall_ms -= 15 * day;
        rec.finished_wall_ms -= 15 * day;
    });
    delivered(&w.push(&second));
    let third = w.sit(&p, true);
    assert_eq!(refused(&w.push(&third)), "retake-window-closed");
}

/// Access: database and kiosk key. Two results claiming the same place in the kiosk's chain
/// (a result re-issued under another attempt): `chain-fork`.
#[test]
fn two_results_at_one_place_in_the_chain_are_held() {
    let mut w = world();
    let p = person(&w, 450);
    let q = person(&w, 451);
    let first = w.sit(&p, false);
    delivered(&w.push(&first));
    let copy = w.resign(&first, |rec| {
        rec.attempt_id = format!("{}-copy", rec.attempt_id);
        rec.iin = q.as_str();
    });
    delivered(&w.push(&copy));
    let (state, reasons) = w.state(&copy.record.attempt_id);
    assert_eq!(state, "held");
    assert!(reasons.contains(&"chain-fork"), "{reasons:?}");
}

/// Access: an enrolled kiosk of another branch, or anyone on the internet. A certificate's
/// PDF goes only to the branch where the exam was taken; the public check names nobody
/// without the check code printed on the paper, and a wrong code learns nothing.
#[test]
fn a_certificate_is_not_handed_to_another_branch_or_the_public() {
    let mut w = world();
    let p = person(&w, 140);
    let r = w.sit(&p, true);
    delivered(&w.push(&r));
    w.upload(&r.record.attempt_id).unwrap();
    let pull = w.c.pull(&w.kiosk.key.id().to_string(), 0, now()).unwrap();
    let cert = pull.certificates[0].clone();
    let ask = |kiosk: &str| {
        w.c.certificate_pdf_for(
            kiosk,
            &synaq_sync::proto::CertificatePdfRequest {
                v: synaq_sync::PROTOCOL_VERSION,
                number: cert.number.clone(),
                copy: false,
            },
        )
    };
    let own = ask(&w.kiosk.key.id().to_string()).unwrap();
    assert_eq!(
        Some(own.sha256),
        cert.pdf_sha256,
        "the pull announced this PDF"
    );

    w.c.add_branch("AST-01", "Астана").unwrap();
    let other = Kiosk::new();
    let code = w.c.enrollment_code("AST-01").unwrap();
    w.c.enroll(
        &synaq_sync::proto::EnrollRequest {
            v: synaq_sync::PROTOCOL_VERSION,
            branch: "AST-01".into(),
            code,
            kiosk_public: other.key.public().to_toml(),
        },
        now(),
    )
    .unwrap();
    let refused = ask(&other.key.id().to_string()).unwrap_err();
    assert_eq!(refused.code(), "certificate-other-branch");

    let code = w.c.check_code(&cert.number).unwrap().unwrap();
    let public = |c: Option<&str>| w.c.public_check(&cert.number, c).unwrap().unwrap().code_ok;
    assert!(!public(None) && !public(Some("0000-00")) && !public(Some("")));
    assert!(public(Some(&code)));
    // Numbers carry 40 random bits: a neighbour of a real one is not in the registry.
    let mut neighbour = cert.number.clone();
    let last = neighbour.pop().unwrap();
    neighbour.push(if last == '0' { '1' } else { '0' });
    assert!(w.c.public_check(&neighbour, None).unwrap().is_none());
}

/// Access: database and kiosk key. The clock starts at the examinee's start row; an attacker
/// who answers before it (time off the clock) and rebuilds the chain with recomputed hashes,
/// re-signing the result with its new head: the journal verifies, but the answers before the
/// start are named, held `answered-before-start`.
#[test]
fn answers_journalled_before_the_start_are_held() {
    let mut w = world();
    let p = person(&w, 430);
    let r = w.sit(&p, true);
    let attempt = r.record.attempt_id.clone();
    let mut rows = synaq_store::journal::run_of(w.engine.connection(), &attempt).unwrap();
    let started = rows.iter().position(|r| r.kind == "started").unwrap();
    let answered = rows.iter().position(|r| r.kind == "answered").unwrap();
    assert!(started < answered, "an honest kiosk starts first");
    // The start moved after the first answer, every hash after the admission recomputed.
    let start = rows.remove(started);
    rows.insert(answered, start);
    let first_seq = rows[0].seq;
    for i in 0..rows.len() {
        let prev = if i == 0 {
            rows[0].prev_hash.clone()
        } else {
            rows[i - 1].hash.clone()
        };
        let row = &mut rows[i];
        row.seq = first_seq + i as i64;
        row.prev_hash = prev.clone();
        let prev: [u8; 32] = hex::decode(&prev).unwrap().try_into().unwrap();
        row.hash = hex::encode(row.expected_hash(&prev));
    }
    let head = rows.last().unwrap().hash.clone();
    let forged = w.resign(&r, |rec| rec.journal_head = head);
    delivered(&w.push_with(&forged, &[AttemptJournal { attempt, rows }]));
    w.assert_held(&forged.record.attempt_id, "answered-before-start");
    w.upload(&forged.record.attempt_id).unwrap();
    assert!(!w.certified(&forged.record.attempt_id));
}
