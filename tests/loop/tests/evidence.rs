//! Sealed webcam evidence over real HTTPS on loopback: resumable upload, refusals, receipts,
//! deletion only after a verified receipt, and the reviewer's `evidence show`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use synaq_loop::*;
use synaq_proctor::EvidenceSecret;
use synaq_store::outbox::{Delivery, EvidenceState};
use synaq_store::{Engine, SystemClock};
use synaq_sync::evidence::{EvidenceComplete, EvidenceReceipt, MAX_CHUNK};
use synaq_sync::{sync_all, Backoff, Progress, Stage, PROTOCOL_VERSION};

fn no_progress() -> impl FnMut(Progress) + Send {
    |_| {}
}

fn entry_of(engine: &Engine, attempt: &str) -> synaq_store::outbox::OutboxEntry {
    engine
        .outbox_status()
        .unwrap()
        .into_iter()
        .find(|e| e.attempt == attempt)
        .unwrap()
}

/// An enrolled kiosk of the running central `c` with the bank pulled, and a key to seal to.
struct Setup {
    /// Keeps the kiosk's data directory alive.
    _kiosk: Kiosk,
    client: synaq_sync::Client,
    engine: Engine,
    bank: Arc<synaq_store::ExamBank>,
    evidence: EvidenceSecret,
    root: tempfile::TempDir,
}

async fn setup(c: &Running) -> Setup {
    let kiosk = Kiosk::new();
    let client = kiosk.client_of(c);
    let code = c.central.enrollment_code(BRANCH).unwrap();
    client.enroll(BRANCH, &code).await.unwrap();
    let pull = client.pull(0).await.unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
    Setup {
        _kiosk: kiosk,
        client,
        engine,
        bank,
        evidence: EvidenceSecret::generate().unwrap(),
        root: tempfile::tempdir().unwrap(),
    }
}

