//! The kiosk's logic without a window: bindings, ACL, bank loading, roles and a whole exam.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use synaq_core::Lang;
use synaq_i18n::Localizer;
use synaq_seal::OpenedBank;
use synaq_store::FakeClock;

use super::*;
use crate::command_names;
use crate::load::LoadError;

const NOW: i64 = 1_800_000_000;

/// The committed demo bank's version (`cargo xtask demo-bank` raises it on every rebuild).
fn demo_bank_version() -> u64 {
    synaq_seal::bank::read_header_unverified(crate::load::DEMO_BANK)
        .unwrap()
        .1
        .version
}

fn demo_bank(dir: &Path) -> Result<OpenedBank, LoadError> {
    let issuer = synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap();
    // The kiosk's one identity: the demo key, installed in its data directory.
    let kiosk = crate::load::Keys::demo(dir).kiosk().unwrap();
    crate::load::open(crate::load::DEMO_BANK, &issuer, &kiosk, dir, NOW)
}

fn demo_roster(dir: &Path) -> Result<crate::roster::LoadedRoster, LoadError> {
    let issuer = synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap();
    crate::roster::open(crate::load::DEMO_ROSTER, &issuer, dir, NOW)
}

fn kiosk(dir: &Path) -> Station {
    Station::new(
        crate::load::Keys::demo(dir),
        demo_bank(dir),
        demo_roster(dir),
        dir,
        Arc::new(FakeClock::new(NOW * 1000)),
    )
    .unwrap()
}

fn today() -> chrono::NaiveDate {
    OfficeZone::ALMATY.date_of_ms(NOW * 1000)
}

#[test]
fn demo_categories_come_from_the_decrypted_bank() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = kiosk(dir.path());
    let cats = k.categories().unwrap();
    assert_eq!(
        cats.iter().map(|c| c.number).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert_eq!(cats[0].time_limit_minutes, 60);
    for c in &cats {
        assert!(
            c.bank_questions >= c.question_count,
            "category {}",
            c.number
        );
    }
    let trust = std::fs::read_to_string(dir.path().join("trust.json")).unwrap();
    assert!(trust.contains("eumc-demo"), "{trust}");
}

/// The committed demo bank is built from the committed sources (`cargo xtask demo-bank`).
#[test]
fn demo_bank_matches_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    let opened = demo_bank(dir.path()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let (src, _) = synaq_author::load_source_dir(&root).expect("demo sources load");
    assert_eq!(opened.content.profile_toml, src.profile_toml);
    assert_eq!(
        opened.content.questions, src.questions,
        "run `cargo xtask demo-bank`"
    );
    assert_eq!(
        opened.content.media, src.media,
        "run `cargo xtask demo-bank`"
    );
}

fn key_env(demo: bool, credential: Option<&Path>, given: Option<&Path>) -> crate::load::KeyEnv {
    crate::load::KeyEnv {
        demo,
        credential: credential.map(Path::to_owned),
        given: given.map(Path::to_owned),
        ..Default::default()
    }
}

fn write_key(path: &Path) -> synaq_seal::KioskSecret {
    let made = synaq_seal::KioskSecret::generate().unwrap();
    synaq_seal::keys::write_secret(path, &made.to_toml()).unwrap();
    made
}

