//! `synaq enroll` (online and on removable media) and `synaq import-receipts`, against a real
//! central: HTTPS on loopback, real SQLite files.

use std::process::{Command, Output};
use std::sync::Arc;

use synaq_loop::*;
use synaq_store::outbox::Delivery;
use synaq_store::SystemClock;
use synaq_sync::Enrollment;

fn synaq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synaq"))
        .args(args)
        .env_remove("SYNAQ_ISSUER_PUB")
        .output()
        .expect("synaq runs")
}

fn ok(args: &[&str]) -> String {
    let out = synaq(args);
    assert!(
        out.status.success(),
        "synaq {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = synaq(args);
    assert!(!out.status.success(), "synaq {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn stored(data: &std::path::Path) -> Enrollment {
    let conn = synaq_store::open_db(&data.join("kiosk.sqlite3")).unwrap();
    Enrollment::load(&conn).unwrap().expect("an enrollment")
}

#[test]
fn enroll_online_stores_the_enrollment_in_the_kiosk_database() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let c = rt.block_on(start_central());
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("kiosk");
    let pub_path = tmp.path().join("central.pub");
    std::fs::write(&pub_path, c.central.public().to_toml()).unwrap();
    let code = c.central.enrollment_code(BRANCH).unwrap();
    let (base, pin) = (c.base(), c.pin.to_string());
    let args = |code: &str| {
        vec![
            "enroll".to_owned(),
            "--data".into(),
            data.display().to_string(),
            "--central".into(),
            base.clone(),
            "--pin".into(),
            pin.clone(),
            "--branch".into(),
            BRANCH.into(),
            "--code".into(),
            code.into(),
            "--issuer-pub".into(),
            pub_path.display().to_string(),
        ]
    };
    let a = args("WRONGCODE1");
    let err = fails(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("enroll-code-invalid"), "{err}");
    let a = args(&code);
    let out = ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.contains("enrolled with branch ALM-01"), "{out}");
    let e = stored(&data);
    let key = synaq_seal::KioskSecret::load(&data.join("kiosk.key")).unwrap();
    assert_eq!(e.kiosk_id(), key.id().to_string());
    assert_eq!(
        (e.branch(), e.url.as_str(), e.pin, e.cursor),
        (BRANCH, base.as_str(), c.pin, 0)
    );
    e.certificate.verify(&c.central.public().ed25519).unwrap();
    // The stored enrollment is enough to talk to central.
    let client = e.client(Arc::new(key), &c.central.public()).unwrap();
    let pull = rt.block_on(client.pull(e.cursor)).unwrap();
    assert_eq!(pull.banks.len(), 1);
}

#[test]
fn enroll_offline_request_then_certificate_file() {
    let tmp = tempfile::tempdir().unwrap();
    let c = setup_central(&tmp.path().join("central"), "https://central.example:8440");
    let pub_path = tmp.path().join("central.pub");
    std::fs::write(&pub_path, c.public().to_toml()).unwrap();
    let data = tmp.path().join("kiosk");
    let req = tmp.path().join("kiosk.synaqenroll");
    let code = c.enrollment_code(BRANCH).unwrap();
    let d = data.display().to_string();
    ok(&[
        "enroll",
        "request",
        "--data",
        &d,
        "--branch",
        BRANCH,
        "--code",
        &code,
        "--out",
        &req.display().to_string(),
    ]);
    let pin = tls_identity(&tmp.path().join("central")).pin();
    let cert = c
        .enroll_offline(
            &std::fs::read(&req).unwrap(),
            "https://central.example:8440",
            pin,
            now(),
        )
        .unwrap();
    // The same code from another request (another kiosk) is refused, as online.
    let other = tmp.path().join("other");
    let req2 = tmp.path().join("other.synaqenroll");
    ok(&[
        "enroll",
        "request",
        "--data",
        &other.display().to_string(),
        "--branch",
        BRANCH,
        "--code",
        &code,
        "--out",
        &req2.display().to_string(),
    ]);
    let err = c
        .enroll_offline(&std::fs::read(&req2).unwrap(), "https://x", pin, now())
        .unwrap_err();
    assert!(err.to_string().contains("enroll-code-used"), "{err}");

    let cert_path = tmp.path().join("kiosk.synaqcert");
    std::fs::write(&cert_path, &cert).unwrap();
    // Another kiosk cannot import this kiosk's certificate.
    let err = fails(&[
        "enroll",
        "import",
        &cert_path.display().to_string(),
        "--data",
        &other.display().to_string(),
        "--issuer-pub",
        &pub_path.display().to_string(),
    ]);
    assert!(err.contains("not this kiosk"), "{err}");
    ok(&[
        "enroll",
        "import",
        &cert_path.display().to_string(),
        "--data",
        &d,
        "--issuer-pub",
        &pub_path.display().to_string(),
    ]);
    let e = stored(&data);
    assert_eq!(
        (e.branch(), e.url.as_str(), e.pin),
        (BRANCH, "https://central.example:8440", pin)
    );
}

