//! The golden vectors in `docs/formats/vectors/`: every file listed in `manifest.toml` opens
//! (or is refused with its error code) as listed, every tampered file is exactly what its
//! recipe makes from the positive vector, and the positive vector opens with a second reader
//! written from `docs/formats/bank.md` and `vectors/README.md` alone (ring and x25519-dalek
//! directly, no `synaq_seal::bank` code), so the spec and the code cannot drift apart.
//!
//! `SYNAQ_UPDATE_VECTORS=1` rewrites the tampered files from their recipes (only when the
//! positive vector itself was regenerated, i.e. when the format version changes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::digest::{digest, SHA256, SHA512};
use ring::{hkdf, hmac};
use serde::Deserialize;
use synaq_seal::bank::{self, BankError};
use synaq_seal::{FileTrustStore, IssuerSecret, KioskSecret, TrustStore as _};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats/vectors")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    positive: Positive,
    #[serde(rename = "vector")]
    vectors: Vec<Vector>,
}

/// What the positive vector was built from and what it decrypts to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Positive {
    file: String,
    issuer_seed: u8,
    kiosk_seed: u8,
    build_seed: u8,
    content_key: String,
    plaintext_len: usize,
    plaintext_sha256: String,
    entries: Vec<String>,
}

/// One file, the keys and clock it is opened with, and the outcome.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    file: String,
    /// How the file was made (for people; `recipe` below is the same in code).
    made: String,
    /// Unix seconds the kiosk's clock says.
    now: i64,
    /// The trusted issuer key and this kiosk's key: 32 bytes of this value each.
    issuer_seed: u8,
    kiosk_seed: u8,
    /// The kiosk's high-water mark for the vector's series before it opens the file.
    high_water: Option<u64>,
    /// `ok`, or the error code the kiosk gets.
    expect: String,
}

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(dir().join("manifest.toml")).expect("manifest.toml");
    toml::from_str(&text).expect("manifest.toml parses")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where the parts of a version-1 file start (from its preamble).
fn parts(b: &[u8]) -> (usize, usize, usize) {
    let header_len = u32::from_le_bytes(b[17..21].try_into().unwrap()) as usize;
    let payload_len = u64::from_le_bytes(b[21..29].try_into().unwrap()) as usize;
    let payload = 29 + header_len;
    (29, payload, payload + payload_len)
}

/// The recipe of each tampered file, from the positive vector. Keep in step with `made` in
/// manifest.toml and the table in README.md.
fn recipe(name: &str, golden: &[u8], issuer: &IssuerSecret) -> Vec<u8> {
    let (header, payload, signature) = parts(golden);
    let flip = |at: usize| {
        let mut b = golden.to_vec();
        b[at] ^= 0x01;
        b
    };
    match name {
        "flipped-header.synaqbank" => flip(header + 10),
        "flipped-payload.synaqbank" => flip(payload + 100),
        "flipped-signature.synaqbank" => flip(signature + 63),
        "flipped-issuer-id.synaqbank" => flip(9),
        "truncated.synaqbank" => golden[..golden.len() - 100].to_vec(),
        "trailing-byte.synaqbank" => [golden, &[0]].concat(),
        "version-2.synaqbank" => {
            let mut b = golden.to_vec();
            b[8] = 2;
            b
        }
        "version-2-short.synaqbank" => {
            let mut b = golden[..20].to_vec();
            b[8] = 2;
            b
        }
        "not-a-bank.synaqbank" => {
            let mut b = golden.to_vec();
            b[..8].copy_from_slice(b"SYNAQBNX");
            b
        }
        "resigned-header-edit.synaqbank" => {
            bank::resign_for_tests(golden, issuer, |h, _| h.counts.questions += 1)
        }
        "resigned-payload-flip.synaqbank" => {
            bank::resign_for_tests(golden, issuer, |_, p| p[70_000] ^= 0x01)
        }
        "resigned-payload-cut.synaqbank" => {
            bank::resign_for_tests(golden, issuer, |_, p| p.truncate(65_536 + 16))
        }
        other => panic!("no recipe for {other}: add one here and in README.md"),
    }
}