#[test]
fn the_kiosk_uses_its_sealed_key_and_the_demo_keys_only_in_the_demo() {
    use crate::load::Keys;
    let demo_pub = synaq_seal::KioskSecret::from_toml(crate::load::DEMO_KIOSK_KEY)
        .unwrap()
        .public()
        .to_toml();
    let files = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|r| {
                r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };

    // The demo: the demo kiosk key (the demo bank is issued to it) and ЕУМЦ's demo keys.
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::demo(dir.path());
    assert_eq!(keys.kiosk().unwrap().public().to_toml(), demo_pub);
    assert!(keys.issuer().is_ok() && keys.evidence().is_ok());

    // Not the demo, no credential, nothing given: no key at all, nothing written in clear,
    // no ЕУМЦ keys made up, and the start screen says so.
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::resolve(dir.path(), &key_env(false, None, None));
    assert_eq!(
        keys.kiosk().unwrap_err().code.id(),
        "error-kiosk-key-missing"
    );
    assert_eq!(
        keys.issuer().unwrap_err().code.id(),
        "error-eumc-keys-missing"
    );
    assert_eq!(
        keys.evidence().unwrap_err().code.id(),
        "error-eumc-keys-missing"
    );
    assert_eq!(
        files(dir.path()),
        Vec::<String>::new(),
        "no key made in clear"
    );
    let mut k = Station::new(
        keys.clone(),
        crate::load::bank_from_env(&keys, dir.path()),
        crate::load::roster_from_env(&keys, dir.path()),
        dir.path(),
        Arc::new(FakeClock::new(NOW * 1000)),
    )
    .unwrap();
    let problem = k
        .status()
        .problem
        .expect("the start screen names the problem");
    assert_eq!(problem.code, "error-kiosk-key-missing");
    assert_eq!(k.categories().unwrap_err().id(), "error-kiosk-key-missing");
    assert!(
        !dir.path().join("kiosk.key").exists() && !dir.path().join("kiosk.sqlite3").exists(),
        "{:?}",
        files(dir.path())
    );

    // A data directory the demo ran in keeps the demo key: outside the demo it is refused.
    let dir = tempfile::tempdir().unwrap();
    Keys::demo(dir.path()).kiosk().unwrap();
    let e = Keys::resolve(dir.path(), &key_env(false, None, None))
        .kiosk()
        .unwrap_err();
    assert_eq!(e.code.id(), "error-kiosk-key-missing");
    assert!(e.detail.contains("demo kiosk key"), "{}", e.detail);

    // The sealed key systemd hands over is the kiosk's key; nothing is written for it, and
    // the store signs with it.
    let creds = tempfile::tempdir().unwrap();
    let sealed = creds.path().join(synaq_store::identity::CREDENTIAL);
    let made = write_key(&sealed);
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::resolve(dir.path(), &key_env(false, Some(&sealed), None));
    assert_eq!(
        keys.kiosk().unwrap().public().to_toml(),
        made.public().to_toml()
    );
    assert_ne!(made.public().to_toml(), demo_pub);
    let mut k = Station::new(
        keys.clone(),
        Err(LoadError {
            code: Refusal::BankMissing.into(),
            detail: "none yet".into(),
        }),
        demo_roster(dir.path()),
        dir.path(),
        Arc::new(FakeClock::new(NOW * 1000)),
    )
    .unwrap();
    assert!(
        k.status().first_run,
        "the store opens: first run, then enrollment"
    );
    assert!(
        !dir.path().join("kiosk.key").exists(),
        "{:?}",
        files(dir.path())
    );
    let engine = Engine::open_store_with_key(
        dir.path(),
        Arc::new(FakeClock::new(NOW * 1000)),
        keys.kiosk().unwrap(),
    )
    .unwrap();
    assert_eq!(engine.kiosk_id(), made.id().to_string());

    // A key file given by hand is installed once (0600) and another one later is refused
    // instead of silently signing with a second identity.
    let given_dir = tempfile::tempdir().unwrap();
    let given = given_dir.path().join("given.key");
    let made = write_key(&given);
    let dir = tempfile::tempdir().unwrap();
    let key = Keys::resolve(dir.path(), &key_env(false, None, Some(&given)))
        .kiosk()
        .unwrap();
    assert_eq!(key.public().to_toml(), made.public().to_toml());
    let store = synaq_store::identity::load_or_create(dir.path()).unwrap();
    assert_eq!(store.public().to_toml(), made.public().to_toml());
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(dir.path().join("kiosk.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let other = given_dir.path().join("other.key");
    write_key(&other);
    let e = Keys::resolve(dir.path(), &key_env(false, None, Some(&other)))
        .kiosk()
        .unwrap_err();
    assert_eq!(e.code.id(), "error-kiosk-keys");
    assert!(
        e.detail.contains("not the key this kiosk already has"),
        "{}",
        e.detail
    );
}

#[test]
fn a_bank_that_cannot_be_kept_is_not_recorded_as_trusted() {
    use synaq_seal::TrustStore as _;
    let dir = tempfile::tempdir().unwrap();
    let issuer = synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap();
    let kiosk = crate::load::Keys::demo(dir.path()).kiosk().unwrap();
    let mark = || {
        synaq_seal::FileTrustStore::open(&dir.path().join("trust.json"))
            .unwrap()
            .high_water("eumc-demo")
    };
    let full = || {
        Err(LoadError {
            code: "store-db".into(),
            detail: "no space left on device".into(),
        })
    };
    let e = crate::load::open_then(
        crate::load::DEMO_BANK,
        &issuer,
        &kiosk,
        dir.path(),
        NOW,
        full,
    )
    .unwrap_err();
    assert_eq!(e.code.id(), "store-db");
    assert_eq!(
        mark(),
        None,
        "nothing trusted while the bank is not on disk"
    );
    let opened = crate::load::open_then(
        crate::load::DEMO_BANK,
        &issuer,
        &kiosk,
        dir.path(),
        NOW,
        || Ok(()),
    );
    assert_eq!(mark(), Some(opened.unwrap().header.version));
}

#[test]
fn a_tampered_bank_gives_a_translated_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap();
    let key = synaq_seal::KioskSecret::from_toml(crate::load::DEMO_KIOSK_KEY).unwrap();
    let mut bytes = crate::load::DEMO_BANK.to_vec();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    let opened = crate::load::open(&bytes, &issuer, &key, dir.path(), NOW);
    let mut k = Station::new(
        crate::load::Keys::demo(dir.path()),
        opened,
        demo_roster(dir.path()),
        dir.path(),
        Arc::new(FakeClock::new(NOW * 1000)),
    )
    .unwrap();
    let err = k.categories().map_err(|e| k.translate(e)).unwrap_err();
    assert_eq!(err.code, "bank-bad-signature");
    assert!(
        err.message.starts_with("Банктің қолтаңбасы жарамсыз"),
        "{}",
        err.message
    );
    k.set_lang(Lang::Ru);
    let status = k.status();
    assert!(status
        .problem
        .unwrap()
        .message
        .starts_with("Подпись банка недействительна"));
    let trust = std::fs::read_to_string(dir.path().join("trust.json")).unwrap_or_default();
    assert!(
        !trust.contains("eumc-demo"),
        "a refused bank is never trusted"
    );
}

/// Every code a person can be shown, from every error enum the kiosk meets, is a message in
/// kk, ru and en, formatted with every value it shows (none left as `{ $x }`).
#[test]
fn every_code_is_formatted_with_its_values_in_every_language() {
    let l10n = Localizer::new().unwrap();
    let codes: Vec<Code> = synaq_core::IdError::examples()
        .iter()
        .map(synaq_core::IdError::to_code)
        .chain(StoreError::examples().iter().map(StoreError::to_code))
        .chain(synaq_seal::BankError::ALL_CODES.map(Code::new))
        .chain(synaq_seal::roster::RosterError::ALL_CODES.map(Code::new))
        .chain(Refusal::ALL.iter().map(|r| r.example()))
        // ЕУМЦ's reasons for refusing a result, shown on the sync screen.
        .chain(
            synaq_central::ingest::RESULT_REFUSALS
                .iter()
                .map(|c| Code::new(format!("refusal-{c}"))),
        )
        .collect();
    assert!(codes.len() > 80, "only {} codes", codes.len());
    for code in &codes {
        for lang in Lang::ALL {
            assert!(
                l10n.has(lang, code.id()),
                "{code} missing in {}",
                lang.code()
            );
            let text = l10n.message(lang, code);
            assert!(!text.contains('{'), "{code} in {}: {text}", lang.code());
            let given: BTreeSet<String> = code.args.keys().cloned().collect();
            let wanted = l10n.variables(lang, code.id());
            assert!(
                wanted.is_subset(&given),
                "{code} in {}: the message shows {wanted:?}, the code carries {given:?}",
                lang.code()
            );
        }
    }
}

/// Regression: an ИИН of the wrong length showed «…сейчас {$count}.» to the proctor (and a
/// debug build panicked), because the code lost its value on the way to the window.
#[test]
fn an_invalid_iin_is_told_to_the_proctor_with_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = kiosk(dir.path());
    let proctor = with_proctor(&mut k);
    let e = k.find(&proctor, "123", today()).unwrap_err();
    assert_eq!(e.code, "id-error-wrong-length");
    k.set_lang(Lang::Ru);
    let shown = k.translate(e.clone());
    assert_eq!(shown.message, "Номер должен состоять из 12 цифр, сейчас 3.");
    assert_eq!(shown.args.get("count"), Some(&ArgView::Number(3)));
    k.set_lang(Lang::Kk);
    assert!(!k.translate(e).message.contains('{'));
    let e = k
        .admit(&proctor, "900101300018", "cat-1", true, today())
        .unwrap_err();
    assert_eq!(e.code, "id-error-control-digit");
    k.set_lang(Lang::En);
    let shown = k.translate(e);
    assert!(!shown.message.contains('{'), "{}", shown.message);
}

/// Sessions for every role on one kiosk, with an exam running.
fn staffed(dir: &Path) -> (Station, String, String, String) {
    let mut k = kiosk(dir);
    let admin = k
        .first_run_setup(
            "Алматы-1",
            "admin",
            "Әлия Сейітова",
            "correct horse",
            NOW * 1000,
        )
        .unwrap()
        .token;
    k.add_proctor(&admin, "p1", "Иван Смирнов", "battery staple", NOW * 1000)
        .unwrap();
    let proctor = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    let examinee = k
        .admit(&proctor, "900101300017", "cat-1", true, today())
        .unwrap()
        .token;
    k.start_exam(&examinee).unwrap();
    // The admin session was replaced by nothing: log in again (one session per role).
    let admin = k
        .login(StaffRoleView::Admin, "admin", "correct horse")
        .unwrap()
        .token;
    (k, admin, proctor, examinee)
}

