//! Running central: health and readiness over HTTPS, and a backup restored into a fresh
//! instance that still knows its certificates, their check codes and PDFs, and its evidence.

use std::sync::Arc;

use synaq_central::store::EvidenceStore;
use synaq_loop::{
    database_for, enroll_offline, iins, now, register, reopen, setup_central, sit_exam,
    start_central, Kiosk,
};

/// Restores `backup` into the new directory `to`, on a database of the suite's kind.
fn restore(
    backup: &std::path::Path,
    to: &std::path::Path,
) -> Result<synaq_central::backup::BackupReport, synaq_central::CentralError> {
    synaq_central::Central::restore_on(
        backup,
        to,
        "https://127.0.0.1:1",
        EvidenceStore::local(to.join(synaq_central::evidence::EVIDENCE_DIR)),
        &database_for(to),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness_answer_over_https() {
    let c = start_central().await;
    let http = c.http();
    for (path, body) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
        let r = http
            .get(format!("{}{path}", c.base()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(r.text().await.unwrap(), body, "{path}");
    }
}

#[test]
fn a_backup_restores_into_a_fresh_instance_with_its_certificates_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let c = setup_central(&dir.path().join("live"), "https://127.0.0.1:1");
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let person = iins(300, 1).remove(0);
    register(&c, &person, 1);
    let r = sit_exam(&mut engine, &bank, &person, true);
    let attempt = r.record.attempt_id.clone();
    let journals =
        synaq_sync::client::journals_of(engine.connection(), std::slice::from_ref(&r)).unwrap();
    c.ingest(Some(&kiosk.key.id().to_string()), &[r], &journals, now())
        .unwrap();
    let src = kiosk.evidence_root().join(&attempt);
    let files = synaq_sync::evidence::local_manifest(&src).unwrap();
    c.import_evidence(
        &kiosk.key.id().to_string(),
        &attempt,
        &files,
        Some(&kiosk.evidence_root()),
        now(),
    )
    .unwrap();
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let cert = pull.certificates[0].clone();
    let code = c.check_code(&cert.number).unwrap().unwrap();

    let backup = dir.path().join("backup");
    let made = c.backup(&backup, now()).unwrap();
    assert_eq!((made.certificates, made.results), (1, 1));
    let restored_dir = dir.path().join("restored");
    let report = restore(&backup, &restored_dir).unwrap();
    assert_eq!((report.certificates, report.results), (1, 1));
    let restored = reopen(&restored_dir, "https://127.0.0.1:1");
    assert_eq!(
        restored.public(),
        c.public(),
        "the same central key: kiosks still trust it"
    );
    let again = restored.certificate(&cert.number).unwrap().unwrap();
    assert_eq!(again, cert, "the same certificate, hashes and QR included");
    assert!(
        restored
            .public_check(&cert.number, Some(&code))
            .unwrap()
            .unwrap()
            .code_ok
    );
    let (pdf, sha) = restored
        .certificate_pdf(&cert.number, false)
        .unwrap()
        .unwrap();
    assert_eq!(Some(sha), cert.pdf_sha256);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        restored.verdict(&attempt).unwrap().unwrap().0,
        "certified",
        "the verdict survives"
    );
    assert!(
        restored.evidence_dir(&attempt).is_dir(),
        "the sealed evidence is restored"
    );

    // Retention: the evidence of a certified exam is deleted only after the days configured,
    // and the deletion is journalled.
    assert_eq!(restored.prune_evidence(30, now()).unwrap(), 0, "too young");
    let later = now() + 31 * 86_400;
    assert_eq!(restored.prune_evidence(30, later).unwrap(), 1);
    assert!(!restored.evidence_dir(&attempt).exists());
    assert_eq!(restored.prune_evidence(30, later).unwrap(), 0, "once");
    let journalled: i64 = restored
        .db()
        .query_row(
            "SELECT count(*) FROM reviews WHERE attempt = ?1 AND action = 'evidence-deleted'",
            [&attempt],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journalled, 1);
    assert!(
        c.evidence_dir(&attempt).is_dir(),
        "the live instance keeps its own"
    );

    // A restore never writes over a data directory in use.
    let err = restore(&backup, &restored_dir).unwrap_err();
    assert!(err.to_string().contains("is not empty"), "{err}");

    // A backup changed after it was made is refused, and nothing is written.
    let db = backup.join(synaq_central::DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&db, bytes).unwrap();
    let target = dir.path().join("second");
    let err = restore(&backup, &target).unwrap_err();
    assert!(
        err.to_string()
            .contains("central.sqlite3 changed since the backup was made"),
        "{err}"
    );
    assert!(!target.exists(), "nothing was written");
}
