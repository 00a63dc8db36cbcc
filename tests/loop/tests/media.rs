//! Sealed webcam evidence on removable media, no network at all: `export_to` writes the
//! results bundle and the evidence next to it, central imports both with the checks of an
//! upload and signs the same evidence receipts, and the kiosk deletes its evidence only after
//! it verified and stored them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use synaq_central::Central;
use synaq_loop::*;
use synaq_proctor::EvidenceSecret;
use synaq_seal::IssuerPublic;
use synaq_store::outbox::{Delivery, EvidenceState, OutboxEntry};
use synaq_store::{Engine, ExamBank, SystemClock};
use synaq_sync::bundle::{self, EvidenceOutcome, ExportReport, ResultsBody};
use synaq_sync::evidence::{check_receipt, local_manifest};
use synaq_sync::Outcome;

/// A kiosk enrolled offline with central `c` (in a temp dir, never served), the bank opened.
struct Offline {
    /// Keeps central's data directory alive.
    _dir: tempfile::TempDir,
    c: Central,
    central_pub: IssuerPublic,
    kiosk: Kiosk,
    engine: Engine,
    bank: Arc<ExamBank>,
    evidence: EvidenceSecret,
}

impl Offline {
    fn new() -> Offline {
        let dir = tempfile::tempdir().unwrap();
        let c = setup_central(dir.path(), "https://127.0.0.1:9");
        let central_pub = c.public();
        let kiosk = Kiosk::new();
        enroll_offline(&c, &kiosk);
        let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
        let bank = kiosk.open_bank(&pull, &central_pub);
        let engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
        Offline {
            _dir: dir,
            c,
            central_pub,
            kiosk,
            engine,
            bank,
            evidence: EvidenceSecret::generate().unwrap(),
        }
    }

    /// `KIOSK_DIR/evidence`, where the kiosk app keeps evidence.
    fn root(&self) -> PathBuf {
        self.kiosk.dir.path().join("evidence")
    }

    fn kiosk_id(&self) -> String {
        self.kiosk.key.id().to_string()
    }

    /// Sits an exam of a newly registered person with evidence in `segments`.
    fn exam(&mut self, serial: u32, segments: &[u32]) -> String {
        let person = iins(serial, 1).remove(0);
        register(&self.c, &person, 1);
        let root = self.root();
        sit_exam_with_evidence(
            &mut self.engine,
            &self.bank,
            &person,
            &root,
            &self.evidence.public(),
            segments,
        )
        .record
        .attempt_id
    }

    /// `synaq export` as the app calls it: on a read-only connection beside the engine.
    fn export(&self, to: &Path, at: i64) -> ExportReport {
        let conn =
            synaq_store::outbox::open_read_only(&self.kiosk.dir.path().join("kiosk.sqlite3"))
                .unwrap();
        bundle::export_to(&conn, &self.kiosk.key, &self.root(), to, at).unwrap()
    }

    /// `synaq import-receipts` as the app calls it.
    fn import_receipts(&self, file: &Path) -> bundle::ImportReport {
        bundle::import_receipts_from(
            self.engine.connection(),
            &self.central_pub,
            &self.kiosk_id(),
            &self.root(),
            file,
        )
        .unwrap()
    }

    fn entry(&self, attempt: &str) -> OutboxEntry {
        self.engine
            .outbox_status()
            .unwrap()
            .into_iter()
            .find(|e| e.attempt == attempt)
            .unwrap()
    }
}

