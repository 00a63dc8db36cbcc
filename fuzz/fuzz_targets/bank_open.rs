//! Any bytes given to the bank parser: framing, header and (for the seeded vector's keys)
//! the whole open path must return an error or a bank, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synaq_seal::{bank, FileTrustStore, IssuerSecret, KioskSecret};

fuzz_target!(|data: &[u8]| {
    let _ = bank::read_header_unverified(data);
    let issuer = IssuerSecret::from_seed(&[1; 32]);
    let kiosk = KioskSecret::from_seed(&[2; 32]);
    let dir = std::env::temp_dir().join("synaq-fuzz-trust");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(trust) = FileTrustStore::open(&dir.join("trust.json")) {
        let _ = bank::open_unrecorded(data, &issuer.public(), &kiosk, 1_770_000_000, &trust);
    }
});
