//! The sealed bank, end to end: build, open, add a recipient, and every way to refuse one.

use std::collections::BTreeMap;

use synaq_core::{AnswerOption, CategoryId, Question, QuestionId, QuestionKind, Text};
use synaq_seal::bank::{self, BankContent, BankError, BankMeta};
use synaq_seal::{FileTrustStore, IssuerSecret, KioskSecret, TrustStore};

const PROFILE: &str = include_str!("../../../assets/demo/profile.toml");
const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

fn text(kk: &str, ru: &str) -> Text {
    Text {
        kk: kk.into(),
        ru: ru.into(),
        en: None,
    }
}

fn question(n: usize) -> Question {
    Question {
        id: QuestionId(format!("q-{n:03}")),
        version: 1,
        topic: if n % 2 == 0 { "fire" } else { "training" }.into(),
        categories: vec![
            CategoryId::new("cat-1").unwrap(),
            CategoryId::new("cat-2").unwrap(),
        ],
        text: text(
            &format!("Сұрақ {n}: өрт сөндіргіш"),
            &format!("Вопрос {n}: огнетушитель"),
        ),
        kind: QuestionKind::Single,
        options: vec![
            AnswerOption {
                id: "a".into(),
                text: text("Иә", "Да"),
                correct: true,
                fixed: false,
            },
            AnswerOption {
                id: "b".into(),
                text: text("Жоқ", "Нет"),
                correct: false,
                fixed: false,
            },
        ],
        image: None,
    }
}

fn content(media_bytes: usize) -> BankContent {
    let mut media = BTreeMap::new();
    if media_bytes > 0 {
        media.insert(
            "media/sign.png".to_owned(),
            (0..media_bytes).map(|i| (i * 7 % 256) as u8).collect(),
        );
    }
    BankContent {
        profile_toml: PROFILE.to_owned(),
        questions: (0..5).map(question).collect(),
        media,
    }
}

fn meta(version: u64) -> BankMeta {
    BankMeta {
        series: "demo".into(),
        version,
        created: NOW - DAY,
        not_before: NOW - DAY,
        not_after: NOW + 30 * DAY,
    }
}

