//! Test support: the demo bank, decrypted with the demo keys, as an [`ExamBank`].
//! Used by this crate's tests, the crash loop and the benches; never by the app.

use std::sync::Arc;

use synaq_seal::bank;
use synaq_seal::NoMarks;
use synaq_seal::{IssuerPublic, KioskSecret};

use crate::engine::ExamBank;

const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
const DEMO_ISSUER: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
const DEMO_KIOSK: &str = include_str!("../../../assets/demo/keys/demo-kiosk.key");

/// The demo bank, opened as a kiosk that has seen no bank before would. Nothing is recorded,
/// so no file is written: a process killed while it loads the bank, as the crash loop's child
/// is, leaves nothing behind.
pub fn demo_bank() -> Arc<ExamBank> {
    let issuer = IssuerPublic::from_toml(DEMO_ISSUER).expect("demo issuer key");
    let kiosk = KioskSecret::from_toml(DEMO_KIOSK).expect("demo kiosk key");
    let opened = bank::open_unrecorded(DEMO_BANK, &issuer, &kiosk, 1_800_000_000, &NoMarks)
        .expect("the demo bank opens");
    Arc::new(ExamBank::new(
        opened.header.series,
        opened.header.version,
        opened.profile,
        opened.content.questions,
    ))
}