fn code(r: &Result<bank::OpenedBank, BankError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn every_listed_vector_gives_its_outcome() {
    let m = manifest();
    let golden = read(&m.positive.file);
    let signer = IssuerSecret::from_seed(&[m.positive.issuer_seed; 32]);
    let update = std::env::var_os("SYNAQ_UPDATE_VECTORS").is_some();
    let mut codes = BTreeMap::new();
    for v in &m.vectors {
        assert!(!v.made.is_empty(), "{}: say how it was made", v.file);
        if v.file != m.positive.file {
            let made = recipe(&v.file, &golden, &signer);
            if update {
                std::fs::write(dir().join(&v.file), &made).unwrap();
            }
            assert!(
                read(&v.file) == made,
                "{} is not what its recipe makes from {}",
                v.file,
                m.positive.file
            );
        }
        let bytes = read(&v.file);
        let issuer = IssuerSecret::from_seed(&[v.issuer_seed; 32]).public();
        let kiosk = KioskSecret::from_seed(&[v.kiosk_seed; 32]);
        let tmp = tempfile::tempdir().unwrap();
        let mut trust = FileTrustStore::open(&tmp.path().join("trust.json")).unwrap();
        if let Some(mark) = v.high_water {
            trust.record("vector", mark).unwrap();
        }
        let got = bank::open(&bytes, &issuer, &kiosk, v.now, &mut trust);
        assert_eq!(
            code(&got),
            v.expect,
            "{} ({}): {:?}",
            v.file,
            v.made,
            got.as_ref().err()
        );
        *codes.entry(v.expect.clone()).or_insert(0) += 1;
    }
    // The manifest covers the refusals a copied or forged file can meet, not just one.
    for expected in [
        "ok",
        "bank-not-a-bank",
        "bank-unsupported-version",
        "bank-truncated",
        "bank-trailing-data",
        "bank-wrong-issuer",
        "bank-bad-signature",
        "bank-not-yet-valid",
        "bank-expired",
        "bank-rolled-back",
        "bank-not-a-recipient",
        "bank-bad-header-mac",
        "bank-payload-corrupt",
        "bank-payload-truncated",
    ] {
        assert!(codes.contains_key(expected), "no vector for {expected}");
    }
}

// ---- a second reader, from the spec only ----

struct Len32;
impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(ikm)
        .expand(&[info], Len32)
        .unwrap()
        .fill(&mut out)
        .unwrap();
    out
}

fn aes(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap())
}

/// vectors/README.md: "seeded randomness" and "seeded keys".
fn seeded(seed: u8, info: &[u8]) -> [u8; 32] {
    hkdf_sha256(b"synaq seed", &[seed; 32], info)
}

