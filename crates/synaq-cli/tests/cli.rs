//! The `synaq` tool as an admin runs it: keys, build, inspect, verify, add-recipient.

use std::path::Path;
use std::process::{Command, Output};

const PROFILE: &str = include_str!("../../../assets/demo/profile.toml");

fn synaq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synaq"))
        .args(args)
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

fn question(id: &str, cats: &str) -> String {
    format!(
        r#"
[[question]]
id = "{id}"
version = 1
topic = "fire"
categories = [{cats}]
kind = "single"
text.kk = "Өрт шыққанда алдымен не істеу керек?"
text.ru = "Что нужно сделать в первую очередь при пожаре?"

[[question.options]]
id = "a"
text.kk = "Өрт туралы хабарлау"
text.ru = "Сообщить о пожаре"
correct = true

[[question.options]]
id = "b"
text.kk = "Жұмысты жалғастыру"
text.ru = "Продолжить работу"
"#
    )
}

/// A source with a profile that asks for 2 questions per category and enough questions.
fn source(dir: &Path) {
    let profile = PROFILE
        .lines()
        .map(|l| {
            if l.starts_with("question_count") {
                "question_count = 2".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::create_dir_all(dir.join("questions")).unwrap();
    std::fs::write(dir.join("profile.toml"), profile).unwrap();
    let all = r#""cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6""#;
    let qs: String = (1..=3)
        .map(|i| question(&format!("fire-{i:03}"), all))
        .collect();
    std::fs::write(dir.join("questions/fire.toml"), qs).unwrap();
}

#[test]
fn build_inspect_verify_and_add_a_recipient() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    source(&d.join("src"));
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "kiosk",
        "--out",
        &p("keys"),
        "--name",
        "kiosk-a",
    ]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "kiosk",
        "--out",
        &p("keys"),
        "--name",
        "kiosk-b",
    ]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(d.join("keys/issuer.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let err = fails(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    assert!(err.contains("refusing to overwrite"), "{err}");

    let built = ok(&[
        "bank",
        "build",
        "--source",
        &p("src"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk-a.pub"),
        "--series",
        "test",
        "--version",
        "3",
        "--valid-days",
        "30",
        "--out",
        &p("bank.synaqbank"),
    ]);
    assert!(built.contains("3 questions"), "{built}");

    let shown = ok(&["bank", "inspect", &p("bank.synaqbank")]);
    assert!(shown.contains("version      3"), "{shown}");
    assert!(shown.contains("category cat-4      3"), "{shown}");
    assert!(shown.contains("topic    fire             3"), "{shown}");

    let verified = ok(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-a.key"),
    ]);
    assert!(verified.contains("signature OK"), "{verified}");
    assert!(verified.contains("content OK"), "{verified}");

    let err = fails(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-b.key"),
    ]);
    assert!(err.contains("was not issued to this kiosk"), "{err}");

    ok(&[
        "bank",
        "add-recipient",
        &p("bank.synaqbank"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk-b.pub"),
    ]);
    ok(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-b.key"),
    ]);

    // A flipped byte: refused with the reason, never a panic.
    let mut bytes = std::fs::read(d.join("bank.synaqbank")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(d.join("bad.synaqbank"), bytes).unwrap();
    let err = fails(&[
        "bank",
        "verify",
        &p("bad.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
    ]);
    assert!(err.contains("signature is invalid"), "{err}");
    // A kiosk key given where the issuer's is expected.
    let err = fails(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/kiosk-a.pub"),
    ]);
    assert!(err.contains("synaq-kiosk-public-v1 file"), "{err}");
}

/// Makes an issuer and a kiosk key in `dir/keys` and builds `dir/src` into
/// `dir/bank.synaqbank`, which must fail; returns what `synaq` said.
fn build_fails(dir: &Path) -> String {
    let p = |name: &str| dir.join(name).display().to_string();
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&["keys", "gen", "--role", "kiosk", "--out", &p("keys")]);
    fails(&[
        "bank",
        "build",
        "--source",
        &p("src"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk.pub"),
        "--series",
        "test",
        "--version",
        "1",
        "--valid-days",
        "30",
        "--out",
        &p("bank.synaqbank"),
    ])
}

#[test]
fn a_source_with_problems_is_not_built() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    source(&d.join("src"));
    // A duplicate id and a Latin "I" inside a Kazakh word.
    std::fs::write(
        d.join("src/questions/more.toml"),
        question("fire-001", r#""cat-1""#).replace("Өрт шыққанда", "Өрт шыққанда Iшкі"),
    )
    .unwrap();
    let err = build_fails(d);
    assert!(err.contains("fire-001"), "{err}");
    assert!(err.contains("more.toml"), "{err}");
    assert!(err.contains("the bank was not built"), "{err}");
    assert!(!d.join("bank.synaqbank").exists());
}

/// A roster source with the domain's synthetic ИИН (computed, not real people).
const ROSTER: &str = r#"branch = "ALM-01"
allowed_from = 2026-01-01
allowed_to = 2036-12-31

[[oo]]
bin = "080840001239"
name = "«Қауіпсіз Еңбек» оқу орталығы ЖШС"

[[examinee]]
iin = "900101300017"
name = "Иван Петрович Смирнов"
category = "cat-1"
oo = "080840001239"

[[examinee]]
iin = "850715401236"
name = "Әлия Нұрланқызы Сейітова"
category = "cat-2"
oo = "080840001239"

[[examinee]]
iin = "880315300511"
name = "Ерлан Серікұлы Төлеуов"
category = "cat-2"
oo = "080840001239"
attempt = 2
"#;

/// The source's ИИН, and the invalid one a test puts in it.
const ROSTER_IINS: [&str; 4] = [
    "900101300017",
    "850715401236",
    "880315300511",
    "850715401237",
];

/// Runs synaq and returns stdout and stderr together, checking that no full ИИН is in either.
fn run_masked(args: &[&str]) -> (bool, String) {
    let out = synaq(args);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for iin in ROSTER_IINS {
        assert!(
            !all.contains(iin),
            "synaq {args:?} printed a full ИИН: {all}"
        );
    }
    (out.status.success(), all)
}

#[test]
fn roster_build_verify_and_refuse_a_tampered_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    std::fs::write(d.join("roster.toml"), ROSTER).unwrap();
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "issuer",
        "--out",
        &p("keys"),
        "--name",
        "other",
    ]);
    let build = |source: &str, out: &str| {
        run_masked(&[
            "roster",
            "build",
            "--source",
            source,
            "--issuer-key",
            &p("keys/issuer.key"),
            "--series",
            "ALM-01",
            "--version",
            "2",
            "--valid-days",
            "30",
            "--out",
            out,
        ])
    };
    let (success, built) = build(&p("roster.toml"), &p("alm.synaqroster"));
    assert!(success, "{built}");
    assert!(built.contains("3 entries for 3 people"), "{built}");

    let verify = |file: &str, key: &str, list: bool| {
        let mut args = vec!["roster", "verify", file, "--issuer-pub", key];
        if list {
            args.push("--list");
        }
        run_masked(&args)
    };
    let (success, shown) = verify(&p("alm.synaqroster"), &p("keys/issuer.pub"), true);
    assert!(success, "{shown}");
    assert!(
        shown.contains("signature OK: roster ALM-01 version 2"),
        "{shown}"
    );
    assert!(shown.contains("category cat-1      1"), "{shown}");
    assert!(shown.contains("category cat-2      2"), "{shown}");
    assert!(shown.contains("retakes      1"), "{shown}");
    assert!(
        shown.contains("********0017"),
        "masked ИИН are listed: {shown}"
    );
    assert!(shown.contains("valid now"), "{shown}");

    // A tampered copy (one name changed inside the signed body) is refused.
    let bytes = std::fs::read(d.join("alm.synaqroster")).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text.find("Иван").expect("the body is readable JSON");
    let mut tampered = bytes.clone();
    tampered[at..at + "Иван".len()].copy_from_slice("Илья".as_bytes());
    std::fs::write(d.join("bad.synaqroster"), &tampered).unwrap();
    let (success, err) = verify(&p("bad.synaqroster"), &p("keys/issuer.pub"), true);
    assert!(!success);
    assert!(err.contains("signature is invalid"), "{err}");
    // Cut short, and signed by an issuer this kiosk does not trust.
    std::fs::write(d.join("short.synaqroster"), &bytes[..bytes.len() - 10]).unwrap();
    let (success, err) = verify(&p("short.synaqroster"), &p("keys/issuer.pub"), false);
    assert!(!success && err.contains("truncated"), "{err}");
    let (success, err) = verify(&p("alm.synaqroster"), &p("keys/other.pub"), false);
    assert!(
        !success && err.contains("this kiosk trusts issuer key"),
        "{err}"
    );

    // A source with an invalid ИИН, then one with a duplicate: not built, and says why, masked.
    std::fs::write(
        d.join("broken.toml"),
        ROSTER.replacen("850715401236", "850715401237", 1),
    )
    .unwrap();
    let (success, err) = build(&p("broken.toml"), &p("broken.synaqroster"));
    assert!(!success);
    assert!(
        err.contains("line 16 (ИИН ********1237): control digit"),
        "{err}"
    );
    assert!(err.contains("the roster was not built"), "{err}");
    std::fs::write(
        d.join("broken.toml"),
        ROSTER.replacen("880315300511", "850715401236", 1),
    )
    .unwrap();
    let (success, err) = build(&p("broken.toml"), &p("broken.synaqroster"));
    assert!(!success);
    assert!(
        err.contains("ИИН ********1236 is listed twice for category cat-2"),
        "{err}"
    );
    assert!(!d.join("broken.synaqroster").exists());
}

