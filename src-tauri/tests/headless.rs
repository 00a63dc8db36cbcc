//! The kiosk binary's options for the people who install and check a PC: they work without a
//! display, and `--self-check` tells a sealed, installed kiosk from one that is missing a key.
#![forbid(unsafe_code)]

use std::path::Path;
use std::process::{Command, Output};

fn kiosk(args: &[&str], data: &Path, env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synaq-kiosk"));
    c.args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("SYNAQ_DEMO")
        .env_remove("SYNAQ_KIOSK_KEY")
        .env_remove("SYNAQ_ISSUER_PUB")
        .env_remove("SYNAQ_EVIDENCE_PUB")
        .env_remove("CREDENTIALS_DIRECTORY")
        .env("SYNAQ_DATA_DIR", data);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the kiosk runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn demo_keys() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/keys")
}

/// `--self-check` as on an installed PC: the key in the credentials directory `creds`, ЕУМЦ's
/// public keys given; its exit code and output.
fn installed_self_check(data: &Path, creds: &Path) -> (Option<i32>, String) {
    let keys = demo_keys();
    let (issuer, evidence) = (keys.join("demo-issuer.pub"), keys.join("demo-evidence.pub"));
    let env = [
        ("CREDENTIALS_DIRECTORY", creds),
        ("SYNAQ_ISSUER_PUB", issuer.as_path()),
        ("SYNAQ_EVIDENCE_PUB", evidence.as_path()),
    ];
    let out = kiosk(&["--self-check"], data, &env);
    (out.status.code(), stdout(&out))
}

#[test]
fn version_help_and_a_new_key_need_no_display_and_write_nothing() {
    let data = tempfile::tempdir().unwrap();
    let v = kiosk(&["--version"], data.path(), &[]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        stdout(&v),
        format!("synaq-kiosk {}\n", env!("CARGO_PKG_VERSION"))
    );
    let h = kiosk(&["--help"], data.path(), &[]);
    assert_eq!(h.status.code(), Some(0));
    for option in ["--demo", "--self-check", "--new-key", "--version"] {
        assert!(stdout(&h).contains(option), "{option} in {}", stdout(&h));
    }
    let bad = kiosk(&["--frobnicate"], data.path(), &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown option --frobnicate"));

    // A new key: a whole secret key on standard output, a different one each time.
    let a = kiosk(&["--new-key"], data.path(), &[]);
    let b = kiosk(&["--new-key"], data.path(), &[]);
    assert_eq!(a.status.code(), Some(0));
    let (ka, kb) = (
        synaq_seal::KioskSecret::from_toml(&stdout(&a)).expect("a kiosk secret key"),
        synaq_seal::KioskSecret::from_toml(&stdout(&b)).expect("a kiosk secret key"),
    );
    assert_ne!(ka.id(), kb.id());
    assert!(
        String::from_utf8_lossy(&a.stderr).contains(&ka.id().to_string()),
        "the new key's id is said on standard error"
    );
    let written: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
    assert!(written.is_empty(), "{written:?}");

    // `--demo` opens the window: without a display, the one-line message.
    let d = kiosk(&["--demo"], data.path(), &[]);
    assert_eq!(d.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&d.stderr).starts_with("synaq-kiosk: no display"));
}

#[test]
fn the_self_check_passes_only_with_the_sealed_key_and_eumcs_keys() {
    let data = tempfile::tempdir().unwrap();
    // A PC without the session package: no key, no ЕУМЦ keys. Each is said, exit 1.
    let bare = kiosk(&["--self-check"], data.path(), &[]);
    let out = stdout(&bare);
    assert_eq!(bare.status.code(), Some(1), "{out}");
    assert!(out.contains("ok    interface: built in"), "{out}");
    assert!(
        out.contains("ok    languages: kk, ru and en catalogs parse and agree"),
        "{out}"
    );
    assert!(out.contains("FAIL  kiosk key: no kiosk key"), "{out}");
    assert!(
        out.contains("FAIL  ЕУМЦ issuer key: no ЕУМЦ issuer key: /etc/synaq/issuer.pub"),
        "{out}"
    );
    assert!(out.contains("3 of 7 checks failed"), "{out}");

    // Installed: the credential systemd decrypts, ЕУМЦ's public keys.
    let creds = tempfile::tempdir().unwrap();
    let sealed = creds.path().join("synaq-kiosk-key");
    let key = synaq_seal::KioskSecret::generate().unwrap();
    synaq_seal::keys::write_secret(&sealed, &key.to_toml()).unwrap();
    let (code, out) = installed_self_check(data.path(), creds.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "ok    kiosk key: {} from the sealed systemd credential",
            key.id()
        )),
        "{out}"
    );
    assert!(out.contains("ok    exams: none yet"), "{out}");
    assert!(out.contains("all 7 checks passed"), "{out}");
    let written: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
    assert!(
        written.is_empty(),
        "the self-check writes nothing: {written:?}"
    );

    // A damaged credential is a failure, not a fallback.
    std::fs::write(&sealed, "not a key").unwrap();
    let (code, out) = installed_self_check(data.path(), creds.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAIL  kiosk key: the credential"), "{out}");
}

/// After an upgrade or a crash the self-check opens the store with the sealed key, verifies the
/// journal, and says which exam waits with how many answers; an edited journal fails it.
#[test]
fn the_self_check_finds_a_half_done_exam_and_an_edited_journal() {
    use synaq_core::{CategoryId, Iin};
    use synaq_store::engine::Admission;

    let data = tempfile::tempdir().unwrap();
    let creds = tempfile::tempdir().unwrap();
    // The demo bank is issued to the demo kiosk key: here it plays the sealed key.
    let demo = demo_keys();
    std::fs::copy(
        demo.join("demo-kiosk.key"),
        creds.path().join("synaq-kiosk-key"),
    )
    .unwrap();
    let attempt = {
        let clock = std::sync::Arc::new(synaq_store::FakeClock::new(1_800_000_000_000));
        let key = synaq_seal::KioskSecret::load(&creds.path().join("synaq-kiosk-key")).unwrap();
        let mut e =
            synaq_store::Engine::open_store_with_key(data.path(), clock, std::sync::Arc::new(key))
                .unwrap();
        e.use_bank(synaq_store::testing::demo_bank()).unwrap();
        let iin = Iin::parse("900101300017").unwrap();
        let cat = CategoryId::new("cat-1").unwrap();
        let id = e.admit(Admission::new(&iin, &cat, "p1").started()).unwrap();
        for p in 0..5 {
            let q = e.show(p).unwrap();
            e.answer(p, [q.options[0].0.clone()].into()).unwrap();
        }
        id
    };
    let (code, out) = installed_self_check(data.path(), creds.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("exam {attempt} is open (running), 5 answers kept")),
        "{out}"
    );
    assert!(out.contains("the journal verifies ("), "{out}");

    // Someone edits an answer's journal row in the database: the self-check says so.
    let db = rusqlite::Connection::open(data.path().join("kiosk.sqlite3")).unwrap();
    db.execute_batch(
        "DROP TRIGGER IF EXISTS journal_no_update;
         UPDATE journal SET data = replace(data, '\"position\":2', '\"position\":3')
          WHERE kind = 'answered' AND data LIKE '%\"position\":2%';",
    )
    .unwrap();
    drop(db);
    let (code, out) = installed_self_check(data.path(), creds.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("FAIL  exams: the journal does not verify"),
        "{out}"
    );
}