struct World {
    issuer: IssuerSecret,
    kiosk: KioskSecret,
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        World {
            issuer: IssuerSecret::generate().unwrap(),
            kiosk: KioskSecret::generate().unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn build(&self, version: u64, media: usize) -> Vec<u8> {
        bank::build(
            &content(media),
            &meta(version),
            &self.issuer,
            &[self.kiosk.public()],
            &mut |_, _| {},
        )
        .unwrap()
    }

    fn trust(&self) -> FileTrustStore {
        FileTrustStore::open(&self.dir.path().join("trust.json")).unwrap()
    }

    fn open_at(&self, bytes: &[u8], now: i64) -> Result<bank::OpenedBank, BankError> {
        bank::open(
            bytes,
            &self.issuer.public(),
            &self.kiosk,
            now,
            &mut self.trust(),
        )
    }

    fn open(&self, bytes: &[u8]) -> Result<bank::OpenedBank, BankError> {
        self.open_at(bytes, NOW)
    }
}

#[test]
fn a_bank_opens_for_its_kiosk_with_everything_inside() {
    let w = World::new();
    let bytes = w.build(1, 200_000);
    let opened = w.open(&bytes).unwrap();
    assert_eq!(opened.content, content(200_000));
    assert_eq!(opened.profile.categories.len(), 6);
    assert_eq!(opened.header.counts.questions, 5);
    assert_eq!(opened.header.counts.per_category["cat-1"], 5);
    assert_eq!(opened.header.counts.per_topic["fire"], 3);
    assert_eq!(w.trust().high_water("demo"), Some(1));
    // The questions are not readable in the file.
    let needle = "огнетушитель".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn another_kiosk_is_not_a_recipient() {
    let w = World::new();
    let bytes = w.build(1, 0);
    let other = KioskSecret::generate().unwrap();
    let err = bank::open(&bytes, &w.issuer.public(), &other, NOW, &mut w.trust()).unwrap_err();
    assert_eq!(err, BankError::NotARecipient { kiosk: other.id() });
    assert_eq!(
        w.trust().high_water("demo"),
        None,
        "nothing trusted on failure"
    );
}

#[test]
fn a_stanza_the_kiosk_key_does_not_open_is_wrong_key() {
    let w = World::new();
    let bytes = w.build(1, 0);
    let kid = w.kiosk.id().to_string();
    let forged = bank::resign_for_tests(&bytes, &w.issuer, |h, _| {
        let other = KioskSecret::generate().unwrap();
        let theirs = bank::build(
            &content(0),
            &meta(1),
            &w.issuer,
            &[other.public()],
            &mut |_, _| {},
        )
        .unwrap();
        let (_, th) = bank::read_header_unverified(&theirs).unwrap();
        let s = h.stanzas.iter_mut().find(|s| s.recipient == kid).unwrap();
        s.wrapped_key = th.stanzas[1].wrapped_key.clone();
    });
    assert_eq!(w.open(&forged).unwrap_err(), BankError::WrongKey);
}

#[test]
fn every_flipped_byte_is_refused() {
    let w = World::new();
    let bytes = w.build(1, 0);
    assert!(bytes.len() > 1000, "a real-size small bank");
    for i in 0..bytes.len() {
        let mut copy = bytes.clone();
        copy[i] ^= 0x01;
        let err = w.open(&copy).err();
        assert!(
            err.is_some(),
            "flipping byte {i} of {} was not detected",
            bytes.len()
        );
    }
    assert_eq!(w.trust().high_water("demo"), None);
}

#[test]
fn truncation_and_trailing_bytes() {
    let w = World::new();
    let bytes = w.build(1, 0);
    for cut in [0, 5, 28, 100, bytes.len() - 64, bytes.len() - 1] {
        let err = w.open(&bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, BankError::Truncated { .. } | BankError::NotABank),
            "cut at {cut}: {err}"
        );
    }
    let err = w.open(&bytes[..bytes.len() - 1]).unwrap_err();
    assert_eq!(
        err,
        BankError::Truncated {
            expected: bytes.len() as u64,
            actual: bytes.len() as u64 - 1
        }
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(w.open(&longer).unwrap_err(), BankError::TrailingData(1));
}

#[test]
fn validity_window_against_one_now() {
    let w = World::new();
    let bytes = w.build(1, 0);
    let m = meta(1);
    assert_eq!(
        w.open_at(&bytes, m.not_before - 1).unwrap_err(),
        BankError::NotYetValid {
            not_before: m.not_before
        }
    );
    assert_eq!(
        w.open_at(&bytes, m.not_after + 1).unwrap_err(),
        BankError::Expired {
            not_after: m.not_after
        }
    );
    assert!(w.open_at(&bytes, m.not_after).is_ok());
}

#[test]
fn rollback_is_refused_and_failures_do_not_raise_the_mark() {
    let w = World::new();
    let v1 = w.build(1, 0);
    let v2 = w.build(2, 0);
    w.open(&v2).unwrap();
    assert_eq!(
        w.open(&v1).unwrap_err(),
        BankError::RolledBack {
            series: "demo".into(),
            have: 2,
            got: 1
        }
    );
    // Re-opening the same version is fine (a kiosk restarts).
    w.open(&v2).unwrap();
    // An expired v3 is refused and does not raise the mark.
    let v3 = w.build(3, 0);
    assert_eq!(
        w.open_at(&v3, NOW + 365 * DAY).unwrap_err().code(),
        "bank-expired"
    );
    assert_eq!(w.trust().high_water("demo"), Some(2));
}

#[test]
fn unknown_format_version_and_foreign_files() {
    let w = World::new();
    let mut bytes = w.build(1, 0);
    bytes[8] = 2;
    assert_eq!(
        w.open(&bytes).unwrap_err(),
        BankError::UnsupportedVersion(2)
    );
    assert_eq!(
        w.open(b"PK\x03\x04 a zip file, not a bank").unwrap_err(),
        BankError::NotABank
    );
    // A newer version is named as such however short the file: its layout may differ.
    for len in [9, 20, 29 + 63] {
        assert_eq!(
            w.open(&bytes[..len]).unwrap_err(),
            BankError::UnsupportedVersion(2),
            "{len} bytes"
        );
    }
    // The same cuts of a version-1 file are truncated.
    bytes[8] = 1;
    for len in [9, 20, 29 + 63] {
        assert!(
            matches!(w.open(&bytes[..len]), Err(BankError::Truncated { .. })),
            "{len} bytes"
        );
    }
}

#[test]
fn header_and_content_malformations_have_their_own_codes() {
    let w = World::new();
    let bytes = w.build(1, 0);
    // A signed header that is not a header (only a broken builder or a stolen key makes one).
    let hl = u32::from_le_bytes(bytes[17..21].try_into().unwrap()) as usize;
    let payload = &bytes[29 + hl..bytes.len() - 64];
    for header in [&b"{}"[..], b"not json", b"[]"] {
        let raw = bank::sign_raw_for_tests(&w.issuer, header, payload);
        let err = w.open(&raw).unwrap_err();
        assert!(matches!(err, BankError::MalformedHeader(_)), "{err}");
        assert_eq!(err.code(), "bank-malformed-header");
    }

    // Decrypted content that is not a bank.
    for (plain, why) in [
        (&b"not a container"[..], "SYNAQCNT"),
        (&b"SYNAQCNT\x01"[..], "no questions"),
    ] {
        let err = bank::parse_decrypted_for_fuzzing(plain).unwrap_err();
        assert!(matches!(err, BankError::MalformedContent(_)), "{err}");
        assert_eq!(err.code(), "bank-malformed");
        assert!(err.to_string().contains(why), "{err}");
    }
}

#[test]
fn a_bank_from_another_issuer_is_refused() {
    let w = World::new();
    let rogue = IssuerSecret::generate().unwrap();
    let bytes = bank::build(
        &content(0),
        &meta(1),
        &rogue,
        &[w.kiosk.public()],
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(
        w.open(&bytes).unwrap_err(),
        BankError::WrongIssuer {
            expected: w.issuer.id(),
            found: rogue.id()
        }
    );
    // Claiming the trusted issuer's key id does not help: the signature fails.
    let mut claimed = bytes.clone();
    claimed[9..17].copy_from_slice(&w.issuer.id().0);
    assert_eq!(w.open(&claimed).unwrap_err(), BankError::BadSignature);
}

#[test]
fn signed_but_damaged_inside_is_still_caught() {
    let w = World::new();
    let bytes = w.build(1, 3 * 65536);
    let bad_mac = bank::resign_for_tests(&bytes, &w.issuer, |h, _| h.counts.questions += 1);
    assert_eq!(w.open(&bad_mac).unwrap_err(), BankError::BadHeaderMac);
    let bad_chunk = bank::resign_for_tests(&bytes, &w.issuer, |_, p| p[70_000] ^= 1);
    assert_eq!(
        w.open(&bad_chunk).unwrap_err(),
        BankError::PayloadCorrupt { chunk: 1 }
    );
    let cut = bank::resign_for_tests(&bytes, &w.issuer, |_, p| p.truncate(2 * (65536 + 16)));
    assert_eq!(w.open(&cut).unwrap_err(), BankError::PayloadTruncated);
}

#[test]
fn adding_a_recipient_rewraps_without_reencrypting() {
    let w = World::new();
    let bytes = w.build(1, 100_000);
    let late = KioskSecret::generate().unwrap();
    let more = bank::add_recipient(&bytes, &w.issuer, &late.public()).unwrap();
    let opened = bank::open(&more, &w.issuer.public(), &late, NOW, &mut w.trust()).unwrap();
    assert_eq!(opened.content, content(100_000));
    w.open(&more).unwrap();
    let (_, before) = bank::read_header_unverified(&bytes).unwrap();
    let (_, after) = bank::read_header_unverified(&more).unwrap();
    assert_eq!(after.stanzas.len(), before.stanzas.len() + 1);
    // The payload (everything between header and signature) is byte-for-byte the same.
    let tail = |b: &[u8], header_len: usize| b[29 + header_len..b.len() - 64].to_vec();
    let hl = |b: &[u8]| u32::from_le_bytes(b[17..21].try_into().unwrap()) as usize;
    assert_eq!(tail(&bytes, hl(&bytes)), tail(&more, hl(&more)));
    // Adding twice changes nothing.
    assert_eq!(
        bank::add_recipient(&more, &w.issuer, &late.public()).unwrap(),
        more
    );
}

#[test]
fn every_refusal_has_its_own_code() {
    let errors = [
        BankError::NotABank,
        BankError::UnsupportedVersion(2),
        BankError::Truncated {
            expected: 1,
            actual: 0,
        },
        BankError::TrailingData(1),
        BankError::WrongIssuer {
            expected: synaq_seal::KeyId([0; 8]),
            found: synaq_seal::KeyId([1; 8]),
        },
        BankError::BadSignature,
        BankError::NotYetValid { not_before: 0 },
        BankError::Expired { not_after: 0 },
        BankError::RolledBack {
            series: "s".into(),
            have: 2,
            got: 1,
        },
        BankError::NotARecipient {
            kiosk: synaq_seal::KeyId([0; 8]),
        },
        BankError::WrongKey,
        BankError::BadHeaderMac,
        BankError::PayloadCorrupt { chunk: 0 },
        BankError::PayloadTruncated,
        BankError::MalformedHeader("x".into()),
        BankError::MalformedContent("x".into()),
        BankError::ProfileDigestMismatch,
        BankError::TrustStore("x".into()),
        BankError::Build("x".into()),
    ];
    let codes: std::collections::BTreeSet<_> = errors.iter().map(BankError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert_eq!(
        codes.len(),
        BankError::ALL_CODES.len(),
        "every code is reachable"
    );
    for code in codes {
        assert!(
            BankError::ALL_CODES.contains(&code),
            "{code} missing from ALL_CODES"
        );
    }
}

/// The committed golden vector: the exact bytes a seeded build gives, and what it opens to.
/// Regenerate with SYNAQ_UPDATE_VECTORS=1 only when the format version changes.
#[test]
fn golden_vector() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/formats/vectors/bank-v1.synaqbank"
    );
    let issuer = IssuerSecret::from_seed(&[1; 32]);
    let kiosk = KioskSecret::from_seed(&[2; 32]);
    let m = BankMeta {
        series: "vector".into(),
        version: 7,
        created: 1_767_225_600,
        not_before: 1_767_225_600,
        not_after: 1_798_761_600,
    };
    let built =
        bank::build_seeded(&content(70_000), &m, &issuer, &[kiosk.public()], [3; 32]).unwrap();
    if std::env::var_os("SYNAQ_UPDATE_VECTORS").is_some() {
        std::fs::write(path, &built).unwrap();
    }
    let golden = std::fs::read(path).expect("docs/formats/vectors/bank-v1.synaqbank");
    assert!(
        golden == built,
        "the bank format changed: bump FORMAT_VERSION"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut trust = FileTrustStore::open(&dir.path().join("t.json")).unwrap();
    let opened = bank::open(&golden, &issuer.public(), &kiosk, 1_770_000_000, &mut trust).unwrap();
    assert_eq!(opened.header.version, 7);
    assert_eq!(opened.content, content(70_000));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Arbitrary bytes after a plausible preamble: an error, never a panic.
        #[test]
        fn arbitrary_files(tail in proptest::collection::vec(any::<u8>(), 0..400), header_len in 0u32..300, payload_len in 0u64..300) {
            let w = World::new();
            let mut bytes = b"SYNAQBNK\x01".to_vec();
            bytes.extend_from_slice(&w.issuer.id().0);
            bytes.extend_from_slice(&header_len.to_le_bytes());
            bytes.extend_from_slice(&payload_len.to_le_bytes());
            bytes.extend_from_slice(&tail);
            prop_assert!(w.open(&bytes).is_err());
            let _ = bank::read_header_unverified(&bytes);
        }

        /// A real bank with a random run of bytes overwritten is refused.
        #[test]
        fn overwritten_runs(start in 0usize..2000, junk in proptest::collection::vec(any::<u8>(), 1..64)) {
            let w = World::new();
            let mut bytes = w.build(1, 0);
            let start = start % bytes.len();
            let mut changed = false;
            for (i, b) in junk.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(start + i) {
                    changed |= *slot != *b;
                    *slot = *b;
                }
            }
            prop_assume!(changed);
            prop_assert!(w.open(&bytes).is_err());
        }
    }
}