/// Calls the command `name` as the window would, with `token` wherever it takes one.
fn call(k: &mut Station, name: &str, token: &str) -> Result<(), Code> {
    match name {
        "proctor_find" => k.find(token, "900101300017", today()).map(drop),
        "proctor_admit" => k
            .admit(token, "850715401236", "cat-2", true, today())
            .map(drop),
        "proctor_attempt" => k.attempt(token).map(drop),
        "proctor_pause" => k.pause(token, "health", "").map(drop),
        "proctor_resume" => k.resume(token, "health", "").map(drop),
        "proctor_extend" => k.extend(token, 5, "technical-fault", "").map(drop),
        "proctor_end" => k.end(token, "phone-or-notes", "").map(drop),
        "proctor_reference_photo" => k.reference_photo(token).map(drop),
        "staff_camera_preview" => k.camera_preview(token).map(drop),
        "exam_status" => k.exam_status(token).map(drop),
        "exam_start" => k.start_exam(token).map(drop),
        "exam_question" => k.question(token, 0).map(drop),
        "exam_answer" => k.answer(token, 0, vec![]).map(drop),
        "exam_flag" => k.flag(token, 0, true).map(drop),
        "exam_submit" => k.submit(token).map(drop),
        "admin_staff" => k.staff(token).map(drop),
        "admin_add_proctor" => k
            .add_proctor(token, "p9", "Name", "long enough", 0)
            .map(drop),
        "admin_set_disabled" => k.set_disabled(token, "p1", true).map(drop),
        "admin_journal" => k.journal(token, None, 10).map(drop),
        "admin_allow_exit" => k.allow_exit(token).map(drop),
        "admin_shut_down" => k.shut_down(token).map(drop),
        "admin_reset_password" => k.reset_password(token, "p1", "new password 1").map(drop),
        "admin_drives" => k.drives(token).map(drop),
        "admin_enroll_file" => k.enroll_from_file(token, "/nonexistent").map(drop),
        "admin_import_bank" => k.import_bank(token, "/nonexistent", NOW).map(drop),
        "admin_import_roster" => k.import_roster(token, "/nonexistent", NOW).map(drop),
        "admin_export_journal" => k
            .export_journal(token, "/nonexistent", NOW * 1000)
            .map(drop),
        "admin_diagnostics" => k.diagnostics(token, NOW * 1000).map(drop),
        "admin_settings" => k.settings(token).map(drop),
        "admin_save_settings" => k.save_settings(token, "", 1).map(drop),
        "admin_sync_state" => k.sync_view(token).map(drop),
        "admin_enroll" => k
            .enroll_prepare(
                token,
                "https://127.0.0.1:1",
                &"ab".repeat(32),
                "ALM-01",
                "x",
            )
            .map(drop),
        "admin_enroll_request" => k
            .enroll_request_file(token, "/nonexistent", "ALM-01", "x")
            .map(drop),
        "admin_enroll_import" => k.enroll_import(token, "/nonexistent", "ALM-01").map(drop),
        "admin_sync_now" => k.sync_start(token).map(drop),
        "admin_requeue" => k.requeue(token, "none").map(drop),
        "admin_certificate" => k.certificate(token, "KZOT-2026-000001").map(drop),
        "admin_printers" => k.printers(token).map(drop),
        "admin_choose_printer" => k.choose_printer(token, "none").map(drop),
        "admin_print_certificate" => k.print_certificate(token, "KZOT-2026-000001").map(drop),
        "admin_print_status" => k
            .print_status(
                token,
                PrintJobView {
                    number: "KZOT-2026-000001".into(),
                    printer: "none".into(),
                    job: "none-1".into(),
                    copy: false,
                    state: PrintJobState::Queued,
                },
            )
            .map(drop),
        "admin_export_media" | "admin_import_receipts" => k.media_prepare(token).map(drop),
        other => panic!("{other} is not covered by the role test"),
    }
}

/// Commands anyone may call (they reveal nothing personal and change nothing an exam needs).
const PUBLIC: [&str; 6] = [
    "app_status",
    "set_language",
    "list_categories",
    "first_run_setup",
    "staff_login",
    "logout",
];

#[test]
fn every_command_refuses_every_wrong_role() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, proctor, examinee) = staffed(dir.path());
    let gated: Vec<&str> = command_names::COMMANDS
        .iter()
        .copied()
        .filter(|c| !PUBLIC.contains(c))
        .collect();
    assert_eq!(gated.len() + PUBLIC.len(), command_names::COMMANDS.len());
    for name in &gated {
        let right: &[&String] = if name.starts_with("proctor_") {
            &[&proctor]
        } else if name.starts_with("exam_") {
            &[&examinee]
        } else if name.starts_with("staff_") {
            &[&proctor, &admin]
        } else {
            &[&admin]
        };
        for wrong in [&admin, &proctor, &examinee, &"".to_owned(), &"f".repeat(64)] {
            if right.contains(&wrong) {
                continue;
            }
            let err = call(&mut k, name, wrong).expect_err(name);
            assert_eq!(err.code, "error-forbidden", "{name} with a wrong role");
        }
    }
    // And the staff flags were never changed by a refused call.
    let staff = k.staff(&admin).unwrap();
    assert!(staff.iter().all(|s| !s.disabled));
    // First-run setup is refused once staff exist.
    assert_eq!(
        k.first_run_setup("x", "z", "w", "long enough", 0)
            .unwrap_err()
            .code,
        "error-forbidden"
    );
}

#[test]
fn a_whole_exam_through_the_kiosk() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, _admin, proctor, examinee) = staffed(dir.path());
    let status = k.exam_status(&examinee).unwrap();
    assert!(
        !status.name.is_empty() && !status.name.contains("0017"),
        "{}",
        status.name
    );
    assert_eq!(status.masked_iin, "********0017");
    assert_eq!(status.grid.len(), 30);
    for p in 0..30 {
        let q = k.question(&examinee, p).unwrap();
        assert!(!q.options.is_empty());
        k.answer(&examinee, p, vec![q.options[0].id.clone()])
            .unwrap();
    }
    k.flag(&examinee, 3, true).unwrap();
    assert!(k.exam_status(&examinee).unwrap().grid[3].flagged);
    // A proctor pause stops the examinee; resume hands out a fresh examinee session.
    k.pause(&proctor, "health", "water").unwrap();
    assert_eq!(
        k.answer(&examinee, 0, vec![]).unwrap_err().code,
        "store-not-running"
    );
    let examinee = k.resume(&proctor, "health", "ok").unwrap().token;
    k.submit(&examinee).unwrap();
    let result = k.exam_status(&examinee).unwrap().result.expect("a result");
    assert_eq!(result.total, 30);
    assert_eq!(result.finish_reason, FinishView::Submitted);
    assert_eq!(result.passed, result.correct >= 21);
    assert_eq!(result.retake_until.is_some(), !result.passed);
}

#[test]
fn proctor_input_is_checked_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, _admin, proctor, _examinee) = staffed(dir.path());
    assert_eq!(
        k.find(&proctor, "900101300018", today()).unwrap_err().code,
        "id-error-control-digit"
    );
    assert_eq!(
        k.find(&proctor, "123", today()).unwrap_err().code,
        "id-error-wrong-length"
    );
    assert!(!k
        .find(&proctor, "880315300511", today())
        .unwrap()
        .is_empty());
    assert_eq!(
        k.pause(&proctor, "because", "").unwrap_err().code,
        "proctor-reason-required"
    );
    assert_eq!(
        k.extend(&proctor, 0, "health", "").unwrap_err().code,
        "proctor-bad-minutes"
    );
    assert_eq!(
        k.admit(&proctor, "850715401236", "cat-2", false, today())
            .unwrap_err()
            .code,
        "proctor-document-unchecked"
    );
}