/// Central as a child process, killed in the middle of an upload (after the first chunk of a
/// frame larger than a chunk) and restarted: the next sync resumes from the bytes central
/// stored, completes, verifies the receipt, and only then deletes the kiosk's copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_by_a_central_kill_resumes_from_the_stored_offset() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let base = format!("https://{addr}");
    let person = iins(6000, 1).remove(0);
    let (central_pub, kiosk, bank) = {
        let c = setup_central(dir.path(), &base);
        register(&c, &person, 1);
        let kiosk = Kiosk::new();
        enroll_offline(&c, &kiosk);
        let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
        let bank = kiosk.open_bank(&pull, &c.public());
        (c.public(), kiosk, bank)
    };
    let pin = tls_identity(dir.path()).pin();
    let evidence = EvidenceSecret::generate().unwrap();
    let root = tempfile::tempdir().unwrap();
    let mut engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
    let result = sit_exam_with_evidence(
        &mut engine,
        &bank,
        &person,
        root.path(),
        &evidence.public(),
        &[3, 2],
    );
    let attempt = result.record.attempt_id.clone();
    assert_eq!(
        result
            .record
            .evidence_head
            .as_deref()
            .unwrap()
            .split(' ')
            .count(),
        2
    );
    let local = snapshot(&root.path().join(&attempt));
    let total: u64 = local.values().map(|b| b.len() as u64).sum();
    assert!(
        local["1/frames/00000000.sef"].len() > MAX_CHUNK,
        "a frame of 2 chunks"
    );

    let exe = env!("CARGO_BIN_EXE_synaq-loop-central");
    let spawn = || {
        std::process::Command::new(exe)
            .arg(dir.path())
            .arg(&addr)
            .envs(database_env(dir.path()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start central child")
    };
    let child = Arc::new(Mutex::new(Some(spawn())));
    let client = kiosk
        .client(&base, &central_pub, pin)
        .with_backoff(Backoff {
            min: Duration::from_millis(20),
            max: Duration::from_millis(200),
            times: 20,
        });
    // Deliver the result (retrying while the child starts), then upload the evidence and kill
    // central right after the first evidence chunk was acknowledged.
    let pushed = synaq_sync::sync_outbox(&engine, &client, 10).await.unwrap();
    assert_eq!(pushed.delivered, 1);
    let killer = Arc::clone(&child);
    let mut killed_at = None;
    let mut first_run = |p: Progress| {
        if p.stage == Stage::Evidence && p.done >= MAX_CHUNK as u64 && killed_at.is_none() {
            if let Some(mut ch) = killer.lock().unwrap().take() {
                ch.kill().expect("SIGKILL");
                ch.wait().expect("reap");
            }
            killed_at = Some(p.done);
        }
    };
    let fast_fail = client.clone().with_backoff(Backoff {
        min: Duration::from_millis(5),
        max: Duration::from_millis(20),
        times: 3,
    });
    let err = sync_all(&engine, &fast_fail, root.path(), 10, &mut first_run)
        .await
        .unwrap_err();
    assert!(err.is_transient(), "central is gone: {err}");
    assert!(killed_at.is_some(), "killed mid-upload");
    // The result got its receipt; the evidence has none yet and is kept, byte for byte.
    let e = entry_of(&engine, &attempt);
    assert!(matches!(e.delivery, Delivery::Delivered { .. }));
    assert_eq!(e.evidence, EvidenceState::Queued);
    assert_eq!(snapshot(&root.path().join(&attempt)), local);
    let stored_part = snapshot(&dir.path().join("evidence").join(format!("{attempt}.part")));
    let stored: u64 = stored_part.values().map(|b| b.len() as u64).sum();
    assert!(
        stored >= MAX_CHUNK as u64 && stored < total,
        "{stored} of {total}"
    );

    *child.lock().unwrap() = Some(spawn());
    let mut seen = Vec::new();
    let report = sync_all(&engine, &client, root.path(), 10, &mut |p: Progress| {
        seen.push(p)
    })
    .await
    .unwrap();
    assert_eq!(report.evidence_delivered, 1, "{report:?}");
    assert!(report.evidence_failed.is_empty(), "{report:?}");
    assert_eq!(
        report.evidence_bytes_sent,
        total - stored,
        "only the missing bytes were sent"
    );
    let last = seen.last().unwrap();
    assert_eq!(
        (last.stage, last.done, last.total),
        (Stage::Evidence, total, total)
    );
    // Purged only now, with the receipt stored and verifiable.
    assert!(!root.path().join(&attempt).exists());
    assert!(matches!(
        entry_of(&engine, &attempt).evidence,
        EvidenceState::Delivered { .. }
    ));
    let receipt: EvidenceReceipt =
        serde_json::from_str(&engine.evidence_receipt(&attempt).unwrap().unwrap()).unwrap();
    let body = receipt.verify(&central_pub.ed25519).unwrap();
    assert_eq!(body.bytes, total);
    assert_eq!(body.files.len(), local.len());
    // Central holds exactly the kiosk's files.
    assert_eq!(snapshot(&dir.path().join("evidence").join(&attempt)), local);
    // Nothing more to do on the next sync.
    let again = sync_all(&engine, &client, root.path(), 10, &mut no_progress())
        .await
        .unwrap();
    assert_eq!(
        (again.evidence_delivered, again.evidence_bytes_sent),
        (0, 0)
    );

    if let Some(mut ch) = child.lock().unwrap().take() {
        ch.kill().ok();
        ch.wait().ok();
    }
    // The reviewer opens it: both segments verify against the signed heads.
    let c = reopen(dir.path(), &base);
    let out = tempfile::tempdir().unwrap();
    let shown = c.show_evidence(&attempt, &evidence, out.path()).unwrap();
    assert_eq!(
        shown.segments.iter().map(|s| s.frames).collect::<Vec<_>>(),
        [3, 2]
    );
    assert!(
        out.path().join("seg-1/00000000.png").is_file(),
        "raw frame as PNG"
    );
    assert!(out.path().join("seg-1/00000002.jpg").is_file());
    assert!(out.path().join("seg-2/00000001.jpg").is_file());
    let inc = std::fs::read_to_string(out.path().join("incidents.txt")).unwrap();
    assert!(
        inc.contains("phone") && inc.contains("camera-no-face"),
        "{inc}"
    );
    let json: Vec<synaq_store::IncidentRecord> =
        serde_json::from_slice(&std::fs::read(out.path().join("incidents.json")).unwrap()).unwrap();
    assert_eq!(json, result.record.incidents);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_paths_offsets_strangers_and_altered_files_are_refused_and_nothing_is_purged() {
    bad_paths_offsets_strangers_and_altered_files(EvidenceBackend::local()).await;
}

/// The same refusals with the evidence in S3 (a three-node Garage cluster).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_paths_offsets_strangers_and_altered_files_are_refused_and_nothing_is_purged_on_garage()
{
    bad_paths_offsets_strangers_and_altered_files(EvidenceBackend::garage()).await;
}

async fn bad_paths_offsets_strangers_and_altered_files(backend: EvidenceBackend) {
    let c = start_central_on(&backend).await;
    let mut s = setup(&c).await;
    let person = iins(6100, 1).remove(0);
    register(&c.central, &person, 1);
    let res = sit_exam_with_evidence(
        &mut s.engine,
        &s.bank,
        &person,
        s.root.path(),
        &s.evidence.public(),
        &[2],
    );
    let attempt = res.record.attempt_id.clone();
    // Before the result is delivered, central knows no such result.
    assert_eq!(
        refused(raw_chunk(&s.client, &attempt, "1/evidence.json", 0, b"{").await),
        "evidence-no-result"
    );
    // Deliver the result only (sync_outbox does not touch evidence).
    synaq_sync::sync_outbox(&s.engine, &s.client, 10)
        .await
        .unwrap();
    assert_eq!(
        entry_of(&s.engine, &attempt).evidence,
        EvidenceState::Queued
    );

    // Paths outside the segment layout never reach the disk.
    for bad in [
        "1/../../../escape",
        "/etc/passwd",
        "1/frames/x.sef",
        "1/notes.txt",
    ] {
        assert_eq!(
            refused(raw_chunk(&s.client, &attempt, bad, 0, b"x").await),
            "evidence-bad-path",
            "{bad}"
        );
    }
    assert!(!c.dir.path().join("escape").exists());
    // A segment the signed result does not name.
    assert_eq!(
        refused(raw_chunk(&s.client, &attempt, "2/evidence.json", 0, b"{").await),
        "evidence-segments"
    );
    // Another kiosk cannot add to this attempt's evidence.
    let stranger = Kiosk::new();
    let sc = stranger.client_of(&c);
    sc.enroll(BRANCH, &c.central.enrollment_code(BRANCH).unwrap())
        .await
        .unwrap();
    assert_eq!(
        refused(raw_chunk(&sc, &attempt, "1/evidence.json", 0, b"{").await),
        "evidence-no-result"
    );

    // Upload one frame whole, then the kiosk's copy of it changes.
    let local = snapshot(&s.root.path().join(&attempt));
    let frame = &local["1/frames/00000001.sef"];
    let (a, b) = frame.split_at(frame.len() / 2);
    raw_chunk(&s.client, &attempt, "1/frames/00000001.sef", 0, a)
        .await
        .unwrap();
    // A chunk at the wrong offset is refused; the status tells where to resume.
    assert_eq!(
        refused(raw_chunk(&s.client, &attempt, "1/frames/00000001.sef", 0, a).await),
        "evidence-offset"
    );
    let st = raw_status(&s.client, &attempt).await;
    assert_eq!(st.files.len(), 1);
    assert_eq!(st.files[0].size, a.len() as u64);
    let ack = raw_chunk(
        &s.client,
        &attempt,
        "1/frames/00000001.sef",
        a.len() as u64,
        b,
    )
    .await
    .unwrap();
    assert_eq!(ack.size, frame.len() as u64);
    let p = s.root.path().join(&attempt).join("1/frames/00000001.sef");
    let mut altered = frame.clone();
    altered[10] ^= 1;
    std::fs::write(&p, &altered).unwrap();

    let report = sync_all(&s.engine, &s.client, s.root.path(), 10, &mut no_progress())
        .await
        .unwrap();
    assert_eq!(report.evidence_delivered, 0);
    assert_eq!(report.evidence_failed.len(), 1, "{report:?}");
    assert_eq!(report.evidence_failed[0].code, "evidence-mismatch");
    assert_eq!(report.evidence_failed[0].attempt, attempt);
    // Nothing purged, no receipt.
    assert!(s
        .root
        .path()
        .join(&attempt)
        .join("1/evidence.json")
        .is_file());
    assert_eq!(std::fs::read(&p).unwrap(), altered);
    assert_eq!(
        entry_of(&s.engine, &attempt).evidence,
        EvidenceState::Queued
    );
    assert!(c.central.evidence_receipt(&attempt).unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_twice_gives_the_same_receipt_and_a_missing_directory_fails_alone() {
    let c = start_central().await;
    let mut s = setup(&c).await;
    let people = iins(6200, 2);
    register(&c.central, &people[0], 1);
    register(&c.central, &people[1], 1);
    let with = sit_exam_with_evidence(
        &mut s.engine,
        &s.bank,
        &people[0],
        s.root.path(),
        &s.evidence.public(),
        &[2, 1],
    );
    let lost = sit_exam_with_evidence(
        &mut s.engine,
        &s.bank,
        &people[1],
        s.root.path(),
        &s.evidence.public(),
        &[1],
    );
    let (a, l) = (&with.record.attempt_id, &lost.record.attempt_id);
    std::fs::remove_dir_all(s.root.path().join(l)).unwrap();
    let local = snapshot(&s.root.path().join(a));
    let files = synaq_sync::evidence::local_manifest(&s.root.path().join(a)).unwrap();

    let report = sync_all(&s.engine, &s.client, s.root.path(), 10, &mut no_progress())
        .await
        .unwrap();
    assert_eq!(
        (report.delivered, report.evidence_delivered),
        (2, 1),
        "{report:?}"
    );
    assert_eq!(report.evidence_failed.len(), 1);
    assert_eq!(report.evidence_failed[0].attempt, *l);
    assert_eq!(report.evidence_failed[0].code, "evidence-missing");
    assert_eq!(entry_of(&s.engine, l).evidence, EvidenceState::Queued);
    assert!(!s.root.path().join(a).exists());

    let first: EvidenceReceipt =
        serde_json::from_str(&s.engine.evidence_receipt(a).unwrap().unwrap()).unwrap();
    let again: EvidenceReceipt = s
        .client
        .call(
            "/v1/evidence/complete",
            &EvidenceComplete {
                v: PROTOCOL_VERSION,
                attempt_id: a.clone(),
                files: files.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(again, first, "the very same signed receipt");
    assert_eq!(raw_status(&s.client, a).await.receipt, Some(first.clone()));
    // Chunks after completion are refused; another manifest is a mismatch.
    assert_eq!(
        refused(raw_chunk(&s.client, a, "1/evidence.json", 0, b"{").await),
        "evidence-done"
    );
    let mut other = files.clone();
    other[0].sha256 = "00".repeat(32);
    assert_eq!(
        refused(
            s.client
                .call::<_, EvidenceReceipt>(
                    "/v1/evidence/complete",
                    &EvidenceComplete {
                        v: PROTOCOL_VERSION,
                        attempt_id: a.clone(),
                        files: other,
                    },
                )
                .await
        ),
        "evidence-mismatch"
    );

    // The reviewer's view: good, then a swapped, a dropped and a cut-off frame are named.
    let out = tempfile::tempdir().unwrap();
    let shown = c.central.show_evidence(a, &s.evidence, out.path()).unwrap();
    assert_eq!(shown.segments.len(), 2);
    assert_eq!(shown.incidents.len(), 2);
    let stored = c.central.evidence_dir(a);
    assert_eq!(snapshot(&stored), local);
    let f = |seg: u32, i: u32| stored.join(format!("{seg}/frames/{i:08}.sef"));
    let wrong_key = EvidenceSecret::generate().unwrap();
    let err = c
        .central
        .show_evidence(a, &wrong_key, out.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("segment 1") && err.contains("sealed to key"),
        "{err}"
    );
    // Swap frames 0 and 1 of segment 1.
    let (x, y) = (
        std::fs::read(f(1, 0)).unwrap(),
        std::fs::read(f(1, 1)).unwrap(),
    );
    std::fs::write(f(1, 0), &y).unwrap();
    std::fs::write(f(1, 1), &x).unwrap();
    let err = c
        .central
        .show_evidence(a, &s.evidence, out.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("segment 1") && err.contains("frame 0"),
        "{err}"
    );
    std::fs::write(f(1, 0), &x).unwrap();
    std::fs::write(f(1, 1), &y).unwrap();
    // Drop the only frame of segment 2: the chain ends before the signed head.
    std::fs::remove_file(f(2, 0)).unwrap();
    let err = c
        .central
        .show_evidence(a, &s.evidence, out.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("segment 2") && err.contains("signed result says 1:"),
        "{err}"
    );
    // Drop frame 0 of segment 1 (frame 1 remains): named as missing.
    std::fs::remove_file(f(1, 0)).unwrap();
    let err = c
        .central
        .show_evidence(a, &s.evidence, out.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("segment 1") && err.contains("frame 0 is missing"),
        "{err}"
    );
}
