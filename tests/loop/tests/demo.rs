//! What `cargo xtask demo` builds on: central with the demo issuer key, the demo bank and the
//! demo roster; receipts carried back on removable media and applied to the kiosk's outbox.

use std::sync::Arc;

use base64::Engine as _;
use synaq_central::{Central, KeyInstall};
use synaq_loop::*;
use synaq_seal::roster::{self, RosterSource};
use synaq_seal::{IssuerPublic, IssuerSecret};
use synaq_store::outbox::Delivery;
use synaq_sync::bundle;

const DEMO_ROSTER: &str = include_str!("../../../assets/demo/roster.toml");
const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");

fn demo_key_file(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("demo-issuer.key");
    std::fs::write(
        &p,
        include_str!("../../../assets/demo/keys/demo-issuer.key"),
    )
    .unwrap();
    p
}

#[test]
fn a_demo_central_serves_the_demo_bank_and_roster_to_an_alm01_kiosk() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("central");
    let key = demo_key_file(tmp.path());
    assert_eq!(
        Central::install_issuer_key(&data, &key).unwrap(),
        KeyInstall::Installed
    );
    assert_eq!(
        Central::install_issuer_key(&data, &key).unwrap(),
        KeyInstall::AlreadyThere,
        "idempotent"
    );
    let other = tmp.path().join("other.key");
    synaq_seal::keys::write_secret(&other, &IssuerSecret::generate().unwrap().to_toml()).unwrap();
    let err = Central::install_issuer_key(&data, &other).unwrap_err();
    assert!(err.to_string().contains("refusing to replace"), "{err}");

    let c = Central::open(&data, "https://127.0.0.1:8440").unwrap();
    let demo_pub =
        IssuerPublic::from_toml(include_str!("../../../assets/demo/keys/demo-issuer.pub")).unwrap();
    assert_eq!(c.public(), demo_pub, "central signs as the demo issuer");
    c.add_branch("ALM-01", "Алматы").unwrap();
    let (series, version) = c.publish_bank(DEMO_BANK).unwrap();
    let src = RosterSource::from_toml(DEMO_ROSTER).unwrap();
    let n = src.entries.len();
    assert_eq!(c.import_roster(&src).unwrap(), (n, 0));
    assert_eq!(
        c.import_roster(&src).unwrap(),
        (0, n),
        "importing twice adds nothing"
    );

    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    assert_eq!(pull.banks.len(), 1);
    assert_eq!(
        (pull.banks[0].series.as_str(), pull.banks[0].version),
        (series.as_str(), version)
    );
    let bank = kiosk.open_bank(&pull, &demo_pub);
    assert!(!bank.questions().is_empty());
    let r = roster::verify(
        &base64::engine::general_purpose::STANDARD
            .decode(pull.roster.as_ref().expect("the branch roster"))
            .unwrap(),
        &demo_pub,
    )
    .unwrap();
    assert_eq!(r.branch, "ALM-01");
    assert_eq!(r.entries.len(), n, "every demo examinee, once");
    assert!(pull.staff.is_none(), "no staff added for the branch");
    assert!(pull.certificates.is_empty() && pull.revocations.is_empty());
    eprintln!(
        "demo pull: cursor {}, bank {series} v{version} ({} questions), roster of {} entries for {}",
        pull.cursor,
        bank.questions().len(),
        r.entries.len(),
        r.branch
    );
}

#[test]
fn a_receipts_bundle_applied_to_the_kiosk_outbox_once() {
    let dir = tempfile::tempdir().unwrap();
    let c = setup_central(dir.path(), "https://127.0.0.1:9");
    let central_pub = c.public();
    let people = iins(7000, 3);
    register(&c, &people[0], 1);
    register(&c, &people[1], 1);
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &central_pub);
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    for p in &people {
        sit_exam(&mut engine, &bank, p, true);
    }
    let out = bundle::to_bytes(&results_bundle(&engine, &kiosk.key));
    let back = bundle::to_bytes(&c.import_bundle(&out, now()).unwrap());
    let id = kiosk.key.id().to_string();
    let evidence_root = kiosk.dir.path().join("evidence");

    let r = bundle::import_receipts(
        engine.connection(),
        &central_pub,
        &id,
        &evidence_root,
        &back,
    )
    .unwrap();
    assert_eq!(
        (r.delivered, r.refused, r.unchanged, r.unknown),
        (2, 1, 0, 0)
    );
    let st = engine.outbox_status().unwrap();
    assert_eq!(
        st.iter()
            .filter(|e| matches!(e.delivery, Delivery::Delivered { .. }))
            .count(),
        2
    );
    assert!(st
        .iter()
        .any(|e| matches!(&e.delivery, Delivery::Refused { code, .. } if code == "not-on-roster")));
    // The same bundle again changes nothing.
    let again = bundle::import_receipts(
        engine.connection(),
        &central_pub,
        &id,
        &evidence_root,
        &back,
    )
    .unwrap();
    assert_eq!((again.delivered, again.refused, again.unchanged), (0, 0, 3));
    assert_eq!(engine.outbox_status().unwrap(), st);
    // Another kiosk's bundle, or one signed by another key, is refused whole.
    let other = Kiosk::new();
    let err = bundle::import_receipts(
        engine.connection(),
        &central_pub,
        &other.key.id().to_string(),
        &evidence_root,
        &back,
    )
    .unwrap_err();
    assert!(err.to_string().contains("not this kiosk"), "{err}");
    let stranger = IssuerSecret::generate().unwrap().public();
    assert_eq!(
        bundle::import_receipts(engine.connection(), &stranger, &id, &evidence_root, &back)
            .unwrap_err()
            .code(),
        "sync-bad-signature"
    );
    // The evidence arrives; certificates come with the next pull and are stored on the kiosk.
    assert_eq!(deliver_evidence(&c, &kiosk), 2);
    let pull2 = c.pull(&id, pull.cursor, now()).unwrap();
    assert_eq!(pull2.certificates.len(), 2);
    let rows: Vec<synaq_store::StoredCertificate> =
        pull2.certificates.iter().map(Into::into).collect();
    engine.store_certificates(&rows).unwrap();
    let with_cert = engine
        .outbox_status()
        .unwrap()
        .into_iter()
        .filter(|e| e.certificate.is_some())
        .count();
    assert_eq!(with_cert, 2);
}