#[test]
fn admin_imports_are_checked_and_take_effect() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, examinee) = staffed(dir.path());
    // Not while an exam is open.
    let bank_file = dir.path().join("import.synaqbank");
    std::fs::write(&bank_file, crate::load::DEMO_BANK).unwrap();
    let path = bank_file.to_str().unwrap();
    assert_eq!(
        k.import_bank(&admin, path, NOW).unwrap_err().code,
        "admin-import-exam-open"
    );
    k.submit(&examinee).unwrap();
    // A tampered file: refused with its reason, nothing replaced.
    let mut bad = crate::load::DEMO_BANK.to_vec();
    bad[700] ^= 4;
    let bad_file = dir.path().join("bad.synaqbank");
    std::fs::write(&bad_file, &bad).unwrap();
    assert_eq!(
        k.import_bank(&admin, bad_file.to_str().unwrap(), NOW)
            .unwrap_err()
            .code,
        "bank-bad-signature"
    );
    assert!(!dir.path().join(crate::load::BANK_FILE).exists());
    assert_eq!(
        k.import_bank(&admin, "/no/such/file", NOW)
            .unwrap_err()
            .code,
        "admin-file-unreadable"
    );
    // The real one: a verdict, kept, in use.
    let v = k.import_bank(&admin, path, NOW).unwrap();
    assert_eq!(
        (v.kind, v.name.as_str(), v.count),
        (ImportKind::Bank, "eumc-demo", 330)
    );
    assert!(dir.path().join(crate::load::BANK_FILE).exists());
    assert_eq!(k.categories().unwrap().len(), 6);
    // The roster the same way; a bank given as a roster is refused.
    let roster_file = dir.path().join("import.synaqroster");
    std::fs::write(&roster_file, crate::load::DEMO_ROSTER).unwrap();
    let v = k
        .import_roster(&admin, roster_file.to_str().unwrap(), NOW)
        .unwrap();
    assert_eq!((v.kind, v.name.as_str()), (ImportKind::Roster, "ALM-01"));
    assert_eq!(
        k.import_roster(&admin, path, NOW).unwrap_err().code,
        "roster-not-a-roster"
    );
}

#[test]
fn the_journal_exports_to_csv_without_a_full_iin() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, examinee) = staffed(dir.path());
    k.submit(&examinee).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = k
        .export_journal(&admin, out.path().to_str().unwrap(), NOW * 1000)
        .unwrap();
    let csv = std::fs::read_to_string(&file).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["seq", "time_local", "time_utc", "attempt", "kind", "data"]
    );
    // A name people read: the office's date and time (NOW is 2027-01-15 08:00 UTC, 13:00 in
    // Almaty), then the kiosk.
    let name = Path::new(&file).file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("synaq-journal-2027-01-15_13-00-") && name.ends_with(".csv"),
        "{name}"
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(&records[0][1], "15.01.2027 13:00:00", "office time first");
    assert_eq!(&records[0][2], "2027-01-15 08:00:00");
    let kinds: Vec<String> = records.iter().map(|r| r[4].to_owned()).collect();
    assert!(
        kinds.iter().any(|k| k == "admitted") && kinds.iter().any(|k| k == "finished"),
        "{kinds:?}"
    );
    assert!(!csv.contains("900101300017"));
    let d = k.diagnostics(&admin, NOW * 1000).unwrap();
    assert_eq!(
        d.bank.as_deref(),
        Some(format!("eumc-demo v{}", demo_bank_version()).as_str())
    );
    assert!(d.free_disk_mb > 0);
    assert!(d.clock_ok);
    assert_eq!(
        k.export_journal(&admin, "/nonexistent/dir", 0)
            .unwrap_err()
            .code,
        "admin-export-failed"
    );
}

#[test]
fn settings_stay_within_what_the_profile_allows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, _examinee) = staffed(dir.path());
    let s = k.settings(&admin).unwrap();
    assert_eq!(
        s.max_interval_secs, 5,
        "the demo profile captures every 5 s"
    );
    assert_eq!(s.capture_interval_secs, 5);
    assert_eq!(
        k.save_settings(&admin, "", 6).unwrap_err().code,
        "admin-interval-out-of-range"
    );
    assert_eq!(
        k.save_settings(&admin, "", 0).unwrap_err().code,
        "admin-interval-out-of-range"
    );
    assert_eq!(
        k.save_settings(&admin, "/dev/video9", 3).unwrap_err().code,
        "admin-camera-unknown"
    );
    let s = k.save_settings(&admin, "", 3).unwrap();
    assert_eq!((s.capture_interval_secs, s.camera_device.as_str()), (3, ""));
    assert_eq!(k.settings(&admin).unwrap().capture_interval_secs, 3);
}

/// First-run setup and one proctor; returns the proctor's session (no exam yet).
fn with_proctor(k: &mut Station) -> String {
    let admin = k
        .first_run_setup("К-1", "admin", "Әлия", "correct horse", NOW * 1000)
        .unwrap()
        .token;
    k.add_proctor(&admin, "p1", "Иван", "battery staple", NOW * 1000)
        .unwrap();
    k.login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token
}

fn demo_evidence_secret() -> synaq_proctor::EvidenceSecret {
    synaq_sync::evidence::parse_secret(include_str!(
        "../../../../assets/demo/keys/demo-evidence.key"
    ))
    .unwrap()
}

