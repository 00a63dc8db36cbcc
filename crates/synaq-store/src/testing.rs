//! Test support: the demo bank, decrypted with the demo keys, as an [`ExamBank`].
//! Used by this crate's tests, the crash loop and the benches; never by the app.

use std::sync::Arc;

use synaq_seal::bank;
use synaq_seal::{FileTrustStore, IssuerPublic, KioskSecret};

use crate::engine::ExamBank;

const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
const DEMO_ISSUER: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
const DEMO_KIOSK: &str = include_str!("../../../assets/demo/keys/demo-kiosk.key");

/// The demo bank, opened as a kiosk would (trusted state in a throwaway directory).
pub fn demo_bank() -> Arc<ExamBank> {
    let issuer = IssuerPublic::from_toml(DEMO_ISSUER).expect("demo issuer key");
    let kiosk = KioskSecret::from_toml(DEMO_KIOSK).expect("demo kiosk key");
    let dir = std::env::temp_dir().join(format!("synaq-demo-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let trust = FileTrustStore::open(&dir.join("trust.json")).expect("trust store");
    let opened = bank::open_unrecorded(DEMO_BANK, &issuer, &kiosk, 1_800_000_000, &trust)
        .expect("the demo bank opens");
    std::fs::remove_dir_all(&dir).ok();
    Arc::new(ExamBank::new(
        opened.header.series,
        opened.header.version,
        opened.profile,
        opened.content.questions,
    ))
}