#[test]
fn the_positive_vector_opens_with_a_reader_written_from_the_spec() {
    let m = manifest();
    let p = &m.positive;
    let b = read(&p.file);
    // Preamble.
    assert_eq!(&b[..8], b"SYNAQBNK");
    assert_eq!(b[8], 1);
    let (h_start, p_start, s_start) = parts(&b);
    assert_eq!(s_start + 64, b.len());

    // Issuer key: Ed25519 from the 32-byte seed itself; X25519 secret from the seed by HKDF.
    let issuer_ed =
        ring::signature::Ed25519KeyPair::from_seed_unchecked(&[p.issuer_seed; 32]).unwrap();
    use ring::signature::KeyPair as _;
    let issuer_ed_pub = issuer_ed.public_key().as_ref().to_vec();
    let issuer_x_pub = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(seeded(
        p.issuer_seed,
        b"x25519 from seed",
    )));
    let mut id_input = b"synaq issuer".to_vec();
    id_input.extend_from_slice(&issuer_ed_pub);
    id_input.extend_from_slice(issuer_x_pub.as_bytes());
    assert_eq!(&b[9..17], &digest(&SHA256, &id_input).as_ref()[..8]);

    // Signature over the domain string and SHA-512 of everything before it.
    let mut msg = b"synaq bank v1 signature\0".to_vec();
    msg.extend_from_slice(digest(&SHA512, &b[..s_start]).as_ref());
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &issuer_ed_pub)
        .verify(&msg, &b[s_start..])
        .expect("the signature verifies");

    // Kiosk key and its stanza.
    let kiosk_x = x25519_dalek::StaticSecret::from(seeded(p.kiosk_seed, b"x25519 from seed"));
    let kiosk_x_pub = x25519_dalek::PublicKey::from(&kiosk_x);
    let kiosk_ed =
        ring::signature::Ed25519KeyPair::from_seed_unchecked(&[p.kiosk_seed; 32]).unwrap();
    let mut id_input = b"synaq kiosk".to_vec();
    id_input.extend_from_slice(kiosk_ed.public_key().as_ref());
    id_input.extend_from_slice(kiosk_x_pub.as_bytes());
    let kiosk_id = digest(&SHA256, &id_input).as_ref()[..8].to_vec();
    let header_bytes = &b[h_start..p_start];
    let header: serde_json::Value = serde_json::from_slice(header_bytes).unwrap();
    let stanza = header["stanzas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["role"] == "kiosk" && s["recipient"] == hex::encode(&kiosk_id))
        .expect("a stanza for the kiosk");
    let eph: [u8; 32] = B64
        .decode(stanza["ephemeral"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    // The build's third random value is the kiosk stanza's ephemeral secret.
    let eph_secret = x25519_dalek::StaticSecret::from(seeded(p.build_seed, &3u32.to_be_bytes()));
    assert_eq!(x25519_dalek::PublicKey::from(&eph_secret).to_bytes(), eph);
    let shared = kiosk_x.diffie_hellman(&x25519_dalek::PublicKey::from(eph));
    let salt = [eph.as_slice(), kiosk_x_pub.as_bytes()].concat();
    let w = hkdf_sha256(&salt, shared.as_bytes(), b"synaq bank v1 stanza");
    let mut wrapped = B64.decode(stanza["wrapped_key"].as_str().unwrap()).unwrap();
    let k: [u8; 32] = aes(&w)
        .open_in_place(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::from(&kiosk_id),
            &mut wrapped,
        )
        .expect("the stanza opens")
        .try_into()
        .unwrap();
    assert_eq!(hex::encode(k), p.content_key);
    // The build's first random value is the content key.
    assert_eq!(k, seeded(p.build_seed, &1u32.to_be_bytes()));

    // Header MAC: the header as written, with the mac value emptied.
    let k_mac = hkdf_sha256(b"synaq bank v1", &k, b"header mac");
    let mac_b64 = header["mac"].as_str().unwrap();
    let written = std::str::from_utf8(header_bytes).unwrap();
    let field = format!("\"mac\":\"{mac_b64}\"}}");
    assert!(written.ends_with(&field), "mac is the last field");
    let unsigned = format!("{}\"mac\":\"\"}}", &written[..written.len() - field.len()]);
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, &k_mac),
        unsigned.as_bytes(),
        &B64.decode(mac_b64).unwrap(),
    )
    .expect("the header MAC verifies");

    // Payload: 64 KiB chunks, counter nonce, last-chunk flag.
    let k_payload = aes(&hkdf_sha256(b"synaq bank v1", &k, b"payload"));
    let chunks: Vec<&[u8]> = b[p_start..s_start].chunks(65_536 + 16).collect();
    let mut plain = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        let mut nonce = [0u8; 12];
        nonce[3..11].copy_from_slice(&(i as u64).to_be_bytes());
        nonce[11] = u8::from(i + 1 == chunks.len());
        let mut c = c.to_vec();
        let opened = k_payload
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut c)
            .expect("every chunk opens");
        plain.extend_from_slice(opened);
    }
    assert_eq!(plain.len(), p.plaintext_len);
    assert_eq!(hex::encode(digest(&SHA256, &plain)), p.plaintext_sha256);

    // Container entries.
    assert_eq!(&plain[..9], b"SYNAQCNT\x01");
    let mut rest = &plain[9..];
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let kind = rest[0];
        let name_len = u16::from_le_bytes([rest[1], rest[2]]) as usize;
        let name = std::str::from_utf8(&rest[3..3 + name_len]).unwrap();
        let at = 3 + name_len;
        let len = u64::from_le_bytes(rest[at..at + 8].try_into().unwrap()) as usize;
        let data = &rest[at + 8..at + 8 + len];
        if name == "profile.toml" {
            assert_eq!(
                hex::encode(digest(&SHA256, data)),
                header["profiles_digest"].as_str().unwrap()
            );
        }
        if kind == 2 {
            let questions: serde_json::Value = serde_json::from_slice(data).unwrap();
            assert_eq!(
                questions.as_array().unwrap().len() as u64,
                header["counts"]["questions"].as_u64().unwrap()
            );
        }
        entries.push(format!("{kind} {name}"));
        rest = &rest[at + 8 + len..];
    }
    assert_eq!(entries, p.entries);
}