fn fixture_camera(prefix: &str) -> Option<String> {
    Some(format!(
        "fixture:{}/../../assets/fixtures/frames:{prefix}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// Reference photo at admission (the first sealed frame), then a restart mid-exam: the
/// camera comes back in a second evidence segment, and the signed result names both heads,
/// each of which ЕУМЦ can verify with the evidence key.
#[test]
fn reference_photo_and_a_restart_give_two_verified_evidence_segments() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = kiosk(dir.path());
    k.use_fixture_camera(fixture_camera("face-"));
    let proctor = with_proctor(&mut k);
    // The examinee is not admitted yet: the preview and the photo are the proctor's only.
    let preview = k.camera_preview(&proctor).unwrap();
    assert!(preview.jpeg.starts_with("data:image/jpeg;base64,"));
    let photo = k.reference_photo(&proctor).unwrap();
    assert_eq!(photo.faces, 1, "the fixture face is found");
    let examinee = k
        .admit(&proctor, "900101300017", "cat-1", true, today())
        .unwrap()
        .token;
    assert_eq!(
        k.reference_photo(&examinee).unwrap_err().code,
        "error-forbidden"
    );
    assert_eq!(
        k.camera_preview(&examinee).unwrap_err().code,
        "error-forbidden"
    );
    // Frames arrive while the exam runs; the proctor's preview shows the newest.
    let deadline = Instant::now() + Duration::from_secs(60);
    while k.camera_preview(&proctor).is_err() && Instant::now() < deadline {
        k.tick();
        std::thread::sleep(Duration::from_millis(50));
    }
    k.start_exam(&examinee).unwrap();
    k.answer(&examinee, 0, vec![]).unwrap();
    k.tick();
    drop(k); // the kiosk dies mid-exam

    let mut k = kiosk(dir.path());
    k.use_fixture_camera(fixture_camera("face-"));
    let proctor = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    let examinee = k
        .resume(&proctor, "technical-fault", "power")
        .unwrap()
        .token;
    k.tick();
    k.submit(&examinee).unwrap();
    let signed = k.engine().unwrap().outbox().unwrap().pop().unwrap();
    let heads: Vec<synaq_proctor::ChainHead> = signed
        .record
        .evidence_head
        .as_deref()
        .expect("evidence heads in the signed result")
        .split(' ')
        .map(|h| h.parse().unwrap())
        .collect();
    assert_eq!(heads.len(), 2, "one segment per camera run");
    assert!(heads[0].frames >= 1, "the reference photo is frame 0");
    let root = dir.path().join("evidence").join(&signed.record.attempt_id);
    let secret = demo_evidence_secret();
    for (i, head) in heads.iter().enumerate() {
        let r =
            synaq_proctor::EvidenceReader::open(&root.join((i + 1).to_string()), &secret).unwrap();
        r.verify_head(head).unwrap();
    }
    let first = synaq_proctor::EvidenceReader::open(&root.join("1"), &secret).unwrap();
    let journal = k.engine().unwrap().journal_rows(None, 1000).unwrap();
    let reference = journal
        .iter()
        .find(|r| r.data.contains("reference-photo"))
        .expect("the reference photo is journalled");
    assert!(reference.data.contains(&first.frames()[0].hash.to_hex()));
}

/// No camera: the photo is refused with a clear code, the admission goes on and says so.
#[test]
fn without_a_camera_the_photo_says_so_and_admission_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = kiosk(dir.path());
    k.use_fixture_camera(Some("fixture:/nonexistent:face-".into()));
    let proctor = with_proctor(&mut k);
    let e = k.reference_photo(&proctor).unwrap_err();
    assert!(["camera-none", "camera-failed"].contains(&e.id()), "{e:?}");
    k.admit(&proctor, "900101300017", "cat-1", true, today())
        .unwrap();
    let journal = k.engine().unwrap().journal_rows(None, 100).unwrap();
    assert!(journal
        .iter()
        .any(|r| r.data.contains("no-reference-photo")));
    // The disk warning: below the level, status says how much is left.
    assert!(k.status().disk_low_mb.is_none());
    k.set_disk_warning_mb(u64::MAX);
    assert!(k.status().disk_low_mb.is_some());
}

/// Results and their sealed evidence reach a real central over HTTPS through the kiosk's own
/// sync job; the evidence stays on the kiosk until ЕУМЦ's signed receipt, then it is removed,
/// and ЕУМЦ's reviewer opens it with the evidence key.
/// One sync started by `admin`, run to its end as the kiosk's sync thread runs it.
fn synced(k: Station, admin: &str) -> Station {
    let shared = Mutex::new(k);
    let job = shared.lock().unwrap().sync_start(admin).unwrap().unwrap();
    job.run(&shared);
    shared.into_inner().unwrap()
}

/// ЕУМЦ's central on loopback (real HTTPS, the demo issuer key, branch ALM-01 with the demo
/// roster, bank and a proctor p2), with its runtime, data directory, address and TLS pin, and a
/// one-time enrollment code for ALM-01.
struct LoopCentral {
    rt: tokio::runtime::Runtime,
    central: Arc<synaq_central::Central>,
    base: String,
    pin: synaq_sync::CentralPin,
    code: String,
    _dir: tempfile::TempDir,
}

fn central_on_loopback() -> LoopCentral {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let cdir = tempfile::tempdir().unwrap();
    synaq_central::Central::install_issuer_key(cdir.path(), &demo.join("keys/demo-issuer.key"))
        .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let central = Arc::new(synaq_central::Central::open(cdir.path(), &base).unwrap());
    central.add_branch("ALM-01", "Алматы").unwrap();
    let roster = std::fs::read_to_string(demo.join("roster.toml")).unwrap();
    central
        .import_roster(&synaq_seal::roster::RosterSource::from_toml(&roster).unwrap())
        .unwrap();
    central
        .publish_bank(&std::fs::read(demo.join("demo.synaqbank")).unwrap())
        .unwrap();
    central
        .set_staff("ALM-01", "p2", "Айгүл Нұрланова", "proctor", true)
        .unwrap();
    let code = central.enrollment_code("ALM-01").unwrap();
    let tls = synaq_central::tls::TlsIdentity::load_or_create(cdir.path(), &[]).unwrap();
    let pin = tls.pin();
    let config = tls.server_config().unwrap();
    rt.spawn(synaq_central::http::serve(
        Arc::clone(&central),
        listener,
        config,
    ));
    LoopCentral {
        rt,
        central,
        base,
        pin,
        code,
        _dir: cdir,
    }
}

/// A kiosk as the packages install it: no demo, its key only the sealed credential, ЕУМЦ's
/// public keys installed. It starts at first run with no bank, enrolls, gets its bank from
/// ЕУМЦ (re-wrapped for its key) with the roster and staff, and the exam it runs is signed with
/// the sealed key and verified at central; no key file is ever written.
#[test]
fn a_sealed_kiosk_enrolls_gets_its_bank_from_eumc_and_central_verifies_its_results() {
    let c = central_on_loopback();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/keys");
    let creds = tempfile::tempdir().unwrap();
    let sealed = creds.path().join(synaq_store::identity::CREDENTIAL);
    let made = write_key(&sealed);
    let env = crate::load::KeyEnv {
        demo: false,
        credential: Some(sealed),
        given: None,
        issuer: Some(demo.join("demo-issuer.pub")),
        evidence: Some(demo.join("demo-evidence.pub")),
    };
    let dir = tempfile::tempdir().unwrap();
    let keys = crate::load::Keys::resolve(dir.path(), &env);
    // The office's real time: ЕУМЦ signs the pulled roster from its own clock.
    let now_ms = crate::load::now() * 1000;
    let mut k = Station::new(
        keys.clone(),
        crate::load::bank_from_env(&keys, dir.path()),
        crate::load::roster_from_env(&keys, dir.path()),
        dir.path(),
        Arc::new(FakeClock::new(now_ms)),
    )
    .unwrap();
    k.use_fixture_camera(fixture_camera("face-"));
    assert!(k.status().first_run);
    assert_eq!(k.categories().unwrap_err().code, "error-bank-missing");
    let admin = k
        .first_run_setup("К-1", "admin", "Әлия", "correct horse", now_ms)
        .unwrap()
        .token;
    let job = k
        .enroll_prepare(&admin, &c.base, &c.pin.to_string(), "ALM-01", &c.code)
        .unwrap();
    let enrolled = c.rt.block_on(job.run());
    let view = k.enroll_finish(&admin, enrolled).unwrap();
    assert_eq!(view.enrollment.unwrap().branch, "ALM-01");
    let mut k = synced(k, &admin);
    assert!(k.categories().is_ok(), "the bank came with the pull");

    // ЕУМЦ's proctor for the branch (from the pull) gets a password on this kiosk.
    k.add_proctor(&admin, "p2", "Айгүл Нұрланова", "battery staple", now_ms)
        .unwrap();
    let proctor = k
        .login(StaffRoleView::Proctor, "p2", "battery staple")
        .unwrap()
        .token;
    k.reference_photo(&proctor).unwrap();
    let examinee = k
        .admit(
            &proctor,
            "900101300017",
            "cat-1",
            true,
            OfficeZone::ALMATY.date_of_ms(now_ms),
        )
        .unwrap()
        .token;
    k.start_exam(&examinee).unwrap();
    k.answer(&examinee, 0, vec![]).unwrap();
    k.submit(&examinee).unwrap();
    let mut k = synced(k, &admin);
    let after = k.sync_view(&admin).unwrap();
    assert!(after.error.is_none() && !after.offline, "{after:?}");
    let row = &after.results[0];
    assert_eq!(
        (row.state, row.evidence),
        (DeliveryState::Delivered, EvidenceDelivery::Delivered),
        "{after:?}"
    );
    // Central checked the signature with the key the kiosk enrolled with, replayed the
    // journal, and recorded the (failed) exam without a hold.
    let (state, reasons) = c.central.verdict(&row.attempt).unwrap().unwrap();
    assert_eq!(
        (state.as_str(), reasons.len()),
        ("failed", 0),
        "{reasons:?}"
    );
    assert_eq!(
        k.diagnostics(&admin, now_ms).unwrap().kiosk_id,
        made.id().to_string()
    );
    assert!(
        !dir.path().join("kiosk.key").exists(),
        "the sealed key is never written out"
    );
}

#[test]
fn a_sync_delivers_the_result_and_its_evidence_then_frees_the_disk() {
    let LoopCentral {
        rt,
        central,
        base,
        pin,
        code,
        _dir,
    } = central_on_loopback();

    // An exam with the (fixture) camera on this kiosk.
    let dir = tempfile::tempdir().unwrap();
    let mut k = kiosk(dir.path());
    k.use_fixture_camera(fixture_camera("face-"));
    let proctor = with_proctor(&mut k);
    k.reference_photo(&proctor).unwrap();
    let examinee = k
        .admit(&proctor, "900101300017", "cat-1", true, today())
        .unwrap()
        .token;
    k.start_exam(&examinee).unwrap();
    k.answer(&examinee, 0, vec![]).unwrap();
    // A staff action while the exam is open: its row lies inside the attempt's run, and
    // central still verifies and replays the run (regression: refused as another attempt's).
    k.engine()
        .unwrap()
        .journal_staff_action(Kind::SettingsSaved, &serde_json::json!({"by": "admin"}))
        .unwrap();
    k.submit(&examinee).unwrap();
    let admin = k
        .login(StaffRoleView::Admin, "admin", "correct horse")
        .unwrap()
        .token;
    let before = k.sync_view(&admin).unwrap();
    assert!(before.enrollment.is_none());
    assert_eq!(before.results.len(), 1);
    let attempt = before.results[0].attempt.clone();
    assert_eq!(
        (before.results[0].state, before.results[0].evidence),
        (DeliveryState::Queued, EvidenceDelivery::Queued)
    );
    let evidence = dir.path().join("evidence").join(&attempt);
    assert!(evidence.join("1/evidence.json").exists());
    // Written to removable media, the bundle's name starts with the office's date and time.
    let drive = tempfile::tempdir().unwrap();
    let job = k.media_prepare(&admin).unwrap();
    let out = k
        .media_exported(&admin, job.export(drive.path().to_str().unwrap()))
        .unwrap();
    let name = Path::new(out.path.as_deref().unwrap())
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let kiosk_id = k.diagnostics(&admin, NOW * 1000).unwrap().kiosk_id;
    let stamp = name
        .strip_prefix("synaq-results-")
        .and_then(|n| n.strip_suffix(&format!("-{kiosk_id}.synaqout")))
        .unwrap_or_else(|| panic!("{name}"));
    assert!(
        chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").is_ok(),
        "{name}"
    );
    assert_eq!(out.results, 1);

    // Not enrolled: a clear refusal. Then enrolled with the one-time code.
    assert_eq!(k.sync_start(&admin).unwrap_err().code, "sync-not-enrolled");
    let wrong = k
        .enroll_prepare(&admin, &base, &pin.to_string(), "ALM-01", "not-the-code")
        .unwrap();
    let refused = rt.block_on(wrong.run());
    assert_eq!(refused.unwrap_err().code, "sync-bad-enrollment-code");
    // ЕУМЦ's enrollment file on removable media: the admin picks it, types nothing. A file
    // altered on the way (another fingerprint) is refused before any network call.
    let drive = tempfile::tempdir().unwrap();
    let join = drive.path().join("alm-01.synaqjoin");
    let file = central.enrollment_file("ALM-01", &base, pin).unwrap();
    let forged = String::from_utf8(file.clone())
        .unwrap()
        .replace(&pin.to_string(), &format!("{}AB", "AB:".repeat(31)));
    std::fs::write(&join, forged).unwrap();
    assert_eq!(
        k.enroll_from_file(&admin, join.to_str().unwrap())
            .unwrap_err()
            .code,
        "sync-bad-enrollment-file"
    );
    std::fs::write(&join, &file).unwrap();
    let found = crate::drives::files_on(drive.path());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, crate::drives::FileKind::Enrollment);
    let job = k
        .enroll_from_file(&admin, found[0].path.to_str().unwrap())
        .unwrap();
    let enrolled = rt.block_on(job.run());
    let view = k.enroll_finish(&admin, enrolled).unwrap();
    assert_eq!(view.enrollment.unwrap().branch, "ALM-01");
    let _ = code; // the typed form's code stays unused: the file brought its own

    let mut k = synced(k, &admin);
    let after = k.sync_view(&admin).unwrap();
    assert!(after.error.is_none() && !after.offline, "{after:?}");
    assert_eq!(
        (after.results[0].state, after.results[0].evidence),
        (DeliveryState::Delivered, EvidenceDelivery::Delivered),
        "{after:?}"
    );
    assert!(after.last_sync.is_some());
    // Enrollment and the sync are in the audit journal, with who started it.
    let staff_kinds: Vec<(String, String)> = k
        .journal(&admin, None, 1000)
        .unwrap()
        .into_iter()
        .rev()
        .filter(|r| r.attempt.is_empty())
        .map(|r| (r.kind, r.data))
        .collect();
    let names: Vec<&str> = staff_kinds.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "setup_done",
            "staff_added",
            "settings_saved",
            "exported",
            "enrolled",
            "sync_started",
            "sync_finished"
        ]
    );
    assert!(
        staff_kinds[6].1.contains(r#""delivered":1"#)
            && staff_kinds[6].1.contains(r#""by":"admin""#),
        "{}",
        staff_kinds[6].1
    );

    assert!(
        !evidence.exists(),
        "evidence removed once ЕУМЦ signed for it"
    );
    // The branch's staff from ЕУМЦ: a proctor without a password here is listed as such.
    let staff = k.staff(&admin).unwrap();
    let p2 = staff
        .iter()
        .find(|s| s.id == "p2")
        .expect("ЕУМЦ's proctor listed");
    assert!(p2.from_central && !p2.on_kiosk);
    assert!(staff
        .iter()
        .any(|s| s.id == "p1" && s.on_kiosk && !s.from_central));
    // ЕУМЦ sets a minimum kiosk version above this one: after the next sync nobody is
    // admitted, and staff read why, with both versions; cleared, admission is back.
    assert!(
        central.set_min_kiosk_version(Some("0.1")).is_err(),
        "not a version"
    );
    central.set_min_kiosk_version(Some("99.0.0")).unwrap();
    let mut k = synced(k, &admin);
    let proctor = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    let refused = k
        .admit(&proctor, "951103401587", "cat-4", true, today())
        .unwrap_err();
    assert_eq!(refused.code, "kiosk-too-old");
    let shown = k.translate(refused);
    assert!(
        shown.message.contains("99.0.0") && shown.message.contains(VERSION),
        "{}",
        shown.message
    );
    assert_eq!(k.categories().unwrap_err().code, "kiosk-too-old");
    assert_eq!(k.status().problem.unwrap().code, "kiosk-too-old");
    central.set_min_kiosk_version(Some(VERSION)).unwrap();
    let mut k = synced(k, &admin);
    assert!(k.categories().is_ok(), "this very version is accepted");
    assert!(k.status().problem.is_none());

    // ЕУМЦ revokes the bank: after the next sync nobody is admitted with it, with the reason.
    central
        .revoke_bank("eumc-demo", demo_bank_version())
        .unwrap();
    let mut k = synced(k, &admin);
    let proctor = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    assert_eq!(
        k.admit(&proctor, "951103401587", "cat-4", true, today())
            .unwrap_err()
            .code,
        "bank-revoked"
    );
    assert_eq!(k.categories().unwrap_err().code, "bank-revoked");
    assert_eq!(k.status().problem.unwrap().code, "bank-revoked");
    // ЕУМЦ opens what it received with the evidence key: the reference photo comes first.
    let out = tempfile::tempdir().unwrap();
    let shown = central
        .show_evidence(&attempt, &demo_evidence_secret(), out.path())
        .unwrap();
    assert!(!shown.segments.is_empty());
    assert!(shown.incidents.iter().any(|i| i.kind == "reference-photo"));
}

/// Regression: with an expired or broken bank the admin's login was refused with the bank's
/// code, so the admin could not import the new bank the message asked for. The store opens
/// without a bank: staff, journal, sync and imports work; only admission needs a good bank.
#[test]
fn an_expired_or_broken_bank_does_not_lock_the_admin_out() {
    let not_after = synaq_seal::bank::read_header_unverified(crate::load::DEMO_BANK)
        .unwrap()
        .1
        .not_after;
    let mut tampered = crate::load::DEMO_BANK.to_vec();
    tampered[700] ^= 4;
    for (bytes, later, code) in [
        (
            crate::load::DEMO_BANK.to_vec(),
            not_after + 1,
            "bank-expired",
        ),
        (tampered, NOW, "bank-bad-signature"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let issuer = synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap();
        let key = crate::load::Keys::demo(dir.path()).kiosk().unwrap();
        let bank = crate::load::open(&bytes, &issuer, &key, dir.path(), later);
        assert_eq!(bank.as_ref().unwrap_err().code.id(), code);
        let mut k = Station::new(
            crate::load::Keys::demo(dir.path()),
            bank,
            demo_roster(dir.path()),
            dir.path(),
            Arc::new(FakeClock::new(NOW * 1000)),
        )
        .unwrap();
        // The start screen names the problem, and the first start still works.
        let status = k.status();
        assert_eq!(status.problem.as_ref().map(|p| p.code.as_str()), Some(code));
        assert!(status.first_run);
        let admin = k
            .first_run_setup("К-1", "admin", "Әлия", "correct horse", NOW * 1000)
            .unwrap()
            .token;
        k.logout(&admin);
        let admin = k
            .login(StaffRoleView::Admin, "admin", "correct horse")
            .unwrap()
            .token;
        k.add_proctor(&admin, "p1", "Иван", "battery staple", NOW * 1000)
            .unwrap();
        assert_eq!(k.staff(&admin).unwrap().len(), 2);
        k.journal(&admin, None, 10).unwrap();
        k.sync_view(&admin).unwrap();
        let diag = k.diagnostics(&admin, NOW * 1000).unwrap();
        assert_eq!(diag.bank, None);
        k.settings(&admin).unwrap();
        // Admission needs a good bank, and says which problem stands in the way.
        let proctor = k
            .login(StaffRoleView::Proctor, "p1", "battery staple")
            .unwrap()
            .token;
        assert_eq!(
            k.admit(&proctor, "900101300017", "cat-1", true, today())
                .unwrap_err()
                .code,
            code
        );
        assert_eq!(k.categories().unwrap_err().code, code);
        // The admin imports the bank ЕУМЦ sent; the next examinee is admitted.
        let file = dir.path().join("new.synaqbank");
        std::fs::write(&file, crate::load::DEMO_BANK).unwrap();
        k.import_bank(&admin, file.to_str().unwrap(), NOW).unwrap();
        assert_eq!(k.status().problem, None);
        let examinee = k
            .admit(&proctor, "900101300017", "cat-1", true, today())
            .unwrap()
            .token;
        assert_eq!(
            k.exam_status(&examinee).unwrap().state,
            AttemptState::Admitted
        );
        k.start_exam(&examinee).unwrap();
        assert_eq!(
            k.exam_status(&examinee).unwrap().state,
            AttemptState::Running
        );
    }
}

/// The extend limit is the engine's: the proctor reads how much may still be added.
#[test]
fn extra_time_refusals_tell_the_proctor_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, _admin, proctor, _examinee) = staffed(dir.path());
    k.set_lang(Lang::Ru);
    let e = k.extend(&proctor, 121, "health", "").unwrap_err();
    assert_eq!(e.code, "proctor-bad-minutes");
    assert_eq!(
        k.translate(e).message,
        "Дополнительное время для этого экзамена — от 1 до 120 мин.; запрошено: 121 мин."
    );
    k.extend(&proctor, 120, "technical-fault", "").unwrap();
    let e = k.extend(&proctor, 1, "health", "").unwrap_err();
    assert_eq!(e.args.get("most"), Some(&synaq_core::Arg::from(0u32)));
    k.set_lang(Lang::En);
    assert_eq!(
        k.translate(e).message,
        "No more time can be added to this exam: its extensions have reached the limit. \
         You asked for 1 min."
    );
}