#[test]
fn roster_build_lists_every_invalid_iin_with_its_line_and_masked_value() {
    // Regression (issue 17): only the first invalid ИИН was reported, and without its value.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    let broken = ROSTER
        .replacen("900101300017", "900101300018", 1)
        .replacen("850715401236", "850715401237", 1)
        .replacen("category = \"cat-2\"", "category = \"Cat 2\"", 1);
    std::fs::write(d.join("broken.toml"), broken).unwrap();
    let out = synaq(&[
        "roster",
        "build",
        "--source",
        &p("broken.toml"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--series",
        "ALM-01",
        "--version",
        "1",
        "--valid-days",
        "30",
        "--out",
        &p("broken.synaqroster"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for full in ["900101300018", "850715401237"] {
        assert!(!err.contains(full), "a full ИИН in {err}");
    }
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].ends_with(
            "broken.toml: line 10 (ИИН ********0018): control digit is 8, but the first 11 \
             digits give 7: check for a mistyped or swapped digit"
        ),
        "{err}"
    );
    assert!(
        lines[1].ends_with("broken.toml: line 16 (ИИН ********1237): control digit is 7, but the first 11 digits give 6: check for a mistyped or swapped digit"),
        "{err}"
    );
    assert!(
        lines[2].contains("broken.toml: line 18: category id \"Cat 2\""),
        "{err}"
    );
    assert!(
        err.contains("synaq: 3 problems in") && err.contains("the roster was not built"),
        "{err}"
    );
    assert!(!d.join("broken.synaqroster").exists());

    // One problem is "1 problem".
    std::fs::write(
        d.join("one.toml"),
        ROSTER.replacen("900101300017", "900101300018", 1),
    )
    .unwrap();
    let out = synaq(&[
        "roster",
        "build",
        "--source",
        &p("one.toml"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--series",
        "ALM-01",
        "--version",
        "1",
        "--valid-days",
        "30",
        "--out",
        &p("one.synaqroster"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("synaq: 1 problem in"), "{err}");
    assert_eq!(err.matches("line 10").count(), 1, "reported once: {err}");
}

/// Runs synaq, expects a refusal with exit code 1 and no full ИИН anywhere in the output.
fn refused_masked(args: &[&str]) -> String {
    let out = synaq(args);
    assert_eq!(out.status.code(), Some(1), "synaq {args:?} should refuse");
    let (success, all) = run_masked(args);
    assert!(!success);
    all
}

/// A kiosk data directory with `n` finished exams (the demo bank, a fake clock).
fn kiosk_with_results(dir: &Path, n: usize) -> (synaq_store::Engine, Vec<String>) {
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use synaq_store::engine::FinishReason;

    let mut e = synaq_store::Engine::open(
        dir,
        Arc::new(synaq_store::FakeClock::new(1_780_000_000_000)),
        synaq_store::testing::demo_bank(),
    )
    .unwrap();
    let iin = synaq_core::Iin::parse(ROSTER_IINS[0]).unwrap();
    let cat = synaq_core::CategoryId::new("cat-1").unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let id = e
            .admit(
                synaq_store::Admission::new(&iin, &cat, "proctor-1")
                    .started()
                    .seed(i as u64),
            )
            .unwrap();
        e.answer(0, BTreeSet::new()).unwrap();
        e.finish(FinishReason::Submitted).unwrap();
        ids.push(id);
    }
    (e, ids)
}

#[test]
fn export_writes_a_signed_bundle_of_the_pending_results() {
    use synaq_sync::bundle::{self, ResultsBody};

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    let (engine, ids) = kiosk_with_results(&d.join("kiosk"), 7);
    // One already delivered, one refused: neither goes in the bundle.
    engine.mark_delivered(&ids[0], "{}").unwrap();
    engine
        .mark_refused(&ids[1], "not-on-roster", "not registered")
        .unwrap();
    let kiosk_id = engine.kiosk_id();

    // The kiosk app is still running (the engine is open): export reads alongside it.
    let (success, out) = run_masked(&["export", "--data", &p("kiosk"), "--to", &p("stick")]);
    assert!(success, "{out}");
    assert!(out.contains("exported 5 results to"), "{out}");
    let files: Vec<_> = std::fs::read_dir(d.join("stick"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one bundle, no leftover partial file");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    let prefix = format!("synaq-results-{kiosk_id}-");
    assert!(name.starts_with(&prefix), "{name}");
    assert!(name.ends_with(".synaqout"), "{name}");
    let time = &name[prefix.len()..name.len() - ".synaqout".len()];
    assert!(time.parse::<i64>().unwrap() > 1_700_000_000, "{name}");
    assert!(out.contains(&name), "the path is printed: {out}");

    let parsed = bundle::parse::<ResultsBody>(&std::fs::read(&files[0]).unwrap()).unwrap();
    let body = parsed.verify(&engine.kiosk_ed25519()).unwrap();
    assert_eq!(body.kind, bundle::RESULTS_KIND);
    assert_eq!(body.kiosk_id, kiosk_id);
    let mut got: Vec<&str> = body
        .results
        .iter()
        .map(|r| r.record.attempt_id.as_str())
        .collect();
    let mut want: Vec<&str> = ids[2..].iter().map(String::as_str).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(body.results, engine.pending().unwrap());
    for r in &body.results {
        r.verify(&engine.kiosk_ed25519()).unwrap();
    }
    // Exporting delivers nothing: the results stay queued until receipts come back.
    assert_eq!(engine.pending().unwrap().len(), 5);

    // Nothing pending: no file. No kiosk store: a clear error.
    for id in &ids[2..] {
        engine.mark_delivered(id, "{}").unwrap();
    }
    let (success, out) = run_masked(&["export", "--data", &p("kiosk"), "--to", &p("stick2")]);
    assert!(success && out.contains("nothing written"), "{out}");
    assert!(!d.join("stick2").exists());
    ok(&["keys", "gen", "--role", "kiosk", "--out", &p("empty")]);
    std::fs::rename(d.join("empty/kiosk.key"), d.join("empty/kiosk.key.tmp")).unwrap();
    let err = fails(&["export", "--data", &p("empty"), "--to", &p("stick3")]);
    assert!(err.contains("kiosk.key"), "{err}");
    std::fs::rename(d.join("empty/kiosk.key.tmp"), d.join("empty/kiosk.key")).unwrap();
    let err = fails(&["export", "--data", &p("empty"), "--to", &p("stick3")]);
    assert!(err.contains("kiosk.sqlite3 does not exist"), "{err}");
    assert!(!d.join("stick3").exists());
}

#[test]
fn export_refuses_results_signed_by_another_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    let (engine, _) = kiosk_with_results(&d.join("kiosk"), 1);
    drop(engine);
    // The key file of another kiosk copied over this one's.
    ok(&["keys", "gen", "--role", "kiosk", "--out", &p("other")]);
    std::fs::copy(d.join("other/kiosk.key"), d.join("kiosk/kiosk.key")).unwrap();
    let (success, err) = run_masked(&["export", "--data", &p("kiosk"), "--to", &p("stick")]);
    assert!(!success);
    assert!(err.contains("is not signed by the kiosk key"), "{err}");
    assert!(!d.join("stick").exists());
}

#[test]
fn verify_qr_offline_accepts_the_real_code_and_refuses_forgeries() {
    use base64::Engine as _;
    use synaq_sync::qr::{self, QrClaims};

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    ok(&[
        "keys",
        "gen",
        "--role",
        "issuer",
        "--out",
        &p("keys"),
        "--name",
        "central",
    ]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "issuer",
        "--out",
        &p("keys"),
        "--name",
        "other",
    ]);
    let central = synaq_seal::IssuerSecret::load(&d.join("keys/central.key")).unwrap();
    let claims = QrClaims {
        n: "KZOT-2026-000001".into(),
        nm: "Иван Петрович Смирнов".into(),
        c: "cat-1".into(),
        i: "2026-03-01".into(),
        u: Some("2099-03-01".into()),
        m: ROSTER_IINS[0][8..].into(),
        h: Some("eumc.example".into()),
    };
    let text = qr::qr_text("https://eumc.example/", &claims, central.ed25519());
    let verify = |text: &str, key: &str| run_masked(&["verify-qr", text, "--central-pub", key]);

    let (success, out) = verify(&text, &p("keys/central.pub"));
    assert!(success, "{out}");
    assert!(out.contains("number       KZOT-2026-000001"), "{out}");
    assert!(out.contains("holder       Иван Петрович Смирнов"), "{out}");
    assert!(out.contains("********0017"), "{out}");
    assert!(out.contains("category     cat-1"), "{out}");
    assert!(out.contains("valid until  2099-03-01"), "{out}");
    assert!(out.contains("VALID"), "{out}");
    // The bare token works too.
    let (success, out) = verify(
        &qr::token(&claims, central.ed25519()),
        &p("keys/central.pub"),
    );
    assert!(success && out.contains("VALID"), "{out}");

    let refused = |text: &str, key: &str| {
        let out = refused_masked(&["verify-qr", text, "--central-pub", key]);
        assert!(out.contains("REFUSED"), "{out}");
        assert!(!out.contains("VALID"), "{out}");
        out
    };
    // Another name under the genuine signature.
    let b64u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let forged = QrClaims {
        nm: "Илья Петрович Смирнов".into(),
        ..claims.clone()
    };
    let forged_json = b64u.encode(serde_json::to_vec(&forged).unwrap());
    let (head, sig) = text.rsplit_once('.').unwrap();
    let (head, _) = head.rsplit_once('.').unwrap();
    let tampered = format!("{head}.{forged_json}.{sig}");
    let out = refused(&tampered, &p("keys/central.pub"));
    assert!(out.contains("signature is invalid"), "{out}");
    // A genuine token under another certificate's number.
    let out = refused(
        &text.replace("/v/KZOT-2026-000001", "/v/KZOT-2026-000002"),
        &p("keys/central.pub"),
    );
    assert!(out.contains("forged code"), "{out}");
    // The genuine code behind another address (a look-alike verification site).
    let out = refused(
        &text.replace("eumc.example", "eumc-verify.example"),
        &p("keys/central.pub"),
    );
    assert!(out.contains("ЕУМЦ signed it for eumc.example"), "{out}");
    // Checked with a key that is not the one that signed.
    let out = refused(&text, &p("keys/other.pub"));
    assert!(out.contains("signature is invalid"), "{out}");
    // Not a Synaq code at all.
    let out = refused("https://example.com/", &p("keys/central.pub"));
    assert!(out.contains("not a Synaq certificate QR code"), "{out}");
    // Genuine, but its last valid day has passed.
    let expired = QrClaims {
        u: Some("2020-01-01".into()),
        ..claims.clone()
    };
    let out = refused(
        &qr::qr_text("https://eumc.example", &expired, central.ed25519()),
        &p("keys/central.pub"),
    );
    assert!(out.contains("expired on 2020-01-01"), "{out}");
}

/// Each refusal `synaq bank verify` can meet names its reason, with and without a kiosk key.
/// (Rollback is not among them: the tool keeps no kiosk's high-water marks, so "older than the
/// version already used" has no meaning here; the kiosk's refusal is tested in synaq-seal.)
#[test]
fn bank_verify_names_each_refusal() {
    use synaq_seal::bank::{self, BankContent, BankMeta};

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    source(&d.join("src"));
    for (role, name) in [
        ("issuer", "issuer"),
        ("issuer", "other"),
        ("kiosk", "kiosk"),
    ] {
        ok(&[
            "keys",
            "gen",
            "--role",
            role,
            "--out",
            &p("keys"),
            "--name",
            name,
        ]);
    }
    let issuer = synaq_seal::IssuerSecret::load(&d.join("keys/issuer.key")).unwrap();
    let kiosk = synaq_seal::KioskPublic::load(&d.join("keys/kiosk.pub")).unwrap();
    let (src, _) = synaq_author::load_source_dir(&d.join("src")).unwrap();
    let content = BankContent {
        profile_toml: src.profile_toml,
        questions: src.questions,
        media: src.media,
    };
    // Windows around the real clock, far enough from it that the run's own time cannot matter.
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let day = 86_400;
    let write = |name: &str, from: i64, to: i64| {
        let meta = BankMeta {
            series: "test".into(),
            version: 1,
            created: from,
            not_before: from,
            not_after: to,
        };
        let bytes = bank::build(
            &content,
            &meta,
            &issuer,
            std::slice::from_ref(&kiosk),
            &mut |_, _| {},
        );
        std::fs::write(d.join(name), bytes.unwrap()).unwrap();
    };
    write("good.synaqbank", clock - day, clock + 30 * day);
    write("expired.synaqbank", clock - 30 * day, clock - 10 * day);
    write("future.synaqbank", clock + 10 * day, clock + 30 * day);
    let good = std::fs::read(d.join("good.synaqbank")).unwrap();
    std::fs::write(d.join("short.synaqbank"), &good[..good.len() - 10]).unwrap();
    let mut v2 = good.clone();
    v2[8] = 2;
    std::fs::write(d.join("v2.synaqbank"), v2).unwrap();

    let verify = |file: &str, issuer_pub: &str, with_key: bool| {
        let (file, issuer_pub, key) = (p(file), p(issuer_pub), p("keys/kiosk.key"));
        let mut args = vec!["bank", "verify", &file, "--issuer-pub", &issuer_pub];
        if with_key {
            args.extend(["--kiosk-key", &key]);
        }
        let out = synaq(&args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = verify("good.synaqbank", "keys/issuer.pub", true);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("content OK"), "{out}");

    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "expired.synaqbank",
            "keys/issuer.pub",
            &["the bank expired at", "import a newer bank"],
        ),
        (
            "future.synaqbank",
            "keys/issuer.pub",
            &["the bank is not valid yet", "check the kiosk clock"],
        ),
        (
            "short.synaqbank",
            "keys/issuer.pub",
            &["the bank file is truncated", "copy it again"],
        ),
        (
            "v2.synaqbank",
            "keys/issuer.pub",
            &["bank format version 2 is not supported", "update the kiosk"],
        ),
        (
            "good.synaqbank",
            "keys/other.pub",
            &[
                "the bank is signed by key",
                "but this kiosk trusts issuer key",
            ],
        ),
    ];
    for (file, issuer_pub, wanted) in cases {
        for with_key in [false, true] {
            let (code, _, err) = verify(file, issuer_pub, with_key);
            assert_eq!(code, Some(1), "{file} (kiosk key: {with_key}): {err}");
            assert!(err.starts_with("synaq: "), "{err}");
            for w in wanted {
                assert!(err.contains(w), "{file} (kiosk key: {with_key}): {err}");
            }
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // The window is shown in dates next to the reason.
    let (_, _, err) = verify("expired.synaqbank", "keys/issuer.pub", false);
    assert!(err.contains(" (UTC): the bank expired"), "{err}");
    // The wrong issuer names both key ids.
    let (_, _, err) = verify("good.synaqbank", "keys/other.pub", false);
    assert!(err.contains(&issuer.id().to_string()), "{err}");
    let other = synaq_seal::IssuerPublic::load(&d.join("keys/other.pub")).unwrap();
    assert!(err.contains(&other.id().to_string()), "{err}");
}

/// An exam profile whose topic quota the questions cannot meet is refused at build time.
#[test]
fn a_topic_quota_the_bank_cannot_meet_is_not_built() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    source(&d.join("src"));
    let profile = std::fs::read_to_string(d.join("src/profile.toml")).unwrap();
    let with_quota = profile.replacen(
        "question_count = 2",
        "question_count = 2\ntopics = { fire = 1, electrical = 1 }",
        1,
    );
    assert_ne!(profile, with_quota);
    std::fs::write(d.join("src/profile.toml"), with_quota).unwrap();
    let err = build_fails(d);
    assert!(
        err.contains(
            "error: category cat-1: topic \"electrical\" needs 1 questions (its quota in \
             `topics`), the bank has 0 on it for this category"
        ),
        "{err}"
    );
    assert!(
        !err.contains("topic \"fire\""),
        "the met quota is fine: {err}"
    );
    assert!(
        err.contains("synaq: 1 error in"),
        "one error, said in the singular: {err}"
    );
    assert!(!d.join("bank.synaqbank").exists());
}

/// A source whose Kazakh and Russian Moodle exports are paired by `import.toml`, plus a
/// question whose text tries to be markup.
fn paired_source(dir: &Path) {
    source(dir);
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../synaq-author/tests/fixtures/real");
    std::fs::create_dir_all(dir.join("questions/moodle")).unwrap();
    for side in ["kk", "ru"] {
        std::fs::copy(
            fixtures.join(format!("moodle-{side}.xml")),
            dir.join(format!("questions/moodle/{side}.xml")),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("import.toml"),
        r#"[[pair]]
kk = "moodle/kk.xml"
ru = "moodle/ru.xml"
by = "position"

[[category]]
path = "$course$/top/Default for ОТ-2026"
topic = "fire"
categories = ["cat-1", "cat-2"]
"#,
    )
    .unwrap();
    let all = r#""cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6""#;
    std::fs::write(
        dir.join("questions/markup.toml"),
        question("fire-009", all).replace(
            "Өрт шыққанда алдымен не істеу керек?",
            "<script>alert('kk')</script> Өрт?",
        ),
    )
    .unwrap();
}

#[test]
fn bank_preview_writes_one_page_with_kk_and_ru_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    paired_source(&d.join("src"));
    let out = ok(&[
        "bank",
        "preview",
        &d.join("src").display().to_string(),
        "--out",
        &d.join("preview").display().to_string(),
    ]);
    assert!(out.contains("7 questions, 0 errors"), "{out}");
    let html = std::fs::read_to_string(d.join("preview/index.html")).unwrap();
    assert!(html.contains("Өрт кезінде не істеу керек?"));
    assert!(html.contains("Что делать при пожаре?"));
    assert!(html.contains("&lt;script&gt;alert(&#39;kk&#39;)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    // For a person to look at: copied where the screenshot step finds it.
    if let Ok(target) = std::env::var("CARGO_TARGET_DIR") {
        std::fs::write(Path::new(&target).join("preview-kk-ru.html"), &html).ok();
    }

    // A source with errors is previewed too, the findings next to their question.
    std::fs::write(
        d.join("src/questions/moodle/ru.xml"),
        std::fs::read_to_string(d.join("src/questions/moodle/ru.xml"))
            .unwrap()
            .replace("Вывести людей", ""),
    )
    .unwrap();
    let out = ok(&[
        "bank",
        "preview",
        &d.join("src").display().to_string(),
        "--out",
        &d.join("preview").display().to_string(),
    ]);
    assert!(out.contains(", 1 error,"), "{out}");
    let html = std::fs::read_to_string(d.join("preview/index.html")).unwrap();
    assert!(html.contains("option b has no ru text"), "{html}");
}

#[test]
fn bank_build_counts_errors_and_not_warnings_as_the_reason_it_failed() {
    // Regression (issue 17): "3 problems" for one error and two warnings.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    paired_source(&d.join("src"));
    let ru = d.join("src/questions/moodle/ru.xml");
    let text = std::fs::read_to_string(&ru).unwrap();
    std::fs::write(&ru, text.replace("Вывести людей", "")).unwrap();
    let err = build_fails(d);
    assert!(err.contains("synaq: 1 error (and 2 warnings) in"), "{err}");
}

#[test]
fn bank_diff_lists_added_removed_changed_and_refuses_an_unraised_version() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    source(&d.join("old"));
    source(&d.join("new"));
    let qs = std::fs::read_to_string(d.join("new/questions/fire.toml")).unwrap();
    // fire-003 removed, fire-004 added, fire-002 reworded in Russian with version 2.
    let mut parts: Vec<&str> = qs.split("\n[[question]]").collect();
    parts.pop();
    let mut new = parts.join("\n[[question]]");
    new = new.replacen(
        "id = \"fire-002\"\nversion = 1",
        "id = \"fire-002\"\nversion = 2",
        1,
    );
    let at = new.find("id = \"fire-002\"").unwrap();
    let ru_at = at + new[at..].find("text.ru = \"").unwrap() + "text.ru = \"".len();
    new.insert_str(ru_at, "Сначала: ");
    let all = r#""cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6""#;
    new.push_str(&question("fire-004", all));
    std::fs::write(d.join("new/questions/fire.toml"), &new).unwrap();
    let p = |n: &str| d.join(n).display().to_string();
    let out = ok(&["bank", "diff", &p("old"), &p("new")]);
    assert_eq!(
        out,
        "+ fire-004\n- fire-003\n~ fire-002 v1 → v2: text (ru)\n1 added, 1 removed, 1 changed\n"
    );
    // The same change without raising the version is refused.
    std::fs::write(
        d.join("new/questions/fire.toml"),
        new.replacen(
            "id = \"fire-002\"\nversion = 2",
            "id = \"fire-002\"\nversion = 1",
            1,
        ),
    )
    .unwrap();
    let err = fails(&["bank", "diff", &p("old"), &p("new")]);
    assert!(
        err.contains("1 question changed what the examinee sees or how it is scored without raising the version"),
        "{err}"
    );
}

#[test]
fn bank_diff_opens_two_sealed_versions_with_the_kiosk_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    source(&d.join("src"));
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&["keys", "gen", "--role", "kiosk", "--out", &p("keys")]);
    let build = |version: &str, out: &str| {
        ok(&[
            "bank",
            "build",
            "--source",
            &p("src"),
            "--issuer-key",
            &p("keys/issuer.key"),
            "--recipient",
            &p("keys/kiosk.pub"),
            "--series",
            "test",
            "--version",
            version,
            "--valid-days",
            "30",
            "--out",
            &p(out),
        ])
    };
    build("1", "v1.synaqbank");
    let all = r#""cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6""#;
    let mut qs = std::fs::read_to_string(d.join("src/questions/fire.toml")).unwrap();
    qs.push_str(&question("fire-004", all));
    std::fs::write(d.join("src/questions/fire.toml"), qs).unwrap();
    build("2", "v2.synaqbank");
    let out = ok(&[
        "bank",
        "diff",
        &p("v1.synaqbank"),
        &p("v2.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk.key"),
    ]);
    assert_eq!(out, "+ fire-004\n1 added, 0 removed, 0 changed\n");
    // A sealed bank against its source: the same questions.
    let out = ok(&[
        "bank",
        "diff",
        &p("v2.synaqbank"),
        &p("src"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk.key"),
    ]);
    assert_eq!(out, "0 added, 0 removed, 0 changed\n");
    let err = fails(&["bank", "diff", &p("v1.synaqbank"), &p("v2.synaqbank")]);
    assert!(
        err.contains("is a sealed bank: give --issuer-pub and --kiosk-key to open it"),
        "{err}"
    );
}
