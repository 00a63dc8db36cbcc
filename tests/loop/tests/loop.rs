//! The whole loop on 127.0.0.1: enrollment → pull → exam → push → receipt → certificate →
//! pull certificate → offline QR check; the same by removable media; faults and load.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use synaq_loop::*;
use synaq_seal::roster;
use synaq_store::outbox::Delivery;
use synaq_store::SignedResult;
use synaq_sync::proto::{Decision, Outcome, PushRequest};
use synaq_sync::sign::{RequestAuth, H_KIOSK, H_NONCE, H_SIGNATURE, H_TIME};
use synaq_sync::{bundle, qr, sync_outbox, Backoff, SyncError, PROTOCOL_VERSION};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_loop_over_the_network() {
    let c = start_central().await;
    let central_pub = c.central.public();
    let people = iins(100, 2);
    register(&c.central, &people[0], 1);
    register(&c.central, &people[1], 1);

    let kiosk = Kiosk::new();
    let client = kiosk.client_of(&c);
    let code = c.central.enrollment_code(BRANCH).unwrap();
    let cert = client.enroll(BRANCH, &code).await.unwrap();
    assert_eq!(cert.body.kiosk_id, kiosk.key.id().to_string());
    // The code is one-time: another kiosk cannot use it.
    let other = Kiosk::new();
    let err = other.client_of(&c).enroll(BRANCH, &code).await.unwrap_err();
    assert_eq!(err.code(), "enroll-code-used", "{err}");

    let pull = client.pull(0).await.unwrap();
    assert_eq!(
        pull.banks.len(),
        1,
        "the published bank, wrapped for this kiosk"
    );
    let bank = kiosk.open_bank(&pull, &central_pub);
    let roster_bytes = b64().decode(pull.roster.as_ref().unwrap()).unwrap();
    let r = roster::verify(&roster_bytes, &central_pub).unwrap();
    assert_eq!(r.entries.len(), 2);
    assert_eq!(r.branch, BRANCH);
    assert_eq!(pull.staff.as_ref().unwrap()[0].id, "proctor-1");

    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let passed = sit_exam(&mut engine, &bank, &people[0], true);
    let failed = sit_exam(&mut engine, &bank, &people[1], false);
    assert!(passed.record.score.passed && !failed.record.score.passed);

    let report = sync_outbox(&engine, &client, 10).await.unwrap();
    assert_eq!(
        (report.delivered, report.refused, report.remaining),
        (2, 0, 0)
    );
    let status = engine.outbox_status().unwrap();
    assert!(status
        .iter()
        .all(|e| matches!(e.delivery, Delivery::Delivered { .. })));
    let receipt: synaq_sync::Receipt =
        serde_json::from_str(&engine.receipt(&passed.record.attempt_id).unwrap().unwrap()).unwrap();
    // Delivered, awaiting its webcam evidence: central certifies after checking it.
    assert_eq!(
        receipt.verify(&central_pub.ed25519).unwrap().decision,
        Decision::Pending {
            state: "awaiting-evidence".into(),
            reasons: vec![]
        }
    );
    assert_eq!(
        deliver_evidence(&c.central, &kiosk),
        2,
        "the pass and the fail"
    );
    let Some((state, _)) = c.central.verdict(&passed.record.attempt_id).unwrap() else {
        panic!("stored")
    };
    assert_eq!(state, "certified", "a pass is certified");
    let number = c
        .central
        .certificates_csv()
        .unwrap()
        .lines()
        .find(|l| l.ends_with(&passed.record.attempt_id))
        .and_then(|l| l.split(',').next().map(str::to_owned))
        .expect("a pass is certified");
    assert!(number.starts_with("KZOT-") && number.len() == "KZOT-2026-XXXX-XXXX".len());
    let failed_receipt: synaq_sync::Receipt =
        serde_json::from_str(&engine.receipt(&failed.record.attempt_id).unwrap().unwrap()).unwrap();
    assert!(matches!(
        failed_receipt.body.decision,
        Decision::Failed { .. }
    ));

    // Certificates come back on the next pull, for the paper copy.
    let pull2 = client.pull(pull.cursor).await.unwrap();
    assert!(pull2.banks.is_empty() && pull2.roster.is_none() && pull2.staff.is_none());
    assert_eq!(pull2.certificates.len(), 1);
    let cert = &pull2.certificates[0];
    assert_eq!(cert.number, number);
    assert_eq!(cert.iin_masked, people[0].masked());
    assert!(cert.valid_until.is_some(), "category 1: 3 years");

    // Offline QR check with the central public key only; no ИИН in the QR.
    assert!(!cert.qr.contains(&people[0].as_str()));

    // The one who failed registers for a retake: the next roster carries what they were shown,
    // so whichever kiosk admits them draws other questions.
    register(&c.central, &people[1], 2);
    let pull3 = client.pull(pull2.cursor).await.unwrap();
    let retake_roster = b64().decode(pull3.roster.as_ref().unwrap()).unwrap();
    let r = roster::verify(&retake_roster, &central_pub).unwrap();
    let shown: std::collections::BTreeSet<_> = failed
        .record
        .items
        .iter()
        .map(|i| i.question.clone())
        .collect();
    for e in &r.entries {
        let expect: Vec<_> = if e.iin == people[1] {
            shown.iter().cloned().collect()
        } else {
            Vec::new()
        };
        assert_eq!(
            e.seen,
            expect,
            "attempt {} of {}",
            e.attempt,
            e.iin.masked()
        );
    }
    // Listed once, as the retake (a kiosk refuses a roster with a person twice in a category).
    let listed: Vec<u32> = r
        .entries
        .iter()
        .filter(|e| e.iin == people[1])
        .map(|e| e.attempt)
        .collect();
    assert_eq!(listed, [2]);
    let claims = qr::verify(&cert.qr, &central_pub.ed25519).unwrap();
    assert_eq!(claims.n, number);
    assert_eq!(claims.m, &people[0].as_str()[8..]);

    // The PDF, for the branch's kiosk only, exactly as the signed pull announced it.
    let pdf = client
        .certificate_pdf(&number, false, cert.pdf_sha256.as_deref().unwrap())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let copy = client
        .certificate_pdf(&number, true, cert.copy_sha256.as_deref().unwrap())
        .await
        .unwrap();
    assert_ne!(pdf, copy, "the reprint is marked as a copy");
    // The registry answers enrolled kiosks, signed; nobody else.
    assert_eq!(client.certificate(&number).await.unwrap().number, number);
    let http = c.http();
    let anonymous = http
        .post(format!("{}/v1/certificate", c.base()))
        .body(format!("{{\"v\":1,\"number\":\"{number}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.status().as_u16(),
        400,
        "an unsigned registry lookup"
    );
    let body = anonymous.text().await.unwrap();
    assert!(
        body.contains("\"bad-request\"") && !body.contains(&cert.name),
        "{body}"
    );

    // The verification page: the status, and the holder only with the check code.
    let page = |q: String| {
        let http = c.http();
        let url = format!("{}/v/{number}{q}", c.base());
        async move {
            let r = http.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = page(String::new()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Жарамды") && html.contains("Действителен"));
    assert!(!html.contains(&cert.name) && !html.contains(&people[0].masked()));
    let code = c.central.check_code(&number).unwrap().unwrap();
    let (_, html) = page(format!("?c={}", code.to_lowercase())).await;
    assert!(html.contains(&cert.name) && html.contains(&people[0].masked()));
    assert!(!html.contains(&people[0].as_str()));
    let (_, html) = page("?c=0000-00".into()).await;
    assert!(!html.contains(&cert.name) && html.contains("Код проверки не совпадает"));
    let missing = http
        .get(format!("{}/v/KZOT-1999-0000-0000", c.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    // The QR's token is checked in a real browser (Chromium, WebCrypto Ed25519): the page
    // names the holder only when the signature, the number and the host hold.
    let dom = chromium_dom(&cert.qr);
    assert!(dom.contains("id=\"qr-ok\">"), "a genuine code: {dom}");
    // What a phone shows (for a person to look at): scanned, and typed without the code.
    chromium_shot(&cert.qr, "verify-page-scanned.png");
    chromium_shot(&format!("{}/v/{number}", c.base()), "verify-page-typed.png");
    assert!(dom.contains(&cert.name) && dom.contains(&people[0].masked()));
    let (head, sig) = cert.qr.rsplit_once('.').unwrap();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    let forged = format!("{head}.{flipped}{}", &sig[1..]);
    let dom = chromium_dom(&forged);
    assert!(dom.contains("id=\"qr-bad\">"), "a forged signature: {dom}");
    assert!(!dom.contains(&cert.name));
    let elsewhere = cert.qr.replace("127.0.0.1", "localhost");
    let dom = chromium_dom(&elsewhere);
    assert!(
        dom.contains("id=\"qr-bad\">"),
        "a genuine token at another host: {dom}"
    );
    assert!(!dom.contains(&cert.name));
    // Counting through numbers learns no name, and one address is slowed down (30 a minute).
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..70u32 {
        let guess = format!("KZOT-2026-{:04}-{}", i, &number[15..]);
        let r = http
            .get(format!("{}/v/{guess}", c.base()))
            .send()
            .await
            .unwrap();
        statuses.insert(r.status().as_u16());
        let html = r.text().await.unwrap();
        assert!(!html.contains(&cert.name), "{guess} named the holder");
    }
    assert!(statuses.is_subset(&[200, 404, 429].into()), "{statuses:?}");
    assert!(
        statuses.contains(&429),
        "70 lookups from one address were not slowed down"
    );

    let csv = c.central.certificates_csv().unwrap();
    assert!(csv.contains(&number) && !csv.contains(&people[0].as_str()));
    let stats = c.central.oo_stats().unwrap();
    assert_eq!(
        (stats[0].passed, stats[0].failed, stats[0].flagged),
        (1, 1, false)
    );
}

/// Runs headless Chromium (Debian's `chromium`, which `cargo xtask setup` installs) on `url`
/// with `extra` arguments, after the page's scripts ran; returns its standard output.
/// Central's self-signed certificate is accepted: the page's own check, not TLS, is what the
/// tests look at.
fn chromium(url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--ignore-certificate-errors",
            "--virtual-time-budget=5000",
        ])
        .args(extra)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs (Debian package `chromium`; `cargo xtask setup` installs it)");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The DOM of `url` after its scripts ran.
fn chromium_dom(url: &str) -> String {
    chromium(url, &["--dump-dom"])
}

/// A phone-sized (390×844) picture of `url` in `target/tmp/` (`CARGO_TARGET_TMPDIR`).
fn chromium_shot(url: &str, name: &str) {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&out);
    chromium(
        url,
        &[
            "--window-size=390,844",
            &format!("--screenshot={}", out.display()),
        ],
    );
    assert!(out.exists(), "no picture of {url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_loop_through_a_bundle_with_no_network() {
    let dir = tempfile::tempdir().unwrap();
    let c = setup_central(dir.path(), "https://127.0.0.1:9");
    let central_pub = c.public();
    let person = &iins(200, 1)[0];
    register(&c, person, 1);
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &central_pub);
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    sit_exam(&mut engine, &bank, person, true);

    // Kiosk → USB stick → central → USB stick → kiosk.
    let out = bundle::to_bytes(&results_bundle(&engine, &kiosk.key));
    let back = bundle::to_bytes(&c.import_bundle(&out, now()).unwrap());
    let receipts: bundle::ReceiptsBundle = bundle::parse(&back).unwrap();
    let body = bundle::open_receipts(&receipts, &central_pub.ed25519, &kiosk.key.id().to_string())
        .unwrap();
    let sent = engine.pending().unwrap();
    let r = synaq_sync::apply_outcomes(&engine, &central_pub, &sent, &body.outcomes).unwrap();
    assert_eq!(r.delivered, 1);
    assert!(engine.pending().unwrap().is_empty());
    // Importing the same bundle again changes nothing and gives the same receipts.
    let again = c.import_bundle(&out, now() + 5).unwrap();
    assert_eq!(again.body.outcomes, body.outcomes);
    assert_eq!(c.result_count().unwrap(), 1);
    // A bundle altered on the stick is refused whole.
    let mut b: bundle::ResultsBundle = bundle::parse(&out).unwrap();
    b.body.created += 1;
    let err = c.import_bundle(&bundle::to_bytes(&b), now()).unwrap_err();
    assert!(err.to_string().contains("bad-signature"), "{err}");
    // The evidence travels with it; then the certificate is in the registry and its QR
    // verifies offline.
    assert_eq!(deliver_evidence(&c, &kiosk), 1);
    let pull2 = c
        .pull(&kiosk.key.id().to_string(), pull.cursor, now())
        .unwrap();
    assert_eq!(pull2.certificates.len(), 1);
    qr::verify(&pull2.certificates[0].qr, &central_pub.ed25519).unwrap();
}

/// Enrolled kiosk with the bank pulled and one real result as a template.
struct Ready {
    c: Running,
    kiosk: Kiosk,
    client: synaq_sync::Client,
    template: SignedResult,
}

async fn ready() -> Ready {
    let c = start_central().await;
    let kiosk = Kiosk::new();
    let client = kiosk.client_of(&c);
    let code = c.central.enrollment_code(BRANCH).unwrap();
    client.enroll(BRANCH, &code).await.unwrap();
    let pull = client.pull(0).await.unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let template = sit_exam(&mut engine, &bank, &iins(9000, 1)[0], true);
    Ready {
        c,
        kiosk,
        client,
        template,
    }
}

fn refused_code(o: &Outcome) -> &str {
    match o {
        Outcome::Refused { code, .. } => code,
        Outcome::Delivered { .. } => "delivered",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_push_gets_the_same_receipt() {
    let r = ready().await;
    let p = &iins(300, 1)[0];
    register(&r.c.central, p, 1);
    let res = resign(&r.template, &r.kiosk.key, p, 1);
    let a = r.client.push(std::slice::from_ref(&res)).await.unwrap();
    let b = r.client.push(std::slice::from_ref(&res)).await.unwrap();
    assert!(matches!(a.outcomes[0], Outcome::Delivered { .. }));
    assert_eq!(a.outcomes, b.outcomes, "the very same signed receipt");
    assert_eq!(r.c.central.result_count().unwrap(), 1);
    // The same attempt id with other content is a conflict.
    let mut other = res.record.clone();
    other.finished_wall_ms += 1;
    let other = SignedResult::sign(other, &r.kiosk.key);
    let c = r.client.push(&[other]).await.unwrap();
    assert_eq!(refused_code(&c.outcomes[0]), "attempt-conflict");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_is_refused_with_its_reason() {
    let r = ready().await;
    let people = iins(400, 8);
    for p in &people[..6] {
        register(&r.c.central, p, 1);
    }

    // Tampered result: an answer changed after signing.
    let mut t = resign(&r.template, &r.kiosk.key, &people[0], 10);
    t.record.answers[0].clear();
    let o = r.client.push(&[t]).await.unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "bad-signature");

    // A re-signed result whose score does not match its answers.
    let mut s = resign(&r.template, &r.kiosk.key, &people[1], 11).record;
    s.score.correct -= 1;
    let o = r
        .client
        .push(&[SignedResult::sign(s, &r.kiosk.key)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "score-mismatch");

    // No journal head.
    let mut j = resign(&r.template, &r.kiosk.key, &people[1], 12).record;
    j.journal_head = String::new();
    let o = r
        .client
        .push(&[SignedResult::sign(j, &r.kiosk.key)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "journal-head-missing");

    // Examinee not on the roster.
    let o = r
        .client
        .push(&[resign(&r.template, &r.kiosk.key, &people[7], 13)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "not-on-roster");
    if let Outcome::Refused { message, .. } = &o.outcomes[0] {
        assert!(
            !message.contains(&people[7].as_str()),
            "no full ИИН in a refusal"
        );
    }

    // Bank not issued to this kiosk: enrolled, but never pulled the bank.
    let k2 = Kiosk::new();
    let c2 = k2.client_of(&r.c);
    c2.enroll(BRANCH, &r.c.central.enrollment_code(BRANCH).unwrap())
        .await
        .unwrap();
    let o = c2
        .push(&[resign(&r.template, &k2.key, &people[2], 14)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "bank-not-issued");

    // A kiosk pushing another kiosk's result.
    let o = c2
        .push(&[resign(&r.template, &r.kiosk.key, &people[2], 15)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "wrong-kiosk");

    // Unenrolled kiosk: the whole request is refused.
    let k3 = Kiosk::new();
    let err = k3
        .client_of(&r.c)
        .push(&[resign(&r.template, &k3.key, &people[3], 16)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "kiosk-not-enrolled", "{err}");
    assert!(!err.is_transient());

    // Replayed request: the same signed bytes twice.
    let body = serde_json::to_vec(&PushRequest {
        v: PROTOCOL_VERSION,
        results: vec![resign(&r.template, &r.kiosk.key, &people[4], 17)],
        journals: Vec::new(),
    })
    .unwrap();
    let auth = RequestAuth::sign(&r.kiosk.key, "POST", "/v1/push", now(), &body);
    let http = r.c.http();
    let send = |auth: RequestAuth, body: Vec<u8>| {
        http.post(format!("{}/v1/push", r.c.base()))
            .header(H_KIOSK, auth.kiosk)
            .header(H_TIME, auth.time.to_string())
            .header(H_NONCE, auth.nonce)
            .header(H_SIGNATURE, auth.signature)
            .body(body)
            .send()
    };
    assert_eq!(
        send(auth.clone(), body.clone())
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let replay = send(auth, body.clone()).await.unwrap();
    assert_eq!(replay.status().as_u16(), 401);
    assert!(replay.text().await.unwrap().contains("replayed-request"));
    // A stale timestamp, and a body changed under a valid signature.
    let stale = RequestAuth::sign(&r.kiosk.key, "POST", "/v1/push", now() - 3600, &body);
    let resp = send(stale, body.clone()).await.unwrap();
    assert!(resp.text().await.unwrap().contains("stale-request"));
    let fresh = RequestAuth::sign(&r.kiosk.key, "POST", "/v1/push", now(), &body);
    let mut changed = body.clone();
    changed.push(b' ');
    let resp = send(fresh, changed).await.unwrap();
    assert!(resp.text().await.unwrap().contains("bad-signature"));

    // Revoked kiosk.
    r.c.central
        .revoke_kiosk(&r.kiosk.key.id().to_string())
        .unwrap();
    let err = r
        .client
        .push(&[resign(&r.template, &r.kiosk.key, &people[5], 18)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "kiosk-revoked", "{err}");
    // …and its results carried on a bundle are refused too.
    let b = bundle::results(
        &r.kiosk.key,
        vec![resign(&r.template, &r.kiosk.key, &people[5], 19)],
        now(),
    );
    let back =
        r.c.central
            .import_bundle(&bundle::to_bytes(&b), now())
            .unwrap();
    assert_eq!(refused_code(&back.body.outcomes[0]), "kiosk-revoked");

    // An answer not signed by the trusted central key is refused by the kiosk.
    let impostor = synaq_seal::IssuerSecret::generate().unwrap();
    let err = r
        .kiosk
        .client(&r.c.base(), &impostor.public(), r.c.pin)
        .pull(0)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::UnsignedAnswer { .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retakes_follow_the_window_and_a_second_pass_is_refused() {
    let r = ready().await;
    let p = &iins(500, 1)[0];
    register(&r.c.central, p, 1);
    let pass = resign(&r.template, &r.kiosk.key, p, 1);
    let mut fail = pass.record.clone();
    fail.attempt_id = format!("{}-fail", fail.kiosk_id);
    // Make it a real fail: no answers at all, re-scored by central.
    for a in &mut fail.answers {
        a.clear();
    }
    fail.score = synaq_core::Score {
        total: fail.score.total,
        ..Default::default()
    };
    fail.started_wall_ms -= 3_600_000;
    fail.finished_wall_ms -= 3_600_000;
    let fail = SignedResult::sign(fail, &r.kiosk.key);
    let o = r.client.push(&[fail, pass.clone()]).await.unwrap();
    assert!(matches!(
        &o.outcomes[0],
        Outcome::Delivered { receipt } if matches!(receipt.body.decision, Decision::Failed { .. })
    ));
    // The pass is delivered, not certified: a re-signed copy comes without its journal, so
    // central holds it for a reviewer.
    assert!(matches!(
        &o.outcomes[1],
        Outcome::Delivered { receipt } if matches!(&receipt.body.decision, Decision::Pending { state, reasons } if state == "held" && reasons.iter().any(|r| r == "journal-missing"))
    ));
    // A second pass for the same registration, at any branch, is not certified.
    let again = resign(&r.template, &r.kiosk.key, p, 2);
    let o = r.client.push(&[again]).await.unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "already-certified");
    // A retake registration with no failure inside the window is refused.
    let q = &iins(600, 1)[0];
    register(&r.c.central, q, 2);
    let o = r
        .client
        .push(&[resign(&r.template, &r.kiosk.key, q, 3)])
        .await
        .unwrap();
    assert_eq!(refused_code(&o.outcomes[0]), "retake-window-closed");
}

/// A kiosk pinned to another central certificate (another ЕУМЦ, or an impostor on the
/// address) refuses the TLS handshake: nothing is sent, nothing retried, and the error says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_pinned_to_another_certificate_refuses_to_talk() {
    let c = start_central().await;
    let other = synaq_central::tls::TlsIdentity::generate(&["127.0.0.1".into()])
        .unwrap()
        .pin();
    assert_ne!(other, c.pin);
    let kiosk = Kiosk::new();
    let wrong = kiosk
        .client(&c.base(), &c.central.public(), other)
        .with_backoff(Backoff {
            min: Duration::from_millis(1),
            max: Duration::from_millis(5),
            times: 3,
        });
    let code = c.central.enrollment_code(BRANCH).unwrap();
    let err = wrong.enroll(BRANCH, &code).await.unwrap_err();
    assert_eq!(err.code(), "sync-wrong-central", "{err}");
    assert!(!err.is_transient(), "a wrong certificate is not retried");
    let SyncError::WrongCentral {
        expected,
        presented,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*expected, *presented), (other, c.pin));
    let text = err.to_string();
    assert!(text.contains(&other.to_string()) && text.contains(&c.pin.to_string()));
    // Pushes fail the same way at once (no backoff loop).
    let err = wrong.push_with_retry(&[], &[]).await.unwrap_err();
    assert_eq!(err.code(), "sync-wrong-central", "{err}");
    // The request never reached central: the one-time code is still unused, and the same
    // kiosk pinned to the right certificate enrolls with it.
    let cert = kiosk.client_of(&c).enroll(BRANCH, &code).await.unwrap();
    assert_eq!(cert.body.kiosk_id, kiosk.key.id().to_string());
    // Plain HTTP to central gets no answer either way: the client will not even try.
    let err = synaq_sync::Client::new(
        &format!("http://{}", c.addr),
        Arc::clone(&kiosk.key),
        c.central.public(),
        c.pin,
    )
    .unwrap_err();
    assert_eq!(err.code(), "sync-format", "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_offline_then_everything_syncs() {
    let c = start_central().await;
    let central_pub = c.central.public();
    let kiosk = Kiosk::new();
    let client = kiosk.client_of(&c);
    client
        .enroll(BRANCH, &c.central.enrollment_code(BRANCH).unwrap())
        .await
        .unwrap();
    let pull = client.pull(0).await.unwrap();
    let bank = kiosk.open_bank(&pull, &central_pub);
    let people = iins(700, 14);
    register_all(&c.central, &people);
    // Seven days of exams with no network: two a day, the wall clock a day further each day.
    let clock = kiosk.clock_at((now() - 7 * 86_400) * 1000);
    let mut engine = kiosk.engine(Arc::clone(&bank), clock.clone());
    for day in 0..7 {
        for k in 0..2 {
            sit_exam(&mut engine, &bank, &people[day * 2 + k], k == 0);
            clock.advance(Duration::from_secs(3600));
        }
        clock.jump_wall(86_400_000 - 7_200_000);
    }
    // Offline: nothing to reach, nothing lost, a clear transient error.
    let dead = kiosk
        .client("https://127.0.0.1:9", &central_pub, c.pin)
        .with_backoff(Backoff {
            min: Duration::from_millis(1),
            max: Duration::from_millis(5),
            times: 2,
        });
    let err = sync_outbox(&engine, &dead, 5).await.unwrap_err();
    assert!(err.is_transient() && err.code() == "sync-offline", "{err}");
    assert_eq!(engine.pending().unwrap().len(), 14);
    // Back online.
    let rep = sync_outbox(&engine, &client, 5).await.unwrap();
    assert_eq!((rep.delivered, rep.refused, rep.remaining), (14, 0, 0));
    assert_eq!(c.central.result_count().unwrap(), 14);
    assert_eq!(deliver_evidence(&c.central, &kiosk), 14);
    let certs = client.pull(pull.cursor).await.unwrap().certificates;
    assert_eq!(certs.len(), 7);
    let stats = c.central.oo_stats().unwrap();
    assert_eq!(stats.iter().map(|s| s.passed + s.failed).sum::<u32>(), 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_kiosks_push_concurrently_and_nothing_is_lost() {
    const KIOSKS: usize = 50;
    const EACH: usize = 8;
    let r = ready().await;
    let people = iins(1000, KIOSKS * EACH);
    register_all(&r.c.central, &people);
    let mut kiosks = Vec::new();
    for _ in 0..KIOSKS {
        let k = Kiosk::new();
        let client = k.client_of(&r.c);
        client
            .enroll(BRANCH, &r.c.central.enrollment_code(BRANCH).unwrap())
            .await
            .unwrap();
        kiosks.push((k, client));
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (k, client)) in kiosks.into_iter().enumerate() {
        let results: Vec<SignedResult> = (0..EACH)
            .map(|j| resign(&r.template, &k.key, &people[i * EACH + j], j))
            .collect();
        tasks.push(tokio::spawn(async move {
            client.pull(0).await?;
            let mut receipts = 0;
            for chunk in results.chunks(2) {
                let resp = client.push_with_retry(chunk, &[]).await?;
                for o in &resp.outcomes {
                    assert!(matches!(o, Outcome::Delivered { .. }), "{o:?}");
                    receipts += 1;
                }
            }
            Ok::<_, SyncError>(receipts)
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap().unwrap();
    }
    eprintln!(
        "{KIOSKS} kiosks: {total} results delivered in {:?}",
        started.elapsed()
    );
    assert_eq!(total, KIOSKS * EACH);
    assert_eq!(r.c.central.result_count().unwrap() as usize, KIOSKS * EACH);
}

/// Central as a child process, killed with SIGKILL and restarted 100 times while one kiosk
/// keeps pushing: every result ends up stored exactly once, with one receipt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn central_killed_and_restarted_100_times_mid_push() {
    const N: usize = 300;
    const KILLS: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let base = format!("https://{addr}");
    // Set up in-process, then close the database and hand the directory to the child.
    let (central_pub, kiosk, template, people) = {
        let c = setup_central(dir.path(), &base);
        let kiosk = Kiosk::new();
        enroll_offline(&c, &kiosk);
        let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
        let bank = kiosk.open_bank(&pull, &c.public());
        let people = iins(3000, N + 1);
        register_all(&c, &people);
        let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
        let template = sit_exam(&mut engine, &bank, &people[N], true);
        (c.public(), kiosk, template, people)
    };
    // The child keeps serving with the certificate made here, restart after restart.
    let pin = tls_identity(dir.path()).pin();
    let results: Vec<SignedResult> = (0..N)
        .map(|i| resign(&template, &kiosk.key, &people[i], i))
        .collect();
    let exe = env!("CARGO_BIN_EXE_synaq-loop-central");
    let spawn = {
        let dir = dir.path().to_owned();
        let addr = addr.clone();
        let env = database_env(&dir);
        move || {
            std::process::Command::new(exe)
                .arg(&dir)
                .arg(&addr)
                .envs(env.iter().cloned())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("start central child")
        }
    };
    let killer = std::thread::spawn(move || {
        let mut child = spawn();
        // A tiny xorshift: kill after 5–44 ms of life, so kills land before, during and after
        // requests and commits.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..KILLS {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            std::thread::sleep(Duration::from_millis(5 + x % 40));
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
            child = spawn();
        }
        child
    });
    let client = kiosk
        .client(&base, &central_pub, pin)
        .with_backoff(Backoff {
            min: Duration::from_millis(2),
            max: Duration::from_millis(20),
            times: 1000,
        });
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut receipts: HashMap<String, synaq_sync::Receipt> = HashMap::new();
    let mut pending: Vec<SignedResult> = results.clone();
    let mut failures = 0;
    let mut rounds = 0;
    while !pending.is_empty() || !killer.is_finished() {
        assert!(Instant::now() < deadline, "bounded: 90 s");
        rounds += 1;
        // After everything is delivered, keep re-pushing the first results while the killer
        // runs: duplicates must get the very same receipts.
        let batch: Vec<SignedResult> = if pending.is_empty() {
            results[..3].to_vec()
        } else {
            pending.iter().take(5).cloned().collect()
        };
        match client.push(&batch).await {
            Ok(resp) => {
                for (res, o) in batch.iter().zip(&resp.outcomes) {
                    let Outcome::Delivered { receipt } = o else {
                        panic!("refused: {o:?}")
                    };
                    receipt.verify(&central_pub.ed25519).unwrap();
                    assert_eq!(receipt.body.result_sha256, synaq_sync::result_digest(res));
                    if let Some(prev) =
                        receipts.insert(res.record.attempt_id.clone(), receipt.clone())
                    {
                        assert_eq!(&prev, receipt, "a retry gets the same receipt");
                    }
                }
                pending.retain(|r| !receipts.contains_key(&r.record.attempt_id));
            }
            Err(e) => {
                assert!(
                    e.is_transient(),
                    "only transient errors while central dies: {e}"
                );
                failures += 1;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    }
    let mut last = killer.join().unwrap();
    last.kill().ok();
    last.wait().ok();
    eprintln!("{KILLS} kills: {rounds} pushes, {failures} failed in flight");
    assert!(failures > 0, "some pushes must have been cut by a kill");
    assert_eq!(receipts.len(), N);
    let c = reopen(dir.path(), &base);
    assert_eq!(c.result_count().unwrap() as usize, N, "each exactly once");
    // The copies carry the template's evidence head (another attempt's evidence): they wait
    // for evidence, so a reviewer approves them to issue their certificates.
    for q in c.review_queue().unwrap() {
        c.review_approve(&q.attempt, "reviewer-1", "load test", now())
            .unwrap();
    }
    // Every certificate number is unique.
    let csv = c.certificates_csv().unwrap();
    let mut numbers: Vec<&str> = csv.lines().skip(1).map(|l| &l[..16]).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), N);
}