/// The proctor's console over a running exam stops its clock (a pause with the proctor's
/// id); leaving it starts the clock again, and the examinee returns to the question last shown.
#[test]
fn a_proctors_visit_pauses_the_exam_and_leaving_resumes_it_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, _admin, proctor, examinee) = staffed(dir.path());
    k.logout(&proctor);
    k.question(&examinee, 0).unwrap();
    k.question(&examinee, 4).unwrap();
    assert_eq!(k.exam_status(&examinee).unwrap().last_shown, Some(4));
    let visit = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    let view = k.attempt(&visit).unwrap().unwrap();
    assert_eq!((view.state, view.visit), (AttemptState::Paused, true));
    assert_eq!(
        k.question(&examinee, 5).unwrap_err().code,
        "store-not-running"
    );
    let paused = k.engine().unwrap().journal_rows(Some("paused"), 5).unwrap();
    assert!(
        paused[0].data.contains("\"proctor\":\"p1\""),
        "{}",
        paused[0].data
    );
    assert!(paused[0].data.contains(synaq_store::engine::VISIT_REASON));
    k.logout(&visit);
    let s = k.exam_status(&examinee).unwrap();
    assert_eq!((s.state, s.last_shown), (AttemptState::Running, Some(4)));
    // The examinee sees no count of the proctor's camera flags, and no notice without one.
    assert_eq!(s.camera_notice, None);
}

