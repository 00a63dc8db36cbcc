//! Past the signature with attacker-chosen header and payload: the input (`header_len u16 LE ‖
//! header ‖ payload`) is framed as a version-1 bank and signed with the seeded test issuer the
//! kiosk trusts here, so every byte reaches the header parser, the validity and rollback checks,
//! the stanza lookup and unwrap, the header MAC, the STREAM decryption and, for inputs derived
//! from the seed corpus (a real bank for the seeded kiosk), the content parser. It must return
//! an error or a bank, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synaq_seal::{bank, IssuerSecret, KioskSecret, NoMarks};


fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let header_len = usize::from(u16::from_le_bytes(*len)).min(rest.len());
    let (header, payload) = rest.split_at(header_len);
    let issuer = IssuerSecret::from_seed(&[1; 32]);
    let kiosk = KioskSecret::from_seed(&[2; 32]);
    let signed = bank::sign_raw_for_tests(&issuer, header, payload);
    let opened = bank::open_unrecorded(&signed, &issuer.public(), &kiosk, 1_770_000_000, &NoMarks);
    if let Err(e) = opened {
        // A signed file never fails on framing, issuer or signature.
        assert!(
            !matches!(
                e.code(),
                "bank-truncated" | "bank-trailing-data" | "bank-bad-signature"
            ),
            "{e}"
        );
    }
});