#[test]
fn import_receipts_marks_the_outbox_and_a_second_import_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let c = setup_central(&tmp.path().join("central"), "https://127.0.0.1:9");
    let pub_path = tmp.path().join("central.pub");
    std::fs::write(&pub_path, c.public().to_toml()).unwrap();
    let people = iins(8000, 2);
    register(&c, &people[0], 1);
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let data = kiosk.dir.path().display().to_string();
    {
        let mut engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
        sit_exam(&mut engine, &bank, &people[0], true);
        sit_exam(&mut engine, &bank, &people[1], true);
    }
    let out_dir = tmp.path().join("stick");
    ok(&[
        "export",
        "--data",
        &data,
        "--to",
        &out_dir.display().to_string(),
    ]);
    let bundle = std::fs::read_dir(&out_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let receipts = tmp.path().join("back.synaqin");
    std::fs::write(
        &receipts,
        synaq_sync::bundle::to_bytes(
            &c.import_bundle(&std::fs::read(&bundle).unwrap(), now())
                .unwrap(),
        ),
    )
    .unwrap();
    let r = receipts.display().to_string();
    let p = pub_path.display().to_string();
    let first = ok(&["import-receipts", &r, "--data", &data, "--issuer-pub", &p]);
    assert!(
        first.contains("1 delivered, 1 refused, 0 unchanged"),
        "{first}"
    );
    let second = ok(&["import-receipts", &r, "--data", &data, "--issuer-pub", &p]);
    assert!(
        second.contains("0 delivered, 0 refused, 2 unchanged"),
        "{second}"
    );
    let engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
    let st = engine.outbox_status().unwrap();
    assert_eq!(
        st.iter()
            .filter(|e| matches!(e.delivery, Delivery::Delivered { .. }))
            .count(),
        1
    );
    // Without --issuer-pub the demo key is used, which did not sign this bundle.
    let err = fails(&["import-receipts", &r, "--data", &data]);
    assert!(err.contains("signature"), "{err}");
}

#[test]
fn export_and_import_receipts_carry_evidence_and_delete_it_only_after_its_receipt() {
    let tmp = tempfile::tempdir().unwrap();
    let c = setup_central(&tmp.path().join("central"), "https://127.0.0.1:9");
    let pub_path = tmp.path().join("central.pub");
    std::fs::write(&pub_path, c.public().to_toml()).unwrap();
    let person = iins(8100, 1).remove(0);
    register(&c, &person, 1);
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let data = kiosk.dir.path().display().to_string();
    let evidence_root = kiosk.dir.path().join("evidence");
    let secret = synaq_sync::evidence::EvidenceSecret::generate().unwrap();
    let attempt = {
        let mut engine = kiosk.engine(Arc::clone(&bank), Arc::new(SystemClock));
        sit_exam_with_evidence(
            &mut engine,
            &bank,
            &person,
            &evidence_root,
            &secret.public(),
            &[2, 1],
        )
        .record
        .attempt_id
    };
    let local = snapshot(&evidence_root.join(&attempt));
    let stick = tmp.path().join("stick");
    let out = ok(&[
        "export",
        "--data",
        &data,
        "--to",
        &stick.display().to_string(),
    ]);
    assert!(
        out.contains("exported 1 results and the evidence of 1 attempt(s)"),
        "{out}"
    );
    let mut bundle = None;
    let mut evidence_dir = None;
    for e in std::fs::read_dir(&stick).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            evidence_dir = Some(p);
        } else {
            bundle = Some(p);
        }
    }
    let (bundle, evidence_dir) = (bundle.unwrap(), evidence_dir.unwrap());
    assert_eq!(snapshot(&evidence_dir.join(&attempt)), local);
    assert!(out.contains(&evidence_dir.display().to_string()), "{out}");

    let receipts = tmp.path().join("back.synaqin");
    std::fs::write(
        &receipts,
        synaq_sync::bundle::to_bytes(&c.import_bundle_file(&bundle, now()).unwrap()),
    )
    .unwrap();
    let r = receipts.display().to_string();
    let p = pub_path.display().to_string();
    let first = ok(&["import-receipts", &r, "--data", &data, "--issuer-pub", &p]);
    assert!(first.contains("1 delivered, 0 refused"), "{first}");
    assert!(
        first.contains("evidence: 1 confirmed by ЕУМЦ and deleted from the kiosk"),
        "{first}"
    );
    assert!(!evidence_root.join(&attempt).exists());
    let second = ok(&["import-receipts", &r, "--data", &data, "--issuer-pub", &p]);
    assert!(
        second.contains(
            "evidence: 0 confirmed by ЕУМЦ and deleted from the kiosk, 1 already confirmed"
        ),
        "{second}"
    );
    let out = tempfile::tempdir().unwrap();
    c.show_evidence(&attempt, &secret, out.path()).unwrap();
}

#[test]
fn keys_gen_evidence_writes_a_key_pair_central_can_load() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().display().to_string();
    let out = ok(&["keys", "gen", "--role", "evidence", "--out", &d]);
    assert!(out.contains("key id"), "{out}");
    let key = tmp.path().join("evidence.key");
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(
        text.contains("kind = \"synaq-evidence-secret-v1\""),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let secret = synaq_sync::evidence::load_secret(&key).unwrap();
    let public = synaq_sync::evidence::parse_public(
        &std::fs::read_to_string(tmp.path().join("evidence.pub")).unwrap(),
    )
    .unwrap();
    assert_eq!(secret.public(), public);
    assert!(out.contains(&public.id().to_string()));
    // Never overwritten.
    let err = fails(&["keys", "gen", "--role", "evidence", "--out", &d]);
    assert!(err.contains("refusing to overwrite"), "{err}");
}
