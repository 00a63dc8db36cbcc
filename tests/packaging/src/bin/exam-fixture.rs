//! `exam-fixture ISSUER_KEY`: makes a half-done exam in an installed kiosk's data directory
//! (`SYNAQ_DATA_DIR`) as the kiosk itself would: signed with the kiosk's own key, which it
//! reads only from the systemd credential (`$CREDENTIALS_DIRECTORY/synaq-kiosk-key`), over the
//! demo bank re-issued to that key by ЕУМЦ's (here the demo) issuer, with five answers kept.
//! Run as the kiosk user inside the test root, before an upgrade; prints the attempt id.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use synaq_core::{CategoryId, Iin};
use synaq_seal::{bank, IssuerSecret};
use synaq_store::{Admission, Engine, ExamBank, SystemClock};

const DEMO_BANK: &[u8] = include_bytes!("../../../../assets/demo/demo.synaqbank");

fn main() -> Result<()> {
    let issuer_key = std::env::args()
        .nth(1)
        .context("usage: exam-fixture ISSUER_KEY")?;
    let data = PathBuf::from(std::env::var_os("SYNAQ_DATA_DIR").context("SYNAQ_DATA_DIR")?);
    if synaq_store::identity::credential().is_none() {
        bail!("no systemd credential synaq-kiosk-key: the fixture signs only with the sealed key");
    }
    let kiosk = synaq_store::identity::load_or_create(&data)?;
    let issuer = IssuerSecret::load(std::path::Path::new(&issuer_key))?;
    let bytes = bank::add_recipient(DEMO_BANK, &issuer, &kiosk.public())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let opened = synaq_station::load::open(&bytes, &issuer.public(), &kiosk, &data, now)
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.detail))?;
    // Kept where the kiosk keeps an imported bank, so the kiosk itself opens it afterwards.
    synaq_seal::fs::write_atomic(&data.join(synaq_station::load::BANK_FILE), &bytes)?;
    let exam_bank = Arc::new(ExamBank::new(
        opened.header.series,
        opened.header.version,
        opened.profile,
        opened.content.questions,
    ));
    let mut e = Engine::open_store_with_key(&data, Arc::new(SystemClock), Arc::new(kiosk))?;
    e.use_bank(exam_bank)?;
    let iin = Iin::parse("900101300017")?;
    let cat = CategoryId::new("cat-1")?;
    let attempt = e.admit(Admission::new(&iin, &cat, "p1").started())?;
    for p in 0..5 {
        let q = e.show(p)?;
        e.answer(p, [q.options[0].0.clone()].into())?;
    }
    println!("{attempt}");
    Ok(())
}
