//! Central's evidence on both stores, over real HTTPS on loopback: its data directory (the
//! default) and S3 on a real three-node Garage cluster started by the test. Each scenario runs
//! once per store (`…_local`, `…_garage`); faults of the object store run on Garage only.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use synaq_central::Central;
use synaq_loop::*;
use synaq_store::outbox::{Delivery, EvidenceState};
use synaq_store::Engine;
use synaq_sync::proto::Decision;
use synaq_sync::{sync_all, Backoff, Progress, Stage};

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

fn state_of(c: &Central, attempt: &str) -> String {
    c.verdict(attempt).unwrap().expect("result stored").0
}

/// Certificates in the registry for `attempt`.
fn certificates_of(c: &Central, attempt: &str) -> usize {
    c.certificates_csv()
        .unwrap()
        .lines()
        .filter(|l| l.ends_with(attempt))
        .count()
}

fn fast(client: &synaq_sync::Client, times: usize) -> synaq_sync::Client {
    client.clone().with_backoff(Backoff {
        min: Duration::from_millis(5),
        max: Duration::from_millis(20),
        times,
    })
}

/// An enrolled kiosk of central in `dir` (opened in-process with `store`) that sat one honest
/// exam (a frame every 5 s); returns the kiosk, its engine and the result's attempt id.
fn kiosk_with_an_exam(
    dir: &std::path::Path,
    base: &str,
    store: synaq_central::store::EvidenceStore,
    serial: u32,
) -> (Kiosk, Engine, String, synaq_seal::IssuerPublic) {
    let c = setup_central_with(dir, base, store);
    let person = iins(serial, 1).remove(0);
    register(&c, &person, 1);
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let r = sit_exam(&mut engine, &bank, &person, true);
    assert!(r.record.score.passed);
    (kiosk, engine, r.record.attempt_id.clone(), c.public())
}