/// A proctor's own pause during the visit outlasts it; the resume is theirs to give.
#[test]
fn a_pause_the_proctor_chose_stays_when_they_leave() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, _admin, proctor, examinee) = staffed(dir.path());
    k.logout(&proctor);
    let visit = k
        .login(StaffRoleView::Proctor, "p1", "battery staple")
        .unwrap()
        .token;
    k.pause(&visit, "health", "went out").unwrap();
    let view = k.attempt(&visit).unwrap().unwrap();
    assert_eq!((view.state, view.visit), (AttemptState::Paused, false));
    k.logout(&visit);
    assert_eq!(
        k.exam_status(&examinee).unwrap().state,
        AttemptState::Paused
    );
}

/// The admin's staff actions are in the audit journal, each with who did it, chained and
/// signed like exam rows (the store verifies the whole chain when it opens again).
#[test]
fn every_staff_action_is_journalled_with_who_did_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, examinee) = staffed(dir.path());
    let kinds = |k: &mut Station| -> Vec<String> {
        let mut rows = k.journal(&admin, None, 1000).unwrap();
        rows.reverse();
        rows.into_iter()
            .filter(|r| r.attempt.is_empty())
            .map(|r| r.kind)
            .collect()
    };
    assert_eq!(kinds(&mut k), ["setup_done", "staff_added"]);
    // Shutting down is refused while the exam is open, and nothing is journalled for it.
    assert_eq!(
        k.shut_down(&admin).unwrap_err().code,
        "admin-shut-down-exam-open"
    );
    assert!(!k.exit_allowed());
    k.submit(&examinee).unwrap();
    k.set_disabled(&admin, "p1", true).unwrap();
    k.set_disabled(&admin, "p1", false).unwrap();
    k.reset_password(&admin, "p1", "new battery staple")
        .unwrap();
    let bank_file = dir.path().join("import.synaqbank");
    std::fs::write(&bank_file, crate::load::DEMO_BANK).unwrap();
    k.import_bank(&admin, bank_file.to_str().unwrap(), NOW)
        .unwrap();
    let mut bad = crate::load::DEMO_ROSTER.to_vec();
    bad[100] ^= 1;
    let bad_file = dir.path().join("bad.synaqroster");
    std::fs::write(&bad_file, &bad).unwrap();
    k.import_roster(&admin, bad_file.to_str().unwrap(), NOW)
        .unwrap_err();
    k.save_settings(&admin, "", 3).unwrap();
    let out = tempfile::tempdir().unwrap();
    k.export_journal(&admin, out.path().to_str().unwrap(), NOW * 1000)
        .unwrap();
    k.enroll_request_file(&admin, out.path().to_str().unwrap(), "ALM-01", "CODE")
        .unwrap();
    k.shut_down(&admin).unwrap();
    assert!(k.exit_allowed());
    assert_eq!(
        kinds(&mut k),
        [
            "setup_done",
            "staff_added",
            "staff_disabled",
            "staff_enabled",
            "password_reset",
            "bank_imported",
            "import_refused",
            "settings_saved",
            "exported",
            "exported",
            "exit_allowed",
        ]
    );
    let rows = k.journal(&admin, None, 1000).unwrap();
    let staff_rows: Vec<_> = rows.iter().filter(|r| r.attempt.is_empty()).collect();
    for r in &staff_rows {
        let data: serde_json::Value = serde_json::from_str(&r.data).unwrap();
        assert_eq!(data["by"], "admin", "{} {}", r.kind, r.data);
        assert!(
            r.at.ends_with(":00") && r.at.starts_with("15.01.2027 13:"),
            "{}",
            r.at
        );
    }
    let refused = staff_rows
        .iter()
        .find(|r| r.kind == "import_refused")
        .unwrap();
    assert!(
        refused.data.contains("bad.synaqroster") && refused.data.contains("roster-bad-signature"),
        "{}",
        refused.data
    );
    let reset = staff_rows
        .iter()
        .find(|r| r.kind == "password_reset")
        .unwrap();
    assert!(
        !reset.data.contains("battery"),
        "no password in the journal"
    );
    // The filter finds staff kinds too; the chain with all of it verifies on the next start.
    assert_eq!(
        k.journal(&admin, Some("exported".into()), 10)
            .unwrap()
            .len(),
        2
    );
    drop(k);
    let mut k = kiosk(dir.path());
    assert!(k.status().problem.is_none(), "{:?}", k.status().problem);
}