/// Central imports the bundle at `path` and writes the receipts bundle next to it.
fn central_import(c: &Central, path: &Path, at: i64) -> (bundle::ReceiptsBody, PathBuf) {
    let receipts = c.import_bundle_file(path, at).unwrap();
    let out = path.with_extension(bundle::RECEIPTS_EXT);
    std::fs::write(&out, bundle::to_bytes(&receipts)).unwrap();
    (receipts.body, out)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn evidence_travels_on_removable_media_and_is_deleted_only_after_its_verified_receipt() {
    let mut k = Offline::new();
    let kid = k.kiosk_id();
    // A: its result was already delivered (by a bundle of results only); its evidence waits.
    let a = k.exam(9100, &[3, 2]);
    let only_results = bundle::to_bytes(&results_bundle(&k.engine, &k.kiosk.key));
    let back = bundle::to_bytes(&k.c.import_bundle(&only_results, now()).unwrap());
    let r = bundle::import_receipts(
        k.engine.connection(),
        &k.central_pub,
        &kid,
        &k.root(),
        &back,
    )
    .unwrap();
    assert_eq!((r.delivered, r.evidence_delivered), (1, 0));
    assert!(matches!(k.entry(&a).delivery, Delivery::Delivered { .. }));
    assert_eq!(k.entry(&a).evidence, EvidenceState::Queued);
    // B: neither its result nor its evidence is delivered.
    let b = k.exam(9110, &[1]);
    let local_a = snapshot(&k.root().join(&a));
    let local_b = snapshot(&k.root().join(&b));

    let stick = tempfile::tempdir().unwrap();
    let at = now();
    let rep = k.export(stick.path(), at);
    assert_eq!((rep.results, rep.evidence_attempts), (1, 2), "{rep:?}");
    assert!(rep.evidence_failed.is_empty(), "{rep:?}");
    let path = rep.path.clone().unwrap();
    let ev_dir = rep.evidence_dir.clone().unwrap();
    let bundle_name = format!("synaq-results-{kid}-{at}.synaqout");
    let ev_name = format!("synaq-evidence-{kid}-{at}");
    assert_eq!(names(stick.path()), [ev_name.clone(), bundle_name.clone()]);
    assert_eq!(path, stick.path().join(&bundle_name));
    assert_eq!(ev_dir, stick.path().join(&ev_name));
    // The stick holds exactly the kiosk's files, and the signed bundle their manifests.
    assert_eq!(snapshot(&ev_dir.join(&a)), local_a);
    assert_eq!(snapshot(&ev_dir.join(&b)), local_b);
    let on_stick: u64 = snapshot(&ev_dir)
        .values()
        .map(|v| v.len() as u64)
        .sum::<u64>()
        + std::fs::metadata(&path).unwrap().len();
    assert_eq!(rep.bytes, on_stick);
    let parsed = bundle::parse::<ResultsBody>(&std::fs::read(&path).unwrap()).unwrap();
    let body = parsed.verify(&k.kiosk.key.public().ed25519).unwrap();
    assert_eq!(body.results.len(), 1);
    assert_eq!(body.results[0].record.attempt_id, b);
    let listed: Vec<(&str, usize)> = body
        .evidence
        .iter()
        .map(|m| (m.attempt_id.as_str(), m.files.len()))
        .collect();
    assert_eq!(
        listed,
        [(a.as_str(), local_a.len()), (b.as_str(), local_b.len())]
    );
    assert_eq!(
        body.evidence[0].files,
        local_manifest(&k.root().join(&a)).unwrap()
    );
    // Exporting changes nothing on the kiosk.
    assert_eq!(k.engine.pending().unwrap().len(), 1);
    assert_eq!(snapshot(&k.root().join(&a)), local_a);

    // At ЕУМЦ: the result and both attempts' evidence, with the checks of an upload.
    let (receipts, receipts_file) = central_import(&k.c, &path, now());
    assert!(matches!(
        receipts.outcomes.as_slice(),
        [Outcome::Delivered { .. }]
    ));
    let ev: Vec<&synaq_sync::EvidenceReceipt> = receipts
        .evidence
        .iter()
        .map(|o| match o {
            EvidenceOutcome::Delivered { receipt } => receipt,
            other => panic!("evidence refused: {other:?}"),
        })
        .collect();
    assert_eq!(ev.len(), 2);
    assert_eq!(snapshot(&k.c.evidence_dir(&a)), local_a);
    assert_eq!(snapshot(&k.c.evidence_dir(&b)), local_b);
    assert_eq!(k.c.evidence_receipt(&a).unwrap().as_ref(), Some(ev[0]));
    assert!(
        names(&k.c.evidence_root())
            .iter()
            .all(|n| !n.ends_with(".media") && !n.ends_with(".part")),
        "no staging left: {:?}",
        names(&k.c.evidence_root())
    );
    // Importing the same bundle again gives the very same receipts.
    let again = k.c.import_bundle_file(&path, now() + 7).unwrap();
    assert_eq!(again.body.outcomes, receipts.outcomes);
    assert_eq!(again.body.evidence, receipts.evidence);
    assert_eq!(k.c.result_count().unwrap(), 2);

    // Back at the kiosk: verified exactly as an upload's receipt, stored, then deleted.
    for (receipt, (attempt, local)) in ev.iter().zip([(&a, &local_a), (&b, &local_b)]) {
        let files = local_manifest(&k.root().join(attempt)).unwrap();
        assert_eq!(files.len(), local.len());
        check_receipt(receipt, &k.central_pub.ed25519, &kid, attempt, &files).unwrap();
    }
    let r = k.import_receipts(&receipts_file);
    assert_eq!(
        (r.delivered, r.refused, r.unchanged, r.unknown),
        (1, 0, 0, 0),
        "{r:?}"
    );
    assert_eq!(
        (r.evidence_delivered, r.evidence_unchanged),
        (2, 0),
        "{r:?}"
    );
    assert!(r.evidence_failed.is_empty(), "{r:?}");
    for attempt in [&a, &b] {
        assert!(!k.root().join(attempt).exists(), "{attempt} deleted");
        let e = k.entry(attempt);
        assert!(matches!(e.delivery, Delivery::Delivered { .. }));
        assert!(matches!(e.evidence, EvidenceState::Delivered { .. }));
    }
    let stored: synaq_sync::EvidenceReceipt =
        serde_json::from_str(&k.engine.evidence_receipt(&a).unwrap().unwrap()).unwrap();
    assert_eq!(&stored, ev[0]);
    assert!(k.engine.pending().unwrap().is_empty());

    // The same receipts bundle again changes nothing.
    let before = k.engine.outbox_status().unwrap();
    let root_before = names(&k.root());
    let r = k.import_receipts(&receipts_file);
    assert_eq!(
        (r.delivered, r.refused, r.unchanged, r.unknown),
        (0, 0, 1, 0),
        "{r:?}"
    );
    assert_eq!(
        (r.evidence_delivered, r.evidence_unchanged),
        (0, 2),
        "{r:?}"
    );
    assert!(r.evidence_failed.is_empty(), "{r:?}");
    assert_eq!(k.engine.outbox_status().unwrap(), before);
    assert_eq!(names(&k.root()), root_before);
    // Nothing left to export.
    let none = k.export(&stick.path().join("later"), now() + 60);
    assert_eq!(
        (none.results, none.evidence_attempts, none.path),
        (0, 0, None)
    );
    assert!(!stick.path().join("later").exists());

    // The reviewer opens both with the evidence key: every chain against its signed head.
    let out = tempfile::tempdir().unwrap();
    let shown = k.c.show_evidence(&a, &k.evidence, out.path()).unwrap();
    assert_eq!(
        shown.segments.iter().map(|s| s.frames).collect::<Vec<_>>(),
        [3, 2]
    );
    assert!(out.path().join("seg-1/00000000.png").is_file());
    assert!(out.path().join("seg-2/00000001.jpg").is_file());
    let out_b = tempfile::tempdir().unwrap();
    let shown = k.c.show_evidence(&b, &k.evidence, out_b.path()).unwrap();
    assert_eq!(
        shown.segments.iter().map(|s| s.frames).collect::<Vec<_>>(),
        [1]
    );
}

#[test]
fn a_tampered_evidence_file_on_the_stick_is_refused_and_the_kiosk_keeps_its_evidence() {
    let mut k = Offline::new();
    let kid = k.kiosk_id();
    let a = k.exam(9200, &[2]);
    let b = k.exam(9210, &[2]);
    let local_a = snapshot(&k.root().join(&a));
    let stick = tempfile::tempdir().unwrap();
    let rep = k.export(stick.path(), now());
    assert_eq!((rep.results, rep.evidence_attempts), (2, 2));
    let path = rep.path.unwrap();
    let frame = rep
        .evidence_dir
        .unwrap()
        .join(&a)
        .join("1/frames/00000001.sef");
    let mut bytes = std::fs::read(&frame).unwrap();
    bytes[20] ^= 0x01;
    std::fs::write(&frame, &bytes).unwrap();

    // Only the bundle file, without its evidence directory: the results are delivered, the
    // evidence of both is missing.
    let bare =
        k.c.import_bundle(&std::fs::read(&path).unwrap(), now())
            .unwrap();
    assert!(bare
        .body
        .evidence
        .iter()
        .all(|o| matches!(o, EvidenceOutcome::Refused { code, .. } if code == "evidence-missing")));
    assert_eq!(bare.body.evidence.len(), 2);

    let (receipts, file) = central_import(&k.c, &path, now());
    assert!(receipts
        .outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Delivered { .. })));
    match &receipts.evidence[..] {
        [EvidenceOutcome::Refused {
            attempt_id,
            code,
            message,
        }, EvidenceOutcome::Delivered { receipt }] => {
            assert_eq!((attempt_id, code.as_str()), (&a, "evidence-mismatch"));
            assert!(message.contains("1/frames/00000001.sef"), "{message}");
            assert_eq!(receipt.body.attempt_id, b);
        }
        other => panic!("{other:?}"),
    }
    assert!(k.c.evidence_receipt(&a).unwrap().is_none());
    assert!(!k.c.evidence_dir(&a).exists());
    assert!(!k.c.evidence_root().join(format!("{a}.media")).exists());

    let r = k.import_receipts(&file);
    assert_eq!((r.delivered, r.evidence_delivered), (2, 1), "{r:?}");
    assert_eq!(r.evidence_failed.len(), 1, "{r:?}");
    assert_eq!(
        (
            r.evidence_failed[0].attempt.as_str(),
            r.evidence_failed[0].code.as_str()
        ),
        (a.as_str(), "evidence-mismatch")
    );
    // A's evidence stays on the kiosk, byte for byte, still waiting; B's is gone.
    assert_eq!(snapshot(&k.root().join(&a)), local_a);
    assert_eq!(k.entry(&a).evidence, EvidenceState::Queued);
    assert!(matches!(k.entry(&a).delivery, Delivery::Delivered { .. }));
    assert!(!k.root().join(&b).exists());

    // A new export carries A's evidence alone, and central takes it this time. Before the
    // receipts come back, a file of A changes on the kiosk: the receipt no longer lists
    // exactly the local files, so it is refused and nothing is deleted.
    let stick2 = tempfile::tempdir().unwrap();
    let rep = k.export(stick2.path(), now() + 1);
    assert_eq!((rep.results, rep.evidence_attempts), (0, 1), "{rep:?}");
    let (receipts, file) = central_import(&k.c, &rep.path.unwrap(), now());
    assert!(receipts.outcomes.is_empty());
    assert!(matches!(
        receipts.evidence.as_slice(),
        [EvidenceOutcome::Delivered { .. }]
    ));
    let local_frame = k.root().join(&a).join("1/frames/00000000.sef");
    let original = std::fs::read(&local_frame).unwrap();
    let mut changed = original.clone();
    changed[5] ^= 0x80;
    std::fs::write(&local_frame, &changed).unwrap();
    let r = k.import_receipts(&file);
    assert_eq!(r.evidence_delivered, 0, "{r:?}");
    assert_eq!(r.evidence_failed.len(), 1, "{r:?}");
    assert_eq!(r.evidence_failed[0].code, "sync-bad-receipt");
    assert!(local_frame.is_file(), "nothing deleted");
    assert_eq!(k.entry(&a).evidence, EvidenceState::Queued);
    assert!(k.engine.evidence_receipt(&a).unwrap().is_none());
    // With the kiosk's files as they were, the same receipt is accepted.
    std::fs::write(&local_frame, &original).unwrap();
    let r = k.import_receipts(&file);
    assert_eq!(r.evidence_delivered, 1, "{r:?}");
    assert!(r.evidence_failed.is_empty(), "{r:?}");
    assert!(!k.root().join(&a).exists());
    let out = tempfile::tempdir().unwrap();
    k.c.show_evidence(&a, &k.evidence, out.path()).unwrap();
    assert_eq!(k.kiosk_id(), kid);
}

#[test]
fn a_receipts_bundle_for_another_kiosk_or_an_attempt_this_kiosk_lacks_changes_nothing() {
    let mut k = Offline::new();
    let a = k.exam(9300, &[1]);
    let stick = tempfile::tempdir().unwrap();
    let rep = k.export(stick.path(), now());
    let (_, file) = central_import(&k.c, &rep.path.unwrap(), now());
    // Another kiosk (same central) is refused whole.
    let other = Offline::new();
    let err = bundle::import_receipts_from(
        other.engine.connection(),
        &k.central_pub,
        &other.kiosk_id(),
        &other.root(),
        &file,
    )
    .unwrap_err();
    assert!(err.to_string().contains("not this kiosk"), "{err}");
    // A missing file names itself.
    let err = bundle::import_receipts_from(
        k.engine.connection(),
        &k.central_pub,
        &k.kiosk_id(),
        &k.root(),
        &stick.path().join("nope.synaqin"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "sync-media");
    assert!(err.to_string().contains("nope.synaqin"), "{err}");
    assert!(k.root().join(&a).is_dir());
    assert_eq!(k.entry(&a).evidence, EvidenceState::Queued);
}