/// A pass pushed over HTTPS waits for its evidence; the upload is cut by a central kill
/// (SIGKILL) mid-way and resumes from the bytes the store holds (a chunk object in S3 is
/// there whole or not at all); the result is certified exactly once, only when the evidence
/// is complete, and the store holds the kiosk's files byte for byte.
async fn certified_only_after_complete_evidence_and_resumed_after_a_cut(backend: EvidenceBackend) {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let base = format!("https://{addr}");
    let (kiosk, engine, attempt, central_pub) =
        kiosk_with_an_exam(dir.path(), &base, backend.store(dir.path()), 7000);
    let pin = tls_identity(dir.path()).pin();
    let local = snapshot(&kiosk.evidence_root().join(&attempt));
    let total: u64 = local.values().map(|b| b.len() as u64).sum();
    assert!(local.len() > 20, "an honest exam: {} files", local.len());

    let exe = env!("CARGO_BIN_EXE_synaq-loop-central");
    let env = backend.env();
    let spawn = || {
        std::process::Command::new(exe)
            .arg(dir.path())
            .arg(&addr)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
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
            max: Duration::from_millis(300),
            times: 30,
        });
    let pushed = synaq_sync::sync_outbox(&engine, &client, 10).await.unwrap();
    assert_eq!(pushed.delivered, 1);
    let receipt: synaq_sync::Receipt =
        serde_json::from_str(&engine.receipt(&attempt).unwrap().unwrap()).unwrap();
    assert_eq!(
        receipt.verify(&central_pub.ed25519).unwrap().decision,
        Decision::Pending {
            state: "awaiting-evidence".into(),
            reasons: vec![]
        },
        "no certificate before the evidence"
    );

    // Kill central once a third of the bytes were acknowledged.
    let killer = Arc::clone(&child);
    let mut killed_at = None;
    let mut first_run = |p: Progress| {
        if p.stage == Stage::Evidence && p.done >= total / 3 && killed_at.is_none() {
            if let Some(mut ch) = killer.lock().unwrap().take() {
                ch.kill().expect("SIGKILL");
                ch.wait().expect("reap");
            }
            killed_at = Some(p.done);
        }
    };
    let err = sync_all(
        &engine,
        &fast(&client, 3),
        &kiosk.evidence_root(),
        10,
        &mut first_run,
    )
    .await
    .unwrap_err();
    assert!(err.is_transient(), "central is gone: {err}");
    assert!(killed_at.is_some(), "killed mid-upload");
    assert_eq!(entry_of(&engine, &attempt).evidence, EvidenceState::Queued);
    assert_eq!(snapshot(&kiosk.evidence_root().join(&attempt)), local);
    let stored = {
        let c = reopen_with(dir.path(), &base, backend.store(dir.path()));
        assert_eq!(state_of(&c, &attempt), "awaiting-evidence");
        assert_eq!(certificates_of(&c, &attempt), 0);
        uploaded_bytes(&c, &attempt)
    };
    assert!(stored >= total / 3 && stored < total, "{stored} of {total}");

    *child.lock().unwrap() = Some(spawn());
    let report = sync_all(
        &engine,
        &client,
        &kiosk.evidence_root(),
        10,
        &mut no_progress(),
    )
    .await
    .unwrap();
    assert_eq!(report.evidence_delivered, 1, "{report:?}");
    assert_eq!(
        report.evidence_bytes_sent,
        total - stored,
        "only the missing bytes were sent ({})",
        backend.name()
    );
    assert!(!kiosk.evidence_root().join(&attempt).exists(), "purged");
    assert!(matches!(
        entry_of(&engine, &attempt).evidence,
        EvidenceState::Delivered { .. }
    ));
    let again = sync_all(
        &engine,
        &client,
        &kiosk.evidence_root(),
        10,
        &mut no_progress(),
    )
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

    let c = reopen_with(dir.path(), &base, backend.store(dir.path()));
    assert_eq!(state_of(&c, &attempt), "certified");
    assert_eq!(certificates_of(&c, &attempt), 1, "certified once");
    assert_eq!(stored_evidence(&c, &attempt), local, "the kiosk's files");
    let out = tempfile::tempdir().unwrap();
    let shown = c
        .show_evidence(&attempt, &evidence_key(), out.path())
        .unwrap();
    assert_eq!(shown.segments.len(), 1);
    assert_eq!(shown.segments[0].frames as usize, local.len() - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certified_only_after_complete_evidence_and_resumed_after_a_cut_local() {
    certified_only_after_complete_evidence_and_resumed_after_a_cut(EvidenceBackend::local()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certified_only_after_complete_evidence_and_resumed_after_a_cut_garage() {
    certified_only_after_complete_evidence_and_resumed_after_a_cut(EvidenceBackend::garage()).await;
}

/// A kiosk enrolled with `c` over HTTPS, its bank from the pull, and the pass of a person
/// registered for it (`serial` picks the ИИН), not yet synced: the kiosk, its client, its
/// engine and the attempt.
async fn online_pass(c: &Running, serial: u32) -> (Kiosk, synaq_sync::Client, Engine, String) {
    let kiosk = Kiosk::new();
    let client = kiosk.client_of(c);
    client
        .enroll(BRANCH, &c.central.enrollment_code(BRANCH).unwrap())
        .await
        .unwrap();
    let pull = client.pull(0).await.unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let person = iins(serial, 1).remove(0);
    register(&c.central, &person, 1);
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let attempt = sit_exam(&mut engine, &bank, &person, true)
        .record
        .attempt_id
        .clone();
    (kiosk, client, engine, attempt)
}

/// A chunk at the wrong offset is refused and the status says where to resume; chunks whose
/// bytes are not the kiosk's file are refused at completion (`evidence-mismatch`): no
/// receipt, nothing purged on the kiosk, the pass stays uncertified.
async fn a_tampered_chunk_is_refused(backend: EvidenceBackend) {
    let c = start_central_on(&backend).await;
    let (kiosk, client, engine, attempt) = online_pass(&c, 7100).await;
    synaq_sync::sync_outbox(&engine, &client, 10).await.unwrap();

    let local = snapshot(&kiosk.evidence_root().join(&attempt));
    let path = "1/frames/00000003.sef";
    let frame = &local[path];
    let (a, b) = frame.split_at(frame.len() / 2);
    raw_chunk(&client, &attempt, path, 0, a).await.unwrap();
    assert_eq!(
        refused(raw_chunk(&client, &attempt, path, 0, a).await),
        "evidence-offset"
    );
    assert_eq!(
        refused(raw_chunk(&client, &attempt, path, a.len() as u64 + 1, b).await),
        "evidence-offset"
    );
    let st = raw_status(&client, &attempt).await;
    assert_eq!(st.files.len(), 1);
    assert_eq!(
        (st.files[0].path.as_str(), st.files[0].size),
        (path, a.len() as u64)
    );
    // The second half with one flipped byte: accepted as bytes, refused at completion.
    let mut tampered = b.to_vec();
    tampered[0] ^= 0x40;
    let ack = raw_chunk(&client, &attempt, path, a.len() as u64, &tampered)
        .await
        .unwrap();
    assert_eq!(ack.size, frame.len() as u64);

    let report = sync_all(
        &engine,
        &client,
        &kiosk.evidence_root(),
        10,
        &mut no_progress(),
    )
    .await
    .unwrap();
    assert_eq!(report.evidence_delivered, 0, "{report:?}");
    assert_eq!(report.evidence_failed.len(), 1, "{report:?}");
    assert_eq!(report.evidence_failed[0].code, "evidence-mismatch");
    assert!(
        report.evidence_failed[0].message.contains(path),
        "{:?}",
        report.evidence_failed[0]
    );
    assert_eq!(snapshot(&kiosk.evidence_root().join(&attempt)), local);
    assert_eq!(entry_of(&engine, &attempt).evidence, EvidenceState::Queued);
    assert!(c.central.evidence_receipt(&attempt).unwrap().is_none());
    assert_eq!(state_of(&c.central, &attempt), "awaiting-evidence");
    assert_eq!(certificates_of(&c.central, &attempt), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_chunk_is_refused_local() {
    a_tampered_chunk_is_refused(EvidenceBackend::local()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_chunk_is_refused_garage() {
    a_tampered_chunk_is_refused(EvidenceBackend::garage()).await;
}

/// Evidence from removable media into the store; a backup (evidence read from the store and
/// listed with its SHA-256) restored into a fresh instance with a fresh, empty store, whose
/// evidence verifies with the evidence key; retention deletes from the store and journals it.
fn backup_restore_and_retention(backend: EvidenceBackend) {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    let c = setup_central_with(&live, "https://127.0.0.1:1", backend.store(&live));
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let person = iins(7200, 1).remove(0);
    register(&c, &person, 1);
    let r = sit_exam(&mut engine, &bank, &person, true);
    let attempt = r.record.attempt_id.clone();
    let journals =
        synaq_sync::client::journals_of(engine.connection(), std::slice::from_ref(&r)).unwrap();
    c.ingest(Some(&kiosk.key.id().to_string()), &[r], &journals, now())
        .unwrap();
    assert_eq!(state_of(&c, &attempt), "awaiting-evidence");
    let local = snapshot(&kiosk.evidence_root().join(&attempt));
    assert_eq!(deliver_evidence(&c, &kiosk), 1);
    assert_eq!(state_of(&c, &attempt), "certified");
    assert_eq!(stored_evidence(&c, &attempt), local);
    if backend.garage.is_some() {
        assert!(
            !live.join("evidence").join(&attempt).exists(),
            "S3 evidence is not on central's disk"
        );
    }

    let backup = dir.path().join("backup");
    let made = c.backup(&backup, now()).unwrap();
    assert_eq!((made.certificates, made.results), (1, 1));
    let manifest: synaq_central::backup::Manifest =
        serde_json::from_slice(&std::fs::read(backup.join("backup.json")).unwrap()).unwrap();
    let listed: Vec<_> = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with(&format!("evidence/{attempt}/")))
        .collect();
    assert_eq!(
        listed.len(),
        local.len(),
        "every evidence file in the backup"
    );

    // A tampered evidence file in the backup is refused before anything is written.
    let one = backup.join(&listed[0].path);
    let good = std::fs::read(&one).unwrap();
    let mut bad = good.clone();
    bad[0] ^= 1;
    std::fs::write(&one, &bad).unwrap();
    let target = dir.path().join("refused");
    let err = Central::restore_on(
        &backup,
        &target,
        "https://127.0.0.1:1",
        backend.fresh_store("refused", &target),
        &database_for(&target),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("changed since the backup was made"), "{err}");
    std::fs::write(&one, &good).unwrap();

    let restored_dir = dir.path().join("restored");
    let report = Central::restore_on(
        &backup,
        &restored_dir,
        "https://127.0.0.1:1",
        backend.fresh_store("restored", &restored_dir),
        &database_for(&restored_dir),
    )
    .unwrap();
    assert_eq!((report.certificates, report.results), (1, 1));
    let restored = reopen_with(
        &restored_dir,
        "https://127.0.0.1:1",
        backend.store_in("restored", &restored_dir),
    );
    assert_eq!(state_of(&restored, &attempt), "certified");
    assert_eq!(stored_evidence(&restored, &attempt), local);
    let out = tempfile::tempdir().unwrap();
    let shown = restored
        .show_evidence(&attempt, &evidence_key(), out.path())
        .unwrap();
    assert_eq!(shown.segments[0].frames as usize, local.len() - 1);
    // The restored directory is bound to its store: opening it with another is refused.
    if backend.garage.is_some() {
        let err = Central::open_on(
            &restored_dir,
            "https://127.0.0.1:1",
            EvidenceBackend::local().store(&restored_dir),
            &database_of(&restored_dir),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("keeps its evidence in s3://restored/"),
            "{err}"
        );
    }

    // Retention: not before the days configured; then deleted from the store, journalled once.
    assert_eq!(restored.prune_evidence(30, now()).unwrap(), 0, "too young");
    let later = now() + 31 * 86_400;
    assert_eq!(restored.prune_evidence(30, later).unwrap(), 1);
    assert!(!restored.has_evidence(&attempt).unwrap());
    assert!(stored_evidence(&restored, &attempt).is_empty());
    assert_eq!(restored.prune_evidence(30, later).unwrap(), 0, "once");
    let journalled: i64 = restored
        .db()
        .query_row(
            "SELECT count(*) FROM reviews WHERE attempt = ?1 AND action = 'evidence-deleted'
               AND reviewer = 'retention'",
            [&attempt],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journalled, 1);
    assert!(
        c.has_evidence(&attempt).unwrap(),
        "the live instance keeps its own"
    );
    assert_eq!(stored_evidence(&c, &attempt), local);
}

#[test]
fn backup_restore_and_retention_local() {
    backup_restore_and_retention(EvidenceBackend::local());
}

#[test]
fn backup_restore_and_retention_garage() {
    backup_restore_and_retention(EvidenceBackend::garage());
}

/// One of the three Garage nodes (not the one central talks to) is killed in the middle of an
/// upload: writes still reach a quorum of two, the upload completes, the pass is certified
/// once, and every file reads back whole (also with the node still down).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garage_node_killed_mid_upload_loses_nothing() {
    let mut backend = EvidenceBackend::garage();
    let c = start_central_on(&backend).await;
    let (kiosk, client, engine, attempt) = online_pass(&c, 7300).await;
    let local = snapshot(&kiosk.evidence_root().join(&attempt));
    let total: u64 = local.values().map(|b| b.len() as u64).sum();
    synaq_sync::sync_outbox(&engine, &client, 10).await.unwrap();

    let garage = Arc::new(Mutex::new(backend.garage.take().unwrap()));
    let g = Arc::clone(&garage);
    let mut killed = false;
    let report = sync_all(
        &engine,
        &client,
        &kiosk.evidence_root(),
        10,
        &mut |p: Progress| {
            if p.stage == Stage::Evidence && p.done >= total / 3 && !killed {
                g.lock().unwrap().kill(2);
                killed = true;
            }
        },
    )
    .await
    .unwrap();
    assert!(killed, "a node was killed mid-upload");
    assert_eq!(report.evidence_delivered, 1, "{report:?}");
    assert!(report.evidence_failed.is_empty(), "{report:?}");
    assert_eq!(report.evidence_bytes_sent, total, "each byte sent once");
    assert_eq!(state_of(&c.central, &attempt), "certified");
    assert_eq!(certificates_of(&c.central, &attempt), 1);
    assert_eq!(stored_evidence(&c.central, &attempt), local, "nothing lost");
    let out = tempfile::tempdir().unwrap();
    let shown = c
        .central
        .show_evidence(&attempt, &evidence_key(), out.path())
        .unwrap();
    assert_eq!(shown.segments[0].frames as usize, local.len() - 1);
    // Back with its data: the cluster serves the evidence the same.
    garage.lock().unwrap().restart(2);
    assert_eq!(stored_evidence(&c.central, &attempt), local);
}

async fn readyz(c: &Running) -> (u16, String) {
    let r = c
        .http()
        .get(format!("{}/readyz", c.base()))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The whole object store down: `/readyz` answers 503 with the reason, an upload fails as
/// "try again later" and the kiosk keeps everything; when the nodes are back, `/readyz` is
/// 200 and the kiosk's next sync delivers, and the pass is certified once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_down_makes_central_unready_and_the_kiosk_delivers_after_it_is_back() {
    let mut backend = EvidenceBackend::garage();
    let c = start_central_on(&backend).await;
    assert_eq!(readyz(&c).await, (200, "ready\n".into()));
    let (kiosk, client, engine, attempt) = online_pass(&c, 7400).await;
    let local = snapshot(&kiosk.evidence_root().join(&attempt));

    let g = backend.garage.as_mut().unwrap();
    for i in 0..3 {
        g.kill(i);
    }
    let (status, body) = readyz(&c).await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body.starts_with("not ready:") && body.contains("s3://evidence/"),
        "{body}"
    );
    // The result itself is delivered (the database is up); its evidence waits.
    let err = sync_all(
        &engine,
        &fast(&client, 2),
        &kiosk.evidence_root(),
        10,
        &mut no_progress(),
    )
    .await
    .unwrap_err();
    assert!(err.is_transient(), "{err}");
    assert_eq!(err.code(), "central-unavailable", "{err}");
    assert!(matches!(
        entry_of(&engine, &attempt).delivery,
        Delivery::Delivered { .. }
    ));
    assert_eq!(entry_of(&engine, &attempt).evidence, EvidenceState::Queued);
    assert_eq!(snapshot(&kiosk.evidence_root().join(&attempt)), local);
    assert_eq!(state_of(&c.central, &attempt), "awaiting-evidence");

    for i in 0..3 {
        g.restart(i);
    }
    let start = Instant::now();
    while readyz(&c).await.0 != 200 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the store came back but central stays unready: {:?}",
            readyz(&c).await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let report = sync_all(
        &engine,
        &client,
        &kiosk.evidence_root(),
        10,
        &mut no_progress(),
    )
    .await
    .unwrap();
    assert_eq!(report.evidence_delivered, 1, "{report:?}");
    assert_eq!(state_of(&c.central, &attempt), "certified");
    assert_eq!(certificates_of(&c.central, &attempt), 1);
    assert_eq!(stored_evidence(&c.central, &attempt), local);
}

/// Not a check: upload throughput of one exam's evidence (about 30 MB: 32 raw 640×480 frames)
/// over HTTPS into the local directory and into Garage, and the objects and bytes the store
/// holds per exam (also for an honest exam of JPEG frames). Printed, never asserted:
/// `cargo test -p synaq-loop --release --test object_store -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn measure_upload_throughput_local_vs_garage() {
    for backend in [EvidenceBackend::local(), EvidenceBackend::garage()] {
        let c = start_central_on(&backend).await;
        let kiosk = Kiosk::new();
        let client = kiosk.client_of(&c);
        client
            .enroll(BRANCH, &c.central.enrollment_code(BRANCH).unwrap())
            .await
            .unwrap();
        let pull = client.pull(0).await.unwrap();
        let bank = kiosk.open_bank(&pull, &c.central.public());
        let people = iins(7500, 2);
        register(&c.central, &people[0], 1);
        register(&c.central, &people[1], 1);
        // The big one: raw frames, as a camera without JPEG output would give.
        let mut engine = kiosk.engine(Arc::clone(&bank), Arc::new(synaq_store::SystemClock));
        let root = kiosk.evidence_root();
        let big = sit_exam_with(&mut engine, &bank, &people[0], true, |e, attempt| {
            let mut w = synaq_proctor::EvidenceWriter::new(
                &root.join(attempt).join("1"),
                attempt,
                &evidence_key().public(),
            )
            .unwrap();
            for k in 0..32 {
                w.append(&frame(k, true)).unwrap();
            }
            e.record_evidence_heads([w.head()]).unwrap();
        });
        let big_attempt = big.record.attempt_id.clone();
        let bytes: u64 = snapshot(&root.join(&big_attempt))
            .values()
            .map(|b| b.len() as u64)
            .sum();
        synaq_sync::sync_outbox(&engine, &client, 10).await.unwrap();
        let t = Instant::now();
        let mut chunks_done = None;
        let report = sync_all(&engine, &client, &root, 10, &mut |p: Progress| {
            if p.stage == Stage::Evidence && p.total > 0 && p.done == p.total {
                chunks_done.get_or_insert_with(|| t.elapsed().as_secs_f64());
            }
        })
        .await
        .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(report.evidence_delivered, 1);
        let chunks = chunks_done.unwrap_or(secs);
        println!(
            "evidence upload, {}: {:.1} MB in {secs:.2} s = {:.1} MB/s over HTTPS (chunks {chunks:.2} s, completion with verification {:.2} s)",
            backend.name(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            secs - chunks
        );
        let t = Instant::now();
        let view = c.central.evidence_store().view(&big_attempt).unwrap();
        let _ = snapshot(view.path());
        println!(
            "evidence read back for review, {}: {:.2} s",
            backend.name(),
            t.elapsed().as_secs_f64()
        );
        // An honest exam (JPEG frames every 5 s).
        drop(engine);
        let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
        let honest = sit_exam(&mut engine, &bank, &people[1], true);
        sync_all(&engine, &client, &root, 10, &mut no_progress())
            .await
            .unwrap();
        for (what, attempt) in [
            ("raw 30 MB exam", &big_attempt),
            ("honest JPEG exam", &honest.record.attempt_id),
        ] {
            let files = c
                .central
                .evidence_store()
                .files(attempt, synaq_central::store::Area::Upload)
                .unwrap();
            println!(
                "store, {}, {what}: {} files, {} bytes",
                backend.name(),
                files.len(),
                files.values().sum::<u64>()
            );
        }
        if let Some(g) = &backend.garage {
            println!("garage data on disk, 3 replicas: {} bytes", du(g.dir()));
        }
    }
}

fn du(dir: &std::path::Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                n += du(&e.path());
            } else if t.is_file() && e.path().components().any(|c| c.as_os_str() == "data") {
                n += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    n
}