/// Every journal kind has a name in kk, ru and en for the admin's journal screen.
#[test]
fn every_journal_kind_is_named_in_every_language() {
    let l10n = Localizer::new().unwrap();
    for kind in Kind::ALL {
        for lang in Lang::ALL {
            let key = format!("journal-kind-{}", kind.as_str());
            assert!(l10n.has(lang, &key), "{key} missing in {}", lang.code());
        }
    }
}

#[test]
fn the_admin_resets_a_proctors_password_and_only_a_proctors() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, _examinee) = staffed(dir.path());
    assert_eq!(
        k.reset_password(&admin, "p1", "short").unwrap_err().code,
        "staff-weak-password"
    );
    assert_eq!(
        k.reset_password(&admin, "nobody", "long enough")
            .unwrap_err()
            .code,
        "staff-unknown"
    );
    assert_eq!(
        k.reset_password(&admin, "admin", "long enough")
            .unwrap_err()
            .code,
        "staff-reset-proctors-only"
    );
    k.reset_password(&admin, " p1 ", "new battery staple")
        .unwrap();
    assert_eq!(
        k.login(StaffRoleView::Proctor, "p1", "battery staple")
            .unwrap_err()
            .code,
        "staff-login-failed"
    );
    k.login(StaffRoleView::Proctor, "p1", "new battery staple")
        .unwrap();
    // The admin's own password was not touched.
    k.login(StaffRoleView::Admin, "admin", "correct horse")
        .unwrap();
}

/// The sync table names the person: name from the roster, masked ИИН, category, result and
/// the office's finish time; never the full ИИН.
#[test]
fn the_sync_table_shows_each_result_by_person() {
    let dir = tempfile::tempdir().unwrap();
    let (mut k, admin, _proctor, examinee) = staffed(dir.path());
    // A roster imported while the exam runs does not stop the exam from finishing.
    let roster_file = dir.path().join("import.synaqroster");
    std::fs::write(&roster_file, crate::load::DEMO_ROSTER).unwrap();
    k.import_roster(&admin, roster_file.to_str().unwrap(), NOW)
        .unwrap();
    k.submit(&examinee).unwrap();
    let view = k.sync_view(&admin).unwrap();
    assert_eq!(view.results.len(), 1);
    let r = &view.results[0];
    let roster_name = crate::roster::open(
        crate::load::DEMO_ROSTER,
        &synaq_seal::IssuerPublic::from_toml(crate::load::DEMO_ISSUER_PUB).unwrap(),
        tempfile::tempdir().unwrap().path(),
        NOW,
    )
    .unwrap()
    .name_of(&Iin::parse("900101300017").unwrap());
    assert_eq!(r.name, roster_name);
    assert!(r.name.is_some());
    assert_eq!(r.masked_iin, "********0017");
    assert_eq!(r.category_number, 1);
    assert!(!r.passed, "nothing answered");
    assert_eq!(r.percent_milli, 0);
    assert_eq!(r.finished, "15.01.2027 13:00");
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains("900101300017"), "{json}");
}
